// Package storetest is the contract every upgradebot.Desk backend meets. A
// backend's tests call Run with a function that opens a fresh, empty desk;
// the suite then drives it through the interface only, so the SQLite store
// and a later PostgreSQL one are held to the same behaviour.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the suite runs in America/New_York wherever it runs

	"github.com/upgradebot/upgradebot"
)

// The people and places the suite uses.
const (
	Admin    = "UADMIN"
	Admin2   = "UADMIN2"
	Owner    = "UOWNER"
	Delegate = "UDELEGATE"
	Alice    = "UALICE"
	Bob      = "UBOB"
	Channel  = "CTEAM"
	TimeZone = "America/New_York"
)

// NewYork is the team's time zone in the suite.
var NewYork = mustLoad(TimeZone)

// Start is when every subtest begins: 09:00 on Thursday 26 November 2026 in
// New York, 14:00 UTC.
var Start = time.Date(2026, 11, 26, 9, 0, 0, 0, NewYork)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Run runs the contract suite, each part in a parallel subtest with a desk
// of its own. open must return a new, empty desk that reads the time from
// clock, and close it with t.Cleanup. The suite bootstraps it with Channel,
// TimeZone and Admin, and starts the clock at Start.
func Run(t *testing.T, open func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"Ping", testPing},
		{"Bootstrap", testBootstrap},
		{"CreateTask", testCreateTask},
		{"FindTasks", testFindTasks},
		{"TaskLifecycle", testTaskLifecycle},
		{"Releases", testReleases},
		{"ReleaseCorrections", testReleaseCorrections},
		{"RecurringCleanup", testRecurringCleanup},
		{"CleanupRace", testCleanupRace},
		{"CleanupCorrections", testCleanupCorrections},
		{"Decisions", testDecisions},
		{"Decide", testDecide},
		{"DecisionCards", testDecisionCards},
		{"WithdrawDecision", testWithdrawDecision},
		{"DecideRace", testDecideRace},
		{"Delegation", testDelegation},
		{"OwnerReroute", testOwnerReroute},
		{"TimeZone", testTimeZone},
		{"Admins", testAdmins},
		{"Away", testAway},
		{"People", testPeople},
		{"Audit", testAudit},
		{"Outbox", testOutbox},
		{"HomeRefresh", testHomeRefresh},
		{"ConcurrentCreate", testConcurrentCreate},
		{"GroupCommit", testGroupCommit},
		{"CreateTasks", testCreateTasks},
		{"ImportTasks", testImportTasks},
		{"QueueAndClaim", testQueueAndClaim},
		{"RecordEvent", testRecordEvent},
		{"JobRuns", testJobRuns},
		{"MessageSections", testMessageSections},
		{"MessageAttach", testMessageAttach},
		{"RetryFailed", testRetryFailed},
		{"Postpone", testPostpone},
		{"DueMessages", testDueMessages},
		{"ClaimPaced", testClaimPaced},
		{"CheckWrite", testCheckWrite},
		{"OldestPending", testOldestPending},
		{"Triggers", testTriggers},
		{"ForgetSlackRequests", testForgetSlackRequests},
		{"DigestData", testDigestData},
		{"Holidays", testHolidays},
		{"Mutes", testMutes},
		{"ReleaseReminders", testReleaseReminders},
		{"Nudges", testNudges},
		{"Escalation", testEscalation},
		{"DueOccurrences", testDueOccurrences},
		{"ForecastData", testForecastData},
		{"Workload", testWorkload},
		{"WorkloadWeeks", testWorkloadWeeks},
		{"CleanupQueue", testCleanupQueue},
		{"VendorCorrections", testVendorCorrections},
		{"WeeklyTrend", testWeeklyTrend},
		{"Freezes", testFreezes},
		{"PhaseGates", testPhaseGates},
		{"Checklist", testChecklist},
		{"ReleaseItems", testReleaseItems},
		{"PhasePlan", testPhasePlan},
		{"Live", testLive},
		{"BulkTasks", testBulkTasks},
		{"UnassignReopen", testUnassignReopen},
		{"EditTask", testEditTask},
		{"Undo", testUndo},
		{"UndoChange", testUndoChange},
		{"Partners", testPartners},
		{"Sites", testSites},
		{"TimeSpent", testTimeSpent},
		{"PartnerReport", testPartnerReport},
		{"PHIGuard", testPHIGuard},
		{"PHIScan", testPHIScan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newEnv(t, open))
		})
	}
}

// env is one subtest's desk, bootstrapped with Channel, TimeZone and Admin.
type env struct {
	t     *testing.T
	ctx   context.Context
	desk  upgradebot.Desk
	clock *upgradebot.FakeClock
}

func newEnv(t *testing.T, open func(t *testing.T, clock *upgradebot.FakeClock) upgradebot.Desk) *env {
	t.Helper()
	clock := upgradebot.NewFakeClock(Start)
	e := &env{t: t, ctx: t.Context(), desk: open(t, clock), clock: clock}
	if err := e.desk.Bootstrap(e.ctx, Channel, TimeZone, []string{Admin}); err != nil {
		t.Fatalf("Bootstrap: %v", err)
	}
	return e
}

// today is the team's calendar day at the clock's time.
func (e *env) today() upgradebot.Date { return upgradebot.Today(e.clock.Now(), NewYork) }

// day parses an ISO date.
func day(s string) upgradebot.Date {
	d, err := upgradebot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (e *env) createTask(actor string, t *upgradebot.Task) *upgradebot.Task {
	e.t.Helper()
	if err := e.desk.CreateTask(e.ctx, actor, t); err != nil {
		e.t.Fatalf("CreateTask(%q): %v", t.Title, err)
	}
	return t
}

func (e *env) setOwner(user string) {
	e.t.Helper()
	if err := e.desk.SetOwner(e.ctx, Admin, user); err != nil {
		e.t.Fatalf("SetOwner: %v", err)
	}
}

// lastMessage is the newest pending message's id (App Home refreshes
// included), a mark for newMessages and newHomes.
func (e *env) lastMessage() int64 {
	e.t.Helper()
	msgs := e.pending(0)
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].ID
}

// pending returns every pending message after mark, oldest first.
func (e *env) pending(mark int64) []*upgradebot.Message {
	e.t.Helper()
	msgs, err := e.desk.PendingMessages(e.ctx, e.clock.Now().AddDate(10, 0, 0), 0)
	if err != nil {
		e.t.Fatalf("PendingMessages: %v", err)
	}
	var out []*upgradebot.Message
	for _, m := range msgs {
		if m.ID > mark {
			out = append(out, m)
		}
	}
	return out
}

// newMessages returns the pending messages after mark other than App Home
// refreshes (newHomes has those), oldest first.
func (e *env) newMessages(mark int64) []*upgradebot.Message {
	e.t.Helper()
	var out []*upgradebot.Message
	for _, m := range e.pending(mark) {
		if m.Kind != upgradebot.MessageHome {
			out = append(out, m)
		}
	}
	return out
}

// newHomes returns whose App Home refreshes are pending after mark, in the
// order they were queued.
func (e *env) newHomes(mark int64) []string {
	e.t.Helper()
	var out []string
	for _, m := range e.pending(mark) {
		if m.Kind == upgradebot.MessageHome {
			out = append(out, m.To)
		}
	}
	return out
}

// lastAudit is the newest audit row's id, a mark for newAudit.
func (e *env) lastAudit() int64 {
	e.t.Helper()
	rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Limit: 1})
	if err != nil {
		e.t.Fatalf("FindAudit: %v", err)
	}
	if len(rows) == 0 {
		return 0
	}
	return rows[0].ID
}

// newAudit returns the audit rows after mark, oldest first.
func (e *env) newAudit(mark int64) []*upgradebot.AuditEntry {
	e.t.Helper()
	rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Limit: 100000})
	if err != nil {
		e.t.Fatalf("FindAudit: %v", err)
	}
	var out []*upgradebot.AuditEntry
	for _, r := range rows {
		if r.ID > mark {
			out = append(out, r)
		}
	}
	slices.Reverse(out)
	return out
}

// wantActions checks the actions of the audit rows after mark, in order.
func (e *env) wantActions(mark int64, want ...string) []*upgradebot.AuditEntry {
	e.t.Helper()
	rows := e.newAudit(mark)
	var got []string
	for _, r := range rows {
		got = append(got, r.Action)
	}
	if !slices.Equal(got, want) {
		e.t.Errorf("audit actions = %q, want %q", got, want)
	}
	return rows
}

func (e *env) settings() upgradebot.Settings {
	e.t.Helper()
	s, err := e.desk.Settings(e.ctx)
	if err != nil {
		e.t.Fatalf("Settings: %v", err)
	}
	return s
}

func (e *env) findTasks(f upgradebot.TaskFilter) ([]*upgradebot.Task, int) {
	e.t.Helper()
	tasks, n, err := e.desk.FindTasks(e.ctx, f)
	if err != nil {
		e.t.Fatalf("FindTasks(%+v): %v", f, err)
	}
	return tasks, n
}

func (e *env) decision(id int64) *upgradebot.Decision {
	e.t.Helper()
	list, err := e.desk.FindDecisions(e.ctx, upgradebot.DecisionFilter{ID: id})
	if err != nil {
		e.t.Fatalf("FindDecisions: %v", err)
	}
	if len(list) != 1 {
		e.t.Fatalf("FindDecisions(ID %d) returned %d decisions", id, len(list))
	}
	return list[0]
}

// wantErr checks err's code and that its message contains each part.
func wantErr(t *testing.T, err error, code string, parts ...string) {
	t.Helper()
	if got := upgradebot.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	msg := upgradebot.ErrorMessage(err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("error message %q does not contain %q", msg, p)
		}
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ids lists the tasks' ids.
func ids(tasks []*upgradebot.Task) []int64 {
	out := make([]int64, len(tasks))
	for i, t := range tasks {
		out[i] = t.ID
	}
	return out
}

// taskString shows every field of t with times in UTC, for comparisons.
func taskString(t *upgradebot.Task) string {
	c := *t
	c.CreatedAt, c.UpdatedAt, c.ClosedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), c.ClosedAt.UTC()
	return fmt.Sprintf("%+v", c)
}

func decisionString(d *upgradebot.Decision) string {
	c := *d
	c.CreatedAt, c.DecidedAt = c.CreatedAt.UTC(), c.DecidedAt.UTC()
	return fmt.Sprintf("%+v", c)
}

func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func testPing(t *testing.T, e *env) {
	ok(t, e.desk.Ping(e.ctx))
}

