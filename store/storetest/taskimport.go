package storetest

import (
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
	if _, n := e.findTasks(upgradebot.TaskFilter{}); n != 3 {
		t.Errorf("%d tasks after failed imports, want 3", n)
	}
	e.wantActions(amark)
}
