package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Corrections to tasks (issue 10): several tasks at once, edit, unassign,
// reopen and undo, and everyone who loses a task is told.

// task reads a task back, failing the test if it cannot.
func (e *env) task(id int64) *upgradebot.Task {
	e.t.Helper()
	t, err := e.desk.FindTaskByID(e.ctx, id)
	if err != nil {
		e.t.Fatalf("FindTaskByID(%d): %v", id, err)
	}
	return t
}

// wantUnchanged checks that a refused command wrote nothing: no audit row,
// no message, and the tasks as they were.
func (e *env) wantUnchanged(amark, mark int64, tasks ...*upgradebot.Task) {
	e.t.Helper()
	e.wantActions(amark)
	if msgs := e.pending(mark); len(msgs) != 0 {
		e.t.Errorf("a refused command queued %s", summary(msgs))
	}
	for _, t := range tasks {
		if got := e.task(t.ID); taskString(got) != taskString(t) {
			e.t.Errorf("task #%d after a refused command:\n%s\nwant\n%s", t.ID, taskString(got), taskString(t))
		}
	}
}

// testBulkTasks: done, assign and cancel take several tasks in one
// transaction, each audited; a refused id refuses them all, naming it.
func testBulkTasks(t *testing.T, e *env) {
	a := e.createTask(Bob, &upgradebot.Task{Title: "Build order sets", Assignee: Bob})
	b := e.createTask(Bob, &upgradebot.Task{Title: "Test interfaces", Assignee: Alice})
	c := e.createTask(Bob, &upgradebot.Task{Title: "Train super users"})
	closed := e.createTask(Bob, &upgradebot.Task{Title: "Old work"})
	_, _, err := e.desk.CompleteTask(e.ctx, Alice, closed.ID, "")
	ok(t, err)
	every, _ := upgradebot.ParseInterval("2w")
	occ, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Duplicate MRN clean-up", Every: every, Anchor: day("2026-11-26")})
	ok(t, err)
	e.deliverAll()

	// A refused id refuses the whole command, saying which and why.
	snap := []*upgradebot.Task{e.task(a.ID), e.task(b.ID), e.task(c.ID)}
	amark, mark := e.lastAudit(), e.lastMessage()
	_, _, err = e.desk.CompleteTasks(e.ctx, Bob, []int64{a.ID, b.ID, 999999}, "")
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999999.", "None of #1, #2 and #999999 was marked done.")
	_, _, err = e.desk.CompleteTasks(e.ctx, Bob, []int64{a.ID, closed.ID, b.ID}, "")
	wantErr(t, err, upgradebot.ECONFLICT, "Task #4 was already done by <@UALICE> at 2026-11-26 09:00 EST.", "None of #1, #4 and #2 was marked done.")
	_, _, err = e.desk.AssignTasks(e.ctx, Admin, []int64{a.ID, 999999}, Alice)
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999999.", "None of #1 and #999999 was assigned.")
	_, err = e.desk.CancelTasks(e.ctx, Admin, []int64{closed.ID, c.ID}, "")
	wantErr(t, err, upgradebot.ECONFLICT, "Task #4 was already done", "None of #4 and #3 was cancelled.")
	_, _, err = e.desk.CompleteTasks(e.ctx, Bob, []int64{a.ID, a.ID}, "")
	wantErr(t, err, upgradebot.EINVALID, "#1 is given twice")
	many := []int64{a.ID, b.ID, c.ID, 999990, 999991, 999992, 999993, 999994, 999995, 999996, 999997}
	_, _, err = e.desk.CompleteTasks(e.ctx, Bob, many, "")
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999990. None of the 11 tasks was marked done.")
	e.wantUnchanged(amark, mark, snap...)

	// done 1 2 and the clean-up's occurrence: one transaction, each task
	// audited, the occurrence followed by its next.
	e.clock.Advance(time.Minute)
	amark, mark = e.lastAudit(), e.lastMessage()
	done, next, err := e.desk.CompleteTasks(e.ctx, Bob, []int64{a.ID, b.ID, occ.ID}, "Signed off")
	ok(t, err)
	if len(done) != 3 || len(next) != 3 || next[0] != nil || next[1] != nil || next[2] == nil || next[2].Due != day("2026-12-10") {
		t.Fatalf("CompleteTasks = %v, next %v", done, next)
	}
	for _, d := range done {
		if d.Status != upgradebot.StatusDone || d.ClosedBy != Bob || !d.ClosedAt.Equal(e.clock.Now()) {
			t.Errorf("done = %+v", d)
		}
	}
	rows := e.wantActions(amark, "task.note", "task.done", "task.note", "task.done", "task.note", "task.done", "task.add")
	for _, r := range rows {
		sameTime(t, "audit row at", r.At, e.clock.Now())
	}
	// Bob closed Alice's task: closing is not losing it, nobody is told.
	e.wantMessages(mark)

	// assign 2 tasks: the new assignee is told once; whoever had one is
	// told it was taken off them.
	d := e.createTask(Bob, &upgradebot.Task{Title: "Plan downtime", Assignee: Bob})
	f := e.createTask(Bob, &upgradebot.Task{Title: "Print labels", Assignee: Alice})
	e.deliverAll()
	amark, mark = e.lastAudit(), e.lastMessage()
	was, got, err := e.desk.AssignTasks(e.ctx, Admin, []int64{c.ID, d.ID, f.ID}, Alice)
	ok(t, err)
	if len(got) != 3 || got[0].Assignee != Alice || got[1].Assignee != Alice || got[2].Assignee != Alice ||
		len(was) != 3 || was[0].Assignee != "" || was[1].Assignee != Bob || was[2].Assignee != Alice {
		t.Errorf("AssignTasks = %v, %v", was, got)
	}
	e.wantActions(amark, "task.assign", "task.assign", "task.assign")
	msgs := e.wantMessages(mark, "dm "+Alice, "dm "+Bob)
	if len(msgs) == 2 {
		// Issue 15: the tasks are items with their buttons (FullText
		// has them as lines).
		if text := msgs[0].FullText(); !strings.Contains(text, "<@UADMIN> assigned you 2 tasks:\n• #3 Train super users") || strings.Contains(text, "#8") {
			t.Errorf("assignee told %q", text)
		}
		if want := "<@UADMIN> reassigned your task #7 Plan downtime to <@UALICE>."; msgs[1].Text != want {
			t.Errorf("former assignee told %q, want %q", msgs[1].Text, want)
		}
	}

	// cancel with a reason: each assignee but the actor is told.
	g := e.createTask(Alice, &upgradebot.Task{Title: "Mine", Assignee: Alice})
	e.deliverAll()
	amark, mark = e.lastAudit(), e.lastMessage()
	cancelled, err := e.desk.CancelTasks(e.ctx, Bob, []int64{c.ID, d.ID, g.ID}, "Not this cycle")
	ok(t, err)
	if len(cancelled) != 3 || cancelled[2].Status != upgradebot.StatusCancelled {
		t.Errorf("CancelTasks = %v", cancelled)
	}
	e.wantActions(amark, "task.note", "task.cancel", "task.note", "task.cancel", "task.note", "task.cancel")
	msgs = e.wantMessages(mark, "dm "+Alice)
	if len(msgs) == 1 && !strings.HasPrefix(msgs[0].Text, "<@UBOB> cancelled 3 of your tasks (Not this cycle):\n• #3 Train super users") {
		t.Errorf("assignee told %q", msgs[0].Text)
	}
	mark = e.lastMessage()
	_, err = e.desk.CancelTask(e.ctx, Bob, f.ID, "")
	ok(t, err)
	msgs = e.wantMessages(mark, "dm "+Alice)
	if want := "<@UBOB> cancelled your task #8 Print labels."; len(msgs) == 1 && msgs[0].Text != want {
		t.Errorf("assignee told %q, want %q", msgs[0].Text, want)
	}
}