func testBootstrap(t *testing.T, e *env) {
	s := e.settings()
	if s.Channel != Channel || s.TimeZone != TimeZone || s.Owner != "" || !slices.Equal(s.Admins, []string{Admin}) {
		t.Fatalf("Settings = %+v after Bootstrap", s)
	}
	if s.Location().String() != TimeZone {
		t.Errorf("Location = %v", s.Location())
	}
	rows := e.wantActions(0, "setting.set", "setting.set", "admin.add")
	for _, r := range rows {
		if r.Actor != upgradebot.SystemActor {
			t.Errorf("%s by %q, want %q", r.Action, r.Actor, upgradebot.SystemActor)
		}
		sameTime(t, r.Action+" at", r.At, Start)
	}

	// Nothing changes: nothing is written.
	mark := e.lastAudit()
	ok(t, e.desk.Bootstrap(e.ctx, Channel, TimeZone, []string{Admin}))
	ok(t, e.desk.Bootstrap(e.ctx, "", "", nil))
	e.wantActions(mark)
	if s2 := e.settings(); fmt.Sprint(s2) != fmt.Sprint(s) {
		t.Errorf("Settings = %+v, want %+v", s2, s)
	}

	// Only what differs is written.
	ok(t, e.desk.Bootstrap(e.ctx, "", "America/Chicago", []string{Admin2, Admin}))
	e.wantActions(mark, "setting.set", "admin.add")
	s = e.settings()
	if s.Channel != Channel || s.TimeZone != "America/Chicago" || !slices.Equal(s.Admins, []string{Admin, Admin2}) {
		t.Errorf("Settings = %+v", s)
	}

	mark = e.lastAudit()
	wantErr(t, e.desk.Bootstrap(e.ctx, "general", "", nil), upgradebot.EINVALID, "general")
	wantErr(t, e.desk.Bootstrap(e.ctx, "", "Mars/Olympus_Mons", nil), upgradebot.EINVALID, "Mars/Olympus_Mons")
	wantErr(t, e.desk.Bootstrap(e.ctx, Channel, TimeZone, []string{"bob"}), upgradebot.EINVALID, "bob")
	e.wantActions(mark)
}

func testCreateTask(t *testing.T, e *env) {
	mark, amark := e.lastMessage(), e.lastAudit()
	task := &upgradebot.Task{Title: "Upgrade lab interface", Assignee: Alice, Due: day("2026-12-05"), Ref: "CHG-100"}
	e.createTask(Bob, task)
	if task.ID == 0 || task.Kind != upgradebot.KindUpgrade || task.Priority != upgradebot.PriorityNormal ||
		task.Status != upgradebot.StatusOpen || task.CreatedBy != Bob {
		t.Fatalf("created task = %+v", task)
	}
	sameTime(t, "CreatedAt", task.CreatedAt, Start)
	sameTime(t, "UpdatedAt", task.UpdatedAt, Start)
	if !task.ClosedAt.IsZero() || task.ClosedBy != "" {
		t.Errorf("new task is closed: %+v", task)
	}
	got, err := e.desk.FindTaskByID(e.ctx, task.ID)
	ok(t, err)
	if taskString(got) != taskString(task) {
		t.Errorf("FindTaskByID =\n%s\nwant\n%s", taskString(got), taskString(task))
	}

	// The assignee is told, by a DM saying who assigned it.
	msgs := e.newMessages(mark)
	if len(msgs) != 1 {
		t.Fatalf("queued %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Kind != upgradebot.MessageDM || m.To != Alice || m.Status != upgradebot.MessagePending || m.DecisionID != 0 ||
		!strings.Contains(m.Text, fmt.Sprintf("<@%s> assigned you #%d Upgrade lab interface", Bob, task.ID)) {
		t.Errorf("message = %+v", m)
	}
	sameTime(t, "message NextTry", m.NextTry, Start)

	// Audited with the task as it was created.
	rows := e.wantActions(amark, "task.add")
	if r := rows[0]; r.Actor != Bob || r.Entity != "task" || r.EntityID != task.ID || r.Before != "" {
		t.Errorf("audit row = %+v", r)
	} else {
		var after upgradebot.Task
		if err := json.Unmarshal([]byte(r.After), &after); err != nil || after.Title != task.Title || after.Assignee != Alice {
			t.Errorf("audit after = %s (%v)", r.After, err)
		}
	}

	// Assigning to oneself, or to nobody, tells nobody.
	mark = e.lastMessage()
	e.createTask(Alice, &upgradebot.Task{Title: "Read release notes", Assignee: Alice})
	e.createTask(Alice, &upgradebot.Task{Title: "Unowned", Kind: upgradebot.KindMaintenance, Priority: upgradebot.PriorityHigh})
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("queued %d messages, want none", len(msgs))
	}

	// A task can belong to a release, by key.
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}))
	withRelease := e.createTask(Bob, &upgradebot.Task{Title: "Regression test order entry", Release: "medcore-2027.1"})
	if got, err := e.desk.FindTaskByID(e.ctx, withRelease.ID); err != nil || got.Release != "medcore-2027.1" {
		t.Errorf("FindTaskByID = %+v, %v; want release medcore-2027.1", got, err)
	}

	// Refusals leave nothing behind.
	_, before := e.findTasks(upgradebot.TaskFilter{})
	mark, amark = e.lastMessage(), e.lastAudit()
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "  "}), upgradebot.EINVALID, "title")
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "x", Kind: "bogus"}), upgradebot.EINVALID, "bogus")
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "x", Priority: "urgent"}), upgradebot.EINVALID, "urgent")
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: strings.Repeat("x", upgradebot.MaxTitleLen+1)}), upgradebot.EINVALID)
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "x", Release: "nope"}), upgradebot.ENOTFOUND,
		"No release with key nope. `/upgrade releases` lists them.")
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "x", Assignee: "alice"}), upgradebot.EINVALID, "alice")
	wantErr(t, e.desk.CreateTask(e.ctx, Bob, &upgradebot.Task{Title: "x", Status: upgradebot.StatusDone}), upgradebot.EINVALID)
	if _, n := e.findTasks(upgradebot.TaskFilter{}); n != before {
		t.Errorf("%d tasks after refusals, want %d", n, before)
	}
	e.wantActions(amark)
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("refusals queued %d messages", len(msgs))
	}

	_, err = e.desk.FindTaskByID(e.ctx, 999999)
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999999.")
}

func testFindTasks(t *testing.T, e *env) {
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}))
	t1 := e.createTask(Bob, &upgradebot.Task{Title: "Upgrade LAB interface", Due: day("2026-11-20"), Assignee: Alice,
		Release: "medcore-2027.1", Ref: "CHG-100"})
	t2 := e.createTask(Bob, &upgradebot.Task{Title: "Rebuild order sets", Due: day("2026-12-01"), Assignee: Bob,
		Kind: upgradebot.KindMaintenance})
	t3 := e.createTask(Bob, &upgradebot.Task{Title: "Retire 100% of legacy_fax", Assignee: Alice, Priority: upgradebot.PriorityHigh})
	t4 := e.createTask(Bob, &upgradebot.Task{Title: "Patch pharmacy feed", Due: day("2026-11-25"), Assignee: Bob,
		Release: "medcore-2027.1"})
	t5 := e.createTask(Bob, &upgradebot.Task{Title: "Clean up printers", Due: day("2026-11-10"), Assignee: Alice})
	t6 := e.createTask(Bob, &upgradebot.Task{Title: "Test downtime procedure", Due: day("2026-12-10")})
	e.clock.Advance(time.Hour)
	if _, _, err := e.desk.CompleteTask(e.ctx, Alice, t5.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.desk.CancelTask(e.ctx, Bob, t6.ID, "Not needed this year"); err != nil {
		t.Fatal(err)
	}

	open := []upgradebot.TaskStatus{upgradebot.StatusOpen}
	closed := []upgradebot.TaskStatus{upgradebot.StatusDone, upgradebot.StatusCancelled}
	for _, tt := range []struct {
		desc  string
		f     upgradebot.TaskFilter
		want  []*upgradebot.Task
		total int
	}{
		{"everything, soonest due first, undated last", upgradebot.TaskFilter{}, []*upgradebot.Task{t5, t1, t4, t2, t6, t3}, 6},
		{"open", upgradebot.TaskFilter{Statuses: open}, []*upgradebot.Task{t1, t4, t2, t3}, 4},
		{"overdue", upgradebot.TaskFilter{Statuses: open, DueBefore: e.today()}, []*upgradebot.Task{t1, t4}, 2},
		{"due before, any status", upgradebot.TaskFilter{DueBefore: day("2026-11-21")}, []*upgradebot.Task{t5, t1}, 2},
		{"closed, latest closed first", upgradebot.TaskFilter{Statuses: closed}, []*upgradebot.Task{t6, t5}, 2},
		{"done", upgradebot.TaskFilter{Statuses: closed[:1]}, []*upgradebot.Task{t5}, 1},
		{"assignee", upgradebot.TaskFilter{Statuses: open, Assignee: Alice}, []*upgradebot.Task{t1, t3}, 2},
		{"release", upgradebot.TaskFilter{Release: "medcore-2027.1"}, []*upgradebot.Task{t1, t4}, 2},
		{"unknown release", upgradebot.TaskFilter{Release: "nope"}, nil, 0},
		{"kind", upgradebot.TaskFilter{Kind: upgradebot.KindMaintenance}, []*upgradebot.Task{t2}, 1},
		{"id", upgradebot.TaskFilter{ID: t4.ID}, []*upgradebot.Task{t4}, 1},
		{"word, any case", upgradebot.TaskFilter{Words: []string{"lab"}}, []*upgradebot.Task{t1}, 1},
		{"word in ref", upgradebot.TaskFilter{Words: []string{"chg-100"}}, []*upgradebot.Task{t1}, 1},
		{"every word", upgradebot.TaskFilter{Words: []string{"upgrade", "INTERFACE"}}, []*upgradebot.Task{t1}, 1},
		{"every word, none has both", upgradebot.TaskFilter{Words: []string{"lab", "pharmacy"}}, nil, 0},
		{"percent is literal", upgradebot.TaskFilter{Words: []string{"%"}}, []*upgradebot.Task{t3}, 1},
		{"underscore is literal", upgradebot.TaskFilter{Words: []string{"_"}}, []*upgradebot.Task{t3}, 1},
		{"word with percent", upgradebot.TaskFilter{Words: []string{"100%"}}, []*upgradebot.Task{t3}, 1},
		{"combined", upgradebot.TaskFilter{Statuses: open, Assignee: Bob, Words: []string{"feed"}}, []*upgradebot.Task{t4}, 1},
		{"limit and offset", upgradebot.TaskFilter{Statuses: open, Offset: 1, Limit: 2}, []*upgradebot.Task{t4, t2}, 4},
		{"offset only", upgradebot.TaskFilter{Statuses: open, Offset: 3}, []*upgradebot.Task{t3}, 4},
	} {
		got, n := e.findTasks(tt.f)
		if !slices.Equal(ids(got), ids(tt.want)) || n != tt.total {
			t.Errorf("%s: got %v (total %d), want %v (total %d)", tt.desc, ids(got), n, ids(tt.want), tt.total)
		}
	}

	// Found tasks are whole.
	got, _ := e.findTasks(upgradebot.TaskFilter{ID: t1.ID})
	if len(got) == 1 && taskString(got[0]) != taskString(t1) {
		t.Errorf("found\n%s\nwant\n%s", taskString(got[0]), taskString(t1))
	}
}

