package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/upgradebot/upgradebot"
)

// CreateMaintenance stores m and its first occurrence, due on m.Anchor,
// which it returns. The assignee is told unless they are the actor.
func (db *DB) CreateMaintenance(ctx context.Context, actor string, m *upgradebot.Maintenance) (*upgradebot.Task, error) {
	t, err := writeValue(ctx, db, "create clean-up", func(tx *writeTx) (*upgradebot.Task, error) {
		if err := requireMember(ctx, tx, actor, "set up recurring clean-ups"); err != nil {
			return nil, err
		}
		return createMaintenance(ctx, tx, actor, m)
	})
	return t, db.refused(ctx, actor, err)
}

// FindMaintenance returns every active clean-up (paused ones too) with its
// earliest open occurrence (NextDue, OpenTaskID), in the order they were
// created.
func (db *DB) FindMaintenance(ctx context.Context) ([]*upgradebot.Maintenance, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("find clean-ups", err)
	}
	defer tx.Rollback()

	list, err := queryAll(ctx, tx, scanMaintenance, maintenanceSelect+` WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, wrap("find clean-ups", err)
	}
	byID := map[int64]*upgradebot.Maintenance{}
	for _, m := range list {
		byID[m.ID] = m
	}

	// Open occurrences, earliest first: the first seen per clean-up wins.
	type occurrence struct {
		id, maintenanceID int64
		due               sql.NullString
	}
	occs, err := queryAll(ctx, tx, func(s scanner) (occurrence, error) {
		var o occurrence
		err := s.Scan(&o.id, &o.maintenanceID, &o.due)
		return o, err
	}, `
		SELECT id, maintenance_id, due FROM tasks
		WHERE maintenance_id IS NOT NULL AND status = 'open'
		ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, id`)
	if err != nil {
		return nil, wrap("find clean-ups", err)
	}
	for _, o := range occs {
		m := byID[o.maintenanceID]
		if m == nil || m.OpenTaskID != 0 {
			continue
		}
		if m.NextDue, err = parseDate(o.due); err != nil {
			return nil, wrap("find clean-ups", err)
		}
		m.OpenTaskID = o.id
	}
	return list, wrap("find clean-ups", loadQueues(ctx, tx, list))
}

func createMaintenance(ctx context.Context, tx *writeTx, actor string, m *upgradebot.Maintenance) (*upgradebot.Task, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if _, err := upgradebot.ParseInterval(m.Every.String()); err != nil {
		return nil, err
	}
	if err := requireUserOrNobody(m.Assignee); err != nil {
		return nil, err
	}
	if err := requireSite(ctx, tx, m.Site); err != nil {
		return nil, err
	}
	if err := checkPHI(ctx, tx, "maint", 0, upgradebot.PHIContext{Cleanup: true}, upgradebot.PHIText{Field: "title", Text: m.Title}); err != nil {
		return nil, err
	}
	m.Active, m.Paused, m.CreatedBy, m.CreatedAt = true, false, actor, tx.now
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO maintenance (title, every, assignee, anchor, active, workdays, created_by, created_at, site)
		VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
		RETURNING id`,
		m.Title, m.Every.String(), m.Assignee, m.Anchor.String(), boolInt(m.Workdays), m.CreatedBy, formatTime(m.CreatedAt), m.Site,
	).Scan(&m.ID); err != nil {
		return nil, fmt.Errorf("insert clean-up: %w", err)
	}
	if err := tx.audit(ctx, actor, "maintenance.add", "maintenance", m.ID, nil, m); err != nil {
		return nil, err
	}

	cal, err := calendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	t := &upgradebot.Task{
		Title:         m.Title,
		Kind:          upgradebot.KindCleanup,
		Status:        upgradebot.StatusOpen,
		Assignee:      m.Assignee,
		Due:           m.OnWorkday(m.Anchor, cal),
		Priority:      upgradebot.PriorityNormal,
		MaintenanceID: m.ID,
	}
	if err := addOccurrence(ctx, tx, actor, t); err != nil {
		return nil, err
	}
	tx.affects(t.Assignee)
	if err := tellAssignee(ctx, tx, actor, t); err != nil {
		return nil, err
	}
	m.NextDue, m.OpenTaskID = t.Due, t.ID
	return t, nil
}