// testUnassignReopen: unassigning and reopening, audited, with the person
// who had the task (or has it again) told when someone else does it.
func testUnassignReopen(t *testing.T, e *env) {
	task := e.createTask(Bob, &upgradebot.Task{Title: "Build order sets", Assignee: Alice})
	e.deliverAll()

	amark, mark := e.lastAudit(), e.lastMessage()
	got, err := e.desk.AssignTask(e.ctx, Bob, task.ID, "")
	ok(t, err)
	if got.Assignee != "" {
		t.Errorf("unassigned task = %+v", got)
	}
	e.wantActions(amark, "task.unassign")
	msgs := e.wantMessages(mark, "dm "+Alice)
	if want := "<@UBOB> unassigned your task #1 Build order sets, which nobody has now."; len(msgs) == 1 && msgs[0].Text != want {
		t.Errorf("told %q, want %q", msgs[0].Text, want)
	}
	amark, mark = e.lastAudit(), e.lastMessage()
	_, err = e.desk.AssignTask(e.ctx, Bob, task.ID, "")
	wantErr(t, err, upgradebot.ECONFLICT, "Task #1 is not assigned to anyone.")
	e.wantUnchanged(amark, mark, got)

	// Unassigning your own task tells nobody.
	ok(t, func() error { _, err := e.desk.AssignTask(e.ctx, Alice, task.ID, Alice); return err }())
	mark = e.lastMessage()
	_, err = e.desk.AssignTask(e.ctx, Alice, task.ID, "")
	ok(t, err)
	e.wantMessages(mark)

	// Reopen.
	ok(t, func() error { _, err := e.desk.AssignTask(e.ctx, Alice, task.ID, Alice); return err }())
	open := e.task(task.ID)
	_, err = e.desk.ReopenTask(e.ctx, Bob, task.ID)
	wantErr(t, err, upgradebot.ECONFLICT, "Task #1 is open already.")
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, task.ID, "")
	ok(t, err)
	e.deliverAll()
	e.clock.Advance(time.Hour)
	amark, mark = e.lastAudit(), e.lastMessage()
	re, err := e.desk.ReopenTask(e.ctx, Bob, task.ID)
	ok(t, err)
	if re.Status != upgradebot.StatusOpen || re.ClosedBy != "" || !re.ClosedAt.IsZero() || !re.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("reopened = %+v", re)
	}
	if taskString(withUpdated(re, open.UpdatedAt)) != taskString(open) {
		t.Errorf("reopened\n%s\nwant as it was open\n%s", taskString(re), taskString(open))
	}
	rows := e.wantActions(amark, "task.reopen")
	if len(rows) == 1 && (!strings.Contains(rows[0].Before, `"status":"done"`) || !strings.Contains(rows[0].After, `"status":"open"`)) {
		t.Errorf("task.reopen row %+v", rows[0])
	}
	msgs = e.wantMessages(mark, "dm "+Alice)
	if len(msgs) == 1 && !strings.HasPrefix(msgs[0].Text, "<@UBOB> reopened your task #1 Build order sets") {
		t.Errorf("told %q", msgs[0].Text)
	}
	_, err = e.desk.ReopenTask(e.ctx, Bob, 999999)
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999999.")
}

