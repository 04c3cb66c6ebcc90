package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testSites: the team's sites, and work of one site: tasks, clean-ups and
// their occurrences, freezes, releases and the workload of a site.
func testSites(t *testing.T, e *env) {
	wantErr(t, e.desk.AddSite(e.ctx, Alice, &upgradebot.Site{Key: "north", Name: "North Campus"}), upgradebot.EFORBIDDEN, "Only admins can change the sites")
	wantErr(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "North Campus"}), upgradebot.EINVALID, "is not a site key")
	wantErr(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Swap printers", Site: "north"}), upgradebot.ENOTFOUND,
		"The team has no sites yet, so there is no site north")
	mark := e.lastAudit()
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "north", Name: "North"}))
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "south", Name: "South Hospital"}))
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "north", Name: "North Campus"})) // a new name
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "north", Name: "North Campus"})) // the same: nothing
	rows := e.wantActions(mark, "site.add", "site.add", "site.add")
	if len(rows) == 3 && (!strings.Contains(rows[2].Before, `"North"`) || !strings.Contains(rows[2].After, "North Campus")) {
		t.Errorf("rename audited as %+v", rows[2])
	}
	s := e.settings()
	if got := s.SiteKeys(); got != "north, south" || s.SiteName("north") != "North Campus" {
		t.Fatalf("sites %q, north is %q", got, s.SiteName("north"))
	}

	wantErr(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Swap printers", Site: "west"}), upgradebot.ENOTFOUND,
		"There is no site west; the sites are north, south")
	north := e.createTask(Alice, &upgradebot.Task{Title: "Swap the label printers", Site: "north", Assignee: Alice, Due: day("2026-12-15"), Estimate: 3 * time.Hour})
	south := e.createTask(Alice, &upgradebot.Task{Title: "Test the pharmacy interface", Site: "south", Assignee: Alice, Estimate: 5 * time.Hour})
	system := e.createTask(Alice, &upgradebot.Task{Title: "Upgrade the lab module", Assignee: Bob, Estimate: time.Hour})
	if got := e.task(north.ID); got.Site != "north" {
		t.Errorf("task site = %q", got.Site)
	}
	tasks, n := e.findTasks(upgradebot.TaskFilter{Site: "north"})
	if n != 1 || tasks[0].ID != north.ID {
		t.Errorf("FindTasks(site north) = %v", ids(tasks))
	}

	// A clean-up's occurrences are of its site.
	every, _ := upgradebot.ParseInterval("1w")
	occ, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Duplicate record clean-up", Every: every,
		Assignee: Bob, Anchor: day("2026-11-26"), Site: "south"})
	ok(t, err)
	_, next, err := e.desk.CompleteTask(e.ctx, Bob, occ.ID, "")
	ok(t, err)
	if e.task(occ.ID).Site != "south" || next == nil || next.Site != "south" || e.task(next.ID).Site != "south" {
		t.Errorf("occurrences' sites: %q, %+v", e.task(occ.ID).Site, next)
	}
	ms, err := e.desk.FindMaintenance(e.ctx)
	ok(t, err)
	if len(ms) != 1 || ms[0].Site != "south" {
		t.Errorf("FindMaintenance = %+v", ms)
	}
	_, err = e.desk.SetQueue(e.ctx, Bob, ms[0].ID, 160, 20) // 8h of work
	ok(t, err)

	// Freezes and releases.
	f := &upgradebot.Freeze{From: day("2026-12-14"), To: day("2026-12-20"), Reason: "go-live", Site: "north"}
	ok(t, e.desk.CreateFreeze(e.ctx, Admin, f))
	wantErr(t, e.desk.CreateFreeze(e.ctx, Admin, &upgradebot.Freeze{From: day("2026-12-14"), To: day("2026-12-20"), Reason: "x", Site: "west"}),
		upgradebot.ENOTFOUND, "no site west")
	fs, err := e.desk.FindFreezes(e.ctx, e.today())
	ok(t, err)
	if len(fs) != 1 || fs[0].Site != "north" {
		t.Errorf("FindFreezes = %+v", fs)
	}
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027q1", GA: day("2027-02-15"), Site: "north"}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	rs, err := e.desk.FindReleases(e.ctx, upgradebot.ReleaseFilter{Key: r.Key})
	ok(t, err)
	if len(rs) != 1 || rs[0].Site != "north" {
		t.Errorf("FindReleases = %+v", rs)
	}

	// One site's workload: its tasks and its clean-ups' queues.
	loads, err := e.desk.SiteLoads(e.ctx, e.today(), "south")
	ok(t, err)
	byUser := map[string]upgradebot.Load{}
	for _, l := range loads {
		byUser[l.User] = l
	}
	if a := byUser[Alice]; a.Open != 1 || a.Planned != 5*time.Hour {
		t.Errorf("Alice at south: %+v", a)
	}
	if b := byUser[Bob]; b.Open != 1 || b.Queued != 8*time.Hour || b.Planned != 0 {
		t.Errorf("Bob at south: %+v (his clean-up's occurrence and queue, not the system's task)", b)
	}
	_, err = e.desk.SiteLoads(e.ctx, e.today(), "west")
	wantErr(t, err, upgradebot.ENOTFOUND, "no site west")
	all, err := e.desk.Loads(e.ctx, e.today())
	ok(t, err)
	var total time.Duration
	for _, l := range all {
		total += l.Planned
	}
	if total != 9*time.Hour {
		t.Errorf("all sites' planned work = %s, want 9h", total)
	}

	// Editing a task's site.
	site := "south"
	_, after, err := e.desk.EditTask(e.ctx, Alice, system.ID, upgradebot.TaskEdit{Site: &site})
	ok(t, err)
	if after.Site != "south" || e.task(system.ID).Site != "south" {
		t.Errorf("edited site = %q", after.Site)
	}
	bad := "west"
	_, _, err = e.desk.EditTask(e.ctx, Alice, system.ID, upgradebot.TaskEdit{Site: &bad})
	wantErr(t, err, upgradebot.ENOTFOUND, "no site west")
	if got := upgradebot.TaskChanges(north, after); !slices.Contains(got, "site: north → south") {
		t.Errorf("TaskChanges = %q", got)
	}

	// The digest knows the sites.
	dd, err := e.desk.DigestData(e.ctx, e.clock.Now(), e.today(), 10)
	ok(t, err)
	if len(dd.Sites) != 2 {
		t.Errorf("DigestData.Sites = %+v", dd.Sites)
	}

	// A site in use stays; one nothing names goes.
	_, err = e.desk.RemoveSite(e.ctx, Admin, "north")
	wantErr(t, err, upgradebot.ECONFLICT, "Site north is named by 1 open task, 1 freeze and 1 release")
	_, err = e.desk.RemoveSite(e.ctx, Alice, "north")
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins")
	_, err = e.desk.RemoveSite(e.ctx, Admin, "west")
	wantErr(t, err, upgradebot.ENOTFOUND, "no site west")
	ok(t, e.desk.AddSite(e.ctx, Admin, &upgradebot.Site{Key: "east", Name: "East Clinic"}))
	mark = e.lastAudit()
	st, err := e.desk.RemoveSite(e.ctx, Admin, "east")
	ok(t, err)
	if st.Name != "East Clinic" {
		t.Errorf("removed %+v", st)
	}
	e.wantActions(mark, "site.remove")
	_ = south
}

