package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

func testImportTasks(t *testing.T, e *env) {
	e.createTask(Alice, &upgradebot.Task{Title: "Already here", Ref: "CHG0001"})
	batch := func() []*upgradebot.Task {
		return []*upgradebot.Task{
			{Title: "Changed title is not applied", Ref: "CHG0001"},
			{Title: "Build the test environment", Ref: "CHG0002", Assignee: Bob, Due: day("2026-12-04")},
			{Title: "Same ref twice in one import", Ref: "CHG0002"},
			{Title: "Train the super users", Ref: "CHG0003", Priority: upgradebot.PriorityHigh},
		}
	}
	mark, amark := e.lastMessage(), e.lastAudit()

	// A dry run says what would happen and writes nothing.
	var calls int
	res, err := e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{DryRun: true, Progress: func(done, total int) { calls++ }})
	ok(t, err)
	if len(res.Created) != 2 || len(res.Skipped) != 2 || calls == 0 {
		t.Errorf("dry run: %d created, %d skipped, %d progress calls; want 2, 2, >0", len(res.Created), len(res.Skipped), calls)
	}
	if _, n := e.findTasks(upgradebot.TaskFilter{}); n != 1 {
		t.Errorf("%d tasks after a dry run, want 1", n)
	}
	e.wantActions(amark)
	if msgs := e.pending(mark); len(msgs) != 0 {
		t.Errorf("a dry run queued %q, want nothing (no App Home refresh either)", summary(msgs))
	}

	res, err = e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{})
	ok(t, err)
	if len(res.Created) != 2 || res.Created[0].Ref != "CHG0002" || res.Created[1].Ref != "CHG0003" || res.Created[0].ID == 0 {
		t.Fatalf("created %v, want CHG0002 and CHG0003 with ids", res.Created)
	}
	e.wantActions(amark, "task.import", "task.import")
	if msgs := e.newMessages(mark); len(msgs) != 0 {
		t.Errorf("an import queued %d messages, want none", len(msgs))
	}
	got, n := e.findTasks(upgradebot.TaskFilter{Words: []string{"CHG0001"}})
	if n != 1 || got[0].Title != "Already here" {
		t.Errorf("the existing CHG0001 was changed or doubled: %v", got)
	}

	// Importing the same again is a no-op.
	amark = e.lastAudit()
	res, err = e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{})
	ok(t, err)
	if len(res.Created) != 0 || len(res.Skipped) != 4 {
		t.Errorf("re-import: %d created, %d skipped; want 0, 4", len(res.Created), len(res.Skipped))
	}
	e.wantActions(amark)

	// One bad task and nothing is imported.
	bad := []*upgradebot.Task{{Title: "Fine", Ref: "CHG0010"}, {Title: "No ref"}}
	_, err = e.desk.ImportTasks(e.ctx, Admin, bad, upgradebot.ImportOptions{})
	wantErr(t, err, upgradebot.EINVALID, "task 2 of 2", "no ref")
	bad = []*upgradebot.Task{{Title: "Fine", Ref: "CHG0010"}, {Title: "Bad release", Ref: "CHG0011", Release: "nope"}}
	_, err = e.desk.ImportTasks(e.ctx, Admin, bad, upgradebot.ImportOptions{})
	wantErr(t, err, upgradebot.ENOTFOUND, "task 2 of 2", "CHG0011")
	// Every refused task is named, not only the first.
	bad = []*upgradebot.Task{{Title: "Bad release", Ref: "CHG0012", Release: "nope"}, {Title: "Fine", Ref: "CHG0013"}, {Title: "", Ref: "CHG0014"}}
	_, err = e.desk.ImportTasks(e.ctx, Admin, bad, upgradebot.ImportOptions{})
	wantErr(t, err, upgradebot.ENOTFOUND, "2 tasks cannot be imported, so none is:\n  task 1 of 3 (ref CHG0012): No release with key nope", "\n  task 3 of 3 (ref CHG0014): the title is empty")
	if _, n := e.findTasks(upgradebot.TaskFilter{}); n != 3 {
		t.Errorf("%d tasks after failed imports, want 3", n)
	}
	e.wantActions(amark)

	testImportUpdate(t, e)
}

