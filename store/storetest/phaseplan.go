package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// testPhasePlan covers the team's own phases (the phases setting): only
// admins set them; a phase name still in use cannot be dropped, and then
// nothing changes; phases are then read, planned, ordered and gated by the
// team's plan, and a release is live when its last phase is done.
func testPhasePlan(t *testing.T, e *env) {
	e.setOwner(Owner)

	// Data under the default plan: a checklist item in test (so a new
	// release gets an open test task), a started review with a pending
	// gate.
	ok(t, e.desk.AddChecklistItem(e.ctx, Admin, &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Run the regression scripts"}))
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2026.4", GA: day("2026-09-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	review, err := e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseReview, upgradebot.PhaseStart, day("2026-11-02"))
	ok(t, err)
	if review.PlannedEnd != day("2026-11-16") {
		t.Errorf("review planned to end %s, want 2026-11-16 (2 weeks, the default)", review.PlannedEnd)
	}
	_, _, err = e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseReview, day("2026-11-20"))
	ok(t, err)

	// Only admins set the phases.
	const custom = "review:10d,build:3w,test:2w,cut-over:3d"
	wantErr(t, e.desk.SetSettings(e.ctx, Alice, map[string]string{upgradebot.SettingPhases: custom}),
		upgradebot.EFORBIDDEN, "Only admins can change settings")
	wantErr(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPhases: "go-live:1w"}),
		upgradebot.EINVALID, "2 to 10 phases")

	// Dropping names in use is refused, saying what uses them, and
	// nothing is written (the other setting in the call included).
	mark := e.lastAudit()
	err = e.desk.SetSettings(e.ctx, Admin, map[string]string{
		upgradebot.SettingPhases: "assess:1w,build:3w,validate:10d,cut-over:3d", upgradebot.SettingLeads: "10,1"})
	wantErr(t, err, upgradebot.ECONFLICT,
		"review is used by 1 recorded release phase and 1 pending gate decision; keep the name.",
		"test is used by 1 checklist item and 1 open task; keep the name.")
	if msg := upgradebot.ErrorMessage(err); strings.Contains(msg, "train") || strings.Contains(msg, "go-live") {
		t.Errorf("error %q names phases nothing uses", msg)
	}
	if s := e.settings(); s.Values[upgradebot.SettingPhases] != "" || s.Values[upgradebot.SettingLeads] != "" {
		t.Errorf("settings after the refusal: %v", s.Values)
	}
	if got := e.newAudit(mark); len(got) != 0 {
		t.Errorf("refused change audited: %d entries", len(got))
	}

	// Dropping unused ones (train, go-live), adding, reordering and
	// re-timing are allowed.
	mark = e.lastAudit()
	ok(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPhases: "Review:10d build:21d test:2w cut-over:3d"}))
	e.wantActions(mark, "setting.set")
	plan := e.settings().Config().Phases
	if plan.String() != custom || e.settings().Values[upgradebot.SettingPhases] != custom {
		t.Fatalf("phases = %q (stored %q), want %q", plan, e.settings().Values[upgradebot.SettingPhases], custom)
	}

	// The review's gate still waits, so the build cannot start, except by
	// whoever decides, as an override they are audited for.
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseStart, day("2026-11-20"))
	wantErr(t, err, upgradebot.ECONFLICT, "cannot start yet: the gate closing review", "still waits on <@"+Owner+">")
	// A phase started now is planned with the new length; the review,
	// planned before, keeps its dates.
	mark = e.lastAudit()
	build, err := e.desk.RecordPhase(e.ctx, Owner, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseStart, day("2026-11-20"))
	ok(t, err)
	if build.Override == nil || build.Override.Phase != upgradebot.PhaseReview {
		t.Errorf("build started over the pending review gate: override %+v", build.Override)
	}
	e.wantActions(mark, "release.phase", "release.phase.override")
	if build.PlannedEnd != day("2026-12-11") {
		t.Errorf("build planned to end %s, want 2026-12-11 (3 weeks)", build.PlannedEnd)
	}

	// Names not in the team's plan are refused everywhere, listing its
	// phases.
	list := "the team's phases are " + plan.Names()
	_, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseGoLive, upgradebot.PhaseStart, day("2026-11-23"))
	wantErr(t, err, upgradebot.EINVALID, `"go-live" is not a phase`, list)
	_, _, err = e.desk.RequestGate(e.ctx, Alice, r.Key, upgradebot.PhaseTrain, day("2026-11-23"))
	wantErr(t, err, upgradebot.EINVALID, `"train" is not a phase`, list)
	wantErr(t, e.desk.AddChecklistItem(e.ctx, Admin, &upgradebot.ChecklistItem{Phase: upgradebot.PhaseGoLive, Title: "Staff the command centre"}),
		upgradebot.EINVALID, list)
	wantErr(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Print the binders", Release: r.Key, Phase: upgradebot.PhaseTrain}),
		upgradebot.EINVALID, list)

	// Names are read as the plan reads them: "cutover" and "Cut Over" are
	// cut-over, for tasks as for everything else.
	tk := e.createTask(Alice, &upgradebot.Task{Title: "Freeze the build", Release: r.Key, Phase: "cutover"})
	if tk.Phase != "cut-over" {
		t.Errorf("task phase = %q, want cut-over", tk.Phase)
	}
	if tk := e.createTask(Alice, &upgradebot.Task{Title: "Staff the help desk", Release: r.Key, Phase: "Cut Over"}); tk.Phase != "cut-over" {
		t.Errorf("task phase = %q, want cut-over", tk.Phase)
	}
	// (The review gate still waits: the owner starts it, as an override.)
	cut, err := e.desk.RecordPhase(e.ctx, Owner, r.Key, "cutover", upgradebot.PhaseStart, day("2026-11-23"))
	ok(t, err)
	if cut.Phase != "cut-over" || cut.PlannedEnd != day("2026-11-26") {
		t.Errorf("cut-over = %s planned to end %s, want cut-over ending 2026-11-26", cut.Phase, cut.PlannedEnd)
	}

	// The release is live when its last phase, cut-over, is done.
	behind := func() int {
		t.Helper()
		pts, err := e.desk.WeeklyTrend(e.ctx, e.clock.Now(), NewYork, 1)
		ok(t, err)
		return pts[0].Behind
	}
	if n := behind(); n != 1 {
		t.Errorf("behind before the cut-over = %d, want 1", n)
	}
	_, err = e.desk.RecordPhase(e.ctx, Owner, r.Key, "cut-over", upgradebot.PhaseDone, day("2026-11-25"))
	ok(t, err)
	if n := behind(); n != 0 {
		t.Errorf("behind after the cut-over = %d, want 0: the release is live", n)
	}
	ok(t, e.desk.SetVendor(e.ctx, Admin, &upgradebot.Vendor{Name: "MedCore", CadenceDays: 91}))
	d, err := e.desk.DigestData(e.ctx, e.clock.Now(), e.today(), 10)
	ok(t, err)
	if d.ForecastPlan.String() != custom {
		t.Errorf("digest forecast plan = %q, want %q", d.ForecastPlan, custom)
	}

	// Phases and the checklist are in the plan's order.
	ps, err := e.desk.FindPhases(e.ctx, r.Key)
	ok(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, string(p.Phase))
	}
	if strings.Join(got, " ") != "review build cut-over" || ps[0].PlannedEnd != day("2026-11-16") {
		t.Errorf("phases = %v (review ends %s), want review build cut-over, review still ending 2026-11-16", got, ps[0].PlannedEnd)
	}
	for _, it := range []upgradebot.ChecklistItem{
		{Phase: "cut-over", Title: "Staff the command centre"},
		{Phase: upgradebot.PhaseBuild, Title: "Build the adopted changes"},
		{Phase: upgradebot.PhaseReview, Title: "Read the release notes"},
	} {
		ok(t, e.desk.AddChecklistItem(e.ctx, Admin, &it))
	}
	checklistPhases := func() []upgradebot.Phase {
		t.Helper()
		items, err := e.desk.Checklist(e.ctx)
		ok(t, err)
		var out []upgradebot.Phase
		for _, it := range items {
			out = append(out, it.Phase)
		}
		return out
	}
	if got := checklistPhases(); !slices.Equal(got, []upgradebot.Phase{"review", "build", "test", "cut-over"}) {
		t.Errorf("checklist phases = %v", got)
	}

	// The last phase is the go-live over all history: once a release went
	// live with cut-over, cut-over stays last (phases go before it).
	mark = e.lastAudit()
	wantErr(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPhases: "review:10d,build:3w,test:2w,cut-over:3d,hypercare:2w"}),
		upgradebot.ECONFLICT, "cut-over must stay the last phase: 1 release went live when it was done.")
	wantErr(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPhases: "review:10d,build:3w,cut-over:3d,test:2w"}),
		upgradebot.ECONFLICT, "cut-over must stay the last phase")
	e.wantActions(mark)
	if n := behind(); n != 0 {
		t.Errorf("behind after refused plan changes = %d, want 0", n)
	}

	// Reordered: build first. The checklist follows, and a deferred item
	// comes back in the next release in the plan's first phase.
	ok(t, e.desk.SetSettings(e.ctx, Admin, map[string]string{upgradebot.SettingPhases: "build:3w,review:10d,test:2w,cut-over:3d"}))
	if got := checklistPhases(); !slices.Equal(got, []upgradebot.Phase{"build", "review", "test", "cut-over"}) {
		t.Errorf("checklist phases after reordering = %v", got)
	}
	ok(t, e.desk.LogReleaseItem(e.ctx, Alice, r.Key, &upgradebot.ReleaseItem{Title: "New MAR layout", Verdict: upgradebot.VerdictDefer, Reason: "needs nursing sign-off"}))
	next := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2026-12-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, next))
	tasks, _ := e.findTasks(upgradebot.TaskFilter{Release: next.Key})
	revisit := slices.IndexFunc(tasks, func(t *upgradebot.Task) bool { return strings.HasPrefix(t.Title, "Revisit deferred") })
	if revisit < 0 || tasks[revisit].Phase != upgradebot.PhaseBuild {
		t.Errorf("tasks of %s = %v, want a revisit task in build", next.Key, tasks)
	}
}