func testTaskLifecycle(t *testing.T, e *env) {
	task := e.createTask(Bob, &upgradebot.Task{Title: "Upgrade lab interface", Due: day("2026-12-05")})
	amark := e.lastAudit()

	mark := e.lastMessage()
	got, err := e.desk.AssignTask(e.ctx, Bob, task.ID, Alice)
	ok(t, err)
	if got.Assignee != Alice {
		t.Errorf("assignee = %q", got.Assignee)
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 || msgs[0].To != Alice || msgs[0].Kind != upgradebot.MessageDM {
		t.Errorf("assigning queued %+v, want one DM to Alice", msgs)
	}
	mark = e.lastMessage()
	if _, err := e.desk.AssignTask(e.ctx, Alice, task.ID, Alice); err != nil {
		t.Fatal(err)
	}
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("self-assigning queued %d messages", len(msgs))
	}
	_, err = e.desk.AssignTask(e.ctx, Bob, task.ID, "alice")
	wantErr(t, err, upgradebot.EINVALID)

	e.clock.Advance(10 * time.Minute)
	got, err = e.desk.SetTaskDue(e.ctx, Alice, task.ID, day("2026-12-10"))
	ok(t, err)
	if got.Due != day("2026-12-10") {
		t.Errorf("due = %v", got.Due)
	}
	sameTime(t, "UpdatedAt", got.UpdatedAt, Start.Add(10*time.Minute))

	note, err := e.desk.AddTaskNote(e.ctx, Alice, task.ID, "Vendor call booked")
	ok(t, err)
	if note.ID == 0 || note.TaskID != task.ID || note.Author != Alice || note.Text != "Vendor call booked" {
		t.Errorf("note = %+v", note)
	}
	_, err = e.desk.AddTaskNote(e.ctx, Alice, task.ID, " ")
	wantErr(t, err, upgradebot.EINVALID)

	e.clock.Advance(50 * time.Minute) // 15:00 UTC
	mark = e.lastMessage()
	done, next, err := e.desk.CompleteTask(e.ctx, Alice, task.ID, "Went live")
	ok(t, err)
	if done.Status != upgradebot.StatusDone || done.ClosedBy != Alice || next != nil {
		t.Errorf("CompleteTask = %+v, %+v", done, next)
	}
	sameTime(t, "ClosedAt", done.ClosedAt, Start.Add(time.Hour))
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("completing queued %d messages", len(msgs))
	}
	if got, err := e.desk.FindTaskByID(e.ctx, task.ID); err != nil || taskString(got) != taskString(done) {
		t.Errorf("FindTaskByID =\n%v\nwant\n%v (%v)", got, done, err)
	}

	notes, err := e.desk.TaskNotes(e.ctx, task.ID)
	ok(t, err)
	if len(notes) != 2 || notes[0].Text != "Vendor call booked" || notes[1].Text != "Went live" {
		t.Errorf("notes = %+v", notes)
	} else {
		sameTime(t, "note At", notes[1].At, Start.Add(time.Hour))
	}

	rows := e.wantActions(amark, "task.assign", "task.assign", "task.due", "task.note", "task.note", "task.done")
	if len(rows) == 6 {
		var before, after upgradebot.Task
		if json.Unmarshal([]byte(rows[0].Before), &before) != nil || json.Unmarshal([]byte(rows[0].After), &after) != nil ||
			before.Assignee != "" || after.Assignee != Alice {
			t.Errorf("task.assign before %s after %s", rows[0].Before, rows[0].After)
		}
		if json.Unmarshal([]byte(rows[5].After), &after) != nil || after.Status != upgradebot.StatusDone {
			t.Errorf("task.done after %s", rows[5].After)
		}
		for _, r := range rows {
			if r.EntityID != task.ID || r.Entity != "task" {
				t.Errorf("audit row about %s %d", r.Entity, r.EntityID)
			}
		}
	}

	// A closed task stays closed, and says who closed it and when, in the
	// team's time zone (issue 10).
	conflict := fmt.Sprintf("Task #%d was already done by <@%s> at 2026-11-26 10:00 EST.", task.ID, Alice)
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, task.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, conflict)
	_, err = e.desk.CancelTask(e.ctx, Bob, task.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, conflict)
	_, err = e.desk.AssignTask(e.ctx, Bob, task.ID, Bob)
	wantErr(t, err, upgradebot.ECONFLICT, conflict)
	_, err = e.desk.SetTaskDue(e.ctx, Bob, task.ID, day("2027-01-01"))
	wantErr(t, err, upgradebot.ECONFLICT, conflict)
	// Notes are history and may still be added.
	_, err = e.desk.AddTaskNote(e.ctx, Bob, task.ID, "Post-go-live review done")
	ok(t, err)

	other := e.createTask(Bob, &upgradebot.Task{Title: "Old fax cut-over"})
	cancelled, err := e.desk.CancelTask(e.ctx, Bob, other.ID, "")
	ok(t, err)
	if cancelled.Status != upgradebot.StatusCancelled || cancelled.ClosedBy != Bob {
		t.Errorf("cancelled = %+v", cancelled)
	}
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, other.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already cancelled by <@"+Bob+">")
	if notes, err := e.desk.TaskNotes(e.ctx, other.ID); err != nil || len(notes) != 0 {
		t.Errorf("cancelling without a reason wrote notes %v (%v)", notes, err)
	}

	// Clearing the due date.
	third := e.createTask(Bob, &upgradebot.Task{Title: "Someday", Due: day("2027-01-01")})
	if got, err := e.desk.SetTaskDue(e.ctx, Bob, third.ID, upgradebot.Date{}); err != nil || !got.Due.IsZero() {
		t.Errorf("clearing due: %+v, %v", got, err)
	}

	const missing = 999999
	want := "No task #999999."
	_, err = e.desk.AssignTask(e.ctx, Bob, missing, Alice)
	wantErr(t, err, upgradebot.ENOTFOUND, want)
	_, err = e.desk.SetTaskDue(e.ctx, Bob, missing, day("2027-01-01"))
	wantErr(t, err, upgradebot.ENOTFOUND, want)
	_, err = e.desk.AddTaskNote(e.ctx, Bob, missing, "x")
	wantErr(t, err, upgradebot.ENOTFOUND, want)
	_, err = e.desk.TaskNotes(e.ctx, missing)
	wantErr(t, err, upgradebot.ENOTFOUND, want)
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, missing, "")
	wantErr(t, err, upgradebot.ENOTFOUND, want)
	_, err = e.desk.CancelTask(e.ctx, Bob, missing, "")
	wantErr(t, err, upgradebot.ENOTFOUND, want)
}

func testReleases(t *testing.T, e *env) {
	amark := e.lastAudit()
	r1 := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r1))
	if r1.ID == 0 || r1.Key != "medcore-2027.1" || r1.CreatedBy != Admin {
		t.Errorf("release = %+v", r1)
	}
	sameTime(t, "CreatedAt", r1.CreatedAt, Start)
	r2 := &upgradebot.Release{Key: "labsys-9", Vendor: "LabSys", Name: "9", GA: day("2026-12-15"), Support: day("2028-12-31")}
	ok(t, e.desk.CreateRelease(e.ctx, Bob, r2))
	rows := e.wantActions(amark, "release.add", "release.add")
	if len(rows) == 2 && (rows[0].EntityID != r1.ID || rows[0].Entity != "release" || !strings.Contains(rows[0].After, "medcore-2027.1")) {
		t.Errorf("audit row = %+v", rows[0])
	}

	wantErr(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-04-01")}),
		upgradebot.ECONFLICT, "Release key medcore-2027.1 already exists.")
	wantErr(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2028.1"}), upgradebot.EINVALID, "GA")
	wantErr(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2028.1",
		GA: day("2028-03-01"), Support: day("2028-01-01")}), upgradebot.EINVALID)
	wantErr(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Key: "Bad Key", Vendor: "X", Name: "Y",
		GA: day("2028-03-01")}), upgradebot.EINVALID)

	for _, tt := range []struct {
		desc string
		f    upgradebot.ReleaseFilter
		want []string
	}{
		{"all, by GA", upgradebot.ReleaseFilter{}, []string{"labsys-9", "medcore-2027.1"}},
		{"key", upgradebot.ReleaseFilter{Key: "medcore-2027.1"}, []string{"medcore-2027.1"}},
		{"GA from", upgradebot.ReleaseFilter{GAFrom: day("2027-01-01")}, []string{"medcore-2027.1"}},
		{"GA from, inclusive", upgradebot.ReleaseFilter{GAFrom: day("2026-12-15")}, []string{"labsys-9", "medcore-2027.1"}},
		{"unknown key", upgradebot.ReleaseFilter{Key: "nope"}, nil},
	} {
		if keys := e.releaseKeys(t, tt.f); !slices.Equal(keys, tt.want) {
			t.Errorf("%s: %q, want %q", tt.desc, keys, tt.want)
		}
	}
	list, err := e.desk.FindReleases(e.ctx, upgradebot.ReleaseFilter{Key: "labsys-9"})
	ok(t, err)
	if len(list) != 1 || list[0].Support != r2.Support || list[0].GA != r2.GA || list[0].Vendor != "LabSys" ||
		list[0].Name != "9" || list[0].CreatedBy != Bob || list[0].ID != r2.ID || !list[0].CreatedAt.Equal(Start) {
		t.Errorf("found %+v, want %+v", list, r2)
	}

	// Vendors match ignoring the case of ASCII letters, as vendor names are
	// compared everywhere else, whatever other letters the name has.
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Key: "elan-1", Vendor: "Élan Health", Name: "1", GA: day("2029-01-01")}))
	for _, tt := range []struct {
		vendors []string
		want    []string
	}{
		{[]string{"medcore", "LABSYS"}, []string{"labsys-9", "medcore-2027.1"}},
		{[]string{"ÉLAN HEALTH"}, []string{"elan-1"}},
		{[]string{"Elan Health"}, nil},
	} {
		if keys := e.releaseKeys(t, upgradebot.ReleaseFilter{Vendors: tt.vendors}); !slices.Equal(keys, tt.want) {
			t.Errorf("vendors %q: %q, want %q", tt.vendors, keys, tt.want)
		}
	}
}

// releaseKeys returns the keys of the releases f finds, in order.
func (e *env) releaseKeys(t *testing.T, f upgradebot.ReleaseFilter) []string {
	t.Helper()
	list, err := e.desk.FindReleases(e.ctx, f)
	ok(t, err)
	var keys []string
	for _, r := range list {
		keys = append(keys, r.Key)
	}
	return keys
}

