package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

const taskColumns = `t.id, t.title, t.kind, t.status, t.assignee, t.due, t.priority, COALESCE(r.key, ''), t.ref,
	COALESCE(t.maintenance_id, 0), t.created_by, t.created_at, t.updated_at, t.closed_by, t.closed_at, t.estimate_min, t.phase, t.site`

const taskFrom = `FROM tasks t LEFT JOIN releases r ON r.id = t.release_id`

// CreateTask validates t, stores it and sets its ID and timestamps. It tells
// the assignee unless they assigned it to themselves. A partner's task
// names no assignee (EFORBIDDEN otherwise): it waits unassigned for the
// team, and each admin is told.
func (db *DB) CreateTask(ctx context.Context, actor string, t *upgradebot.Task) error {
	return db.refused(ctx, actor, db.write(ctx, "create task", func(tx *writeTx) error {
		partner, err := isPartner(ctx, tx, actor)
		if err != nil {
			return err
		} else if !partner {
			return createTask(ctx, tx, actor, t)
		}
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if t.Assignee != "" {
			return upgradebot.PartnerRefusal("name who does the tasks they add: a partner's task waits unassigned for the team to take, so add it without the @name",
				s.TeamDoesRest())
		}
		if err := insertNewTask(ctx, tx, actor, t); err != nil {
			return err
		}
		return queueAll(ctx, tx, upgradebot.PartnerTaskMessages(s, actor, t, tx.today(s)))
	}))
}

// FindTaskByID returns ENOTFOUND if there is no such task.
func (db *DB) FindTaskByID(ctx context.Context, id int64) (*upgradebot.Task, error) {
	t, err := findTaskByID(ctx, db.db, id)
	return t, wrap("find task", err)
}

// FindTasks returns the matching tasks and how many matched in all.
func (db *DB) FindTasks(ctx context.Context, f upgradebot.TaskFilter) ([]*upgradebot.Task, int, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, 0, wrap("find tasks", err)
	}
	defer tx.Rollback()

	tasks, n, err := findTasks(ctx, tx, f)
	return tasks, n, wrap("find tasks", err)
}

// AssignTask gives an open task to user ("" unassigns it) and tells them
// unless they assigned it to themselves; whoever had it is told when
// someone else takes it off them.
func (db *DB) AssignTask(ctx context.Context, actor string, id int64, user string) (*upgradebot.Task, error) {
	_, tasks, err := db.AssignTasks(ctx, actor, []int64{id}, user)
	if err != nil {
		return nil, err
	}
	return tasks[0], nil
}