// testImportUpdate: with Update, a ticket closed in the ticket system
// closes its task, a new due date moves it, each audited as the same change
// by hand would be; nothing else is taken over, and closed tasks stay
// closed. Closed tickets with new refs are never created.
func testImportUpdate(t *testing.T, e *env) {
	resolved := e.createTask(Alice, &upgradebot.Task{Title: "Patch the lab interface", Ref: "CHG0100", Due: day("2026-12-04"), Assignee: Bob})
	moved := e.createTask(Alice, &upgradebot.Task{Title: "Retire the fax queue", Ref: "CHG0101", Due: day("2026-12-10")})
	withdrawn := e.createTask(Alice, &upgradebot.Task{Title: "Vendor fix", Ref: "CHG0102"})
	doneHere := e.createTask(Alice, &upgradebot.Task{Title: "Already done here", Ref: "CHG0103"})
	if _, _, err := e.desk.CompleteTask(e.ctx, Alice, doneHere.ID, ""); err != nil {
		t.Fatal(err)
	}
	twice := []*upgradebot.Task{
		e.createTask(Alice, &upgradebot.Task{Title: "One ticket, two tasks: build", Ref: "CHG0106"}),
		e.createTask(Alice, &upgradebot.Task{Title: "One ticket, two tasks: test", Ref: "CHG0106"}),
	}
	batch := func() []*upgradebot.Task {
		return []*upgradebot.Task{
			{Title: "Patch the lab interface (renamed there)", Ref: "CHG0100", Status: upgradebot.StatusDone},
			{Title: "Retire the fax queue", Ref: "CHG0101", Due: day("2026-12-18"), Assignee: Alice, Priority: upgradebot.PriorityHigh},
			{Title: "Vendor fix", Ref: "CHG0102", Status: upgradebot.StatusCancelled},
			{Title: "Already done here", Ref: "CHG0103", Status: upgradebot.StatusOpen, Due: day("2027-01-04")},
			{Title: "Closed before we saw it", Ref: "CHG0104", Status: upgradebot.StatusDone},
			{Title: "No due date there", Ref: "CHG0001"},
			{Title: "One ticket", Ref: "CHG0106", Status: upgradebot.StatusDone},
		}
	}
	refs := func(tasks []*upgradebot.Task) []string {
		var out []string
		for _, t := range tasks {
			out = append(out, t.Ref)
		}
		return out
	}
	amark := e.lastAudit()

	// Without Update, existing refs are skipped as ever; the closed new
	// ticket is not created.
	res, err := e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{})
	ok(t, err)
	if len(res.Created) != 0 || len(res.Updated) != 0 || len(res.Skipped) != 6 || !slices.Equal(refs(res.Closed), []string{"CHG0104"}) {
		t.Errorf("without update: created %d, updated %d, skipped %q, closed %q", len(res.Created), len(res.Updated), refs(res.Skipped), refs(res.Closed))
	}
	e.wantActions(amark)

	// A dry run says what would change and changes nothing.
	res, err = e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{Update: true, DryRun: true})
	ok(t, err)
	if len(res.Updated) != 5 {
		t.Errorf("dry run: %d updated, want 5", len(res.Updated))
	}
	e.wantActions(amark)

	res, err = e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{Update: true})
	ok(t, err)
	var changes []string
	for _, u := range res.Updated {
		changes = append(changes, fmt.Sprintf("#%d %s %s→%s %s→%s", u.After.ID, u.After.Ref, u.Before.Status, u.After.Status, u.Before.Due, u.After.Due))
	}
	want := []string{
		fmt.Sprintf("#%d CHG0100 open→done 2026-12-04→2026-12-04", resolved.ID),
		fmt.Sprintf("#%d CHG0101 open→open 2026-12-10→2026-12-18", moved.ID),
		fmt.Sprintf("#%d CHG0102 open→cancelled →", withdrawn.ID),
		fmt.Sprintf("#%d CHG0106 open→done →", twice[0].ID),
		fmt.Sprintf("#%d CHG0106 open→done →", twice[1].ID),
	}
	if !slices.Equal(changes, want) {
		t.Errorf("updated:\n%s\nwant\n%s", strings.Join(changes, "\n"), strings.Join(want, "\n"))
	}
	if got := refs(res.Skipped); !slices.Equal(got, []string{"CHG0103", "CHG0001"}) || len(res.Created) != 0 || len(res.Closed) != 1 {
		t.Errorf("skipped %q, created %d, closed %d; want CHG0103 and CHG0001, 0, 1", got, len(res.Created), len(res.Closed))
	}
	e.wantActions(amark, "task.note", "task.done", "task.due", "task.note", "task.cancel", "task.note", "task.done", "task.note", "task.done")

	got, err := e.desk.FindTaskByID(e.ctx, resolved.ID)
	ok(t, err)
	if got.Status != upgradebot.StatusDone || got.ClosedBy != Admin || got.Title != "Patch the lab interface" {
		t.Errorf("resolved ticket's task: %+v", got)
	}
	notes, err := e.desk.TaskNotes(e.ctx, resolved.ID)
	ok(t, err)
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "ticket CHG0100 is done in the ticket system") {
		t.Errorf("notes %+v", notes)
	}
	got, err = e.desk.FindTaskByID(e.ctx, moved.ID)
	ok(t, err)
	if got.Due != day("2026-12-18") || got.Assignee != "" || got.Priority != upgradebot.PriorityNormal {
		t.Errorf("moved: due %s, assignee %q, priority %s; want the due date alone taken over", got.Due, got.Assignee, got.Priority)
	}
	got, err = e.desk.FindTaskByID(e.ctx, doneHere.ID)
	ok(t, err)
	if got.Status != upgradebot.StatusDone || !got.Due.IsZero() {
		t.Errorf("a task closed here was changed: %+v", got)
	}
	if _, n := e.findTasks(upgradebot.TaskFilter{Words: []string{"CHG0104"}}); n != 0 {
		t.Errorf("the closed new ticket was created")
	}

	// The same file again changes nothing.
	amark = e.lastAudit()
	res, err = e.desk.ImportTasks(e.ctx, Admin, batch(), upgradebot.ImportOptions{Update: true})
	ok(t, err)
	if len(res.Updated) != 0 || len(res.Skipped) != 6 {
		t.Errorf("again: %d updated, %d skipped; want 0, 6", len(res.Updated), len(res.Skipped))
	}
	e.wantActions(amark)

	_, err = e.desk.ImportTasks(e.ctx, Admin, []*upgradebot.Task{{Title: "Odd", Ref: "CHG0200", Status: "parked"}}, upgradebot.ImportOptions{Update: true})
	wantErr(t, err, upgradebot.EINVALID, "task 1 of 1 (ref CHG0200)", `status "parked"`)
}
