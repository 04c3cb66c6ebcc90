package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
)

// testCleanupCorrections: a recurring clean-up can be edited, paused,
// resumed and removed (issue 10: "maint remove 4", "maint 4 pause", "maint
// edit 4 every:…" were unknown, so a clean-up could not be changed at
// all), each change audited with its occurrences, and the assignee told
// when someone else makes it. Kept to working days, an occurrence that
// falls on a weekend or a holiday is due on the next working day.
func testCleanupCorrections(t *testing.T, e *env) {
	ok(t, e.desk.SetHolidays(e.ctx, Admin, []upgradebot.Date{day("2026-12-28")}))
	weekly, err := upgradebot.ParseInterval("1w")
	ok(t, err)
	every2w, err := upgradebot.ParseInterval("2w")
	ok(t, err)

	// Kept to working days from the start: a Saturday anchor is due Monday.
	sat := &upgradebot.Maintenance{Title: "Interface error queue", Every: weekly, Anchor: day("2026-11-28"), Workdays: true}
	first, err := e.desk.CreateMaintenance(e.ctx, Alice, sat)
	ok(t, err)
	if first.Due != day("2026-11-30") || !sat.Workdays {
		t.Errorf("first occurrence of a Saturday clean-up kept to working days is due %s, want Mon 30 Nov", first.Due)
	}

	m := &upgradebot.Maintenance{Title: "Master file clean-up", Every: every2w, Assignee: Alice, Anchor: e.today()}
	occ, err := e.desk.CreateMaintenance(e.ctx, Alice, m)
	ok(t, err)

	// Someone else changes it: the open occurrence follows the new title
	// and moves to the new schedule; Alice is told.
	mark, amark := e.lastMessage(), e.lastAudit()
	yes := true
	res, err := e.desk.EditMaintenance(e.ctx, Bob, m.ID, upgradebot.MaintenanceChange{
		Title: "Provider master file clean-up", Every: weekly, Anchor: day("2026-11-28"), Workdays: &yes})
	ok(t, err)
	got := res.Maintenance
	if got.Title != "Provider master file clean-up" || got.Every != weekly || got.Anchor != day("2026-11-28") || !got.Workdays ||
		got.Assignee != Alice || !got.Active || got.Paused {
		t.Errorf("edited clean-up = %+v", got)
	}
	if len(res.Occurrences) != 1 || res.Occurrences[0].ID != occ.ID || res.Occurrences[0].Due != day("2026-11-30") ||
		res.Occurrences[0].Title != "Provider master file clean-up" {
		t.Errorf("occurrences = %+v, want #%d retitled and due Mon 30 Nov", res.Occurrences, occ.ID)
	}
	if len(res.Told) != 1 || res.Told[0] != Alice {
		t.Errorf("told %q, want Alice", res.Told)
	}
	rows := e.wantActions(amark, "maintenance.edit", "task.edit", "task.due")
	if len(rows) == 3 && (rows[0].EntityID != m.ID || !strings.Contains(rows[0].Before, `"2w"`) || !strings.Contains(rows[0].After, `"workdays":true`) ||
		rows[2].EntityID != occ.ID || !strings.Contains(rows[2].After, `"due":"2026-11-30"`)) {
		t.Errorf("audit rows = %+v", rows)
	}
	msgs := e.newMessages(mark)
	if len(msgs) != 1 || msgs[0].To != Alice || !strings.Contains(msgs[0].Text, "<@"+Bob+"> changed your recurring clean-up") ||
		!strings.Contains(msgs[0].Text, "every week") || !strings.Contains(msgs[0].Text, "is now due Mon 30 Nov 2026") {
		t.Errorf("messages = %+v, want one DM to Alice saying what changed", msgs)
	}
	if task, err := e.desk.FindTaskByID(e.ctx, occ.ID); err != nil || task.Due != day("2026-11-30") || task.Title != "Provider master file clean-up" {
		t.Errorf("occurrence read back = %+v, %v", task, err)
	}

	// Alice gives it to Bob herself: only Bob is told, and the open
	// occurrence goes with it.
	mark, amark = e.lastMessage(), e.lastAudit()
	res, err = e.desk.EditMaintenance(e.ctx, Alice, m.ID, upgradebot.MaintenanceChange{Assignee: Bob})
	ok(t, err)
	e.wantActions(amark, "maintenance.edit", "task.assign")
	if len(res.Told) != 1 || res.Told[0] != Bob || len(res.Occurrences) != 1 || res.Occurrences[0].Assignee != Bob {
		t.Errorf("reassigning: %+v", res)
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 || msgs[0].To != Bob || !strings.Contains(msgs[0].Text, "assigned to <@"+Bob+">") {
		t.Errorf("messages = %+v, want one DM to Bob", msgs)
	}

	// Nothing to change, the same values, no such clean-up: refused,
	// nothing written.
	amark = e.lastAudit()
	_, err = e.desk.EditMaintenance(e.ctx, Bob, m.ID, upgradebot.MaintenanceChange{})
	wantErr(t, err, upgradebot.EINVALID, "Nothing to change")
	_, err = e.desk.EditMaintenance(e.ctx, Bob, m.ID, upgradebot.MaintenanceChange{Every: weekly, Assignee: Bob})
	wantErr(t, err, upgradebot.EINVALID, "nothing changed")
	_, err = e.desk.EditMaintenance(e.ctx, Bob, 9999, upgradebot.MaintenanceChange{Every: weekly})
	wantErr(t, err, upgradebot.ENOTFOUND, "no clean-up 9999")
	_, err = e.desk.EditMaintenance(e.ctx, Bob, m.ID, upgradebot.MaintenanceChange{Assignee: "nobody"})
	wantErr(t, err, upgradebot.EINVALID)
	e.wantActions(amark)

	// A change of schedule never hides late work: an overdue occurrence
	// keeps its day.
	e.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, NewYork))
	amark = e.lastAudit()
	_, err = e.desk.EditMaintenance(e.ctx, Bob, m.ID, upgradebot.MaintenanceChange{Every: every2w})
	ok(t, err)
	e.wantActions(amark, "maintenance.edit")
	if task, _ := e.desk.FindTaskByID(e.ctx, occ.ID); task.Due != day("2026-11-30") {
		t.Errorf("overdue occurrence moved to %s", task.Due)
	}

	// Paused: no new occurrence, neither on completion nor by the job.
	mark, amark = e.lastMessage(), e.lastAudit()
	res, err = e.desk.PauseMaintenance(e.ctx, Admin, m.ID)
	ok(t, err)
	e.wantActions(amark, "maintenance.pause")
	if !res.Maintenance.Paused || len(res.Told) != 1 || res.Told[0] != Bob {
		t.Errorf("paused: %+v", res)
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 || msgs[0].To != Bob || !strings.Contains(msgs[0].Text, "paused") {
		t.Errorf("messages = %+v", msgs)
	}
	_, err = e.desk.PauseMaintenance(e.ctx, Admin, m.ID)
	wantErr(t, err, upgradebot.ECONFLICT, "already paused")
	list, err := e.desk.FindMaintenance(e.ctx)
	ok(t, err)
	if len(list) != 2 || list[1].ID != m.ID || !list[1].Paused || !list[1].Workdays || list[1].OpenTaskID != occ.ID {
		t.Errorf("FindMaintenance = %+v, want the paused one listed with its open occurrence", list)
	}
	_, next, err := e.desk.CompleteTask(e.ctx, Bob, occ.ID, "")
	ok(t, err)
	if next != nil {
		t.Errorf("completing a paused clean-up's occurrence made %+v", next)
	}
	created, err := e.desk.CreateDueOccurrences(e.ctx, day("2026-12-31"), false)
	ok(t, err)
	for _, c := range created {
		if c.MaintenanceID == m.ID {
			t.Errorf("a paused clean-up got occurrence %+v", c)
		}
	}

	// Resumed on Sunday 20 Dec: the next occurrence is the schedule's
	// first day from today (Sat 26 Dec, on working days Tue 29 Dec, past
	// the holiday on the 28th), and the weeks missed are not caught up.
	e.clock.Set(time.Date(2026, 12, 20, 9, 0, 0, 0, NewYork))
	amark = e.lastAudit()
	res, err = e.desk.ResumeMaintenance(e.ctx, Admin, m.ID)
	ok(t, err)
	e.wantActions(amark, "maintenance.resume", "task.add")
	if res.Maintenance.Paused || len(res.Occurrences) != 1 || res.Occurrences[0].Due != day("2026-12-29") || res.Occurrences[0].Assignee != Bob {
		t.Errorf("resumed: %+v %+v", res.Maintenance, res.Occurrences)
	}
	resumed := res.Occurrences[0]
	_, err = e.desk.ResumeMaintenance(e.ctx, Admin, m.ID)
	wantErr(t, err, upgradebot.ECONFLICT, "not paused")
	created, err = e.desk.CreateDueOccurrences(e.ctx, day("2027-01-15"), false)
	ok(t, err)
	var mine []*upgradebot.Task
	for _, c := range created {
		if c.MaintenanceID == m.ID {
			mine = append(mine, c)
		}
	}
	// After Tue 29 Dec: Sat 9 Jan, due Mon 11 Jan.
	if len(mine) != 1 || mine[0].Due != day("2027-01-11") {
		t.Errorf("occurrences after resuming: %+v, want one due Mon 11 Jan", mine)
	}

	// Removed: its open occurrences are cancelled, the assignee is told,
	// and it is gone from the list and the schedule.
	mark, amark = e.lastMessage(), e.lastAudit()
	res, err = e.desk.RemoveMaintenance(e.ctx, Alice, m.ID)
	ok(t, err)
	e.wantActions(amark, "maintenance.remove", "task.note", "task.cancel", "task.note", "task.cancel")
	if res.Maintenance.Active || len(res.Occurrences) != 2 || res.Occurrences[0].ID != resumed.ID ||
		res.Occurrences[0].Status != upgradebot.StatusCancelled || len(res.Told) != 1 || res.Told[0] != Bob {
		t.Errorf("removed: %+v", res)
	}
	if msgs := e.newMessages(mark); len(msgs) != 1 || msgs[0].To != Bob || !strings.Contains(msgs[0].Text, "removed; its open occurrences") {
		t.Errorf("messages = %+v", msgs)
	}
	list, err = e.desk.FindMaintenance(e.ctx)
	ok(t, err)
	if len(list) != 1 || list[0].ID != sat.ID {
		t.Errorf("FindMaintenance after removing = %+v", list)
	}
	_, err = e.desk.PauseMaintenance(e.ctx, Alice, m.ID)
	wantErr(t, err, upgradebot.ENOTFOUND, "was removed")
	_, err = e.desk.RemoveMaintenance(e.ctx, Alice, m.ID)
	wantErr(t, err, upgradebot.ENOTFOUND, "was removed")
	created, err = e.desk.CreateDueOccurrences(e.ctx, day("2027-03-01"), false)
	ok(t, err)
	for _, c := range created {
		if c.MaintenanceID == m.ID {
			t.Errorf("a removed clean-up got occurrence %+v", c)
		}
	}
	if rows, err := e.desk.FindAudit(e.ctx, upgradebot.AuditFilter{Entity: "maintenance", EntityID: m.ID}); err != nil || len(rows) != 7 {
		t.Errorf("the clean-up's trail has %d rows, want 7 (add, 3 edits, pause, resume, remove): %v", len(rows), err)
	}

	// Whoever holds its open occurrence is told too: the rota gave it to
	// Alice.
	rota := &upgradebot.Maintenance{Title: "Label printer check", Every: weekly, Assignee: Bob, Anchor: e.today()}
	o, err := e.desk.CreateMaintenance(e.ctx, Bob, rota)
	ok(t, err)
	_, err = e.desk.AssignTask(e.ctx, Bob, o.ID, Alice)
	ok(t, err)
	res, err = e.desk.PauseMaintenance(e.ctx, Admin, rota.ID)
	ok(t, err)
	if len(res.Told) != 2 || res.Told[0] != Bob || res.Told[1] != Alice {
		t.Errorf("pausing told %q, want the clean-up's assignee and the occurrence's", res.Told)
	}
}
