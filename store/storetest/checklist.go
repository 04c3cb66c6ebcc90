package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testChecklist: the template is admin-only, validated, audited, read in
// cycle order; a new release gets one open task per item, created with
// the release, and a phase's undated tasks are due at its planned end once
// it starts.
func testChecklist(t *testing.T, e *env) {
	list, err := e.desk.Checklist(e.ctx)
	ok(t, err)
	if len(list) != 0 {
		t.Fatalf("new desk's checklist = %+v, want empty", list)
	}
	r0 := &upgradebot.Release{Vendor: "MedCore", Name: "2026.4", GA: day("2026-10-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r0))
	if r0.ChecklistTasks != 0 || r0.RevisitTasks != 0 {
		t.Errorf("release with no checklist: %d tasks, %d to revisit", r0.ChecklistTasks, r0.RevisitTasks)
	}

	golive := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseGoLive, Title: "Command-centre staffing and cut-over plan"}
	wantErr(t, e.desk.AddChecklistItem(e.ctx, Alice, golive), upgradebot.EFORBIDDEN, "Only admins", "<@"+Admin+">")
	wantErr(t, e.desk.AddChecklistItem(e.ctx, "", golive), upgradebot.EINVALID)
	for _, bad := range []*upgradebot.ChecklistItem{
		{Phase: "deploy", Title: "Deploy"},
		{Phase: upgradebot.PhaseBuild},
		{Phase: upgradebot.PhaseBuild, Title: "Build", Estimate: -time.Hour},
		{Phase: upgradebot.PhaseBuild, Title: "Build", Estimate: 90 * time.Second},
	} {
		wantErr(t, e.desk.AddChecklistItem(e.ctx, Admin, bad), upgradebot.EINVALID)
	}

	amark := e.lastAudit()
	read := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseReview, Title: "Read the release notes and log each item", Estimate: 4 * time.Hour}
	regression := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Run the regression scripts", Estimate: 16 * time.Hour}
	interfaces := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Integrated testing with interfaces"}
	build := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseBuild, Title: "Build the adopted changes"}
	obsolete := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTrain, Title: "Print the binders"}
	for _, it := range []*upgradebot.ChecklistItem{golive, read, regression, interfaces, build, obsolete} {
		ok(t, e.desk.AddChecklistItem(e.ctx, Admin, it))
	}
	if read.ID == 0 || read.UpdatedBy != Admin || read.Position != 1 || interfaces.Position != 2 {
		t.Errorf("added %+v, %+v", read, interfaces)
	}
	sameTime(t, "UpdatedAt", read.UpdatedAt, Start)
	rows := e.wantActions(amark, "checklist.add", "checklist.add", "checklist.add", "checklist.add", "checklist.add", "checklist.add")
	if len(rows) > 1 && (rows[1].Entity != "checklist" || rows[1].EntityID != read.ID || !strings.Contains(rows[1].After, "log each item")) {
		t.Errorf("audit row = %+v", rows[1])
	}
	// The same task twice in a phase (a command sent again) is refused; in
	// another phase it is a different task.
	amark = e.lastAudit()
	wantErr(t, e.desk.AddChecklistItem(e.ctx, Admin, &upgradebot.ChecklistItem{Phase: upgradebot.PhaseBuild, Title: "build the ADOPTED changes"}),
		upgradebot.ECONFLICT, fmt.Sprintf("already has it: %d. build the ADOPTED changes", build.ID))
	e.wantActions(amark)
	again := &upgradebot.ChecklistItem{Phase: upgradebot.PhaseTest, Title: "Build the adopted changes"}
	ok(t, e.desk.AddChecklistItem(e.ctx, Admin, again))
	_, err = e.desk.RemoveChecklistItem(e.ctx, Admin, again.ID)
	ok(t, err)

	_, err = e.desk.RemoveChecklistItem(e.ctx, Alice, obsolete.ID)
	wantErr(t, err, upgradebot.EFORBIDDEN, "Only admins")
	gone, err := e.desk.RemoveChecklistItem(e.ctx, Admin, obsolete.ID)
	ok(t, err)
	if gone.Title != "Print the binders" || gone.Phase != upgradebot.PhaseTrain {
		t.Errorf("removed %+v", gone)
	}
	_, err = e.desk.RemoveChecklistItem(e.ctx, Admin, obsolete.ID)
	wantErr(t, err, upgradebot.ENOTFOUND)
	rows, err = e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "checklist", EntityID: obsolete.ID})
	ok(t, err)
	if len(rows) != 2 || rows[0].Action != "checklist.remove" || rows[0].Actor != Admin || !strings.Contains(rows[0].Before, "binders") {
		t.Errorf("audit = %+v", rows)
	}

	list, err = e.desk.Checklist(e.ctx)
	ok(t, err)
	var titles []string
	for _, it := range list {
		titles = append(titles, it.Title)
	}
	want := []string{read.Title, build.Title, regression.Title, interfaces.Title, golive.Title}
	if !slices.Equal(titles, want) {
		t.Errorf("Checklist = %q, want %q", titles, want)
	}
	if list[2].Estimate != 16*time.Hour || list[2].Position != 1 || list[2].UpdatedBy != Admin {
		t.Errorf("read back %+v", list[2])
	}

	// A new release gets the checklist, in the same transaction.
	_, before := e.findTasks(upgradebot.TaskFilter{})
	mmark, amark := e.lastMessage(), e.lastAudit()
	e.clock.Advance(time.Hour)
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-01-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Bob, r))
	if r.ChecklistTasks != 5 || r.RevisitTasks != 0 {
		t.Errorf("created %d checklist tasks (%d to revisit), want 5 (0)", r.ChecklistTasks, r.RevisitTasks)
	}
	rows = e.wantActions(amark, "release.add", "task.checklist", "task.checklist", "task.checklist", "task.checklist", "task.checklist")
	for _, row := range rows {
		if !row.At.Equal(r.CreatedAt) || row.Actor != Bob {
			t.Errorf("audit %s at %s by %s, want with the release at %s by Bob", row.Action, row.At, row.Actor, r.CreatedAt)
		}
	}
	if msgs := e.newMessages(mmark); len(msgs) != 0 {
		t.Errorf("checklist tasks sent %d messages", len(msgs))
	}
	tasks, n := e.findTasks(upgradebot.TaskFilter{Release: r.Key})
	if _, all := e.findTasks(upgradebot.TaskFilter{}); n != 5 || all != before+5 {
		t.Fatalf("release has %d tasks (desk %d, was %d), want 5", n, all, before)
	}
	for _, tk := range tasks {
		if tk.Status != upgradebot.StatusOpen || tk.Kind != upgradebot.KindUpgrade || tk.Assignee != "" || !tk.Due.IsZero() ||
			tk.CreatedBy != Bob || tk.Release != r.Key || tk.Phase == "" {
			t.Errorf("checklist task %s", taskString(tk))
		}
		if tk.Title == regression.Title && (tk.Phase != upgradebot.PhaseTest || tk.Estimate != 16*time.Hour) {
			t.Errorf("regression task = %s, phase %q, est %s", taskString(tk), tk.Phase, tk.Estimate)
		}
	}
	if _, n := e.findTasks(upgradebot.TaskFilter{Release: r0.Key}); n != 0 {
		t.Errorf("an earlier release got %d checklist tasks", n)
	}

	// Starting a phase dates its undated open tasks at the planned end.
	byTitle := map[string]*upgradebot.Task{}
	for _, tk := range tasks {
		byTitle[tk.Title] = tk
	}
	extra := e.createTask(Alice, &upgradebot.Task{Title: "Build the order sets", Release: r.Key, Phase: upgradebot.PhaseBuild, Due: day("2027-02-20")})
	done := e.createTask(Alice, &upgradebot.Task{Title: "Build the print groups", Release: r.Key, Phase: upgradebot.PhaseBuild})
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, done.ID, "")
	ok(t, err)
	other := e.createTask(Alice, &upgradebot.Task{Title: "Unphased build work", Release: r.Key})
	amark = e.lastAudit()
	p, err := e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseBuild, upgradebot.PhaseStart, day("2027-02-01"))
	ok(t, err)
	e.wantActions(amark, "task.due", "release.phase")
	if p.PlannedEnd != day("2027-03-01") {
		t.Fatalf("build planned to end %s", p.PlannedEnd)
	}
	for _, c := range []struct {
		id  int64
		due upgradebot.Date
	}{
		{byTitle[build.Title].ID, p.PlannedEnd},
		{byTitle[regression.Title].ID, upgradebot.Date{}}, // another phase
		{extra.ID, day("2027-02-20")},                     // already dated
		{done.ID, upgradebot.Date{}},                      // closed
		{other.ID, upgradebot.Date{}},                     // no phase
	} {
		tk, err := e.desk.FindTaskByID(e.ctx, c.id)
		ok(t, err)
		if tk.Due != c.due {
			t.Errorf("after build started, %s due %s, want %s", taskString(tk), tk.Due, c.due)
		}
	}
	// A phase recorded as started long ago dates its tasks today, not at a
	// planned end already past: they must not be overdue (and nudged) at once.
	late := e.createTask(Alice, &upgradebot.Task{Title: "Build the interfaces", Release: r.Key, Phase: upgradebot.PhaseTest})
	p, err = e.desk.RecordPhase(e.ctx, Alice, r.Key, upgradebot.PhaseTest, upgradebot.PhaseStart, e.today().AddDays(-60))
	ok(t, err)
	if !p.PlannedEnd.Before(e.today()) {
		t.Fatalf("test planned to end %s, want before today %s", p.PlannedEnd, e.today())
	}
	if tk, err := e.desk.FindTaskByID(e.ctx, late.ID); err != nil || tk.Due != e.today() {
		t.Errorf("a task of a phase started 60 days ago is due %s (%v), want today %s", tk.Due, err, e.today())
	}

	wantErr(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Phase but no release", Phase: upgradebot.PhaseBuild}), upgradebot.EINVALID)
	wantErr(t, e.desk.CreateTask(e.ctx, Alice, &upgradebot.Task{Title: "Bad phase", Release: r.Key, Phase: "deploy"}), upgradebot.EINVALID)
}