// withUpdated is t with UpdatedAt set, for comparing everything else.
func withUpdated(t *upgradebot.Task, at time.Time) *upgradebot.Task {
	c := *t
	c.UpdatedAt = at
	return &c
}

// testEditTask: edit changes the fields named, each checked as a new task's
// are, audited with before and after; the assignee hears of someone
// else's edit.
func testEditTask(t *testing.T, e *env) {
	r := &upgradebot.Release{Vendor: "MedCore", Name: "2027.1", GA: day("2027-03-01")}
	ok(t, e.desk.CreateRelease(e.ctx, Admin, r))
	task := e.createTask(Bob, &upgradebot.Task{Title: "Build order sets", Assignee: Alice, Due: day("2026-12-04"), Ref: "CHG1"})
	e.deliverAll()

	e.clock.Advance(time.Minute)
	amark, mark := e.lastAudit(), e.lastMessage()
	title, due, prio, est, rel, ref := "Build the order sets", day("2026-12-07"), upgradebot.PriorityHigh, 8*time.Hour, r.Key, ""
	was, got, err := e.desk.EditTask(e.ctx, Bob, task.ID, upgradebot.TaskEdit{Title: &title, Due: &due, Priority: &prio, Estimate: &est, Release: &rel, Ref: &ref})
	ok(t, err)
	want := *task
	want.Title, want.Due, want.Priority, want.Estimate, want.Release, want.Ref, want.UpdatedAt = title, due, prio, est, rel, "", e.clock.Now()
	if taskString(was) != taskString(task) {
		t.Errorf("EditTask returned before\n%s\nwant\n%s", taskString(was), taskString(task))
	}
	if taskString(got) != taskString(&want) || taskString(e.task(task.ID)) != taskString(&want) {
		t.Errorf("edited\n%s\nstored\n%s\nwant\n%s", taskString(got), taskString(e.task(task.ID)), taskString(&want))
	}
	rows := e.wantActions(amark, "task.edit")
	if len(rows) == 1 {
		var b, a upgradebot.Task
		if json.Unmarshal([]byte(rows[0].Before), &b) != nil || json.Unmarshal([]byte(rows[0].After), &a) != nil ||
			b.Title != task.Title || a.Title != title || b.Due != task.Due || a.Due != due {
			t.Errorf("task.edit before %s after %s", rows[0].Before, rows[0].After)
		}
	}
	msgs := e.wantMessages(mark, "dm "+Alice)
	if len(msgs) == 1 && !strings.HasPrefix(msgs[0].Text, `<@UBOB> changed your task #1 Build order sets: title: "Build order sets" → "Build the order sets", due: Fri 4 Dec 2026 → Mon 7 Dec 2026, prio: normal → high, est: none → 8h, release: none → medcore-2027.1, ref: CHG1 → none.`) {
		t.Errorf("assignee told %q", msgs[0].Text)
	}

	// The assignee's own edit tells nobody.
	mark = e.lastMessage()
	kind := upgradebot.KindMaintenance
	_, _, err = e.desk.EditTask(e.ctx, Alice, task.ID, upgradebot.TaskEdit{Kind: &kind})
	ok(t, err)
	e.wantMessages(mark)

	// Refusals change nothing.
	snap := e.task(task.ID)
	amark, mark = e.lastAudit(), e.lastMessage()
	bad, empty, long, nope, same := upgradebot.Priority("urgent"), "", strings.Repeat("x", upgradebot.MaxTitleLen+1), "nope", upgradebot.PriorityHigh
	negative, badKind := -time.Hour, upgradebot.TaskKind("party")
	for _, c := range []struct {
		edit  upgradebot.TaskEdit
		code  string
		parts []string
	}{
		{upgradebot.TaskEdit{}, upgradebot.EINVALID, []string{"Say what to change"}},
		{upgradebot.TaskEdit{Priority: &bad}, upgradebot.EINVALID, []string{`priority "urgent"`}},
		{upgradebot.TaskEdit{Title: &empty}, upgradebot.EINVALID, []string{"title is empty"}},
		{upgradebot.TaskEdit{Title: &long}, upgradebot.EINVALID, []string{"keep it under"}},
		{upgradebot.TaskEdit{Estimate: &negative}, upgradebot.EINVALID, []string{"estimate"}},
		{upgradebot.TaskEdit{Kind: &badKind}, upgradebot.EINVALID, []string{`kind "party"`}},
		{upgradebot.TaskEdit{Release: &nope}, upgradebot.ENOTFOUND, []string{"No release with key nope"}},
		{upgradebot.TaskEdit{Priority: &same}, upgradebot.EINVALID, []string{"already has those values"}},
	} {
		_, _, err := e.desk.EditTask(e.ctx, Bob, task.ID, c.edit)
		wantErr(t, err, c.code, c.parts...)
	}
	_, _, err = e.desk.EditTask(e.ctx, Bob, 999999, upgradebot.TaskEdit{Priority: &prio})
	wantErr(t, err, upgradebot.ENOTFOUND, "No task #999999.")
	e.wantUnchanged(amark, mark, snap)

	_, err = e.desk.CancelTask(e.ctx, Alice, task.ID, "")
	ok(t, err)
	low := upgradebot.PriorityLow
	_, _, err = e.desk.EditTask(e.ctx, Bob, task.ID, upgradebot.TaskEdit{Priority: &low})
	wantErr(t, err, upgradebot.ECONFLICT, "already cancelled", "`reopen 1` opens it again.")

	// A clean-up's occurrence keeps its kind and its own day.
	every, _ := upgradebot.ParseInterval("1w")
	occ, err := e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Purge test patients", Every: every, Anchor: day("2026-11-26")})
	ok(t, err)
	_, next, err := e.desk.CompleteTask(e.ctx, Admin, occ.ID, "")
	ok(t, err)
	_, _, err = e.desk.EditTask(e.ctx, Admin, next.ID, upgradebot.TaskEdit{Kind: &kind})
	wantErr(t, err, upgradebot.EINVALID, "kind stays cleanup")
	_, err = e.desk.ReopenTask(e.ctx, Admin, occ.ID)
	ok(t, err)
	_, _, err = e.desk.EditTask(e.ctx, Admin, occ.ID, upgradebot.TaskEdit{Due: &next.Due})
	wantErr(t, err, upgradebot.ECONFLICT, "already this clean-up's occurrence due Thu 3 Dec 2026")
}