func testRecurringCleanup(t *testing.T, e *env) {
	every, err := upgradebot.ParseInterval("2w")
	ok(t, err)
	mark, amark := e.lastMessage(), e.lastAudit()
	m := &upgradebot.Maintenance{Title: "Duplicate MRN clean-up", Every: every, Assignee: Alice, Anchor: day("2026-11-19")}
	first, err := e.desk.CreateMaintenance(e.ctx, Admin, m)
	ok(t, err)
	if m.ID == 0 || !m.Active || m.CreatedBy != Admin {
		t.Errorf("clean-up = %+v", m)
	}
	if first.ID == 0 || first.Kind != upgradebot.KindCleanup || first.Due != day("2026-11-19") || first.MaintenanceID != m.ID ||
		first.Assignee != Alice || first.Status != upgradebot.StatusOpen || first.Title != m.Title ||
		first.Priority != upgradebot.PriorityNormal {
		t.Errorf("first occurrence = %+v", first)
	}
	if got, err := e.desk.FindTaskByID(e.ctx, first.ID); err != nil || taskString(got) != taskString(first) {
		t.Errorf("FindTaskByID =\n%v\nwant\n%v (%v)", got, first, err)
	}
	rows := e.wantActions(amark, "maintenance.add", "task.add")
	if len(rows) == 2 && (rows[0].EntityID != m.ID || rows[0].Entity != "maintenance" || !strings.Contains(rows[0].After, `"2w"`)) {
		t.Errorf("maintenance.add row = %+v", rows[0])
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 || msgs[0].To != Alice {
		t.Errorf("creating a clean-up for Alice queued %+v, want one DM to Alice", msgs)
	}

	wantNext := func(due upgradebot.Date, openID int64) {
		t.Helper()
		list, err := e.desk.FindMaintenance(e.ctx)
		ok(t, err)
		if len(list) != 1 || list[0].ID != m.ID || list[0].NextDue != due || list[0].OpenTaskID != openID ||
			list[0].Every != every || list[0].Anchor != m.Anchor || list[0].Title != m.Title || list[0].Assignee != Alice {
			t.Errorf("FindMaintenance = %+v, want next due %v (task #%d)", list, due, openID)
		}
	}
	wantNext(day("2026-11-19"), first.ID)

	// Done a week late, on the 26th: the next one is the next on the
	// schedule after today, not one that is already overdue.
	mark, amark = e.lastMessage(), e.lastAudit()
	done, next, err := e.desk.CompleteTask(e.ctx, Alice, first.ID, "")
	ok(t, err)
	if done.Status != upgradebot.StatusDone || next == nil {
		t.Fatalf("CompleteTask = %+v, %+v", done, next)
	}
	if next.ID == 0 || next.Due != day("2026-12-03") || next.Kind != upgradebot.KindCleanup || next.MaintenanceID != m.ID ||
		next.Assignee != Alice || next.Title != m.Title || next.Priority != upgradebot.PriorityNormal ||
		next.Status != upgradebot.StatusOpen {
		t.Errorf("next occurrence = %+v", next)
	}
	e.wantActions(amark, "task.done", "task.add")
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("completing queued %d messages", len(msgs))
	}
	wantNext(day("2026-12-03"), next.ID)

	_, _, err = e.desk.CompleteTask(e.ctx, Alice, first.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already done")
	if _, n := e.findTasks(upgradebot.TaskFilter{Kind: upgradebot.KindCleanup}); n != 2 {
		t.Errorf("%d occurrences, want 2", n)
	}

	// The rota follows the last occurrence: reassign it, and the next one
	// goes to the new person.
	_, err = e.desk.AssignTask(e.ctx, Admin, next.ID, Bob)
	ok(t, err)
	e.clock.Set(time.Date(2027, 1, 10, 9, 0, 0, 0, NewYork))
	_, third, err := e.desk.CompleteTask(e.ctx, Bob, next.ID, "Merged 14 duplicates")
	ok(t, err)
	// 2026-11-19 + 2w steps: 12-03, 12-17, 12-31, 2027-01-14.
	if third == nil || third.Due != day("2027-01-14") || third.Assignee != Bob {
		t.Errorf("third occurrence = %+v", third)
	}

	// Moving an occurrence onto a day the clean-up already has is refused.
	_, err = e.desk.SetTaskDue(e.ctx, Admin, third.ID, day("2026-12-03"))
	wantErr(t, err, upgradebot.ECONFLICT)

	open, n := e.findTasks(upgradebot.TaskFilter{Kind: upgradebot.KindCleanup, Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}})
	if n != 1 || open[0].ID != third.ID {
		t.Errorf("open occurrences %v, want just #%d", ids(open), third.ID)
	}

	for _, bad := range []*upgradebot.Maintenance{
		{Title: "", Every: every, Anchor: day("2026-12-01")},
		{Title: "No interval", Anchor: day("2026-12-01")},
		{Title: "No anchor", Every: every},
		{Title: "Bad unit", Every: upgradebot.Interval{N: 2, Unit: 'y'}, Anchor: day("2026-12-01")},
		{Title: "Bad assignee", Every: every, Anchor: day("2026-12-01"), Assignee: "alice"},
	} {
		_, err := e.desk.CreateMaintenance(e.ctx, Admin, bad)
		wantErr(t, err, upgradebot.EINVALID)
	}
}

func testCleanupRace(t *testing.T, e *env) {
	every, _ := upgradebot.ParseInterval("1w")
	first, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{
		Title: "Purge test patients", Every: every, Anchor: day("2026-11-26")})
	ok(t, err)

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	nexts := make([]*upgradebot.Task, n)
	for i := range n {
		wg.Go(func() {
			_, nexts[i], errs[i] = e.desk.CompleteTask(e.ctx, Alice, first.ID, "")
		})
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch upgradebot.ErrorCode(err) {
		case "":
			wins++
			if nexts[i] == nil || nexts[i].Due != day("2026-12-03") {
				t.Errorf("next = %+v", nexts[i])
			}
		case upgradebot.ECONFLICT:
		default:
			t.Errorf("CompleteTask: %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d racing completions succeeded, want 1", wins, n)
	}
	if tasks, total := e.findTasks(upgradebot.TaskFilter{Kind: upgradebot.KindCleanup}); total != 2 {
		t.Errorf("%d occurrences %v, want 2", total, ids(tasks))
	}
}

func testDecisions(t *testing.T, e *env) {
	mark, amark := e.lastMessage(), e.lastAudit()
	_, err := e.desk.CreateDecision(e.ctx, Bob, &upgradebot.Decision{Question: "Take 2027.1 in March?"})
	wantErr(t, err, upgradebot.ECONFLICT, "No decision owner is set")
	if list, err := e.desk.FindDecisions(e.ctx, upgradebot.DecisionFilter{}); err != nil || len(list) != 0 {
		t.Errorf("FindDecisions = %v, %v after a refusal", list, err)
	}

	wantErr(t, e.desk.SetOwner(e.ctx, Bob, Owner), upgradebot.EFORBIDDEN,
		"Only admins can set the decision owner. Admins: <@"+Admin+">.")
	wantErr(t, e.desk.SetOwner(e.ctx, Admin, "dana"), upgradebot.EINVALID)
	e.wantActions(amark)
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("refusals queued %d messages", len(msgs))
	}

	e.setOwner(Owner)
	if s := e.settings(); s.Owner != Owner {
		t.Errorf("owner = %q", s.Owner)
	}
	rows := e.wantActions(amark, "owner.set")
	if len(rows) == 1 && (rows[0].Actor != Admin || rows[0].Entity != "setting" || !strings.Contains(rows[0].After, Owner)) {
		t.Errorf("owner.set row = %+v", rows[0])
	}
	ok(t, e.desk.SetOwner(e.ctx, Admin, Owner)) // no change, nothing written
	e.wantActions(amark, "owner.set")

	amark = e.lastAudit()
	d := &upgradebot.Decision{Question: "Take MedCore 2027.1 in March?", Due: day("2026-12-10")}
	r, err := e.desk.CreateDecision(e.ctx, Bob, d)
	ok(t, err)
	if r.Owner != Owner || r.To != Owner || r.Delegated || !r.AwayUntil.IsZero() {
		t.Errorf("routing = %+v", r)
	}
	if d.ID == 0 || d.RequestedBy != Bob || d.RoutedTo != Owner || d.OnBehalfOf != "" || d.Status != upgradebot.DecisionPending {
		t.Errorf("decision = %+v", d)
	}
	sameTime(t, "CreatedAt", d.CreatedAt, Start)
	if got := e.decision(d.ID); decisionString(got) != decisionString(d) {
		t.Errorf("found\n%s\nwant\n%s", decisionString(got), decisionString(d))
	}
	msgs := e.newMessages(mark)
	if len(msgs) != 1 || msgs[0].Kind != upgradebot.MessageDM || msgs[0].To != Owner || msgs[0].DecisionID != d.ID ||
		!strings.Contains(msgs[0].Text, fmt.Sprintf("*Decision #%d* requested by <@%s>", d.ID, Bob)) {
		t.Errorf("queued %+v, want the request DM to the owner", msgs)
	}
	rows = e.wantActions(amark, "decision.request")
	if len(rows) == 1 && (rows[0].EntityID != d.ID || rows[0].Entity != "decision" || rows[0].Actor != Bob) {
		t.Errorf("decision.request row = %+v", rows[0])
	}

	_, err = e.desk.CreateDecision(e.ctx, Bob, &upgradebot.Decision{Question: " "})
	wantErr(t, err, upgradebot.EINVALID)

	d2 := &upgradebot.Decision{Question: "Freeze changes over Christmas?"}
	_, err = e.desk.CreateDecision(e.ctx, Alice, d2)
	ok(t, err)
	_, err = e.desk.Decide(e.ctx, Owner, d2.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	for _, tt := range []struct {
		desc string
		f    upgradebot.DecisionFilter
		want []int64
	}{
		{"all, newest first", upgradebot.DecisionFilter{}, []int64{d2.ID, d.ID}},
		{"pending", upgradebot.DecisionFilter{Status: upgradebot.DecisionPending}, []int64{d.ID}},
		{"approved", upgradebot.DecisionFilter{Status: upgradebot.DecisionApproved}, []int64{d2.ID}},
		{"rejected", upgradebot.DecisionFilter{Status: upgradebot.DecisionRejected}, nil},
		{"id", upgradebot.DecisionFilter{ID: d.ID}, []int64{d.ID}},
		{"limit", upgradebot.DecisionFilter{Limit: 1}, []int64{d2.ID}},
	} {
		list, err := e.desk.FindDecisions(e.ctx, tt.f)
		ok(t, err)
		var got []int64
		for _, x := range list {
			got = append(got, x.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.desc, got, tt.want)
		}
	}
}

