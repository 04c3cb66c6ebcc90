package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/scheduler"
	"github.com/upgradebot/upgradebot/store"
)

// TestMonthOfPlanning replays a month of the desk as a team lead used it
// (issue 11): an EHR vendor on a 13-week cadence and an ERP vendor on 26
// weeks, six people, five clean-ups with queues, three freezes and the
// year-end holidays, the scheduler running every day on a pinned clock. No
// forecast go-live, clean-up occurrence or queue clear date falls on a
// weekend or a holiday (nor, for a go-live, inside a freeze); Victor's two
// queues clear one after the other; Keisha, with a 132h queue, is never
// offered as having room; each vendor has its own forecast and the ERP its
// own checklist; the team ran two upgrades at once.
func TestMonthOfPlanning(t *testing.T) {
	ctx := context.Background()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	clock := upgradebot.NewFakeClock(time.Date(2026, 12, 1, 8, 30, 0, 0, chicago))
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "month.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const (
		lead, owner, victor, keisha, priya, sam = "U0LEAD", "U0DANA", "U0VICTOR", "U0KEISHA", "U0PRIYA", "U0SAM"
	)
	if err := db.Bootstrap(ctx, "C0UPGRADES", "America/Chicago", []string{lead}); err != nil {
		t.Fatal(err)
	}
	if err := db.RememberPeople(ctx, []upgradebot.Person{{ID: lead, Name: "lee"}, {ID: owner, Name: "dana"}, {ID: victor, Name: "victor"},
		{ID: keisha, Name: "keisha"}, {ID: priya, Name: "priya"}, {ID: sam, Name: "sam"}}); err != nil {
		t.Fatal(err)
	}
	b := &bot.Bot{Desk: db, Clock: clock}
	do := func(as, text string) string {
		t.Helper()
		r := b.Handle(ctx, bot.Request{User: as, Text: text})
		if r.Failed {
			t.Fatalf("%q as %s: %s", text, as, r.Text)
		}
		return r.Text
	}
	for _, line := range []string{
		"owner @dana",
		"config holidays add 2026-12-24 2026-12-25 2026-12-31 2027-01-01",
		"vendor Verisante cadence:13w support:52w",
		"vendor Ledgerly cadence:26w support:104w",
		"checklist add test Regression-test the lab, pharmacy and ADT interfaces est:2d",
		"checklist add test Reconcile the general ledger est:1d vendor:Ledgerly",
		"release add Verisante 2026.3 ga:2026-09-01",
		"release add Verisante 2026.4 ga:2026-12-01",
		"release add Ledgerly 2026.2 ga:2026-07-01",
		"freeze 2026-12-21..2027-01-03 Holiday change freeze (Dec 21 - Jan 3)",
		"freeze 2027-01-14..2027-01-20 go-live",
		"freeze 2027-03-08..2027-03-12 clinical blackout",
		// Five clean-ups kept to working days, with their queues.
		"maint add Duplicate record pairs every:1w @victor workdays:yes first:2026-12-05",
		"maint add Provider master file every:1w @victor workdays:yes first:2026-12-06",
		"maint add Duplicate MRN queue every:2w @keisha workdays:yes first:2026-12-12",
		"maint add Charge master clean-up every:1m @priya workdays:yes first:2026-12-25",
		"maint add Interface error queue sweep every:1d @sam workdays:yes first:2026-12-05",
		"maint 1 queue 2200 rate 22/h", // 100h
		"maint 2 queue 1260 rate 10/h", // 126h
		"maint 3 queue 2904 rate 22/h", // 132h
		"maint 4 queue 90 rate 30/h",
		"maint 5 queue 40 rate 20/h",
		"add Build the order sets @victor est:1w due:2026-12-18",
		"add Book the training rooms @keisha est:2h due:2026-12-10",
		"add Write the downtime procedures @priya est:4h due:2026-12-11",
	} {
		do(lead, line)
	}
	// The EHR's review and build ran while the ERP's review did: two at once.
	for _, p := range []struct{ key, phase, ev, day string }{
		{"verisante-2026.3", "review", "start", "2026-09-15"}, {"verisante-2026.3", "review", "done", "2026-10-01"},
		{"verisante-2026.3", "build", "start", "2026-10-01"}, {"verisante-2026.3", "build", "done", "2026-11-02"},
		{"verisante-2026.3", "test", "start", "2026-11-02"},
		{"ledgerly-2026.2", "review", "start", "2026-09-20"}, {"ledgerly-2026.2", "review", "done", "2026-10-20"},
		{"ledgerly-2026.2", "build", "start", "2026-10-20"},
	} {
		do(owner, "release "+p.key+" phase "+p.phase+" "+p.ev+" "+p.day)
	}

	// The month: the scheduler's jobs run every day at their hours.
	sched := &scheduler.Scheduler{Desk: db, Clock: clock, Location: chicago,
		Jobs: scheduler.Jobs(db, scheduler.Config{Location: chicago})}
	from := clock.Now()
	for range 31 {
		clock.Advance(24 * time.Hour)
		if err := sched.RunDue(ctx, from, clock.Now()); err != nil {
			t.Fatal(err)
		}
		from = clock.Now()
	}
	today := upgradebot.Today(clock.Now(), chicago)
	holidays, err := db.Holidays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal := upgradebot.WorkingTime{Location: chicago, Holidays: holidays}
	offDay := func(d upgradebot.Date) bool { return !cal.IsWorkingDay(d) }

	// Every open clean-up occurrence is due on a working day.
	tasks, _, err := db.FindTasks(ctx, upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}})
	if err != nil {
		t.Fatal(err)
	}
	occurrences := 0
	for _, tk := range tasks {
		if tk.MaintenanceID != 0 {
			occurrences++
			if offDay(tk.Due) {
				t.Errorf("clean-up occurrence #%d %s is due %s, not a working day", tk.ID, tk.Title, tk.Due.Human())
			}
		}
	}
	if occurrences < 5 {
		t.Errorf("%d open clean-up occurrences after a month, want one a clean-up at least", occurrences)
	}

	// The forecast: per vendor, go-lives on working days outside freezes.
	vendors, _ := db.FindVendors(ctx)
	releases, _ := db.FindReleases(ctx, upgradebot.ReleaseFilter{})
	phases, _ := db.FindPhases(ctx, "")
	freezes, _ := db.FindFreezes(ctx, today)
	settings, _ := db.Settings(ctx)
	f := upgradebot.MakeForecast(upgradebot.ForecastInput{Today: today, Vendors: vendors, Releases: releases, Phases: phases,
		Plan: settings.Config().Phases, Calendar: cal, Freezes: freezes})
	if len(f.Vendors) != 2 {
		t.Fatalf("%d vendors forecast, want Ledgerly and Verisante", len(f.Vendors))
	}
	if f.Pace.AtOnce != 2 || !f.Pace.AtOnceMeasured {
		t.Errorf("upgrades at once = %d (measured %v), want 2: the EHR and the ERP ran together", f.Pace.AtOnce, f.Pace.AtOnceMeasured)
	}
	if erp, ehr := f.Vendors[0], f.Vendors[1]; erp.Pace.MeasuredPhases == ehr.Pace.MeasuredPhases && erp.Pace.CycleDays == ehr.Pace.CycleDays {
		t.Errorf("Ledgerly and Verisante share one pace %+v: each is measured on its own releases", erp.Pace)
	}
	for _, vf := range f.Vendors {
		for _, pl := range vf.Coming {
			if offDay(pl.Live) || upgradebot.FreezeOn(freezes, pl.Live) != nil {
				t.Errorf("%s: %s goes live %s: a weekend, holiday or freeze", vf.Vendor.Name, pl.Release.Key, pl.Live.Human())
			}
		}
	}

	// Queues: on working days, one person's one after the other.
	cleanups, err := db.FindMaintenance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan := upgradebot.PlanQueues(cleanups, cal)
	for _, m := range cleanups {
		if q, ok := plan[m.ID]; ok && (!q.OK || offDay(q.Clears)) {
			t.Errorf("%s clears %s (ok %v): not a working day", m.Title, q.Clears.Human(), q.OK)
		}
	}
	first, second := plan[1], plan[2]
	if second.After != 1 || !second.Clears.After(first.Clears) || first.Clears.DaysUntil(second.Clears) < 15 {
		t.Errorf("Victor's queues clear %s and %s (after %d): the second should follow the first by its 126h (about 16 working days)",
			first.Clears.Human(), second.Clears.Human(), second.After)
	}

	// Workload: Keisha's queue is work; she is over, never offered.
	w := do(lead, "workload")
	for _, want := range []string{"<@U0KEISHA> · 3 open tasks, 3 overdue · 2h planned (+2 not estimated) · 132h in 1 clean-up queue · 134h in all · *over*"} {
		if !strings.Contains(w, want) {
			t.Errorf("workload lacks %q:\n%s", want, w)
		}
	}
	for _, line := range strings.Split(w, "\n") {
		if strings.HasPrefix(line, "Suggestion:") && strings.Contains(line, "<@U0KEISHA>, who has room") {
			t.Errorf("Keisha offered as having room: %s", line)
		}
	}

	// The ERP release got the ERP's checklist, the EHR one the team's.
	erpTasks := do(lead, "list release:ledgerly-2026.2")
	if !strings.Contains(erpTasks, "Reconcile the general ledger") || strings.Contains(erpTasks, "ADT interfaces") {
		t.Errorf("the ERP release's tasks:\n%s", erpTasks)
	}
	ehrTasks := do(lead, "list release:verisante-2026.4")
	if !strings.Contains(ehrTasks, "ADT interfaces") || strings.Contains(ehrTasks, "general ledger") {
		t.Errorf("the EHR release's tasks:\n%s", ehrTasks)
	}
}
