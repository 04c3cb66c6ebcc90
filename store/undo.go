package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// UndoTaskChange takes back actor's own last change to tasks.
func (db *DB) UndoTaskChange(ctx context.Context, actor string) (*upgradebot.TaskUndo, error) {
	return writeValue(ctx, db, "undo", func(tx *writeTx) (*upgradebot.TaskUndo, error) {
		return undoTaskChange(ctx, tx, actor)
	})
}

// auditRow is an audit row as undo reads it.
type auditRow struct {
	id            int64
	at            time.Time
	actor, action string
	entity        string
	entityID      int64
	before, after string
	change        int64 // the change's first row id
}

const auditRowColumns = `id, at, actor, action, entity, entity_id, before_json, after_json, COALESCE(change_id, id)`

func scanAuditRow(s scanner) (*auditRow, error) {
	var r auditRow
	var at string
	if err := s.Scan(&r.id, &at, &r.actor, &r.action, &r.entity, &r.entityID, &r.before, &r.after, &r.change); err != nil {
		return nil, err
	}
	var err error
	r.at, err = parseTime(at)
	return &r, err
}

// task reads a task audit row's JSON (before or after), nil for "".
func (r *auditRow) task(js string) (*upgradebot.Task, error) {
	if js == "" {
		return nil, nil
	}
	var t upgradebot.Task
	if err := json.Unmarshal([]byte(js), &t); err != nil {
		return nil, fmt.Errorf("audit row %d: %w", r.id, err)
	}
	return &t, nil
}

// undoKinds says what undo takes back, for refusals.
var undoKinds = fmt.Sprintf("`undo` takes back your own last change to tasks (done, assign, unassign, due, edit, cancel or reopen, or an undo) within %d minutes of making it.",
	int(upgradebot.UndoWindow/time.Minute))

