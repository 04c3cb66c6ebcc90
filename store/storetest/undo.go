package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// undoKinds are the changes undo takes back: each made by Bob to a task
// Alice has, and a later change by Alice that stops Bob's undo.
var undoKinds = []struct {
	name   string
	closed bool // the task starts closed (for reopen)
	change func(e *env, id int64) error
	other  func(e *env, id int64) error
}{
	{name: "done",
		change: func(e *env, id int64) error {
			_, _, err := e.desk.CompleteTask(e.ctx, Bob, id, "Went live")
			return err
		},
		other: func(e *env, id int64) error { _, err := e.desk.ReopenTask(e.ctx, Alice, id); return err }},
	{name: "assign",
		change: func(e *env, id int64) error { _, err := e.desk.AssignTask(e.ctx, Bob, id, Bob); return err },
		other: func(e *env, id int64) error {
			_, err := e.desk.SetTaskDue(e.ctx, Alice, id, day("2027-01-08"))
			return err
		}},
	{name: "unassign",
		change: func(e *env, id int64) error { _, err := e.desk.AssignTask(e.ctx, Bob, id, ""); return err },
		other:  func(e *env, id int64) error { _, err := e.desk.AssignTask(e.ctx, Alice, id, Alice); return err }},
	{name: "due",
		change: func(e *env, id int64) error {
			_, err := e.desk.SetTaskDue(e.ctx, Bob, id, day("2026-12-18"))
			return err
		},
		other: func(e *env, id int64) error {
			p := upgradebot.PriorityLow
			_, _, err := e.desk.EditTask(e.ctx, Alice, id, upgradebot.TaskEdit{Priority: &p})
			return err
		}},
	{name: "edit",
		change: func(e *env, id int64) error {
			title, p, est, none := "Build the order sets", upgradebot.PriorityHigh, 6*time.Hour, ""
			_, _, err := e.desk.EditTask(e.ctx, Bob, id, upgradebot.TaskEdit{Title: &title, Priority: &p, Estimate: &est, Ref: &none})
			return err
		},
		other: func(e *env, id int64) error {
			_, err := e.desk.SetTaskDue(e.ctx, Alice, id, day("2027-01-08"))
			return err
		}},
	{name: "cancel",
		change: func(e *env, id int64) error { _, err := e.desk.CancelTask(e.ctx, Bob, id, "Not needed"); return err },
		other:  func(e *env, id int64) error { _, err := e.desk.ReopenTask(e.ctx, Alice, id); return err }},
	{name: "reopen", closed: true,
		change: func(e *env, id int64) error { _, err := e.desk.ReopenTask(e.ctx, Bob, id); return err },
		other:  func(e *env, id int64) error { _, _, err := e.desk.CompleteTask(e.ctx, Alice, id, ""); return err }},
}

// undoTask makes the task a kind starts from: Alice's, with every field
// set, closed by Alice for reopen.
func (e *env) undoTask(closed bool) *upgradebot.Task {
	e.t.Helper()
	t := e.createTask(Admin, &upgradebot.Task{Title: "Build order sets", Assignee: Alice, Due: day("2026-12-04"),
		Priority: upgradebot.PriorityNormal, Ref: "CHG1", Estimate: 4 * time.Hour})
	if closed {
		if _, _, err := e.desk.CompleteTask(e.ctx, Alice, t.ID, ""); err != nil {
			e.t.Fatal(err)
		}
	}
	e.clock.Advance(time.Minute)
	return e.task(t.ID)
}

