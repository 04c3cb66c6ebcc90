package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Demo people. The names and ids are made up; the demo holds no patient data.
var (
	DemoOwner   = upgradebot.Person{ID: "U0DANA", Name: "dana"}   // decision manager
	DemoAlex    = upgradebot.Person{ID: "U0ALEX", Name: "alex"}   // upgrade analyst
	DemoPriya   = upgradebot.Person{ID: "U0PRIYA", Name: "priya"} // HIM analyst: duplicate records
	DemoSam     = upgradebot.Person{ID: "U0SAM", Name: "sam"}     // master files and interfaces
	DemoChannel = "C0UPGRADES"
)

// ConsoleUser is who types in the console unless told otherwise. They are
// not in Slack: the console makes them an admin only of a new desk that has
// no admin and that serve has never used, and never again once removed.
var ConsoleUser = upgradebot.Person{ID: upgradebot.ConsoleUser, Name: "you"}

// SeedDemo fills an empty desk with a realistic demo relative to today: a
// vendor's quarterly releases, a duplicate-record clean-up every 2 weeks, a
// master-file clean-up every month, tasks across four people and one
// decision waiting on the owner. It does nothing and returns false if the
// desk already holds tasks or releases.
func SeedDemo(ctx context.Context, desk upgradebot.Desk, today upgradebot.Date) (bool, error) {
	if _, n, err := desk.FindTasks(ctx, upgradebot.TaskFilter{Limit: 1}); err != nil || n > 0 {
		return false, err
	}
	if rs, err := desk.FindReleases(ctx, upgradebot.ReleaseFilter{}); err != nil || len(rs) > 0 {
		return false, err
	}
	fail := func(what string, err error) (bool, error) {
		return false, fmt.Errorf("bot: seed demo %s: %w", what, err)
	}
	if err := desk.RememberPeople(ctx, []upgradebot.Person{DemoOwner, DemoAlex, DemoPriya, DemoSam, ConsoleUser}); err != nil {
		return fail("people", err)
	}
	s, err := desk.Settings(ctx)
	if err != nil {
		return fail("settings", err)
	}
	channel := s.Channel
	if channel == "" {
		channel = DemoChannel
	}
	if err := desk.Bootstrap(ctx, channel, "", []string{DemoOwner.ID}); err != nil {
		return fail("settings", err)
	}
	if err := desk.SetOwner(ctx, DemoOwner.ID, DemoOwner.ID); err != nil {
		return fail("owner", err)
	}

	// Quarterly releases, 13 weeks apart, supported for about 18 months. The
	// latest went GA five weeks ago; the team is still on the one before.
	var keys []string
	for i := -3; i <= 1; i++ {
		ga := today.AddDays(-35 + 91*i)
		q := (int(ga.Month)-1)/3 + 1
		r := &upgradebot.Release{Vendor: "MedCore", Name: fmt.Sprintf("%d Q%d", ga.Year, q),
			Key: fmt.Sprintf("medcore-%dq%d", ga.Year, q), GA: ga, Support: ga.AddMonths(18)}
		if err := desk.CreateRelease(ctx, DemoOwner.ID, r); err != nil {
			return fail("release", err)
		}
		keys = append(keys, r.Key)
	}
	current, next := keys[3], keys[4]
	if err := seedChecklist(ctx, desk, current); err != nil {
		return fail("checklist", err)
	}

	// The team went live on keys[1] about three months ago and is building
	// keys[2]: two releases behind, as the decision below discusses.
	if err := desk.SetVendor(ctx, DemoOwner.ID, &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91, SupportDays: 547}); err != nil {
		return fail("vendor", err)
	}
	day0 := today.AddDays(-203)
	for _, st := range upgradebot.DefaultPhasePlan() {
		ph, end := st.Phase, day0.AddDays(st.Days)
		for _, step := range []struct {
			ev  upgradebot.PhaseEvent
			day upgradebot.Date
		}{{upgradebot.PhaseStart, day0}, {upgradebot.PhaseDone, end}} {
			if _, err := desk.RecordPhase(ctx, phaseActor(step.ev), keys[1], ph, step.ev, step.day); err != nil {
				return fail("phase", err)
			}
		}
		day0 = end
	}
	for _, step := range []struct {
		ph  upgradebot.Phase
		ev  upgradebot.PhaseEvent
		day upgradebot.Date
	}{
		{upgradebot.PhaseReview, upgradebot.PhaseStart, today.AddDays(-100)},
		{upgradebot.PhaseReview, upgradebot.PhaseDone, today.AddDays(-84)},
		{upgradebot.PhaseBuild, upgradebot.PhaseStart, today.AddDays(-84)},
	} {
		if _, err := desk.RecordPhase(ctx, phaseActor(step.ev), keys[2], step.ph, step.ev, step.day); err != nil {
			return fail("phase", err)
		}
	}

	// Due dates fall on working days: past ones move back to Friday, future
	// ones forward to Monday.
	day := func(n int) upgradebot.Date {
		d, step := today.AddDays(n), 1
		if n < 0 {
			step = -1
		}
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDays(step)
		}
		return d
	}
	tasks := []upgradebot.Task{
		{Title: "Read the " + current + " release notes and list what changes for us", Assignee: DemoAlex.ID, Due: day(4), Priority: upgradebot.PriorityHigh, Release: current, Ref: "CHG0031001"},
		{Title: "Build the order set changes", Assignee: DemoAlex.ID, Due: day(18), Release: current},
		{Title: "Regression-test the lab result interfaces", Assignee: DemoSam.ID, Due: day(-2), Priority: upgradebot.PriorityHigh, Release: current, Ref: "CHG0031007"},
		{Title: "Schedule end-user training sessions", Assignee: DemoPriya.ID, Due: day(25), Release: current},
		{Title: "Plan go-live command centre staffing", Assignee: DemoOwner.ID, Due: day(30), Release: current},
		{Title: "Retire inactive provider records in the master file", Assignee: DemoSam.ID, Due: day(10), Kind: upgradebot.KindMaintenance, Priority: upgradebot.PriorityLow},
		{Title: "Read the " + next + " preview notes when they arrive", Due: day(60), Release: next, Priority: upgradebot.PriorityLow},
		{Title: "Apply the vendor security patch to the test environment", Assignee: DemoAlex.ID, Due: day(-5), Kind: upgradebot.KindMaintenance},
	}
	for i := range tasks {
		t := &tasks[i]
		by := t.Assignee
		if by == "" {
			by = DemoOwner.ID
		}
		if err := desk.CreateTask(ctx, by, t); err != nil {
			return fail("task", err)
		}
	}
	if _, _, err := desk.CompleteTask(ctx, DemoAlex.ID, tasks[len(tasks)-1].ID, "Applied and smoke-tested."); err != nil {
		return fail("task", err)
	}
	cleanups := []upgradebot.Maintenance{
		{Title: "Duplicate medical record clean-up", Every: upgradebot.Interval{N: 2, Unit: 'w'}, Assignee: DemoPriya.ID, Anchor: day(-3), Active: true},
		{Title: "Master file clean-up", Every: upgradebot.Interval{N: 1, Unit: 'm'}, Assignee: DemoSam.ID, Anchor: day(9), Active: true},
	}
	for i := range cleanups {
		if _, err := desk.CreateMaintenance(ctx, cleanups[i].Assignee, &cleanups[i]); err != nil {
			return fail("clean-up", err)
		}
	}
	d := &upgradebot.Decision{
		Question: fmt.Sprintf("Skip %s and go straight to %s, consolidating both upgrades into one go-live?", keys[2], current),
		Due:      day(3),
	}
	if _, err := desk.CreateDecision(ctx, DemoAlex.ID, d); err != nil {
		return fail("decision", err)
	}
	return true, nil
}