// undoTaskChange restores the tasks of actor's last change (see
// UndoTaskChange in the Desk contract) from the audit trail: each task's
// state before the change's first row about it. The change's rows are read
// by change_id; a clean-up occurrence the change created (task.add after a
// task.done of the same clean-up) is cancelled.
func undoTaskChange(ctx context.Context, tx *writeTx, actor string) (*upgradebot.TaskUndo, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	loc := s.Location()

	last, err := scanAuditRow(tx.QueryRowContext(ctx, `SELECT `+auditRowColumns+` FROM audit
		WHERE actor = ? AND entity = 'task' AND action NOT IN ('task.note', 'task.time') ORDER BY id DESC LIMIT 1`, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "You have not changed a task yet. %s", undoKinds)
	} else if err != nil {
		return nil, fmt.Errorf("find last change: %w", err)
	}
	rows, err := queryAll(ctx, tx, scanAuditRow, `SELECT `+auditRowColumns+` FROM audit
		WHERE id >= ? AND COALESCE(change_id, id) = ? ORDER BY id`, last.change, last.change)
	if err != nil {
		return nil, fmt.Errorf("read change %d: %w", last.change, err)
	}

	// Each task of the change: its state before the first row about it and
	// after the last; and the occurrences it scheduled.
	var tasks, added []*undoTask
	undo := &upgradebot.TaskUndo{At: last.at}
	doneCleanups := map[int64]bool{}
	notUndoable := func(r *auditRow) error {
		if r.entity != "task" || r.action == "task.add" || r.action == "task.import" {
			r = last // the task row names the change best
		}
		if r.action == "task.add" || r.action == "task.import" {
			return upgradebot.Errorf(upgradebot.ECONFLICT, "Your last change to a task was adding #%d, which undo does not take back: `cancel %d` closes it. %s",
				r.entityID, r.entityID, undoKinds)
		}
		what := fmt.Sprintf("`%s`", strings.TrimPrefix(r.action, "task."))
		if i := slices.IndexFunc(rows, func(o *auditRow) bool { return o.entity != "task" }); i >= 0 {
			what += fmt.Sprintf(" (with a change to %s)", rows[i].entity)
		}
		return upgradebot.Errorf(upgradebot.ECONFLICT, "Your last change to a task, %s of #%d, is not one undo takes back. %s", what, r.entityID, undoKinds)
	}
	for _, r := range rows {
		switch {
		case r.entity != "task":
			return nil, notUndoable(r)
		case r.action == "task.note" || r.action == "task.time":
			continue // notes and time spent are history: they stay
		case r.action == "task.add":
			t, err := r.task(r.after)
			if err != nil {
				return nil, err
			}
			if t == nil || t.MaintenanceID == 0 || !doneCleanups[t.MaintenanceID] {
				return nil, notUndoable(r)
			}
			added = append(added, &undoTask{id: r.entityID, after: t})
			continue
		case !slices.Contains(upgradebot.UndoableActions, r.action):
			return nil, notUndoable(r)
		}
		b, err := r.task(r.before)
		if err != nil {
			return nil, err
		}
		a, err := r.task(r.after)
		if err != nil {
			return nil, err
		}
		if b == nil || a == nil {
			return nil, notUndoable(r)
		}
		if undo.Action == "" {
			undo.Action = r.action
		}
		if r.action == "task.done" && b.MaintenanceID != 0 {
			doneCleanups[b.MaintenanceID] = true
		}
		i := slices.IndexFunc(tasks, func(c *undoTask) bool { return c.id == r.entityID })
		if i < 0 {
			tasks = append(tasks, &undoTask{id: r.entityID, action: r.action, before: b, after: a})
		} else {
			tasks[i].after = a
		}
	}
	if len(tasks) == 0 {
		return nil, notUndoable(last)
	}
	verb := strings.TrimPrefix(undo.Action, "task.")
	if age := tx.now.Sub(last.at); age > upgradebot.UndoWindow {
		hint := "Change it back with `assign`, `unassign`, `due` or `edit`."
		switch verb {
		case "done", "cancel":
			hint = fmt.Sprintf("`reopen %d` opens it again.", tasks[0].id)
		case "reopen":
			hint = fmt.Sprintf("`done %d` or `cancel %d` closes it again.", tasks[0].id, tasks[0].id)
		}
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Your last change to a task, `%s` of %s at %s, is more than %d minutes old, too old to undo. %s",
			verb, idList(changeIDs(tasks, undo.Action)), humanTime(last.at, loc), int(upgradebot.UndoWindow/time.Minute), hint)
	}

	// Nobody else may have changed them since: undo would overwrite it.
	end := rows[len(rows)-1].id
	current := map[int64]*upgradebot.Task{}
	for _, c := range append(slices.Clone(tasks), added...) {
		later, err := scanAuditRow(tx.QueryRowContext(ctx, `SELECT `+auditRowColumns+` FROM audit
			WHERE entity = 'task' AND entity_id = ? AND id > ? AND action NOT IN ('task.note', 'task.time') ORDER BY id DESC LIMIT 1`, c.id, end))
		if err == nil {
			who := "the bot"
			if upgradebot.ValidUserID(later.actor) {
				who = upgradebot.Mention(later.actor)
			}
			return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "%s changed #%d since your `%s` (`%s` at %s), so undo would overwrite their change; nothing was changed.",
				who, c.id, verb, strings.TrimPrefix(later.action, "task."), humanTime(later.at, loc))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("find later changes of task %d: %w", c.id, err)
		}
		cur, err := findTaskByID(ctx, tx, c.id)
		if err != nil {
			return nil, err
		}
		if taskState(cur) != taskState(c.after) {
			return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Task #%d has changed since your `%s`, so undo cannot restore it; nothing was changed.", c.id, verb)
		}
		current[c.id] = cur
	}

	// Restore each task as it was, then cancel what the change scheduled.
	for _, c := range tasks {
		cur, t := current[c.id], *c.before
		t.ID, t.MaintenanceID, t.CreatedBy, t.CreatedAt, t.UpdatedAt = cur.ID, cur.MaintenanceID, cur.CreatedBy, cur.CreatedAt, tx.now
		if err := occurrenceDayFree(ctx, tx, cur, t.Due); err != nil {
			return nil, err
		}
		if err := updateTask(ctx, tx, &t); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, actor, "task.undo", "task", t.ID, cur, &t); err != nil {
			return nil, err
		}
		tx.affects(cur.Assignee, t.Assignee)
		undo.Was, undo.Tasks = append(undo.Was, cur), append(undo.Tasks, &t)
	}
	for _, c := range added {
		cur := current[c.id]
		t := *cur
		t.Status, t.ClosedBy, t.ClosedAt, t.UpdatedAt = upgradebot.StatusCancelled, actor, tx.now, tx.now
		if err := updateTask(ctx, tx, &t); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, actor, "task.undo", "task", t.ID, cur, &t); err != nil {
			return nil, err
		}
		tx.affects(t.Assignee)
		undo.Was, undo.Tasks = append(undo.Was, cur), append(undo.Tasks, &t)
		undo.Removed = append(undo.Removed, &t)
	}

	// Whoever had or now has one of them, other than actor, is told.
	today := tx.today(s)
	told := byPerson{}
	was := map[*upgradebot.Task]*upgradebot.Task{}
	for i, now := range undo.Tasks {
		was[now] = undo.Was[i]
		for _, p := range []string{undo.Was[i].Assignee, now.Assignee} {
			if p != "" && p != actor && !slices.Contains(told.tasks[p], now) {
				told.add(p, now)
			}
		}
	}
	for _, p := range told.people {
		var befores []*upgradebot.Task
		for _, t := range told.tasks[p] {
			befores = append(befores, was[t])
		}
		m := upgradebot.TaskUndoneMessage(p, actor, undo.Action, befores, told.tasks[p], today)
		if err := queueMessage(ctx, tx, &m); err != nil {
			return nil, err
		}
	}
	// Tasks lists what the change itself changed; Removed what it added.
	undo.Tasks, undo.Was = undo.Tasks[:len(tasks)], undo.Was[:len(tasks)]
	return undo, nil
}

// undoTask is one task of a change undo takes back: its state before the
// change's first row about it and after the last.
type undoTask struct {
	id            int64
	action        string // of the change's first row about it
	before, after *upgradebot.Task
}

// changeIDs are the ids of the tasks the change made as action (not
// those it changed on the way, such as a clean-up's next occurrence).
func changeIDs(cs []*undoTask, action string) []int64 {
	var ids []int64
	for _, c := range cs {
		if c.action == action {
			ids = append(ids, c.id)
		}
	}
	return ids
}