// testTimeSpent: time spent on a task, logged by whoever spent it; undo
// leaves it alone.
func testTimeSpent(t *testing.T, e *env) {
	task := e.createTask(Alice, &upgradebot.Task{Title: "Regression-test the lab interfaces", Assignee: Alice, Estimate: 4 * time.Hour})
	for _, d := range []time.Duration{0, -time.Hour, upgradebot.MaxSpent + time.Hour, 90 * time.Second} {
		_, err := e.desk.LogTime(e.ctx, Alice, task.ID, d, "")
		wantErr(t, err, upgradebot.EINVALID, "Time spent is whole minutes")
	}
	_, err := e.desk.LogTime(e.ctx, Alice, 999, time.Hour, "")
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999.")
	mark := e.lastAudit()
	a, err := e.desk.LogTime(e.ctx, Alice, task.ID, 90*time.Minute, "first pass")
	ok(t, err)
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, task.ID, "")
	ok(t, err)
	b, err := e.desk.LogTime(e.ctx, Bob, task.ID, 30*time.Minute, "") // closed tasks take time too
	ok(t, err)
	rows := e.wantActions(mark, "task.time", "task.done", "task.time")
	if len(rows) == 3 && (rows[0].EntityID != task.ID || !strings.Contains(rows[0].After, "first pass")) {
		t.Errorf("task.time row %+v", rows[0])
	}
	got, err := e.desk.TimeSpent(e.ctx, task.ID)
	ok(t, err)
	if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID || got[0].Spent != 90*time.Minute || got[0].Day != e.today() ||
		got[0].User != Alice || got[0].Note != "first pass" || got[1].User != Bob {
		t.Errorf("TimeSpent = %+v", got)
	}
	// Undo takes back the done, not the time Bob logged since.
	u, err := e.desk.UndoTaskChange(e.ctx, Alice)
	ok(t, err)
	if u.Action != "task.done" || e.task(task.ID).Status != upgradebot.StatusOpen {
		t.Errorf("undo = %+v", u)
	}
	if got, _ := e.desk.TimeSpent(e.ctx, task.ID); len(got) != 2 {
		t.Errorf("undo took the time logged: %+v", got)
	}
	_, err = e.desk.TimeSpent(e.ctx, 999)
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999.")
}