// phaseActor is who records a demo phase event: the analyst starts phases,
// the decision owner closes them (closing a phase is a gate only they pass).
func phaseActor(ev upgradebot.PhaseEvent) string {
	if ev == upgradebot.PhaseDone {
		return DemoOwner.ID
	}
	return DemoAlex.ID
}

// seedChecklist writes the demo team's release checklist, which releases
// added from now on get as tasks (the demo's own releases predate it), and
// logs three items of the notes of key, the latest release out: one
// adopted, one deferred (it comes back in the next release's checklist)
// and one not done.
func seedChecklist(ctx context.Context, desk upgradebot.Desk, key string) error {
	for _, it := range []upgradebot.ChecklistItem{
		{Phase: upgradebot.PhaseReview, Title: "Read the release notes and log each item", Estimate: 8 * time.Hour},
		{Phase: upgradebot.PhaseBuild, Title: "Build the adopted changes", Estimate: 40 * time.Hour},
		{Phase: upgradebot.PhaseTest, Title: "Run the regression scripts", Estimate: 24 * time.Hour},
		{Phase: upgradebot.PhaseTest, Title: "Integrated testing with interfaces", Estimate: 16 * time.Hour},
		{Phase: upgradebot.PhaseTrain, Title: "Update tip sheets", Estimate: 8 * time.Hour},
		{Phase: upgradebot.PhaseGoLive, Title: "Command-centre staffing and cut-over plan", Estimate: 16 * time.Hour},
	} {
		if err := desk.AddChecklistItem(ctx, DemoOwner.ID, &it); err != nil {
			return err
		}
	}
	for _, it := range []upgradebot.ReleaseItem{
		{Title: "Order set favourites shared by department", Verdict: upgradebot.VerdictAdopt, Reason: "asked for by the pharmacy committee"},
		{Title: "New medication administration record layout", Verdict: upgradebot.VerdictDefer, Reason: "needs nursing sign-off first"},
		{Title: "Patient portal theme editor", Verdict: upgradebot.VerdictSkip, Reason: "we do not license the portal module"},
	} {
		if err := desk.LogReleaseItem(ctx, DemoAlex.ID, key, &it); err != nil {
			return err
		}
	}
	return nil
}