// testReleaseItems: verdicts on a release's notes are logged by anyone,
// once per title (logging again changes the verdict), and an item still
// deferred comes back as a review task in the next releases of the same
// vendor until a later release decides it.
func testReleaseItems(t *testing.T, e *env) {
	q1 := &upgradebot.Release{Key: "medcore-q1", Vendor: "MedCore", Name: "Q1", GA: day("2026-01-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, q1))

	log := func(key, title string, v upgradebot.Verdict, reason string) *upgradebot.ReleaseItem {
		t.Helper()
		it := &upgradebot.ReleaseItem{Title: title, Verdict: v, Reason: reason}
		ok(t, e.desk.LogReleaseItem(e.ctx, Alice, key, it))
		return it
	}
	wantErr(t, e.desk.LogReleaseItem(e.ctx, Alice, "nope", &upgradebot.ReleaseItem{Title: "X", Verdict: upgradebot.VerdictAdopt}),
		upgradebot.ENOTFOUND, "nope")
	wantErr(t, e.desk.LogReleaseItem(e.ctx, Alice, q1.Key, &upgradebot.ReleaseItem{Title: "X", Verdict: upgradebot.VerdictDefer}),
		upgradebot.EINVALID, "defer needs the reason")
	wantErr(t, e.desk.LogReleaseItem(e.ctx, Alice, q1.Key, &upgradebot.ReleaseItem{Title: "X", Verdict: upgradebot.VerdictSkip, Reason: "  "}),
		upgradebot.EINVALID, "reason")
	wantErr(t, e.desk.LogReleaseItem(e.ctx, Alice, q1.Key, &upgradebot.ReleaseItem{Title: "X", Verdict: "maybe"}), upgradebot.EINVALID)
	wantErr(t, e.desk.LogReleaseItem(e.ctx, Alice, q1.Key, &upgradebot.ReleaseItem{Verdict: upgradebot.VerdictAdopt}), upgradebot.EINVALID)
	wantErr(t, e.desk.LogReleaseItem(e.ctx, "", q1.Key, &upgradebot.ReleaseItem{Title: "X", Verdict: upgradebot.VerdictAdopt}), upgradebot.EINVALID)

	amark := e.lastAudit()
	phrases := log(q1.Key, "Smart phrase sharing", upgradebot.VerdictAdopt, "")
	mar := log(q1.Key, "New MAR layout", upgradebot.VerdictAdopt, "")
	log(q1.Key, "Patient portal themes", upgradebot.VerdictSkip, "not licensed")
	log(q1.Key, "Barcode scanning v2", upgradebot.VerdictDefer, "vendor fix pending")
	if phrases.ID == 0 || phrases.Release != q1.Key || phrases.ReleaseID != q1.ID || phrases.DecidedBy != Alice || phrases.Was != "" {
		t.Errorf("logged %+v", phrases)
	}
	sameTime(t, "DecidedAt", phrases.DecidedAt, Start)

	// The same title again, in any case, changes the verdict.
	e.clock.Advance(time.Hour)
	again := log(q1.Key, "new MAR layout", upgradebot.VerdictDefer, "needs nursing sign-off")
	if again.ID != mar.ID || again.Was != upgradebot.VerdictAdopt {
		t.Errorf("logged again: %+v, want id %d, was adopt", again, mar.ID)
	}
	rows := e.wantActions(amark, "release.item", "release.item", "release.item", "release.item", "release.item")
	if last := rows[len(rows)-1]; last.Entity != "release_item" || last.EntityID != mar.ID ||
		!strings.Contains(last.Before, `"adopt"`) || !strings.Contains(last.After, `"defer"`) || !strings.Contains(last.After, "nursing") {
		t.Errorf("audit of the change = %+v", last)
	}
	items, err := e.desk.FindReleaseItems(e.ctx, q1.Key)
	ok(t, err)
	if len(items) != 4 || items[1].Title != "new MAR layout" || items[1].Verdict != upgradebot.VerdictDefer ||
		items[1].Reason != "needs nursing sign-off" || !items[1].DecidedAt.Equal(Start.Add(time.Hour)) {
		t.Errorf("FindReleaseItems = %+v", items)
	}
	_, err = e.desk.FindReleaseItems(e.ctx, "nope")
	wantErr(t, err, upgradebot.ENOTFOUND)

	revisits := func(key string) []string {
		t.Helper()
		tasks, _ := e.findTasks(upgradebot.TaskFilter{Release: key})
		var out []string
		for _, tk := range tasks {
			if strings.HasPrefix(tk.Title, "Revisit deferred: ") {
				if tk.Phase != upgradebot.PhaseReview || tk.Status != upgradebot.StatusOpen || tk.Assignee != "" {
					t.Errorf("revisit task %s in phase %q", taskString(tk), tk.Phase)
				}
				out = append(out, tk.Title)
			}
		}
		slices.Sort(out)
		return out
	}

	// Another vendor's release, and an earlier one of the same vendor, do
	// not bring them back.
	lab := &upgradebot.Release{Key: "labsys-9", Vendor: "LabSys", Name: "9", GA: day("2026-04-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, lab))
	q0 := &upgradebot.Release{Key: "medcore-q0", Vendor: "MedCore", Name: "Q0", GA: day("2025-10-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, q0))
	if lab.RevisitTasks != 0 || q0.RevisitTasks != 0 || len(revisits(lab.Key)) != 0 || len(revisits(q0.Key)) != 0 {
		t.Errorf("revisits on another vendor's or an earlier release: %d, %d", lab.RevisitTasks, q0.RevisitTasks)
	}

	// The next release of the vendor (named in another case) gets both.
	q2 := &upgradebot.Release{Key: "medcore-q2", Vendor: "MEDCORE", Name: "Q2", GA: day("2026-04-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, q2))
	want := []string{
		"Revisit deferred: Barcode scanning v2 (deferred in medcore-q1: vendor fix pending)",
		"Revisit deferred: new MAR layout (deferred in medcore-q1: needs nursing sign-off)",
	}
	if got := revisits(q2.Key); q2.RevisitTasks != 2 || q2.ChecklistTasks != 2 || !slices.Equal(got, want) {
		t.Errorf("q2: %d of %d tasks revisit %q, want %q", q2.RevisitTasks, q2.ChecklistTasks, got, want)
	}

	// Decided in q2, the barcode item is no longer carried; the MAR layout
	// is, still from q1.
	log(q2.Key, "barcode scanning V2", upgradebot.VerdictAdopt, "vendor fixed it")
	q3 := &upgradebot.Release{Key: "medcore-q3", Vendor: "medcore", Name: "Q3", GA: day("2026-07-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, q3))
	if got := revisits(q3.Key); q3.RevisitTasks != 1 || !slices.Equal(got, want[1:]) {
		t.Errorf("q3 revisits %q, want %q", got, want[1:])
	}

	// Deferred again in q3, it comes back from q3, once.
	log(q3.Key, "New MAR layout", upgradebot.VerdictDefer, "nursing wants the Q4 version")
	q4 := &upgradebot.Release{Key: "medcore-q4", Vendor: "MedCore", Name: "Q4", GA: day("2026-10-15")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, q4))
	if got := revisits(q4.Key); !slices.Equal(got, []string{"Revisit deferred: New MAR layout (deferred in medcore-q3: nursing wants the Q4 version)"}) {
		t.Errorf("q4 revisits %q", got)
	}

	all, err := e.desk.FindReleaseItems(e.ctx, "")
	ok(t, err)
	var keys []string
	for _, it := range all {
		keys = append(keys, it.Release)
	}
	if wantKeys := []string{"medcore-q1", "medcore-q1", "medcore-q1", "medcore-q1", "medcore-q2", "medcore-q3"}; !slices.Equal(keys, wantKeys) {
		t.Errorf("FindReleaseItems(all) releases = %q, want %q", keys, wantKeys)
	}

	// DeferredItems is what a release's checklist brought back.
	carried, err := e.desk.DeferredItems(e.ctx, q4.Key)
	ok(t, err)
	if len(carried) != 1 || carried[0].Title != "New MAR layout" || carried[0].Release != q3.Key {
		t.Errorf("DeferredItems(%s) = %+v, want the MAR layout from q3", q4.Key, carried)
	}
	_, err = e.desk.DeferredItems(e.ctx, "nope")
	wantErr(t, err, upgradebot.ENOTFOUND)

	// Vendors match as everywhere else, whatever letters the name has.
	e1 := &upgradebot.Release{Key: "elan-1", Vendor: "Élan Health", Name: "1", GA: day("2026-03-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, e1))
	log(e1.Key, "Bed board", upgradebot.VerdictDefer, "after the ward move")
	e2 := &upgradebot.Release{Key: "elan-2", Vendor: "ÉLAN HEALTH", Name: "2", GA: day("2026-06-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, e2))
	if got := revisits(e2.Key); !slices.Equal(got, []string{"Revisit deferred: Bed board (deferred in elan-1: after the ward move)"}) {
		t.Errorf("elan-2 revisits %q", got)
	}
}