// testPartnerReport: what the partners closed in a month, what is still
// open with them and the hours, beside the team's.
func testPartnerReport(t *testing.T, e *env) {
	ok(t, e.desk.AddPartner(e.ctx, Admin, Partner))
	p1 := e.createTask(Admin, &upgradebot.Task{Title: "Build order sets", Assignee: Partner, Estimate: 6 * time.Hour})
	p2 := e.createTask(Admin, &upgradebot.Task{Title: "Build lab panels", Assignee: Partner, Estimate: 2 * time.Hour})
	p3 := e.createTask(Admin, &upgradebot.Task{Title: "Test the panels", Assignee: Partner, Due: day("2026-12-01"), Estimate: 3 * time.Hour})
	a1 := e.createTask(Admin, &upgradebot.Task{Title: "Plan the cut-over", Assignee: Alice})
	a2 := e.createTask(Admin, &upgradebot.Task{Title: "Train super users", Assignee: Alice})
	_, _, err := e.desk.CompleteTasks(e.ctx, Partner, []int64{p1.ID, p2.ID}, "")
	ok(t, err)
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, a1.ID, "")
	ok(t, err)
	_, err = e.desk.LogTime(e.ctx, Partner, p1.ID, 5*time.Hour, "")
	ok(t, err)
	_, err = e.desk.LogTime(e.ctx, Alice, a1.ID, 3*time.Hour, "")
	ok(t, err)
	// December: another task done and more time, not November's.
	e.clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, NewYork))
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, a2.ID, "")
	ok(t, err)
	_, err = e.desk.LogTime(e.ctx, Partner, p3.ID, time.Hour, "")
	ok(t, err)

	_, err = e.desk.PartnerReport(e.ctx, day("2026-11-30"), day("2026-11-01"), e.today())
	wantErr(t, err, upgradebot.EINVALID, "first and last day")
	r, err := e.desk.PartnerReport(e.ctx, day("2026-11-01"), day("2026-11-30"), e.today())
	ok(t, err)
	if r.TeamClosed != 3 || r.TeamLogged != 8*time.Hour || len(r.People) != 1 {
		t.Fatalf("report: team closed %d, logged %s, %d partners", r.TeamClosed, r.TeamLogged, len(r.People))
	}
	w := r.People[0]
	if w.User != Partner || len(w.Closed) != 2 || w.ClosedPlanned != 8*time.Hour || len(w.Open) != 1 || w.Open[0].ID != p3.ID ||
		w.Overdue != 1 || w.Planned != 3*time.Hour || w.Logged != 5*time.Hour {
		t.Errorf("partner's month: %+v", w)
	}
	want := "Partners in November 2026: 2 of the team's 3 tasks done (66%) · 5h of 8h logged (62%) · 1 task still open with them, 1 overdue, 3h planned."
	if got := r.Line(); got != want {
		t.Errorf("Line()\n got %q\nwant %q", got, want)
	}
	dec, err := e.desk.PartnerReport(e.ctx, day("2026-12-01"), day("2026-12-31"), e.today())
	ok(t, err)
	if dec.TeamClosed != 1 || len(dec.People[0].Closed) != 0 || dec.People[0].Logged != time.Hour {
		t.Errorf("December: %+v %+v", dec, dec.People[0])
	}
}
