package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/cronspec"
	"github.com/upgradebot/upgradebot/internal/desktest"
	"github.com/upgradebot/upgradebot/internal/pgtest"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

var replicaTitleRE = regexp.MustCompile(`Replica task \d{3}`)

// signedCommandWithTrigger is signedCommand with the trigger_id given: the
// same request sent again, as Slack's retries and replays are.
func signedCommandWithTrigger(client *http.Client, addr, secret, user, text, trigger string) (int, string, error) {
	form := url.Values{"command": {"/upgrade"}, "text": {text}, "user_id": {user}, "user_name": {"sender"},
		"team_id": {"T0TEAM"}, "channel_id": {"C0TEAM"}, "response_url": {"http://127.0.0.1:9/response"},
		"trigger_id": {trigger}}
	return postSigned(client, addr, secret, form)
}

// TestReplicasOnPostgres runs three `serve` processes on one PostgreSQL
// database against one fake Slack (issue 14), through a simulated week.
// The desk is seeded with the week's work (seedWeek). Meanwhile:
//   - the week's 62 scheduled runs are fired as three replicas' schedulers
//     would fire them, three `run-job -clock` processes at each instant
//     (fireWeek), and the serve processes deliver what they queue;
//   - 500 signed commands, spread over the three, each assign a task and so
//     DM its assignee: 470 people get one DM each, three busy people ten;
//   - when a third of the posts are in, one replica is SIGKILLed while it
//     is delivering (a post of its own in flight, held in Slack).
//
// Afterwards: every command answered 200 is one task, stored once; every
// task's DM was posted exactly once, the killed replica's leased messages
// included (another replica took them when the lease ran out); the same
// requests sent again to another replica are refused as already done and
// change nothing; each week channel got as many posts as one SQLite desk
// with one scheduler queues for the week (every digest, chart, reminder,
// nudge and escalation once); and no channel got two posts less than a
// second apart, though three processes were delivering to it.
//
// The kill lands while the killed replica's post is in Slack's hands and
// not yet accepted. A kill in the milliseconds between Slack accepting a
// post and the replica committing that it did would post that message
// again: the window the Deliverer documents, which no lease can close.
func TestReplicasOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	want := perChannel(oracleWeek(t))
	dsn := pgtest.Schema(t)
	clock := upgradebot.NewFakeClock(weekStart)
	seedWeek(t, openDesk(t, dsn, clock), clock)
	const secret = "replica-test-signing-secret"
	slackAPI := newFakeSlack(t, replicaTitleRE)
	env := []string{
		"SLACK_BOT_TOKEN=xoxb-replica-test", "SLACK_SIGNING_SECRET=" + secret, "SLACK_APP_TOKEN=",
		"SLACK_API_URL=" + slackAPI.URL + "/api/", "UPGRADEBOT_DB=" + dsn,
		"UPGRADEBOT_ADDR=127.0.0.1:0", "UPGRADEBOT_SEND_INTERVAL=0", "UPGRADEBOT_TZ=America/Chicago",
	}
	type replica struct {
		cmd  *exec.Cmd
		addr string
		dead atomic.Bool
	}
	replicas := make([]*replica, 3)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() {
			cmd, addr := startServe(t, env)
			replicas[i] = &replica{cmd: cmd, addr: addr}
		})
	}
	wg.Wait()

	const n, busy, perBusy = 500, 3, 10
	assignee := func(i int) string {
		if i < busy*perBusy {
			return fmt.Sprintf("U0BUSY%d", i%busy)
		}
		return fmt.Sprintf("U0R%03d", i)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	ok := make([]bool, n)
	trigger := func(i int) string { return fmt.Sprintf("9.9.%d", i) }
	text := func(i int) string { return fmt.Sprintf("add Replica task %03d <@%s> due:+1w", i, assignee(i)) }
	var killed atomic.Bool
	killer := make(chan struct{})
	go func() {
		defer close(killer)
		for slackAPI.accepted.Load() < n/3 {
			time.Sleep(5 * time.Millisecond)
		}
		// Hold Slack's answers until every post already accepted has been
		// recorded, so that the kill lands mid-request.
		slackAPI.hold()
		time.Sleep(300 * time.Millisecond)
		replicas[0].dead.Store(true)
		replicas[0].cmd.Process.Signal(syscall.SIGKILL)
		replicas[0].cmd.Wait()
		killed.Store(true)
		time.Sleep(50 * time.Millisecond)
		slackAPI.release()
	}()
	// The week's scheduled runs, fired while the commands arrive and the
	// kill lands.
	weekRuns := make(chan int, 1)
	go func() { weekRuns <- fireWeek(t, env) }()
	jobs := make(chan int)
	for range 6 {
		wg.Go(func() {
			for i := range jobs {
				// Round robin over the replicas; a request to the killed one
				// is sent again, the same request, to the next.
				for try := 0; try < len(replicas); try++ {
					r := replicas[(i+try)%len(replicas)]
					if r.dead.Load() && try < len(replicas)-1 {
						continue
					}
					code, body, err := signedCommandWithTrigger(client, r.addr, secret, "U0SENDER", text(i), trigger(i))
					if err == nil && code == http.StatusOK && (strings.Contains(body, "Added") || strings.Contains(body, "Already done")) {
						ok[i] = true
						break
					}
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	<-killer
	runs := <-weekRuns
	if !killed.Load() {
		t.Fatal("the replica was not killed")
	}

	// Slack sends nothing twice on its own, but a replayed request is the
	// same request: the other replicas refuse it.
	for i := range 20 {
		r := replicas[1+i%2]
		code, body, err := signedCommandWithTrigger(client, r.addr, secret, "U0SENDER", text(i), trigger(i))
		if err != nil || code != http.StatusOK || !strings.Contains(body, "Already done") {
			t.Errorf("request %d sent again: %d %q %v", i, code, body, err)
		}
	}

	// The two left drain the outbox, the dead one's leases included.
	waitDrained(t, client, replicas[1].addr, 3*time.Minute)
	// Each replica's /healthz speaks for its own connection.
	if resp, err := client.Get("http://" + replicas[2].addr + "/healthz"); err != nil {
		t.Error(err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(b), "ok\ndatabase: PostgreSQL, ") {
			t.Errorf("healthz: %d %q", resp.StatusCode, b)
		}
	}
	for _, r := range replicas[1:] {
		r.cmd.Process.Signal(syscall.SIGTERM)
		if err := r.cmd.Wait(); err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	}
	t.Logf("posts accepted %d, dropped by the kill %d", slackAPI.accepted.Load(), slackAPI.dropped.Load())

	db, err := store.Open(context.Background(), dsn, upgradebot.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tasks, _, err := db.FindTasks(context.Background(), upgradebot.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, tk := range tasks {
		if stored[tk.Title] {
			t.Errorf("%s stored twice", tk.Title)
		}
		stored[tk.Title] = true
	}
	for i, o := range ok {
		title := fmt.Sprintf("Replica task %03d", i)
		if !o {
			t.Errorf("%s: no replica answered it", title)
		} else if !stored[title] {
			t.Errorf("%s was answered 200 but is not in the store", title)
		}
	}
	slackAPI.mu.Lock()
	defer slackAPI.mu.Unlock()
	for title := range stored {
		if !replicaTitleRE.MatchString(title) {
			continue // the week's seeded tasks, counted with the week below
		}
		if got := slackAPI.posts[title]; got != 1 {
			t.Errorf("%s: its DM was posted %d times, want once", title, got)
		}
	}
	// Pacing: the channel's booking is shared through the database. The
	// times are when each post reached the fake (not when a hold let it
	// through), so allow only for the jitter of its journey.
	const jitter = 100 * time.Millisecond
	for ch, ats := range slackAPI.at {
		slices.SortFunc(ats, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(ats); i++ {
			if gap := ats[i].Sub(ats[i-1]); gap < time.Second-jitter {
				t.Errorf("%s: two posts %v apart", ch, gap)
			}
		}
	}
	// The week: channel by channel, Slack got what one SQLite desk with
	// one scheduler queues for it, though three processes fired each run
	// and one replica died.
	t.Logf("%d scheduled runs, each fired by three processes", runs)
	for ch, n := range want {
		if got := len(slackAPI.at[ch]); got != n {
			t.Errorf("%s: %d posts in the week, want %d (one desk's week)", ch, got, n)
		}
	}
	for _, s := range []string{"C0TEAM Upgrade digest · Mon 30 Nov", "C0TEAM Upgrade digest · Fri 4 Dec", "C0TEAM Weekly chart",
		"is waiting too long"} {
		if n := len(slices.DeleteFunc(slices.Clone(slackAPI.texts), func(p string) bool { return !strings.Contains(p, s) })); n != 1 {
			t.Errorf("%d posts with %q, want 1", n, s)
		}
	}
	for i := range busy {
		if got := len(slackAPI.at[fmt.Sprintf("D0BUSY%d", i)]); got != perBusy {
			t.Errorf("busy person %d got %d DMs, want %d", i, got, perBusy)
		}
	}
	counts, err := db.CountMessages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[upgradebot.MessagePending] != 0 || counts[upgradebot.MessageFailed] != 0 {
		t.Errorf("outbox after the drain: %v", counts)
	}
}

// weekStart is when the simulated week begins: a Monday, 07:00 in Chicago.
var weekStart = time.Date(2026, 11, 30, 7, 0, 0, 0, desktest.MustZone("America/Chicago"))

// runWeek seeds a desk (seedWeek), then runs the scheduler's jobs due in
// each hour of a week, on each of the replicas opened with open at the same
// time, and returns the messages queued, App Home refreshes left out, as
// sorted "kind to text" lines.
func runWeek(t *testing.T, open func(clock upgradebot.Clock) *store.DB, replicas int) []string {
	ctx := context.Background()
	chicago := weekStart.Location()
	clock := upgradebot.NewFakeClock(weekStart)
	dbs := make([]*store.DB, replicas)
	for i := range dbs {
		dbs[i] = open(clock)
	}
	seedWeek(t, dbs[0], clock)
	scheds := make([]*scheduler.Scheduler, replicas)
	for i, db := range dbs {
		scheds[i] = &scheduler.Scheduler{Desk: db, Clock: clock, Location: chicago,
			Jobs: scheduler.Jobs(db, scheduler.Config{Location: chicago})}
	}
	from := clock.Now()
	for range 7 * 24 {
		clock.Advance(time.Hour)
		var wg sync.WaitGroup
		for _, s := range scheds {
			wg.Go(func() {
				if err := s.RunDue(ctx, from, clock.Now()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		from = clock.Now()
	}
	msgs, err := dbs[0].PendingMessages(ctx, clock.Now().Add(365*24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Kind != upgradebot.MessageHome {
			out = append(out, fmt.Sprintf("%s %s %s", m.Kind, m.To, m.Text))
		}
	}
	slices.Sort(out)
	return out
}

// oracleWeek is the week on one SQLite desk with one scheduler.
func oracleWeek(t *testing.T) []string {
	path := filepath.Join(t.TempDir(), "oracle.db")
	return runWeek(t, func(clock upgradebot.Clock) *store.DB { return openDesk(t, path, clock) }, 1)
}

// TestScheduledWeekOnReplicas runs a week of the scheduler on three
// replicas of one PostgreSQL desk (three connection pools, three
// schedulers, as three processes have), every hour all three calling the
// scheduler's due-run entry point at once, and the same week on one SQLite
// desk with one scheduler. The messages they queue are the same, one for
// one: every digest, chart, reminder, nudge and escalation once, though
// three replicas ran each job.
func TestScheduledWeekOnReplicas(t *testing.T) {
	dsn := pgtest.Schema(t)
	want := oracleWeek(t)
	got := runWeek(t, func(clock upgradebot.Clock) *store.DB { return openDesk(t, dsn, clock) }, 3)

	// The week did run every kind of job.
	for _, s := range []string{"post C0TEAM Upgrade digest", "post C0TEAM Weekly chart",
		"post C0TEAM *Vendor release reminders*", "*Overdue:*", "*Reminder:* this decision", "is waiting too long*"} {
		if !slices.ContainsFunc(want, func(m string) bool { return strings.Contains(m, s) }) {
			t.Errorf("no message with %q in the week:\n%s", s, strings.Join(want, "\n"))
		}
	}
	if !slices.Equal(got, want) {
		for _, m := range got {
			if !slices.Contains(want, m) {
				t.Errorf("three replicas queued %q, one SQLite desk did not", m)
			}
		}
		for _, m := range want {
			if !slices.Contains(got, m) {
				t.Errorf("one SQLite desk queued %q, three replicas did not", m)
			}
		}
		t.Errorf("%d messages on three replicas, %d on one desk", len(got), len(want))
	}
}

func openDesk(t *testing.T, dsn string, clock upgradebot.Clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seedWeek gives the desk work for every job: a digest channel, a release
// going live this week, overdue tasks, a decision due that nobody answers,
// and a weekly clean-up.
func seedWeek(t *testing.T, db *store.DB, clock upgradebot.Clock) {
	ctx := context.Background()
	const lead, owner, ana, ben = "U0LEAD", "U0DANA", "U0ANA", "U0BEN"
	if err := db.Bootstrap(ctx, "C0TEAM", "America/Chicago", []string{lead}); err != nil {
		t.Fatal(err)
	}
	if err := db.RememberPeople(ctx, []upgradebot.Person{{ID: lead, Name: "lee"}, {ID: owner, Name: "dana"},
		{ID: ana, Name: "ana"}, {ID: ben, Name: "ben"}}); err != nil {
		t.Fatal(err)
	}
	b := &bot.Bot{Desk: db, Clock: clock}
	for _, line := range []string{
		"owner @dana",
		"vendor Verisante cadence:13w support:52w",
		"release add Verisante 2026.4 ga:2026-12-03",
		"maint add Duplicate record pairs every:1w @ana first:2026-12-02",
		"add Rebuild the order sets @ana due:2026-11-20",
		"add Retire the old interface @ben due:2026-11-27",
		"add Book the training rooms @ben due:2026-12-02",
		`decide "Go live on the 12th?" due:2026-12-01`,
	} {
		if r := b.Handle(ctx, bot.Request{User: lead, Text: line}); r.Failed {
			t.Fatalf("%q: %s", line, r.Text)
		}
	}
}

// TestMigrationsRaceOnPostgres starts three `upgradebot migrate` processes
// at once on an empty PostgreSQL database: each migration is applied once
// (the others wait on the advisory lock and find it done), and all three
// succeed.
func TestMigrationsRaceOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dsn := pgtest.Schema(t)
	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	start := make(chan struct{})
	for i := range outs {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "migrate")
			cmd.Env = append(os.Environ(), "UPGRADEBOT_TEST_RUN_MAIN=1", "UPGRADEBOT_DB="+dsn)
			<-start
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	close(start)
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Errorf("migrate %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	files, err := filepath.Glob("../../store/migrations_pg/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations_pg: %v %v", files, err)
	}
	if n := pgtest.Int(t, dsn, `SELECT COUNT(*) FROM migrations`); n != len(files) {
		t.Errorf("%d migrations recorded, want %d", n, len(files))
	}
	// And the desk works.
	db := openDesk(t, dsn, nil)
	if err := db.Bootstrap(context.Background(), "C0TEAM", "America/Chicago", []string{"U0LEAD"}); err != nil {
		t.Fatal(err)
	}
}

// fireWeek fires the simulated week's scheduled runs (the default schedules
// in the team's zone, from weekStart) as three replicas' schedulers would:
// at each instant a job is due, three `upgradebot run-job NAME -clock
// INSTANT` processes at once. Exactly one of the three must run it; the
// others find the run recorded. It returns how many runs there were.
func fireWeek(t *testing.T, env []string) int {
	type run struct {
		job string
		at  time.Time
	}
	var runs []run
	for _, j := range scheduler.Jobs(nil, scheduler.Config{Location: weekStart.Location()}) {
		ats, _ := cronspec.MustParse(j.Spec, weekStart.Location()).Between(weekStart, weekStart.Add(7*24*time.Hour), 0)
		for _, at := range ats {
			runs = append(runs, run{j.Name, at})
		}
	}
	slices.SortStableFunc(runs, func(a, b run) int { return a.at.Compare(b.at) })
	for _, r := range runs {
		var wg sync.WaitGroup
		outs := make([]string, 3)
		for i := range outs {
			wg.Go(func() {
				cmd := exec.Command(os.Args[0], "run-job", "-clock", r.at.Format(time.RFC3339), r.job)
				cmd.Env = append(os.Environ(), append(env, "UPGRADEBOT_TEST_RUN_MAIN=1")...)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Errorf("run-job %s at %s: %v\n%s", r.job, r.at, err, out)
				}
				outs[i] = string(out)
			})
		}
		wg.Wait()
		if ran := slices.IndexFunc(outs, func(o string) bool { return strings.Contains(o, ": ran for ") }); ran < 0 ||
			slices.ContainsFunc(outs[ran+1:], func(o string) bool { return strings.Contains(o, ": ran for ") }) {
			t.Errorf("%s at %s: not run by exactly one replica: %q", r.job, r.at, outs)
		}
	}
	return len(runs)
}

// perChannel counts messages ("kind to text", as runWeek gives them) by the
// Slack channel they go to: a DM to U… goes to D…, as the fake names it.
func perChannel(msgs []string) map[string]int {
	per := map[string]int{}
	for _, m := range msgs {
		kind, rest, _ := strings.Cut(m, " ")
		to, _, _ := strings.Cut(rest, " ")
		if kind == string(upgradebot.MessageDM) {
			to = "D" + strings.TrimPrefix(to, "U")
		}
		per[to]++
	}
	return per
}

// TestServeForgetsOldSlackRequests: serve forgets the records of Slack
// requests older than upgradebot.SlackRequestsKept when it starts.
func TestServeForgetsOldSlackRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := filepath.Join(t.TempDir(), "forget.db")
	old := upgradebot.NewFakeClock(time.Now().Add(-upgradebot.SlackRequestsKept - time.Hour))
	db := openDesk(t, path, old)
	ctx, _ := upgradebot.WithTrigger(context.Background(), "1111.old")
	if err := db.RecordTrigger(ctx); err != nil {
		t.Fatal(err)
	}
	old.Set(time.Now())
	ctx, _ = upgradebot.WithTrigger(context.Background(), "2222.recent")
	if err := db.RecordTrigger(ctx); err != nil {
		t.Fatal(err)
	}
	slackAPI := newFakeSlack(t, replicaTitleRE)
	startServe(t, []string{"SLACK_BOT_TOKEN=xoxb-forget-test", "SLACK_SIGNING_SECRET=forget-test-secret", "SLACK_APP_TOKEN=",
		"SLACK_API_URL=" + slackAPI.URL + "/api/", "UPGRADEBOT_DB=" + path, "UPGRADEBOT_ADDR=127.0.0.1:0"})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		seen, err := db.TriggerSeen(context.Background(), "1111.old")
		if err != nil {
			t.Fatal(err)
		}
		if !seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not forget the week-old trigger")
		}
	}
	if seen, err := db.TriggerSeen(context.Background(), "2222.recent"); err != nil || !seen {
		t.Errorf("the recent trigger: seen %v, %v", seen, err)
	}
}
