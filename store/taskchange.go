package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// Corrections to tasks: several at once, edits, reopening, and undo.

// AssignTasks gives open tasks to user ("" unassigns them) in one
// transaction, all or none. The new assignee is told once about all of
// them, unless they assigned them to themselves; each person who had one is
// told once which of theirs someone else took off them.
func (db *DB) AssignTasks(ctx context.Context, actor string, ids []int64, user string) (before, after []*upgradebot.Task, err error) {
	verb := "assigned"
	if user == "" {
		verb = "unassigned"
	}
	err = db.write(ctx, "assign tasks", func(tx *writeTx) error {
		before, after = nil, nil
		if err := requireActor(actor); err != nil {
			return err
		}
		if err := requireMember(ctx, tx, actor, "assign or unassign tasks (the team decides who does what)"); err != nil {
			return err
		}
		if err := requireUserOrNobody(user); err != nil {
			return err
		}
		err := eachTask(ids, verb, func(id int64) error {
			b, a, err := assignTask(ctx, tx, actor, id, user)
			before, after = append(before, b), append(after, a)
			return err
		})
		if err != nil {
			return err
		}
		today, err := txToday(ctx, tx)
		if err != nil {
			return err
		}
		var msgs []upgradebot.Message
		var theirs []*upgradebot.Task
		lost := byPerson{}
		for i, a := range after {
			if user != "" && before[i].Assignee != user {
				theirs = append(theirs, a)
			}
			if from := before[i].Assignee; from != "" && from != user && from != actor {
				lost.add(from, a)
			}
		}
		if user != "" && user != actor && len(theirs) > 0 {
			msgs = append(msgs, upgradebot.AssignedManyMessage(user, actor, theirs, today))
		}
		for _, from := range lost.people {
			msgs = append(msgs, upgradebot.TaskTakenMessage(from, actor, user, lost.tasks[from], today))
		}
		return queueAll(ctx, tx, msgs)
	})
	if err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// CompleteTasks marks open tasks done in one transaction, all or none, each
// with the note (if any); each occurrence of a recurring clean-up gets its
// next occurrence, returned in next at the same position (nil for others).
func (db *DB) CompleteTasks(ctx context.Context, actor string, ids []int64, note string) (done, next []*upgradebot.Task, err error) {
	err = db.write(ctx, "complete tasks", func(tx *writeTx) error {
		done, next = nil, nil
		return eachTask(ids, "marked done", func(id int64) error {
			if t, err := findTaskByID(ctx, tx, id); err == nil {
				if err := requireTheirs(ctx, tx, actor, "mark done", t); err != nil {
					return err
				}
			}
			d, n, err := completeTask(ctx, tx, actor, id, note)
			done, next = append(done, d), append(next, n)
			return err
		})
	})
	if err = db.refused(ctx, actor, err); err != nil {
		return nil, nil, err
	}
	return done, next, nil
}

// CancelTasks closes open tasks without doing them in one transaction, all
// or none, the reason (if any) kept as a note on each. Each assignee other
// than actor is told once about theirs.
func (db *DB) CancelTasks(ctx context.Context, actor string, ids []int64, reason string) ([]*upgradebot.Task, error) {
	tasks, err := writeValue(ctx, db, "cancel tasks", func(tx *writeTx) ([]*upgradebot.Task, error) {
		if err := requireMember(ctx, tx, actor, "cancel tasks (whether work is dropped is the team's call)"); err != nil {
			return nil, err
		}
		var tasks []*upgradebot.Task
		err := eachTask(ids, "cancelled", func(id int64) error {
			t, err := closeTask(ctx, tx, actor, id, upgradebot.StatusCancelled, reason)
			tasks = append(tasks, t)
			return err
		})
		if err != nil {
			return nil, err
		}
		today, err := txToday(ctx, tx)
		if err != nil {
			return nil, err
		}
		theirs := byPerson{}
		for _, t := range tasks {
			if t.Assignee != "" && t.Assignee != actor {
				theirs.add(t.Assignee, t)
			}
		}
		var msgs []upgradebot.Message
		for _, p := range theirs.people {
			msgs = append(msgs, upgradebot.TaskCancelledMessage(p, actor, reason, theirs.tasks[p], today))
		}
		return tasks, queueAll(ctx, tx, msgs)
	})
	return tasks, db.refused(ctx, actor, err)
}

// EditTask changes the fields of an open task that e names.
func (db *DB) EditTask(ctx context.Context, actor string, id int64, e upgradebot.TaskEdit) (before, after *upgradebot.Task, err error) {
	after, err = writeValue(ctx, db, "edit task", func(tx *writeTx) (*upgradebot.Task, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		if e.IsZero() {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "Say what to change: title:, due:, prio:, est:, kind:, release:, ref: or site:.")
		}
		if t, err := findTaskByID(ctx, tx, id); err == nil {
			if err := requireTheirs(ctx, tx, actor, "edit", t); err != nil {
				return nil, err
			}
		}
		if e.Title != nil || e.Priority != nil || e.Kind != nil || e.Release != nil || e.Ref != nil || e.Site != nil {
			if err := requireMember(ctx, tx, actor, "change a task's title, priority, kind, release, ref or site (only its due date and estimate)"); err != nil {
				return nil, err
			}
		}
		t, err := findOpenTask(ctx, tx, id)
		if upgradebot.ErrorCode(err) == upgradebot.ECONFLICT {
			return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "%s `reopen %d` opens it again.", upgradebot.ErrorMessage(err), id)
		} else if err != nil {
			return nil, err
		}
		b := *t
		before = &b
		e.Apply(t)
		if e.Title != nil {
			if err := upgradebot.ValidateTitle("title", t.Title); err != nil {
				return nil, err
			}
		}
		if err := t.Validate(); err != nil {
			return nil, err
		}
		if e.Site != nil {
			if err := requireSite(ctx, tx, t.Site); err != nil {
				return nil, err
			}
		}
		if e.Title != nil || e.Ref != nil || e.Kind != nil {
			// A title that was fine may not be in a clean-up: check it
			// as the task now is.
			if err := checkPHI(ctx, tx, "task", t.ID, t.PHIContext(),
				upgradebot.PHIText{Field: "title", Text: t.Title}, upgradebot.PHIText{Field: "ref", Text: t.Ref}); err != nil {
				return nil, err
			}
		}
		if t.MaintenanceID != 0 && t.Kind != upgradebot.KindCleanup {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "Task #%d is an occurrence of a recurring clean-up, so its kind stays cleanup.", t.ID)
		}
		if taskState(before) == taskState(t) {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "Task #%d already has those values; nothing changed.", t.ID)
		}
		if err := occurrenceDayFree(ctx, tx, before, t.Due); err != nil {
			return nil, err
		}
		t.UpdatedAt = tx.now
		if err := updateTask(ctx, tx, t); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, actor, "task.edit", "task", t.ID, before, t); err != nil {
			return nil, err
		}
		tx.affects(t.Assignee)
		if err := tellTeamOfPartnerDue(ctx, tx, actor, before, t); err != nil {
			return nil, err
		}
		if t.Assignee == "" || t.Assignee == actor {
			return t, nil
		}
		today, err := txToday(ctx, tx)
		if err != nil {
			return nil, err
		}
		m := upgradebot.TaskEditedMessage(t.Assignee, actor, before, t, today)
		return t, queueMessage(ctx, tx, &m)
	})
	if err = db.refused(ctx, actor, err); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// ReopenTask puts a done or cancelled task back to open.