func testDecide(t *testing.T, e *env) {
	e.setOwner(Owner)
	mark := e.lastMessage()
	d := &upgradebot.Decision{Question: "Take MedCore 2027.1 in March?"}
	_, err := e.desk.CreateDecision(e.ctx, Bob, d)
	ok(t, err)
	msgs := e.newMessages(mark)
	if len(msgs) != 1 {
		t.Fatalf("queued %d messages, want 1", len(msgs))
	}
	request := msgs[0]

	mark, amark := e.lastMessage(), e.lastAudit()
	_, err = e.desk.Decide(e.ctx, Alice, d.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN,
		fmt.Sprintf("Only the decision owner <@%s> (or their delegate while they are away) can decide #%d.", Owner, d.ID))
	_, err = e.desk.Decide(e.ctx, Admin, d.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN) // admins are not owners
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, "maybe", "")
	wantErr(t, err, upgradebot.EINVALID)
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionPending, "")
	wantErr(t, err, upgradebot.EINVALID)
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionRejected, "  ")
	wantErr(t, err, upgradebot.EINVALID, "reason")
	_, err = e.desk.Decide(e.ctx, Owner, 999999, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.ENOTFOUND, "#999999")
	e.wantActions(amark)
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("refusals queued %d messages", len(msgs))
	}

	e.clock.Advance(5 * time.Minute)
	got, err := e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionApproved, "Go ahead")
	ok(t, err)
	if got.Status != upgradebot.DecisionApproved || got.DecidedBy != Owner || got.Comment != "Go ahead" || got.ID != d.ID {
		t.Errorf("decided = %+v", got)
	}
	sameTime(t, "DecidedAt", got.DecidedAt, Start.Add(5*time.Minute))
	if found := e.decision(d.ID); decisionString(found) != decisionString(got) {
		t.Errorf("found\n%s\nwant\n%s", decisionString(found), decisionString(got))
	}
	rows := e.wantActions(amark, "decision.approve")
	if len(rows) == 1 && (!strings.Contains(rows[0].Before, `"pending"`) || !strings.Contains(rows[0].After, `"approved"`) ||
		rows[0].Actor != Owner || rows[0].EntityID != d.ID) {
		t.Errorf("decision.approve row = %+v", rows[0])
	}

	// The request is edited in place, the requester told, the channel told.
	msgs = e.newMessages(mark)
	if len(msgs) != 3 {
		t.Fatalf("queued %d messages, want 3: %+v", len(msgs), msgs)
	}
	if m := msgs[0]; m.Kind != upgradebot.MessageUpdate || m.UpdateOf != request.ID || m.To != Owner || m.DecisionID != d.ID {
		t.Errorf("update = %+v, want an update of #%d", m, request.ID)
	}
	if m := msgs[1]; m.Kind != upgradebot.MessageDM || m.To != Bob || !strings.Contains(m.Text, "approved by <@"+Owner+">: Go ahead") {
		t.Errorf("requester DM = %+v", m)
	}
	if m := msgs[2]; m.Kind != upgradebot.MessagePost || m.To != Channel {
		t.Errorf("channel post = %+v", m)
	}

	// A second answer names the first.
	e.clock.Advance(time.Hour)
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionRejected, "Changed my mind")
	wantErr(t, err, upgradebot.ECONFLICT,
		fmt.Sprintf("Decision #%d was already approved by <@%s> at 2026-11-26 09:05 EST.", d.ID, Owner))

	// Rejecting one's own question: no DM to oneself.
	d2 := &upgradebot.Decision{Question: "Skip the January patch?"}
	_, err = e.desk.CreateDecision(e.ctx, Owner, d2)
	ok(t, err)
	mark = e.lastMessage()
	got, err = e.desk.Decide(e.ctx, Owner, d2.ID, upgradebot.DecisionRejected, "Too risky")
	ok(t, err)
	if got.Status != upgradebot.DecisionRejected || got.Comment != "Too risky" {
		t.Errorf("rejected = %+v", got)
	}
	msgs = e.newMessages(mark)
	if len(msgs) != 2 || msgs[0].Kind != upgradebot.MessageUpdate || msgs[1].Kind != upgradebot.MessagePost {
		t.Errorf("queued %+v, want an update and a post", msgs)
	}
	_, err = e.desk.Decide(e.ctx, Owner, d2.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.ECONFLICT, "already rejected by <@"+Owner+">")
}

func testDecideRace(t *testing.T, e *env) {
	e.setOwner(Owner)
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-11-26"), To: day("2026-11-30"), Delegate: Delegate}))
	d := &upgradebot.Decision{Question: "Go live on Saturday?"}
	_, err := e.desk.CreateDecision(e.ctx, Bob, d)
	ok(t, err)
	mark, amark := e.lastMessage(), e.lastAudit()

	// The owner and the delegate, several times over, answer at once.
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		actor, outcome := Owner, upgradebot.DecisionApproved
		if i%2 == 1 {
			actor, outcome = Delegate, upgradebot.DecisionRejected
		}
		wg.Go(func() {
			_, errs[i] = e.desk.Decide(e.ctx, actor, d.ID, outcome, "answer")
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch upgradebot.ErrorCode(err) {
		case "":
			wins++
		case upgradebot.ECONFLICT:
			if !strings.Contains(upgradebot.ErrorMessage(err), "was already") {
				t.Errorf("conflict message %q", upgradebot.ErrorMessage(err))
			}
		default:
			t.Errorf("Decide: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d racing answers succeeded, want exactly 1", wins, n)
	}
	rows := e.newAudit(amark)
	if len(rows) != 1 || !strings.HasPrefix(rows[0].Action, "decision.") {
		t.Errorf("audit rows %+v, want one decision", rows)
	}
	if msgs := e.newMessages(mark); len(msgs) != 3 {
		t.Errorf("queued %d outcome messages, want 3", len(msgs))
	}
}

func testDelegation(t *testing.T, e *env) {
	e.setOwner(Owner)
	// The owner sets their own window; no admin needed.
	away := &upgradebot.Away{User: Owner, From: day("2026-11-27"), To: day("2026-11-30"), Delegate: Delegate}
	ok(t, e.desk.SetAway(e.ctx, Owner, away))

	// Before the window: the owner is asked and only the owner may answer.
	d1 := &upgradebot.Decision{Question: "Extend the freeze?"}
	r, err := e.desk.CreateDecision(e.ctx, Bob, d1)
	ok(t, err)
	if r.To != Owner || r.Delegated || d1.RoutedTo != Owner {
		t.Errorf("routing before the window = %+v", r)
	}
	_, err = e.desk.Decide(e.ctx, Delegate, d1.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN)

	// Inside the window: the delegate is asked and may answer.
	e.clock.Set(time.Date(2026, 11, 27, 9, 0, 0, 0, NewYork))
	mark := e.lastMessage()
	d2 := &upgradebot.Decision{Question: "Approve the weekend downtime?"}
	r, err = e.desk.CreateDecision(e.ctx, Bob, d2)
	ok(t, err)
	if r.Owner != Owner || r.To != Delegate || !r.Delegated || r.AwayUntil != day("2026-11-30") {
		t.Errorf("routing in the window = %+v", r)
	}
	if d2.RoutedTo != Delegate || d2.OnBehalfOf != Owner {
		t.Errorf("decision = %+v", d2)
	}
	msgs := e.newMessages(mark)
	if len(msgs) != 1 || msgs[0].To != Delegate || msgs[0].DecisionID != d2.ID || !strings.Contains(msgs[0].Text, "delegate") {
		t.Errorf("queued %+v, want the request DM to the delegate", msgs)
	}
	got, err := e.desk.Decide(e.ctx, Delegate, d2.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	if got.DecidedBy != Delegate {
		t.Errorf("decided by %q", got.DecidedBy)
	}
	_, err = e.desk.Decide(e.ctx, Alice, d1.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN)

	// After the window: the delegate may no longer answer; the owner always may.
	e.clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, NewYork))
	_, err = e.desk.Decide(e.ctx, Delegate, d1.ID, upgradebot.DecisionApproved, "")
	wantErr(t, err, upgradebot.EFORBIDDEN, "<@"+Owner+">")
	_, err = e.desk.Decide(e.ctx, Owner, d1.ID, upgradebot.DecisionRejected, "Not this year")
	ok(t, err)
}

func testTimeZone(t *testing.T, e *env) {
	// 23:30 on the 26th in New York is already the 27th in UTC; the team's
	// day is still the 26th.
	e.clock.Set(time.Date(2026, 11, 26, 23, 30, 0, 0, NewYork))
	e.setOwner(Owner)
	ok(t, e.desk.SetAway(e.ctx, Owner, &upgradebot.Away{User: Owner, From: day("2026-11-27"), To: day("2026-11-30"), Delegate: Delegate}))
	r, err := e.desk.CreateDecision(e.ctx, Bob, &upgradebot.Decision{Question: "Late night question?"})
	ok(t, err)
	if r.To != Owner || r.Delegated {
		t.Errorf("routing at 23:30 on the 26th = %+v, want the owner", r)
	}
	// A window ending on the team's today has not ended.
	ok(t, e.desk.SetAway(e.ctx, Alice, &upgradebot.Away{User: Alice, From: day("2026-11-20"), To: day("2026-11-26")}))
	if n, err := e.desk.ClearAway(e.ctx, Alice, Alice); err != nil || n != 1 {
		t.Errorf("ClearAway = %d, %v; want 1 (the window ending today is current)", n, err)
	}

	// A daily clean-up done late on the 26th comes back on the 27th.
	every, _ := upgradebot.ParseInterval("1d")
	first, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Check interface queues",
		Every: every, Anchor: day("2026-11-26")})
	ok(t, err)
	_, next, err := e.desk.CompleteTask(e.ctx, Admin, first.ID, "")
	ok(t, err)
	if next == nil || next.Due != day("2026-11-27") {
		t.Errorf("next occurrence %+v, want due 2026-11-27", next)
	}

	// An hour later it is the 27th in New York too.
	e.clock.Advance(time.Hour)
	r, err = e.desk.CreateDecision(e.ctx, Bob, &upgradebot.Decision{Question: "Early morning question?"})
	ok(t, err)
	if r.To != Delegate {
		t.Errorf("routing at 00:30 on the 27th = %+v, want the delegate", r)
	}
}

func testAdmins(t *testing.T, e *env) {
	amark := e.lastAudit()
	wantErr(t, e.desk.AddAdmin(e.ctx, Bob, Bob), upgradebot.EFORBIDDEN, "Only admins can add admins. Admins: <@"+Admin+">.")
	wantErr(t, e.desk.RemoveAdmin(e.ctx, Bob, Admin), upgradebot.EFORBIDDEN, "Only admins")
	wantErr(t, e.desk.RemoveAdmin(e.ctx, Admin, Admin), upgradebot.ECONFLICT, "last admin")
	wantErr(t, e.desk.RemoveAdmin(e.ctx, Admin, Bob), upgradebot.ENOTFOUND, "<@"+Bob+"> is not an admin")
	wantErr(t, e.desk.AddAdmin(e.ctx, Admin, "bob"), upgradebot.EINVALID)
	e.wantActions(amark)

	ok(t, e.desk.AddAdmin(e.ctx, Admin, Admin2))
	ok(t, e.desk.AddAdmin(e.ctx, Admin, Admin2)) // already one: nothing written
	if s := e.settings(); !slices.Equal(s.Admins, []string{Admin, Admin2}) {
		t.Errorf("admins = %q", s.Admins)
	}
	wantErr(t, e.desk.SetOwner(e.ctx, Bob, Owner), upgradebot.EFORBIDDEN, "Admins: <@"+Admin+">, <@"+Admin2+">.")

	ok(t, e.desk.RemoveAdmin(e.ctx, Admin2, Admin))
	if s := e.settings(); !slices.Equal(s.Admins, []string{Admin2}) {
		t.Errorf("admins = %q", s.Admins)
	}
	wantErr(t, e.desk.RemoveAdmin(e.ctx, Admin2, Admin2), upgradebot.ECONFLICT, "last admin")
	wantErr(t, e.desk.SetOwner(e.ctx, Admin, Owner), upgradebot.EFORBIDDEN)
	ok(t, e.desk.SetOwner(e.ctx, Admin2, Owner))

	rows := e.wantActions(amark, "admin.add", "admin.remove", "owner.set")
	if len(rows) == 3 {
		if r := rows[0]; r.Actor != Admin || r.Entity != "admin" || !strings.Contains(r.After, Admin2) || r.Before != "" {
			t.Errorf("admin.add row = %+v", r)
		}
		if r := rows[1]; r.Actor != Admin2 || !strings.Contains(r.Before, Admin) || r.After != "" {
			t.Errorf("admin.remove row = %+v", r)
		}
	}
}