// testUndo: undo after each kind of change restores exactly the earlier
// state (its time of last change aside), audited as task.undo; it is
// refused, changing nothing, after someone else's later change.
func testUndo(t *testing.T, e *env) {
	defer func() { e.t = t }()
	for _, k := range undoKinds {
		t.Run(k.name, func(t *testing.T) {
			e.t = t
			before := e.undoTask(k.closed)
			ok(t, k.change(e, before.ID))
			changed := e.task(before.ID)
			e.clock.Advance(5 * time.Minute)

			amark := e.lastAudit()
			u, err := e.desk.UndoTaskChange(e.ctx, Bob)
			ok(t, err)
			after := e.task(before.ID)
			if !after.UpdatedAt.Equal(e.clock.Now()) {
				t.Errorf("UpdatedAt = %v, want the undo's time %v", after.UpdatedAt, e.clock.Now())
			}
			if got := taskString(withUpdated(after, before.UpdatedAt)); got != taskString(before) {
				t.Errorf("after undo\n%s\nwant as before\n%s", got, taskString(before))
			}
			if u.Action != "task."+k.name || len(u.Tasks) != 1 || taskString(u.Tasks[0]) != taskString(after) ||
				len(u.Was) != 1 || taskString(u.Was[0]) != taskString(changed) || len(u.Removed) != 0 {
				t.Errorf("UndoTaskChange = %+v", u)
			}
			rows := e.wantActions(amark, "task.undo")
			if len(rows) == 1 && (rows[0].Actor != Bob || rows[0].EntityID != before.ID) {
				t.Errorf("task.undo row %+v", rows[0])
			}

			// Someone else's later change stops it.
			task := e.undoTask(k.closed)
			ok(t, k.change(e, task.ID))
			e.clock.Advance(time.Minute)
			ok(t, k.other(e, task.ID))
			snap := e.task(task.ID)
			amark, mark := e.lastAudit(), e.lastMessage()
			_, err = e.desk.UndoTaskChange(e.ctx, Bob)
			wantErr(t, err, upgradebot.ECONFLICT, fmt.Sprintf("<@UALICE> changed #%d since your `%s`", task.ID, k.name), "nothing was changed")
			e.wantUnchanged(amark, mark, snap)
		})
	}
}