func (db *DB) ReopenTask(ctx context.Context, actor string, id int64) (*upgradebot.Task, error) {
	return writeValue(ctx, db, "reopen task", func(tx *writeTx) (*upgradebot.Task, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		t, err := findTaskByID(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := requireTheirs(ctx, tx, actor, "reopen", t); err != nil {
			return nil, err
		}
		if t.Status == upgradebot.StatusOpen {
			return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Task #%d is open already.", t.ID)
		}
		if err := reopenTask(ctx, tx, actor, t, t.Assignee); err != nil {
			return nil, err
		}
		if t.Assignee == "" || t.Assignee == actor {
			return t, nil
		}
		today, err := txToday(ctx, tx)
		if err != nil {
			return nil, err
		}
		m := upgradebot.TaskReopenedMessage(t.Assignee, actor, t, today)
		return t, queueMessage(ctx, tx, &m)
	})
}

// reopenTask opens the closed task t for assignee, audited as task.reopen.
func reopenTask(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task, assignee string) error {
	before := *t
	t.Status, t.ClosedBy, t.ClosedAt, t.UpdatedAt, t.Assignee = upgradebot.StatusOpen, "", time.Time{}, tx.now, assignee
	if err := updateTask(ctx, tx, t); err != nil {
		return err
	}
	if err := tx.audit(ctx, actor, "task.reopen", "task", t.ID, &before, t); err != nil {
		return err
	}
	tx.affects(before.Assignee, t.Assignee)
	return nil
}

// updateTask writes every field of t that a change may alter.
func updateTask(ctx context.Context, tx *writeTx, t *upgradebot.Task) error {
	var releaseID any
	if t.Release != "" {
		id, err := releaseIDByKey(ctx, tx, t.Release)
		if err != nil {
			return err
		}
		releaseID = id
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE tasks SET title = ?, kind = ?, status = ?, assignee = ?, due = ?, priority = ?, release_id = ?, ref = ?,
			estimate_min = ?, phase = ?, closed_by = ?, closed_at = ?, updated_at = ?, site = ?
		WHERE id = ?`,
		t.Title, string(t.Kind), string(t.Status), t.Assignee, dateArg(t.Due), string(t.Priority), releaseID, t.Ref,
		int64(t.Estimate/time.Minute), string(t.Phase), t.ClosedBy, timeArg(t.ClosedAt), formatTime(t.UpdatedAt), t.Site, t.ID)
	if err != nil {
		return fmt.Errorf("update task %d: %w", t.ID, err)
	}
	return nil
}

// occurrenceDayFree refuses (ECONFLICT) to move t, an occurrence of a
// recurring clean-up, onto a day another occurrence of it has.
func occurrenceDayFree(ctx context.Context, tx queryer, t *upgradebot.Task, due upgradebot.Date) error {
	if t.MaintenanceID == 0 || due.IsZero() || due == t.Due {
		return nil
	}
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE maintenance_id = ? AND due = ? AND id <> ?`,
		t.MaintenanceID, due.String(), t.ID).Scan(&other)
	if err == nil {
		return upgradebot.Errorf(upgradebot.ECONFLICT, "Task #%d is already this clean-up's occurrence due %s.", other, due.Human())
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("find occurrence of clean-up %d: %w", t.MaintenanceID, err)
	}
	return nil
}

// eachTask runs change for every id in turn, in the caller's transaction. A
// refusal refuses the whole command: its error names the task, and for
// several ids says that none of them was verb (the transaction is rolled
// back).
func eachTask(ids []int64, verb string, change func(id int64) error) error {
	if len(ids) == 0 {
		return upgradebot.Errorf(upgradebot.EINVALID, "Which task? Give its number.")
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return upgradebot.Errorf(upgradebot.EINVALID, "#%d is given twice.", id)
		}
	}
	for _, id := range ids {
		err := change(id)
		if err == nil {
			continue
		}
		var pe *upgradebot.PHIError
		if errors.As(err, &pe) {
			return err // about the text, not one task: recorded as it is
		}
		if code := upgradebot.ErrorCode(err); len(ids) > 1 && code != upgradebot.EINTERNAL {
			return upgradebot.Errorf(code, "%s None of %s was %s.", upgradebot.ErrorMessage(err), idList(ids), verb)
		}
		return err
	}
	return nil
}

// idList is "#19, #20 and #31", or "the 12 tasks" for more than ten.
func idList(ids []int64) string {
	if len(ids) > 10 {
		return fmt.Sprintf("the %d tasks", len(ids))
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprintf("#%d", id)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// byPerson gathers tasks per person, people in the order first seen.
type byPerson struct {
	people []string
	tasks  map[string][]*upgradebot.Task
}

func (b *byPerson) add(p string, t *upgradebot.Task) {
	if b.tasks == nil {
		b.tasks = map[string][]*upgradebot.Task{}
	}
	if _, ok := b.tasks[p]; !ok {
		b.people = append(b.people, p)
	}
	b.tasks[p] = append(b.tasks[p], t)
}

// txToday is the team's calendar day at the transaction's time.
func txToday(ctx context.Context, tx *writeTx) (upgradebot.Date, error) {
	s, err := tx.settings(ctx)
	if err != nil {
		return upgradebot.Date{}, err
	}
	return tx.today(s), nil
}

// taskState is every field of t with its times in UTC, to compare two
// states of a task.
func taskState(t *upgradebot.Task) string {
	c := *t
	c.CreatedAt, c.UpdatedAt, c.ClosedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), c.ClosedAt.UTC()
	return fmt.Sprintf("%+v", c)
}