func testAway(t *testing.T, e *env) {
	amark := e.lastAudit()
	alice := &upgradebot.Away{User: Alice, From: day("2026-12-01"), To: day("2026-12-05")}
	ok(t, e.desk.SetAway(e.ctx, Alice, alice))
	if alice.ID == 0 || alice.CreatedBy != Alice || !alice.CreatedAt.Equal(Start) {
		t.Errorf("away = %+v", alice)
	}
	wantErr(t, e.desk.SetAway(e.ctx, Alice, &upgradebot.Away{User: Bob, From: day("2026-12-01"), To: day("2026-12-05")}),
		upgradebot.EFORBIDDEN, "Only admins", "<@"+Admin+">")
	bob := &upgradebot.Away{User: Bob, From: day("2026-11-20"), To: day("2026-11-28"), Delegate: Alice}
	ok(t, e.desk.SetAway(e.ctx, Admin, bob))

	for _, bad := range []*upgradebot.Away{
		{User: Alice, From: day("2026-12-05"), To: day("2026-12-01")},
		{User: Alice, From: day("2026-12-05")},
		{User: Alice, From: day("2026-12-01"), To: day("2026-12-05"), Delegate: Alice},
		{User: Alice, From: day("2026-12-01"), To: day("2026-12-05"), Delegate: "bob"},
		{User: Alice, From: day("2026-11-01"), To: day("2026-11-05")}, // already over
	} {
		wantErr(t, e.desk.SetAway(e.ctx, Alice, bad), upgradebot.EINVALID)
	}
	wantErr(t, e.desk.SetAway(e.ctx, Admin, &upgradebot.Away{User: "alice", From: day("2026-12-01"), To: day("2026-12-05")}),
		upgradebot.EINVALID)

	users := func(from upgradebot.Date) []string {
		t.Helper()
		list, err := e.desk.FindAway(e.ctx, from)
		ok(t, err)
		var out []string
		for _, a := range list {
			out = append(out, a.User)
		}
		return out
	}
	for _, tt := range []struct {
		from string
		want []string
	}{
		{"2026-11-26", []string{Bob, Alice}},
		{"2026-11-28", []string{Bob, Alice}},
		{"2026-11-29", []string{Alice}},
		{"2026-12-06", nil},
	} {
		if got := users(day(tt.from)); !slices.Equal(got, tt.want) {
			t.Errorf("FindAway(%s) = %q, want %q", tt.from, got, tt.want)
		}
	}
	list, err := e.desk.FindAway(e.ctx, day("2026-11-26"))
	ok(t, err)
	if len(list) == 2 && (list[0].ID != bob.ID || list[0].Delegate != Alice || list[0].From != bob.From || list[0].To != bob.To ||
		list[0].CreatedBy != Admin) {
		t.Errorf("found %+v, want %+v", list[0], bob)
	}

	_, err = e.desk.ClearAway(e.ctx, Alice, Bob)
	wantErr(t, err, upgradebot.EFORBIDDEN)
	n, err := e.desk.ClearAway(e.ctx, Alice, Alice)
	if err != nil || n != 1 {
		t.Errorf("ClearAway = %d, %v; want 1", n, err)
	}
	if n, err := e.desk.ClearAway(e.ctx, Alice, Alice); err != nil || n != 0 {
		t.Errorf("ClearAway again = %d, %v; want 0", n, err)
	}
	if got := users(day("2026-11-26")); !slices.Equal(got, []string{Bob}) {
		t.Errorf("after clearing Alice: %q", got)
	}
	if n, err := e.desk.ClearAway(e.ctx, Admin, Bob); err != nil || n != 1 {
		t.Errorf("admin ClearAway = %d, %v; want 1", n, err)
	}
	rows := e.wantActions(amark, "away.set", "away.set", "away.clear", "away.clear")
	if len(rows) == 4 && (rows[2].EntityID != alice.ID || rows[2].Entity != "away" || rows[2].After != "" || rows[2].Before == "") {
		t.Errorf("away.clear row = %+v", rows[2])
	}
}

func testPeople(t *testing.T, e *env) {
	ok(t, e.desk.RememberPeople(e.ctx, nil))
	ok(t, e.desk.RememberPeople(e.ctx, []upgradebot.Person{{ID: Alice, Name: "alice"}, {ID: Bob, Name: "bob"}}))
	ok(t, e.desk.RememberPeople(e.ctx, []upgradebot.Person{{ID: Alice, Name: "Alice W."}, {ID: Owner, Name: ""}}))
	people, err := e.desk.People(e.ctx)
	ok(t, err)
	if len(people) != 2 || people[Alice] != "Alice W." || people[Bob] != "bob" {
		t.Errorf("People = %v", people)
	}
	wantErr(t, e.desk.RememberPeople(e.ctx, []upgradebot.Person{{ID: "<script>", Name: "x"}}), upgradebot.EINVALID)
}

func testAudit(t *testing.T, e *env) {
	var tasks []*upgradebot.Task
	for i := range 25 {
		e.clock.Advance(time.Minute)
		tasks = append(tasks, e.createTask(Bob, &upgradebot.Task{Title: fmt.Sprintf("Task %d", i)}))
	}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}))
	_, err := e.desk.AssignTask(e.ctx, Alice, tasks[3].ID, Alice)
	ok(t, err)

	rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{})
	ok(t, err)
	if len(rows) != 20 {
		t.Errorf("FindAudit returned %d rows by default, want 20", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].ID >= rows[i-1].ID {
			t.Errorf("rows not newest first: %d after %d", rows[i].ID, rows[i-1].ID)
		}
	}
	if len(rows) > 0 && (rows[0].Action != "task.assign" || rows[0].Actor != Alice || !rows[0].At.Equal(e.clock.Now())) {
		t.Errorf("newest row = %+v", rows[0])
	}

	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Limit: 5})
	ok(t, err)
	if len(rows) != 5 {
		t.Errorf("Limit 5 returned %d", len(rows))
	}

	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "task", EntityID: tasks[3].ID})
	ok(t, err)
	if len(rows) != 2 || rows[0].Action != "task.assign" || rows[1].Action != "task.add" {
		t.Errorf("rows about task #%d: %+v", tasks[3].ID, rows)
	}
	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "release"})
	ok(t, err)
	if len(rows) != 1 || rows[0].Action != "release.add" {
		t.Errorf("release rows: %+v", rows)
	}
	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "task", Limit: 1000})
	ok(t, err)
	if len(rows) != 26 {
		t.Errorf("%d task rows, want 26", len(rows))
	}
	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{EntityID: tasks[3].ID, Limit: 1000})
	ok(t, err)
	for _, r := range rows {
		if r.EntityID != tasks[3].ID {
			t.Errorf("EntityID filter returned %+v", r)
		}
	}
}

func testOutbox(t *testing.T, e *env) {
	now := e.clock.Now()
	var msgs []*upgradebot.Message
	for _, who := range []string{Alice, Owner, Delegate, Admin2} {
		mark := e.lastMessage()
		ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM, To: who, Text: "For " + upgradebot.Mention(who)}}))
		m := e.pending(mark)
		if len(m) != 1 {
			t.Fatalf("queued %d messages", len(m))
		}
		msgs = append(msgs, m[0])
	}
	m1, m2, m3, m4 := msgs[0], msgs[1], msgs[2], msgs[3]

	pending, err := e.desk.PendingMessages(e.ctx, now, 10)
	ok(t, err)
	var got []int64
	for _, m := range pending {
		got = append(got, m.ID)
	}
	if !slices.Equal(got, []int64{m1.ID, m2.ID, m3.ID, m4.ID}) {
		t.Errorf("pending = %v", got)
	}
	if pending, err := e.desk.PendingMessages(e.ctx, now, 2); err != nil || len(pending) != 2 || pending[0].ID != m1.ID {
		t.Errorf("PendingMessages(limit 2) = %v, %v", pending, err)
	}
	if pending, err := e.desk.PendingMessages(e.ctx, now.Add(-time.Second), 10); err != nil || len(pending) != 0 {
		t.Errorf("PendingMessages(before they were queued) = %v, %v", pending, err)
	}

	// A retry waits for its time.
	later := now.Add(time.Minute)
	ok(t, e.desk.MarkRetry(e.ctx, m1.ID, "ratelimited", later))
	if pending, _ := e.desk.PendingMessages(e.ctx, now, 10); len(pending) != 3 || pending[0].ID != m2.ID {
		t.Errorf("pending right after a retry = %v", pending)
	}
	if pending, _ := e.desk.PendingMessages(e.ctx, later, 10); len(pending) != 4 || pending[0].ID != m1.ID {
		t.Errorf("pending at the retry time = %v", pending)
	}
	got1, err := e.desk.FindMessage(e.ctx, m1.ID)
	ok(t, err)
	if got1.Attempts != 1 || got1.LastError != "ratelimited" || !got1.NextTry.Equal(later) || got1.Status != upgradebot.MessagePending ||
		got1.To != Alice || got1.Text != m1.Text || got1.Kind != upgradebot.MessageDM || !got1.CreatedAt.Equal(now) {
		t.Errorf("after MarkRetry: %+v", got1)
	}

	e.clock.Advance(2 * time.Minute)
	ok(t, e.desk.MarkSent(e.ctx, m1.ID, "D0ALICE", "1764165600.000100"))
	got1, err = e.desk.FindMessage(e.ctx, m1.ID)
	ok(t, err)
	if got1.Status != upgradebot.MessageSent || got1.SlackChannel != "D0ALICE" || got1.SlackTS != "1764165600.000100" ||
		!got1.SentAt.Equal(e.clock.Now()) {
		t.Errorf("after MarkSent: %+v", got1)
	}

	ok(t, e.desk.MarkFailed(e.ctx, m2.ID, "user_not_found"))
	ok(t, e.desk.MarkFailed(e.ctx, m3.ID, "channel_not_found"))
	failed, err := e.desk.FailedMessages(e.ctx, 10)
	ok(t, err)
	if len(failed) != 2 || failed[0].ID != m3.ID || failed[1].ID != m2.ID || failed[0].LastError != "channel_not_found" ||
		failed[0].Status != upgradebot.MessageFailed {
		t.Errorf("failed = %+v", failed)
	}
	if failed, _ := e.desk.FailedMessages(e.ctx, 1); len(failed) != 1 {
		t.Errorf("FailedMessages(limit 1) returned %d", len(failed))
	}
	if pending, _ := e.desk.PendingMessages(e.ctx, e.clock.Now(), 10); len(pending) != 1 || pending[0].ID != m4.ID {
		t.Errorf("pending at the end = %+v", pending)
	}

	_, err = e.desk.FindMessage(e.ctx, 999999)
	wantErr(t, err, upgradebot.ENOTFOUND)
	wantErr(t, e.desk.MarkSent(e.ctx, 999999, "C1", "1"), upgradebot.ENOTFOUND)
	wantErr(t, e.desk.MarkRetry(e.ctx, 999999, "x", later), upgradebot.ENOTFOUND)
	wantErr(t, e.desk.MarkFailed(e.ctx, 999999, "x"), upgradebot.ENOTFOUND)
}