// testUndoChange: undo takes back a whole command (several tasks, a
// clean-up's next occurrence), within the window, once someone else's note
// aside; it says why when it cannot; undoing an undo puts the change back;
// whoever had or has a task again is told.
func testUndoChange(t *testing.T, e *env) {
	_, err := e.desk.UndoTaskChange(e.ctx, Bob)
	wantErr(t, err, upgradebot.ENOTFOUND, "You have not changed a task yet.", "within 15 minutes")

	// Adding is not undone; its refusal says what is.
	added := e.createTask(Bob, &upgradebot.Task{Title: "Mistyped"})
	_, err = e.desk.UndoTaskChange(e.ctx, Bob)
	wantErr(t, err, upgradebot.ECONFLICT, fmt.Sprintf("adding #%d, which undo does not take back: `cancel %d`", added.ID, added.ID), "done, assign, unassign, due, edit, cancel or reopen")

	// Nor is a change that was more than tasks: a new clean-up and its
	// first occurrence.
	every, _ := upgradebot.ParseInterval("2w")
	own, err := e.desk.CreateMaintenance(e.ctx, Bob, &upgradebot.Maintenance{Title: "Purge test patients", Every: every, Anchor: day("2026-12-01")})
	ok(t, err)
	_, err = e.desk.UndoTaskChange(e.ctx, Bob)
	wantErr(t, err, upgradebot.ECONFLICT, fmt.Sprintf("adding #%d", own.ID))
	e.clock.Advance(time.Minute)
	_, _, err = e.desk.CompleteTask(e.ctx, Bob, own.ID, "")
	ok(t, err)
	_, err = e.desk.UndoTaskChange(e.ctx, Bob)
	ok(t, err)

	// done 1 2 and a clean-up's occurrence, undone at once; the next
	// occurrence it scheduled is cancelled.
	a := e.undoTask(false)
	b := e.undoTask(false)
	m := &upgradebot.Maintenance{Title: "Duplicate MRN clean-up", Every: every, Assignee: Alice, Anchor: day("2026-11-26")}
	first, err := e.desk.CreateMaintenance(e.ctx, Admin, m)
	ok(t, err)
	first = e.task(first.ID)
	e.deliverAll()
	_, next, err := e.desk.CompleteTasks(e.ctx, Bob, []int64{a.ID, b.ID, first.ID}, "Done together")
	ok(t, err)
	occ := next[2]
	// Someone else's note since is history, not a change.
	_, err = e.desk.AddTaskNote(e.ctx, Alice, a.ID, "Checked")
	ok(t, err)
	e.clock.Advance(14 * time.Minute)
	amark, mark := e.lastAudit(), e.lastMessage()
	u, err := e.desk.UndoTaskChange(e.ctx, Bob)
	ok(t, err)
	for _, want := range []*upgradebot.Task{a, b, first} {
		if got := e.task(want.ID); taskString(withUpdated(got, want.UpdatedAt)) != taskString(want) {
			t.Errorf("after undo\n%s\nwant\n%s", taskString(got), taskString(want))
		}
	}
	gone := e.task(occ.ID)
	if gone.Status != upgradebot.StatusCancelled || gone.ClosedBy != Bob {
		t.Errorf("next occurrence after undo = %+v, want cancelled", gone)
	}
	if len(u.Tasks) != 3 || len(u.Removed) != 1 || u.Removed[0].ID != occ.ID || u.Action != "task.done" {
		t.Errorf("UndoTaskChange = %+v", u)
	}
	e.wantActions(amark, "task.undo", "task.undo", "task.undo", "task.undo")
	msgs := e.wantMessages(mark, "dm "+Alice)
	if len(msgs) == 1 && !strings.HasPrefix(msgs[0].Text, "<@UBOB> took back their `done`:\n• #") {
		t.Errorf("Alice told %q", msgs[0].Text)
	}
	if notes, err := e.desk.TaskNotes(e.ctx, a.ID); err != nil || len(notes) != 2 {
		t.Errorf("notes after undo: %v (%v), want both kept", notes, err)
	}
	list, err := e.desk.FindMaintenance(e.ctx)
	ok(t, err)
	if i := slices.IndexFunc(list, func(c *upgradebot.Maintenance) bool { return c.ID == m.ID }); i < 0 || list[i].OpenTaskID != first.ID {
		t.Errorf("FindMaintenance = %+v, want #%d open again", list, first.ID)
	}

	// Undoing the undo puts the change back, the same next occurrence
	// included; so does doing it again.
	u, err = e.desk.UndoTaskChange(e.ctx, Bob)
	ok(t, err)
	if u.Action != "task.undo" || e.task(a.ID).Status != upgradebot.StatusDone || e.task(occ.ID).Status != upgradebot.StatusOpen {
		t.Errorf("undo of undo = %+v; #%d %s, #%d %s", u, a.ID, e.task(a.ID).Status, occ.ID, e.task(occ.ID).Status)
	}
	ok(t, func() error { _, err := e.desk.UndoTaskChange(e.ctx, Bob); return err }())
	_, again, err := e.desk.CompleteTask(e.ctx, Bob, first.ID, "")
	ok(t, err)
	if again == nil || again.ID != occ.ID || again.Status != upgradebot.StatusOpen || again.Assignee != Alice {
		t.Errorf("next occurrence after done, undo, done = %+v, want #%d open again", again, occ.ID)
	}
	open, _ := e.findTasks(upgradebot.TaskFilter{Kind: upgradebot.KindCleanup, Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}})
	if n := len(slices.DeleteFunc(open, func(o *upgradebot.Task) bool { return o.MaintenanceID != m.ID })); n != 1 {
		t.Errorf("%d open occurrences, want 1", n)
	}

	// Too old: past the window, refused saying when and what to do.
	c := e.undoTask(false)
	_, err = e.desk.CancelTask(e.ctx, Bob, c.ID, "")
	ok(t, err)
	at := e.clock.Now()
	e.clock.Advance(upgradebot.UndoWindow + time.Second)
	snap := e.task(c.ID)
	amark, mark = e.lastAudit(), e.lastMessage()
	_, err = e.desk.UndoTaskChange(e.ctx, Bob)
	wantErr(t, err, upgradebot.ECONFLICT, fmt.Sprintf("`cancel` of #%d at %s, is more than 15 minutes old", c.ID, at.In(NewYork).Format("2006-01-02 15:04 MST")),
		fmt.Sprintf("`reopen %d` opens it again", c.ID))
	e.wantUnchanged(amark, mark, snap)

	// Only one's own change: Alice has none to undo of Bob's.
	_, err = e.desk.UndoTaskChange(e.ctx, Alice)
	wantErr(t, err, upgradebot.ENOTFOUND, "You have not changed a task yet.")

	// Undo of an assignment tells the person who lost the task it is theirs
	// again, and the one who had it no longer.
	d := e.undoTask(false)
	_, err = e.desk.AssignTask(e.ctx, Bob, d.ID, Admin)
	ok(t, err)
	mark = e.lastMessage()
	_, err = e.desk.UndoTaskChange(e.ctx, Bob)
	ok(t, err)
	msgs = e.wantMessages(mark, "dm "+Admin, "dm "+Alice)
	if len(msgs) == 2 && !strings.Contains(msgs[1].Text, fmt.Sprintf("#%d Build order sets · <@UALICE>", d.ID)) ||
		len(msgs) == 2 && !strings.Contains(msgs[1].Text, "(assignee: <@UADMIN> → <@UALICE>)") {
		t.Errorf("Alice told %q", msgs[1].Text)
	}
}