// SetTaskDue moves an open task's due date; the zero Date clears it. A
// partner moves only their own tasks' dates, and the team is told
// (upgradebot.PartnerDueMessages).
func (db *DB) SetTaskDue(ctx context.Context, actor string, id int64, due upgradebot.Date) (*upgradebot.Task, error) {
	return writeValue(ctx, db, "set task due", func(tx *writeTx) (*upgradebot.Task, error) {
		before, err := findTaskByID(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := requireTheirs(ctx, tx, actor, "move the due date of", before); err != nil {
			return nil, err
		}
		t, err := setTaskDue(ctx, tx, actor, id, due)
		if err != nil {
			return nil, err
		}
		return t, tellTeamOfPartnerDue(ctx, tx, actor, before, t)
	})
}

// tellTeamOfPartnerDue queues the team's notice of a partner's new due
// date; nothing when actor is no partner or the date did not change.
func tellTeamOfPartnerDue(ctx context.Context, tx *writeTx, actor string, before, after *upgradebot.Task) error {
	if before.Due == after.Due {
		return nil
	}
	partner, err := isPartner(ctx, tx, actor)
	if err != nil || !partner {
		return err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	return queueAll(ctx, tx, upgradebot.PartnerDueMessages(s, actor, before, after, tx.today(s)))
}

// AddTaskNote appends a note to a task, open or closed. A partner notes
// only their own tasks.
func (db *DB) AddTaskNote(ctx context.Context, actor string, id int64, text string) (*upgradebot.TaskNote, error) {
	n, err := writeValue(ctx, db, "add task note", func(tx *writeTx) (*upgradebot.TaskNote, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		t, err := findTaskByID(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := requireTheirs(ctx, tx, actor, "add notes to", t); err != nil {
			return nil, err
		}
		if err := upgradebot.ValidateText("note", text); err != nil {
			return nil, err
		}
		if err := checkPHI(ctx, tx, "task", t.ID, t.PHIContext(), upgradebot.PHIText{Field: "note", Text: text}); err != nil {
			return nil, err
		}
		n, err := addTaskNote(ctx, tx, actor, t.ID, text)
		tx.affects(t.Assignee)
		return n, err
	})
	return n, db.refused(ctx, actor, err)
}

// TaskNotes returns a task's notes, oldest first. ENOTFOUND if there is no
// such task.
func (db *DB) TaskNotes(ctx context.Context, id int64) ([]*upgradebot.TaskNote, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("task notes", err)
	}
	defer tx.Rollback()

	if _, err := findTaskByID(ctx, tx, id); err != nil {
		return nil, wrap("task notes", err)
	}
	notes, err := queryAll(ctx, tx, scanTaskNote, `
		SELECT id, task_id, author, text, at FROM task_notes WHERE task_id = ? ORDER BY id`, id)
	return notes, wrap("task notes", err)
}

func scanTaskNote(s scanner) (*upgradebot.TaskNote, error) {
	var n upgradebot.TaskNote
	var at string
	if err := s.Scan(&n.ID, &n.TaskID, &n.Author, &n.Text, &at); err != nil {
		return nil, err
	}
	var err error
	n.At, err = parseTime(at)
	return &n, err
}

// CompleteTask marks an open task done, with an optional note. For an
// occurrence of an active recurring clean-up it also returns the next
// occurrence, creating it unless it already exists.
func (db *DB) CompleteTask(ctx context.Context, actor string, id int64, note string) (done, next *upgradebot.Task, err error) {
	dones, nexts, err := db.CompleteTasks(ctx, actor, []int64{id}, note)
	if err != nil {
		return nil, nil, err
	}
	return dones[0], nexts[0], nil
}

// completeTask marks an open task done and, for an occurrence of a
// recurring clean-up, returns the next occurrence.
func completeTask(ctx context.Context, tx *writeTx, actor string, id int64, note string) (done, next *upgradebot.Task, err error) {
	if done, err = closeTask(ctx, tx, actor, id, upgradebot.StatusDone, note); err != nil {
		return nil, nil, err
	}
	if done.MaintenanceID != 0 {
		if next, err = nextOccurrence(ctx, tx, actor, done); err != nil {
			return nil, nil, err
		}
	}
	return done, next, nil
}

// CancelTask closes an open task without doing it, with an optional reason
// kept as a note, and tells its assignee unless they cancelled it. It does
// not schedule a clean-up's next occurrence.
func (db *DB) CancelTask(ctx context.Context, actor string, id int64, reason string) (*upgradebot.Task, error) {
	tasks, err := db.CancelTasks(ctx, actor, []int64{id}, reason)
	if err != nil {
		return nil, err
	}
	return tasks[0], nil
}

// CreateTasks stores many new tasks in one transaction: all of them, or
// none and the error for the first bad one (its position in the error).
// Each is audited; nobody is sent a message. Partners may not (EFORBIDDEN).
func (db *DB) CreateTasks(ctx context.Context, actor string, tasks []*upgradebot.Task) error {
	return db.write(ctx, "create tasks", func(tx *writeTx) error {
		if err := requireMember(ctx, tx, actor, "add tasks in bulk"); err != nil {
			return err
		}
		for i, t := range tasks {
			if err := insertNewTask(ctx, tx, actor, t); err != nil {
				if code := upgradebot.ErrorCode(err); code != upgradebot.EINTERNAL {
					return upgradebot.Errorf(code, "task %d of %d: %s", i+1, len(tasks), upgradebot.ErrorMessage(err))
				}
				return err
			}
		}
		return nil
	})
}

// createTask inserts a new open task, audits it and tells the assignee.
func createTask(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task) error {
	if err := insertNewTask(ctx, tx, actor, t); err != nil {
		return err
	}
	return tellAssignee(ctx, tx, actor, t)
}

// insertNewTask validates, inserts and audits a new open task.
func insertNewTask(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task) error {
	return insertNewTaskAs(ctx, tx, actor, "task.add", t)
}

// insertNewTaskAs is insertNewTask audited as action.
func insertNewTaskAs(ctx context.Context, tx *writeTx, actor, action string, t *upgradebot.Task) error {
	releaseID, err := checkNewTask(ctx, tx, actor, t)
	if err != nil {
		return err
	}
	t.CreatedBy = actor
	t.CreatedAt, t.UpdatedAt = tx.now, tx.now
	t.ClosedBy, t.ClosedAt = "", time.Time{}

	if err := insertTask(ctx, tx, t, releaseID); err != nil {
		return err
	}
	if err := tx.audit(ctx, actor, action, "task", t.ID, nil, t); err != nil {
		return err
	}
	tx.affects(t.Assignee)
	return nil
}

// checkNewTask validates a new open task as insertNewTask stores it,
// reading only, and returns its release's id (NULL for none).
func checkNewTask(ctx context.Context, q queryer, actor string, t *upgradebot.Task) (releaseID any, err error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if t.Phase != "" {
		plan, err := phasePlan(ctx, q)
		if err != nil {
			return nil, err
		}
		if t.Phase, err = plan.Parse(string(t.Phase)); err != nil {
			return nil, err
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if t.Status != upgradebot.StatusOpen {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A new task is open, not %s.", t.Status)
	}
	if err := requireUserOrNobody(t.Assignee); err != nil {
		return nil, err
	}
	if t.MaintenanceID != 0 {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Clean-up occurrences are scheduled by their clean-up, not created directly.")
	}
	if err := requireSite(ctx, q, t.Site); err != nil {
		return nil, err
	}
	if err := checkPHI(ctx, q, "task", 0, t.PHIContext(),
		upgradebot.PHIText{Field: "title", Text: t.Title}, upgradebot.PHIText{Field: "ref", Text: t.Ref}); err != nil {
		return nil, err
	}
	if t.Release != "" {
		return releaseIDByKey(ctx, q, t.Release)
	}
	return nil, nil
}

// insertTask writes t as it is and sets its ID.
func insertTask(ctx context.Context, tx *writeTx, t *upgradebot.Task, releaseID any) error {
	err := tx.QueryRowContext(ctx, `
		INSERT INTO tasks (title, kind, status, assignee, due, priority, release_id, ref, maintenance_id,
			created_by, created_at, updated_at, closed_by, closed_at, estimate_min, phase, site)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		t.Title, string(t.Kind), string(t.Status), t.Assignee, dateArg(t.Due), string(t.Priority), releaseID, t.Ref,
		nullID(t.MaintenanceID), t.CreatedBy, formatTime(t.CreatedAt), formatTime(t.UpdatedAt), t.ClosedBy, timeArg(t.ClosedAt),
		int64(t.Estimate/time.Minute), string(t.Phase), t.Site,
	).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	return nil
}

// tellAssignee queues the "assigned you" DM unless the task is unassigned
// or the actor assigned it to themselves.
func tellAssignee(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task) error {
	if t.Assignee == "" || t.Assignee == actor {
		return nil
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	m := upgradebot.AssignedMessage(t, actor, tx.today(s))
	return queueMessage(ctx, tx, &m)
}

func releaseIDByKey(ctx context.Context, q queryer, key string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM releases WHERE key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, upgradebot.Errorf(upgradebot.ENOTFOUND, "No release with key %s. `/upgrade releases` lists them.", upgradebot.Escape(key))
	} else if err != nil {
		return 0, fmt.Errorf("find release %s: %w", key, err)
	}
	return id, nil
}

func findTaskByID(ctx context.Context, q queryer, id int64) (*upgradebot.Task, error) {
	t, err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskColumns+` `+taskFrom+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No task #%d.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find task %d: %w", id, err)
	}
	return t, nil
}

// findOpenTask loads a task that the caller is about to change: ENOTFOUND,
// or ECONFLICT naming who closed it and when (in the team's time zone).
func findOpenTask(ctx context.Context, tx *writeTx, id int64) (*upgradebot.Task, error) {
	t, err := findTaskByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if t.Status != upgradebot.StatusOpen {
		s, err := tx.settings(ctx)
		if err != nil {
			return nil, err
		}
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Task #%d was already %s by %s at %s.",
			t.ID, t.Status, upgradebot.Mention(t.ClosedBy), humanTime(t.ClosedAt, s.Location()))
	}
	return t, nil
}

func scanTask(s scanner) (*upgradebot.Task, error) {
	var t upgradebot.Task
	var kind, status, priority, createdAt, updatedAt, phase string
	var due, closedAt sql.NullString
	var estimateMin int64
	if err := s.Scan(&t.ID, &t.Title, &kind, &status, &t.Assignee, &due, &priority, &t.Release, &t.Ref,
		&t.MaintenanceID, &t.CreatedBy, &createdAt, &updatedAt, &t.ClosedBy, &closedAt, &estimateMin, &phase, &t.Site); err != nil {
		return nil, err
	}
	t.Estimate = time.Duration(estimateMin) * time.Minute
	t.Phase = upgradebot.Phase(phase)
	t.Kind, t.Status, t.Priority = upgradebot.TaskKind(kind), upgradebot.TaskStatus(status), upgradebot.Priority(priority)
	var err error
	if t.Due, err = parseDate(due); err != nil {
		return nil, err
	}
	if t.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, err
	}
	if t.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return nil, err
	}
	if t.ClosedAt, err = parseNullTime(closedAt); err != nil {
		return nil, err
	}
	return &t, nil
}

func findTasks(ctx context.Context, q queryer, f upgradebot.TaskFilter) ([]*upgradebot.Task, int, error) {
	var where []string
	var args []any
	if f.ID != 0 {
		where, args = append(where, `t.id = ?`), append(args, f.ID)
	}
	if len(f.Statuses) > 0 {
		where = append(where, `t.status IN (`+placeholders(len(f.Statuses))+`)`)
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if f.Assignee != "" {
		where, args = append(where, `t.assignee = ?`), append(args, f.Assignee)
	}
	if f.Release != "" {
		where, args = append(where, `t.release_id = (SELECT id FROM releases WHERE key = ?)`), append(args, f.Release)
	}
	if f.Kind != "" {
		where, args = append(where, `t.kind = ?`), append(args, string(f.Kind))
	}
	if f.Site != "" {
		where, args = append(where, `t.site = ?`), append(args, f.Site)
	}
	if !f.DueBefore.IsZero() {
		where, args = append(where, `t.due IS NOT NULL AND t.due < ?`), append(args, f.DueBefore.String())
	}
	for _, w := range f.Words {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		pattern := "%" + escapeLike(strings.ToLower(w)) + "%"
		where = append(where, `(lower(t.title) LIKE ? ESCAPE '\' OR lower(t.ref) LIKE ? ESCAPE '\')`)
		args = append(args, pattern, pattern)
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}

	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks t`+cond, args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count tasks: %w", err)
	}

	query := `SELECT ` + taskColumns + ` ` + taskFrom + cond + ` ORDER BY ` + taskOrder(f)
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(math.MaxInt64)
		if f.Limit > 0 {
			limit = int64(f.Limit)
		}
		query += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(f.Offset, 0))
	}
	tasks, err := queryAll(ctx, q, scanTask, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find tasks: %w", err)
	}
	return tasks, n, nil
}

// taskOrder: closed work most recently closed first when only closed work is
// asked for; otherwise soonest due first with undated work last.
func taskOrder(f upgradebot.TaskFilter) string {
	closed := len(f.Statuses) > 0
	for _, s := range f.Statuses {
		if s == upgradebot.StatusOpen {
			closed = false
		}
	}
	switch {
	case closed:
		return `t.closed_at DESC, t.id DESC`
	case !f.DueBefore.IsZero():
		// Every row has a due date, so the (status, due) index gives the order.
		return `t.due, t.id`
	default:
		return `CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, t.id`
	}
}

// escapeLike escapes LIKE's wildcards so that a word matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// assignTask gives an open task to user, or to nobody for "" (audited as
// task.unassign), and returns it as it was and as it is. It tells nobody:
// AssignTasks does.
func assignTask(ctx context.Context, tx *writeTx, actor string, id int64, user string) (before, after *upgradebot.Task, err error) {
	t, err := findOpenTask(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	action := "task.assign"
	if user == "" {
		if t.Assignee == "" {
			return nil, nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Task #%d is not assigned to anyone.", t.ID)
		}
		action = "task.unassign"
	}
	b := *t
	t.Assignee, t.UpdatedAt = user, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET assignee = ?, updated_at = ? WHERE id = ?`,
		t.Assignee, formatTime(t.UpdatedAt), t.ID); err != nil {
		return nil, nil, fmt.Errorf("assign task %d: %w", id, err)
	}
	if err := tx.audit(ctx, actor, action, "task", t.ID, &b, t); err != nil {
		return nil, nil, err
	}
	tx.affects(b.Assignee, t.Assignee)
	return &b, t, nil
}

func setTaskDue(ctx context.Context, tx *writeTx, actor string, id int64, due upgradebot.Date) (*upgradebot.Task, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	t, err := findOpenTask(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := occurrenceDayFree(ctx, tx, t, due); err != nil {
		return nil, err
	}
	before := *t
	t.Due, t.UpdatedAt = due, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET due = ?, updated_at = ? WHERE id = ?`,
		dateArg(t.Due), formatTime(t.UpdatedAt), t.ID); err != nil {
		return nil, fmt.Errorf("set task due %d: %w", id, err)
	}
	if err := tx.audit(ctx, actor, "task.due", "task", t.ID, &before, t); err != nil {
		return nil, err
	}
	tx.affects(t.Assignee)
	return t, nil
}

func addTaskNote(ctx context.Context, tx *writeTx, actor string, taskID int64, text string) (*upgradebot.TaskNote, error) {
	if err := upgradebot.ValidateText("note", text); err != nil {
		return nil, err
	}
	n := &upgradebot.TaskNote{TaskID: taskID, Author: actor, Text: text, At: tx.now}
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO task_notes (task_id, author, text, at) VALUES (?, ?, ?, ?) RETURNING id`,
		n.TaskID, n.Author, n.Text, formatTime(n.At)).Scan(&n.ID); err != nil {
		return nil, fmt.Errorf("add note to task %d: %w", taskID, err)
	}
	if err := tx.audit(ctx, actor, "task.note", "task", taskID, nil, n); err != nil {
		return nil, err
	}
	return n, nil
}

// closeTask marks an open task done or cancelled, keeping note (if any) as a
// task note.
func closeTask(ctx context.Context, tx *writeTx, actor string, id int64, status upgradebot.TaskStatus, note string) (*upgradebot.Task, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if strings.TrimSpace(note) != "" {
		if err := upgradebot.ValidateText("note", note); err != nil {
			return nil, err
		}
	}
	t, err := findOpenTask(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	field := "note"
	if status == upgradebot.StatusCancelled {
		field = "reason"
	}
	if err := checkPHI(ctx, tx, "task", t.ID, t.PHIContext(), upgradebot.PHIText{Field: field, Text: note}); err != nil {
		return nil, err
	}
	before := *t
	t.Status, t.ClosedBy, t.ClosedAt, t.UpdatedAt = status, actor, tx.now, tx.now
	res, err := tx.ExecContext(ctx, `
		UPDATE tasks SET status = ?, closed_by = ?, closed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'`,
		string(t.Status), t.ClosedBy, formatTime(t.ClosedAt), formatTime(t.UpdatedAt), t.ID)
	if err != nil {
		return nil, fmt.Errorf("close task %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("close task %d: %w", id, err)
	} else if n != 1 {
		return nil, fmt.Errorf("close task %d: changed %d rows", id, n)
	}
	if strings.TrimSpace(note) != "" {
		if _, err := addTaskNote(ctx, tx, actor, t.ID, note); err != nil {
			return nil, err
		}
	}
	action := "task.done"
	if status == upgradebot.StatusCancelled {
		action = "task.cancel"
	}
	if err := tx.audit(ctx, actor, action, "task", t.ID, &before, t); err != nil {
		return nil, err
	}
	tx.affects(t.Assignee)
	return t, nil
}