func testConcurrentCreate(t *testing.T, e *env) {
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, n)
	tasks := make([]*upgradebot.Task, n)
	for i := range n {
		wg.Go(func() {
			tasks[i] = &upgradebot.Task{Title: fmt.Sprintf("Parallel task %d", i), Assignee: Alice}
			errs[i] = e.desk.CreateTask(e.ctx, Bob, tasks[i])
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Errorf("CreateTask %d: %v", i, err)
			continue
		}
		if seen[tasks[i].ID] {
			t.Errorf("id %d given twice", tasks[i].ID)
		}
		seen[tasks[i].ID] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct ids, want %d", len(seen), n)
	}
	if _, total := e.findTasks(upgradebot.TaskFilter{}); total != n {
		t.Errorf("%d tasks stored, want %d", total, n)
	}
	rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "task", Limit: 1000})
	ok(t, err)
	if len(rows) != n {
		t.Errorf("%d task.add rows, want %d", len(rows), n)
	}
	if msgs := e.newMessages(0); len(msgs) != n {
		t.Errorf("%d messages queued, want %d", len(msgs), n)
	}
}

func testCreateTasks(t *testing.T, e *env) {
	mark := e.lastMessage()
	good := []*upgradebot.Task{
		{Title: "Bulk one", Assignee: Alice, Due: day("2026-12-01")},
		{Title: "Bulk two", Kind: upgradebot.KindCleanup},
	}
	ok(t, e.desk.CreateTasks(e.ctx, Bob, good))
	if good[0].ID == 0 || good[1].ID != good[0].ID+1 {
		t.Errorf("ids %d, %d: want consecutive non-zero ids", good[0].ID, good[1].ID)
	}
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("bulk create queued %d messages, want none", len(msgs))
	}
	auditMark := e.lastAudit()
	bad := []*upgradebot.Task{{Title: "Fine"}, {Title: "Also fine"}, {Title: " "}}
	wantErr(t, e.desk.CreateTasks(e.ctx, Bob, bad), upgradebot.EINVALID, "task 3 of 3", "title is empty")
	if _, total := e.findTasks(upgradebot.TaskFilter{}); total != 2 {
		t.Errorf("%d tasks after a failed bulk create, want 2: nothing of it may stay", total)
	}
	if rows := e.newAudit(auditMark); len(rows) != 0 {
		t.Errorf("%d audit rows from a failed bulk create", len(rows))
	}
}

func testQueueAndClaim(t *testing.T, e *env) {
	mark := e.lastMessage()
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{
		upgradebot.HomeMessage(Alice),
		{Kind: upgradebot.MessagePost, To: Channel, Text: "hello"},
		upgradebot.HomeMessage(Alice), // folded into the first
		upgradebot.HomeMessage(Bob),
	}))
	msgs := e.newMessages(mark)
	if len(msgs) != 1 || msgs[0].Kind != upgradebot.MessagePost {
		t.Fatalf("%d messages queued besides home refreshes, want the post", len(msgs))
	}
	if homes := e.newHomes(mark); !slices.Equal(homes, []string{Alice, Bob}) {
		t.Fatalf("home refreshes for %q, want Alice's and Bob's (Alice's second folded into her first)", homes)
	}
	wantErr(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: "smoke", To: Alice}}), upgradebot.EINVALID, "smoke")
	wantErr(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{{Kind: upgradebot.MessageDM}}), upgradebot.EINVALID, "recipient")

	now := e.clock.Now()
	id := msgs[0].ID
	got, err := e.desk.ClaimMessage(e.ctx, id, now, now.Add(30*time.Second))
	ok(t, err)
	if !got {
		t.Fatal("the first claim failed")
	}
	if again, err := e.desk.ClaimMessage(e.ctx, id, now, now.Add(30*time.Second)); err != nil || again {
		t.Fatalf("a second claim within the lease: %v, %v; want false", again, err)
	}
	due, err := e.desk.PendingMessages(e.ctx, now, 0)
	ok(t, err)
	for _, m := range due {
		if m.ID == id {
			t.Error("a claimed message is still listed as due during its lease")
		}
	}
	// The lease runs out: another worker may take it.
	later := now.Add(31 * time.Second)
	if got, err := e.desk.ClaimMessage(e.ctx, id, later, later.Add(30*time.Second)); err != nil || !got {
		t.Fatalf("claim after the lease: %v, %v; want true", got, err)
	}
	ok(t, e.desk.MarkSent(e.ctx, id, "D1", "1.1"))
	if got, _ := e.desk.ClaimMessage(e.ctx, id, later.Add(time.Hour), later.Add(2*time.Hour)); got {
		t.Error("a sent message was claimed")
	}
	counts, err := e.desk.CountMessages(e.ctx)
	ok(t, err)
	if counts[upgradebot.MessageSent] < 1 || counts[upgradebot.MessagePending] < 2 {
		t.Errorf("counts %v: want at least 1 sent and 2 pending", counts)
	}
}

func testRecordEvent(t *testing.T, e *env) {
	mark := e.lastMessage()
	first, err := e.desk.RecordEvent(e.ctx, "Ev0123", []upgradebot.Message{upgradebot.HomeMessage(Alice)})
	ok(t, err)
	again, err := e.desk.RecordEvent(e.ctx, "Ev0123", []upgradebot.Message{upgradebot.HomeMessage(Bob)})
	ok(t, err)
	if !first || again {
		t.Fatalf("RecordEvent: first %v, again %v; want true, false", first, again)
	}
	if msgs, homes := e.newMessages(mark), e.newHomes(mark); len(msgs) != 0 || !slices.Equal(homes, []string{Alice}) {
		t.Fatalf("messages after a duplicate event: %d and home refreshes for %q, want only the first event's", len(msgs), homes)
	}
	// A bad message rolls the event back, so Slack's retry is processed.
	if _, err := e.desk.RecordEvent(e.ctx, "Ev0456", []upgradebot.Message{{Kind: "smoke", To: Alice}}); err == nil {
		t.Fatal("RecordEvent with a bad message succeeded")
	}
	if first, err := e.desk.RecordEvent(e.ctx, "Ev0456", nil); err != nil || !first {
		t.Fatalf("retry after a failed event: %v, %v; want first", first, err)
	}
	wantErr(t, func() error { _, err := e.desk.RecordEvent(e.ctx, "", nil); return err }(), upgradebot.EINVALID, "event id")
}