// addOccurrence inserts an occurrence of a clean-up, of the clean-up's
// site, and audits it.
func addOccurrence(ctx context.Context, tx *writeTx, actor string, t *upgradebot.Task) error {
	if err := tx.QueryRowContext(ctx, `SELECT site FROM maintenance WHERE id = ?`, t.MaintenanceID).Scan(&t.Site); err != nil {
		return fmt.Errorf("find clean-up %d: %w", t.MaintenanceID, err)
	}
	t.CreatedBy, t.CreatedAt, t.UpdatedAt = actor, tx.now, tx.now
	if err := insertTask(ctx, tx, t, nil); err != nil {
		return err
	}
	return tx.audit(ctx, actor, "task.add", "task", t.ID, nil, t)
}

// nextOccurrence returns the occurrence after done, the occurrence of a
// clean-up just completed: the existing one for that day if there is one
// (so completing never doubles), else a new one. Nil if the clean-up is no
// longer active or is paused.
func nextOccurrence(ctx context.Context, tx *writeTx, actor string, done *upgradebot.Task) (*upgradebot.Task, error) {
	m, err := scanMaintenance(tx.QueryRowContext(ctx, maintenanceSelect+` WHERE id = ?`, done.MaintenanceID))
	if err != nil {
		return nil, fmt.Errorf("find clean-up %d: %w", done.MaintenanceID, err)
	}
	if !m.Active || m.Paused {
		return nil, nil
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := calendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	due := m.NextOccurrence(done.Due, tx.today(s), cal)

	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE maintenance_id = ? AND due = ?`, m.ID, due.String()).Scan(&id)
	if err == nil {
		return undoneOccurrence(ctx, tx, actor, id, done)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find next occurrence: %w", err)
	}

	// The next one follows the finished one, so a reassigned rota sticks.
	next := &upgradebot.Task{
		Title:         done.Title,
		Kind:          upgradebot.KindCleanup,
		Status:        upgradebot.StatusOpen,
		Assignee:      done.Assignee,
		Due:           due,
		Priority:      upgradebot.PriorityNormal,
		MaintenanceID: m.ID,
	}
	if err := addOccurrence(ctx, tx, actor, next); err != nil {
		return nil, err
	}
	return next, nil
}

// undoneOccurrence returns the occurrence with id, which a completion
// found already scheduled. One that an undo cancelled (the undo of the
// completion that had scheduled it) is reopened, following done's assignee
// as a new one would, audited as task.reopen.
func undoneOccurrence(ctx context.Context, tx *writeTx, actor string, id int64, done *upgradebot.Task) (*upgradebot.Task, error) {
	t, err := findTaskByID(ctx, tx, id)
	if err != nil || t.Status != upgradebot.StatusCancelled {
		return t, err
	}
	var action string
	err = tx.QueryRowContext(ctx, `SELECT action FROM audit WHERE entity = 'task' AND entity_id = ? AND action <> 'task.note'
		ORDER BY id DESC LIMIT 1`, t.ID).Scan(&action)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find occurrence %d: %w", t.ID, err)
	}
	if action != "task.undo" {
		return t, nil
	}
	return t, reopenTask(ctx, tx, actor, t, done.Assignee)
}

const maintenanceSelect = `SELECT id, title, every, assignee, anchor, active, created_by, created_at, paused, workdays, site FROM maintenance`

func scanMaintenance(s scanner) (*upgradebot.Maintenance, error) {
	var m upgradebot.Maintenance
	var every, anchor, createdAt string
	var active, paused, workdays int
	if err := s.Scan(&m.ID, &m.Title, &every, &m.Assignee, &anchor, &active, &m.CreatedBy, &createdAt, &paused, &workdays, &m.Site); err != nil {
		return nil, err
	}
	m.Paused, m.Workdays = paused != 0, workdays != 0
	var err error
	if m.Every, err = upgradebot.ParseInterval(every); err != nil {
		return nil, fmt.Errorf("bad interval %q in database", every)
	}
	if m.Anchor, err = parseDate(sql.NullString{String: anchor, Valid: true}); err != nil {
		return nil, err
	}
	if m.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, err
	}
	m.Active = active != 0
	return &m, nil
}
