package storetest

import (
	"slices"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// deliverAll marks every pending message sent, so that what a change
// queues next is not folded into a refresh already pending.
func (e *env) deliverAll() {
	e.t.Helper()
	for _, m := range e.pending(0) {
		ok(e.t, e.desk.MarkSent(e.ctx, m.ID, "D0", "1.1"))
	}
}

// wantHomes checks whose App Home refreshes are pending after mark, in any
// order.
func (e *env) wantHomes(mark int64, want ...string) {
	e.t.Helper()
	got := e.newHomes(mark)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		e.t.Errorf("App Home refreshes for %q, want %q", got, want)
	}
}

// testHomeRefresh: a change refreshes the App Home of whoever made it and
// of the people whose App Home it changes, in the change's own
// transaction; a refused change refreshes nobody; a refresh for someone
// with one pending is folded into it.
func testHomeRefresh(t *testing.T, e *env) {
	task := e.createTask(Bob, &upgradebot.Task{Title: "Upgrade lab interface", Due: day("2026-12-05")})
	e.deliverAll()

	// Assigning to someone else: the task, its audit row, the assignee's
	// DM and both App Home refreshes are there together as soon as
	// AssignTask returns, all from one moment.
	mark, amark := e.lastMessage(), e.lastAudit()
	got, err := e.desk.AssignTask(e.ctx, Bob, task.ID, Alice)
	ok(t, err)
	if stored, err := e.desk.FindTaskByID(e.ctx, task.ID); err != nil || stored.Assignee != Alice || got.Assignee != Alice {
		t.Errorf("task after assigning = %+v (%v), returned %+v; want Alice's", stored, err, got)
	}
	rows := e.wantActions(amark, "task.assign")
	e.wantMessages(mark, "dm "+Alice)
	e.wantHomes(mark, Bob, Alice)
	for _, m := range e.pending(mark) {
		sameTime(t, string(m.Kind)+" to "+m.To+" queued at", m.CreatedAt, got.UpdatedAt)
	}
	if len(rows) == 1 {
		sameTime(t, "audit row at", rows[0].At, got.UpdatedAt)
	}

	// A second refresh for someone with one pending is folded into it: the
	// change's own, and one queued after it (as the bot does).
	mark = e.lastMessage()
	_, err = e.desk.SetTaskDue(e.ctx, Bob, task.ID, day("2026-12-10"))
	ok(t, err)
	ok(t, e.desk.QueueMessages(e.ctx, []upgradebot.Message{upgradebot.HomeMessage(Alice), upgradebot.HomeMessage(Bob)}))
	e.wantHomes(mark)
	e.wantHomes(0, Bob, Alice)

	// Once delivered, the next change refreshes again: reassigning
	// refreshes the assignee before and after.
	e.deliverAll()
	mark = e.lastMessage()
	_, err = e.desk.AssignTask(e.ctx, Admin, task.ID, Bob)
	ok(t, err)
	e.wantHomes(mark, Admin, Alice, Bob)

	// Closing, and noting, refresh the closer and the assignee.
	e.deliverAll()
	mark = e.lastMessage()
	_, err = e.desk.AddTaskNote(e.ctx, Alice, task.ID, "Vendor call booked")
	ok(t, err)
	e.wantHomes(mark, Alice, Bob)
	e.deliverAll()
	mark = e.lastMessage()
	_, _, err = e.desk.CompleteTask(e.ctx, Alice, task.ID, "")
	ok(t, err)
	e.wantHomes(mark, Alice, Bob)

	// A refused change queues nothing: no DM, no refresh, no audit row.
	open := e.createTask(Bob, &upgradebot.Task{Title: "Patch pharmacy feed"})
	e.deliverAll()
	mark, amark = e.lastMessage(), e.lastAudit()
	_, err = e.desk.AssignTask(e.ctx, Bob, task.ID, Alice)
	wantErr(t, err, upgradebot.ECONFLICT, "already done")
	_, err = e.desk.AssignTask(e.ctx, Bob, open.ID, "alice")
	wantErr(t, err, upgradebot.EINVALID, "alice")
	_, err = e.desk.AssignTask(e.ctx, "", open.ID, Alice)
	wantErr(t, err, upgradebot.EINVALID)
	if msgs := e.pending(mark); len(msgs) != 0 {
		t.Errorf("refused changes queued %q", summary(msgs))
	}
	e.wantActions(amark)

	// Decisions: asking refreshes the requester and whoever it is routed
	// to; deciding, the decider and the requester.
	e.setOwner(Owner)
	e.deliverAll()
	mark = e.lastMessage()
	d := &upgradebot.Decision{Question: "Take 2027.1 in March?"}
	_, err = e.desk.CreateDecision(e.ctx, Alice, d)
	ok(t, err)
	e.wantHomes(mark, Alice, Owner)
	e.deliverAll()
	mark = e.lastMessage()
	_, err = e.desk.Decide(e.ctx, Owner, d.ID, upgradebot.DecisionApproved, "")
	ok(t, err)
	e.wantHomes(mark, Owner, Alice)

	// A new clean-up refreshes its creator and its first occurrence's
	// assignee; the occurrences the bot schedules on its own refresh
	// nobody.
	every, err := upgradebot.ParseInterval("1w")
	ok(t, err)
	e.deliverAll()
	mark = e.lastMessage()
	_, err = e.desk.CreateMaintenance(e.ctx, Admin, &upgradebot.Maintenance{Title: "Purge test patients", Every: every,
		Assignee: Alice, Anchor: e.today()})
	ok(t, err)
	e.wantHomes(mark, Admin, Alice)
	e.deliverAll()
	mark = e.lastMessage()
	created, err := e.desk.CreateDueOccurrences(e.ctx, e.today().AddDays(14), true)
	ok(t, err)
	if len(created) == 0 {
		t.Fatal("no occurrences created")
	}
	e.wantHomes(mark)
}