func testJobRuns(t *testing.T, e *env) {
	_, err := e.desk.LastRun(e.ctx, "digest")
	wantErr(t, err, upgradebot.ENOTFOUND, "digest")
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, NewYork)
	mark := e.lastMessage()
	post := upgradebot.Message{Kind: upgradebot.MessagePost, To: Channel, Text: "Digest"}
	first, err := e.desk.RecordRun(e.ctx, upgradebot.JobRun{Job: "digest", At: at, Status: upgradebot.RunDone}, []upgradebot.Message{post})
	ok(t, err)
	// The same instant in another zone is the same run: it is not run twice.
	again, err := e.desk.RecordRun(e.ctx, upgradebot.JobRun{Job: "digest", At: at.UTC(), Status: upgradebot.RunDone}, []upgradebot.Message{post})
	ok(t, err)
	if !first || again {
		t.Fatalf("RecordRun: first %v, again %v; want true, false", first, again)
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 {
		t.Fatalf("%d messages queued by one run recorded twice, want 1", len(msgs))
	}
	skipped := upgradebot.JobRun{Job: "digest", At: at.Add(-24 * time.Hour), Status: upgradebot.RunSkipped, Note: "down"}
	if ok2, err := e.desk.RecordRun(e.ctx, skipped, nil); err != nil || !ok2 {
		t.Fatalf("record skipped: %v, %v", ok2, err)
	}
	last, err := e.desk.LastRun(e.ctx, "digest")
	ok(t, err)
	if !last.At.Equal(at) || last.Status != upgradebot.RunDone {
		t.Errorf("LastRun = %+v, want the run at %v", last, at)
	}
	runs, err := e.desk.FindRuns(e.ctx, "digest", at.Add(-48*time.Hour), at.Add(time.Minute))
	ok(t, err)
	if len(runs) != 2 || runs[0].Status != upgradebot.RunSkipped || runs[0].Note != "down" || !runs[1].At.Equal(at) {
		t.Errorf("FindRuns = %+v", runs)
	}
	// Two processes racing for one run: exactly one records it.
	var wg sync.WaitGroup
	wins := make([]bool, 8)
	race := at.Add(24 * time.Hour)
	for i := range wins {
		wg.Go(func() {
			wins[i], _ = e.desk.RecordRun(e.ctx, upgradebot.JobRun{Job: "digest", At: race, Status: upgradebot.RunDone}, []upgradebot.Message{post})
		})
	}
	wg.Wait()
	var n int
	for _, w := range wins {
		if w {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d of 8 racing RecordRun calls won, want 1", n)
	}
	for _, bad := range []upgradebot.JobRun{{At: at, Status: upgradebot.RunDone}, {Job: "x", Status: upgradebot.RunDone}, {Job: "x", At: at, Status: "maybe"}} {
		if _, err := e.desk.RecordRun(e.ctx, bad, nil); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
			t.Errorf("RecordRun(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func testMessageSections(t *testing.T, e *env) {
	mark := e.lastMessage()
	sections := []upgradebot.Section{
		{Title: "Overdue (3)", Lines: []string{"• #1 Upgrade lab interface · <@" + Alice + ">", "• #2 R&amp;D labels"}, More: 1, Hint: "`/upgrade list overdue`"},
		{Lines: []string{"Open work: 3 tasks, the same as a week ago."}},
	}
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{
		{Kind: upgradebot.MessagePost, To: Channel, Text: "Upgrade digest\n3 overdue.", Sections: sections},
		{Kind: upgradebot.MessagePost, To: Channel, Text: "plain"},
	}))
	// A scheduled run queues them the same way.
	run := upgradebot.JobRun{Job: "digest", At: Start, Status: upgradebot.RunDone}
	first, err := e.desk.RecordRun(e.ctx, run, []upgradebot.Message{{Kind: upgradebot.MessagePost, To: Channel, Text: "Digest", Sections: sections[1:]}})
	ok(t, err)
	if !first {
		t.Fatal("RecordRun did not record the run")
	}
	msgs := e.newMessages(mark)
	if len(msgs) != 3 {
		t.Fatalf("%d messages queued, want 3", len(msgs))
	}
	if !slices.EqualFunc(msgs[0].Sections, sections, sectionEqual) || msgs[0].Text != "Upgrade digest\n3 overdue." {
		t.Errorf("sections read back as %+v, want %+v", msgs[0].Sections, sections)
	}
	if msgs[1].Sections != nil {
		t.Errorf("a plain message has sections %+v", msgs[1].Sections)
	}
	if !slices.EqualFunc(msgs[2].Sections, sections[1:], sectionEqual) {
		t.Errorf("the run's message has sections %+v", msgs[2].Sections)
	}
	got, err := e.desk.FindMessage(e.ctx, msgs[0].ID)
	ok(t, err)
	if !slices.EqualFunc(got.Sections, sections, sectionEqual) {
		t.Errorf("FindMessage: sections %+v", got.Sections)
	}
}

func sectionEqual(a, b upgradebot.Section) bool {
	return a.Title == b.Title && slices.Equal(a.Lines, b.Lines) && a.More == b.More && a.Hint == b.Hint
}

func testDigestData(t *testing.T, e *env) {
	_, err := e.desk.DigestData(e.ctx, Start, e.today(), 0)
	wantErr(t, err, upgradebot.EINVALID, "limit")

	// Nothing at all.
	d, err := e.desk.DigestData(e.ctx, Start, e.today(), 3)
	ok(t, err)
	if d.OverdueTotal+d.DueSoonTotal+d.ReleasesTotal+d.DecisionsTotal+d.CleanupsTotal+d.OpenNow+d.OpenWeekAgo != 0 ||
		len(d.Overdue)+len(d.DueSoon)+len(d.Releases)+len(d.Decisions)+len(d.Cleanups) != 0 {
		t.Errorf("DigestData of an empty desk = %+v", d)
	}

	// The trend: open work a week before Start (then) is what was created
	// by then and not closed by then.
	then := Start.AddDate(0, 0, -7)
	e.clock.Set(Start.AddDate(0, 0, -10))
	openStill := e.createTask(Bob, &upgradebot.Task{Title: "Open since before then"})
	closedBefore := e.createTask(Bob, &upgradebot.Task{Title: "Closed before then"})
	closedSince := e.createTask(Bob, &upgradebot.Task{Title: "Closed since then"})
	closedAtThen := e.createTask(Bob, &upgradebot.Task{Title: "Closed at the very moment"})
	e.clock.Set(then.Add(-24 * time.Hour))
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, closedBefore.ID, "")
	ok(t, err)
	e.clock.Set(then)
	e.createTask(Bob, &upgradebot.Task{Title: "Created at the very moment"})
	_, err = e.desk.CancelTask(e.ctx, Bob, closedAtThen.ID, "")
	ok(t, err)
	e.clock.Set(Start.AddDate(0, 0, -3))
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, closedSince.ID, "")
	ok(t, err)
	e.createTask(Bob, &upgradebot.Task{Title: "Created since then"})
	_ = openStill

	// The lists, on Thursday 26 November.
	e.clock.Set(Start)
	o1 := e.createTask(Bob, &upgradebot.Task{Title: "Overdue a week", Due: day("2026-11-19"), Assignee: Alice})
	o2 := e.createTask(Bob, &upgradebot.Task{Title: "Overdue longest", Due: day("2026-11-10"), Assignee: Bob, Priority: upgradebot.PriorityHigh})
	o3 := e.createTask(Bob, &upgradebot.Task{Title: "Overdue a day", Due: day("2026-11-25")})
	o4 := e.createTask(Bob, &upgradebot.Task{Title: "Also overdue a week", Due: day("2026-11-19")})
	doneLate := e.createTask(Bob, &upgradebot.Task{Title: "Done, was overdue", Due: day("2026-11-01")})
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, doneLate.ID, "")
	ok(t, err)
	s1 := e.createTask(Bob, &upgradebot.Task{Title: "Due today", Due: day("2026-11-26"), Assignee: Alice})
	s3 := e.createTask(Bob, &upgradebot.Task{Title: "Due in six days", Due: day("2026-12-02")})
	s2 := e.createTask(Bob, &upgradebot.Task{Title: "Due Saturday", Due: day("2026-11-28")})
	e.createTask(Bob, &upgradebot.Task{Title: "Due in a week", Due: day("2026-12-03")})

	weekly, err := upgradebot.ParseInterval("1w")
	ok(t, err)
	m1 := &upgradebot.Maintenance{Title: "Duplicate MRN clean-up", Every: weekly, Assignee: Alice, Anchor: day("2026-11-19")}
	occ1, err := e.desk.CreateMaintenance(e.ctx, Admin, m1)
	ok(t, err)
	m2 := &upgradebot.Maintenance{Title: "Master file clean-up", Every: weekly, Anchor: day("2026-11-12")}
	occ2, err := e.desk.CreateMaintenance(e.ctx, Admin, m2)
	ok(t, err)
	m3 := &upgradebot.Maintenance{Title: "Printer queue clean-up", Every: weekly, Assignee: Bob, Anchor: day("2026-11-30")}
	occ3, err := e.desk.CreateMaintenance(e.ctx, Admin, m3)
	ok(t, err)

	for _, r := range []*upgradebot.Release{
		{Vendor: "MedCore", Name: "2026.4", GA: day("2026-11-25")},
		{Vendor: "MedCore", Name: "2027.1", GA: day("2027-02-24")},
		{Vendor: "MedCore", Name: "2027.2", GA: day("2027-02-25")},
		{Vendor: "LabSys", Name: "9", GA: day("2026-12-15"), Support: day("2028-12-31")},
		{Vendor: "LabSys", Name: "8.5", GA: day("2026-11-26")},
	} {
		ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	}

	e.setOwner(Owner)
	e.clock.Set(Start.Add(-72 * time.Hour))
	older := &upgradebot.Decision{Question: "Skip 2026.4?", Due: day("2026-11-25")}
	_, err = e.desk.CreateDecision(e.ctx, Alice, older)
	ok(t, err)
	e.clock.Set(Start.Add(-time.Hour))
	decided := &upgradebot.Decision{Question: "Decided already?"}
	_, err = e.desk.CreateDecision(e.ctx, Bob, decided)
	ok(t, err)
	_, err = e.desk.Decide(e.ctx, Owner, decided.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	newer := &upgradebot.Decision{Question: "Freeze order sets during go-live?"}
	_, err = e.desk.CreateDecision(e.ctx, Bob, newer)
	ok(t, err)
	e.clock.Set(Start)

	d, err = e.desk.DigestData(e.ctx, Start, e.today(), 3)
	ok(t, err)
	sameTime(t, "Now", d.Now, Start)
	if d.Today != day("2026-11-26") {
		t.Errorf("Today = %v", d.Today)
	}
	// Overdue: oldest due first, clean-up occurrences apart.
	if got, want := ids(d.Overdue), []int64{o2.ID, o1.ID, o4.ID}; !slices.Equal(got, want) || d.OverdueTotal != 4 {
		t.Errorf("Overdue = %v of %d, want %v of 4 (#%d also)", got, d.OverdueTotal, want, o3.ID)
	}
	if len(d.Overdue) == 3 && (d.Overdue[0].Assignee != Bob || d.Overdue[0].Priority != upgradebot.PriorityHigh ||
		d.Overdue[0].Title != o2.Title || d.Overdue[0].Due != o2.Due) {
		t.Errorf("Overdue[0] = %+v, want %+v", d.Overdue[0], o2)
	}
	// Due soon: today to six days on, clean-up occurrences included.
	if got, want := ids(d.DueSoon), []int64{s1.ID, s2.ID, occ3.ID}; !slices.Equal(got, want) || d.DueSoonTotal != 4 {
		t.Errorf("DueSoon = %v of %d, want %v of 4 (#%d also)", got, d.DueSoonTotal, want, s3.ID)
	}
	// Releases: GA from today to 90 days on, earliest first.
	var keys []string
	for _, r := range d.Releases {
		keys = append(keys, r.Key)
	}
	if want := []string{"labsys-8.5", "labsys-9", "medcore-2027.1"}; !slices.Equal(keys, want) || d.ReleasesTotal != 3 {
		t.Errorf("Releases = %q of %d, want %q of 3", keys, d.ReleasesTotal, want)
	}
	if len(d.Releases) == 3 && (d.Releases[1].Support != day("2028-12-31") || d.Releases[1].GA != day("2026-12-15") || d.Releases[1].Vendor != "LabSys") {
		t.Errorf("Releases[1] = %+v", d.Releases[1])
	}
	// Decisions: pending only, longest waiting first.
	if len(d.Decisions) != 2 || d.DecisionsTotal != 2 || d.Decisions[0].ID != older.ID || d.Decisions[1].ID != newer.ID {
		t.Fatalf("Decisions = %+v of %d, want #%d and #%d", d.Decisions, d.DecisionsTotal, older.ID, newer.ID)
	}
	if dd := d.Decisions[0]; dd.RequestedBy != Alice || dd.RoutedTo != Owner || dd.Due != older.Due ||
		!dd.CreatedAt.Equal(Start.Add(-72*time.Hour)) || dd.Question != older.Question {
		t.Errorf("Decisions[0] = %+v", dd)
	}
	// Clean-ups behind: longest overdue first, with the occurrence.
	if len(d.Cleanups) != 2 || d.CleanupsTotal != 2 {
		t.Fatalf("Cleanups = %+v of %d, want 2", d.Cleanups, d.CleanupsTotal)
	}
	for i, want := range []struct {
		m   *upgradebot.Maintenance
		occ *upgradebot.Task
	}{{m2, occ2}, {m1, occ1}} {
		c := d.Cleanups[i]
		if c.Maintenance.ID != want.m.ID || c.Maintenance.Title != want.m.Title || c.Maintenance.Assignee != want.m.Assignee ||
			c.Maintenance.Every != weekly || c.Maintenance.NextDue != want.occ.Due || c.Maintenance.OpenTaskID != want.occ.ID ||
			c.Occurrences != 1 || !c.Maintenance.Active {
			t.Errorf("Cleanups[%d] = %+v (%d behind), want %s with #%d", i, c.Maintenance, c.Occurrences, want.m.Title, want.occ.ID)
		}
	}
	// Open work now matches the open tasks; a week ago, three were open.
	if _, open := e.findTasks(upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}}); d.OpenNow != open {
		t.Errorf("OpenNow = %d, want %d", d.OpenNow, open)
	}
	if d.OpenWeekAgo != 3 {
		t.Errorf("OpenWeekAgo = %d, want 3 (open since before then, created at then, closed since then)", d.OpenWeekAgo)
	}

	// A larger limit shows everything; the totals do not change.
	d2, err := e.desk.DigestData(e.ctx, Start, e.today(), 100)
	ok(t, err)
	if len(d2.Overdue) != 4 || len(d2.DueSoon) != 4 || d2.OverdueTotal != d.OverdueTotal || d2.OpenNow != d.OpenNow {
		t.Errorf("limit 100: %d overdue of %d, %d due soon", len(d2.Overdue), d2.OverdueTotal, len(d2.DueSoon))
	}
	// A week on, the occurrences completed, the trend moves and the
	// clean-ups are no longer behind.
	for _, occ := range []*upgradebot.Task{occ1, occ2} {
		_, _, err := e.desk.CompleteTask(e.ctx, Alice, occ.ID, "")
		ok(t, err)
	}
	later := Start.AddDate(0, 0, 7)
	d3, err := e.desk.DigestData(e.ctx, later, upgradebot.Today(later, NewYork), 3)
	ok(t, err)
	if d3.OpenWeekAgo != d.OpenNow {
		t.Errorf("a week later, OpenWeekAgo = %d, want what was open then: %d", d3.OpenWeekAgo, d.OpenNow)
	}
	for _, c := range d3.Cleanups {
		if c.Maintenance.ID == m2.ID && c.Maintenance.NextDue.Before(day("2026-12-03")) {
			t.Errorf("a week later, %s is behind since %v", c.Maintenance.Title, c.Maintenance.NextDue)
		}
	}
}
