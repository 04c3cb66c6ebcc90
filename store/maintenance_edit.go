package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/upgradebot/upgradebot"
)

// Correcting a recurring clean-up: edit, pause, resume and remove. Each
// runs in one write transaction, audits the clean-up and each occurrence
// it touches, and tells the clean-up's assignee (before and after) unless
// they made the change.

// EditMaintenance changes a clean-up and its open occurrences (see
// upgradebot.MaintenanceService).
func (db *DB) EditMaintenance(ctx context.Context, actor string, id int64, ch upgradebot.MaintenanceChange) (*upgradebot.MaintenanceResult, error) {
	res, err := writeValue(ctx, db, "edit clean-up", func(tx *writeTx) (*upgradebot.MaintenanceResult, error) {
		if err := requireMember(ctx, tx, actor, "change recurring clean-ups"); err != nil {
			return nil, err
		}
		return editMaintenance(ctx, tx, actor, id, ch)
	})
	return res, db.refused(ctx, actor, err)
}

// PauseMaintenance stops a clean-up making occurrences.
func (db *DB) PauseMaintenance(ctx context.Context, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	return writeValue(ctx, db, "pause clean-up", func(tx *writeTx) (*upgradebot.MaintenanceResult, error) {
		if err := requireMember(ctx, tx, actor, "change recurring clean-ups"); err != nil {
			return nil, err
		}
		return pauseMaintenance(ctx, tx, actor, id)
	})
}

// ResumeMaintenance starts a paused clean-up again.
func (db *DB) ResumeMaintenance(ctx context.Context, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	return writeValue(ctx, db, "resume clean-up", func(tx *writeTx) (*upgradebot.MaintenanceResult, error) {
		if err := requireMember(ctx, tx, actor, "change recurring clean-ups"); err != nil {
			return nil, err
		}
		return resumeMaintenance(ctx, tx, actor, id)
	})
}

// RemoveMaintenance removes a clean-up and cancels its open occurrences.
func (db *DB) RemoveMaintenance(ctx context.Context, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	return writeValue(ctx, db, "remove clean-up", func(tx *writeTx) (*upgradebot.MaintenanceResult, error) {
		if err := requireMember(ctx, tx, actor, "change recurring clean-ups"); err != nil {
			return nil, err
		}
		return removeMaintenance(ctx, tx, actor, id)
	})
}

// calendar is the team's working calendar as of tx: its zone and holidays,
// on the default working days.
func calendar(ctx context.Context, tx *writeTx) (upgradebot.WorkingTime, error) {
	s, err := tx.settings(ctx)
	if err != nil {
		return upgradebot.WorkingTime{}, err
	}
	holidays, err := readHolidays(ctx, tx)
	if err != nil {
		return upgradebot.WorkingTime{}, err
	}
	return upgradebot.WorkingTime{Location: s.Location(), Holidays: holidays}, nil
}

// activeMaintenance reads clean-up id: ENOTFOUND if there is none or it
// was removed.
func activeMaintenance(ctx context.Context, tx *writeTx, id int64) (*upgradebot.Maintenance, error) {
	m, err := scanMaintenance(tx.QueryRowContext(ctx, maintenanceSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "There is no clean-up %d; `/upgrade maint` lists them.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find clean-up %d: %w", id, err)
	}
	if !m.Active {
		return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "Clean-up %d was removed; `/upgrade maint` lists the ones there are.", id)
	}
	return m, nil
}

// openOccurrences are the clean-up's open occurrences, earliest due first.
func openOccurrences(ctx context.Context, tx *writeTx, id int64) ([]*upgradebot.Task, error) {
	ts, err := queryAll(ctx, tx, scanTask, `SELECT `+taskColumns+` `+taskFrom+`
		WHERE t.maintenance_id = ? AND t.status = 'open' ORDER BY t.due, t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("find occurrences of clean-up %d: %w", id, err)
	}
	return ts, nil
}

// freeOccurrenceDay is the first day of m's schedule on or after from that
// no occurrence but task except has: each day holds one occurrence.
func freeOccurrenceDay(ctx context.Context, tx *writeTx, m *upgradebot.Maintenance, from upgradebot.Date, cal upgradebot.WorkingTime, except int64) (upgradebot.Date, error) {
	d := m.ScheduledFrom(from, cal)
	for {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE maintenance_id = ? AND due = ? AND id != ?`,
			m.ID, d.String(), except).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			return d, nil
		} else if err != nil {
			return d, fmt.Errorf("find occurrence on %s: %w", d, err)
		}
		d = m.ScheduledAfter(d, cal)
	}
}

// setMaintenance writes m's row as it is.
func setMaintenance(ctx context.Context, tx *writeTx, m *upgradebot.Maintenance) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE maintenance SET title = ?, every = ?, assignee = ?, anchor = ?, active = ?, paused = ?, workdays = ? WHERE id = ?`,
		m.Title, m.Every.String(), m.Assignee, m.Anchor.String(), boolInt(m.Active), boolInt(m.Paused), boolInt(m.Workdays), m.ID); err != nil {
		return fmt.Errorf("update clean-up %d: %w", m.ID, err)
	}
	return nil
}

// changeOccurrence applies change to open occurrence t, writes it and
// audits it as action.
func changeOccurrence(ctx context.Context, tx *writeTx, actor, action string, t *upgradebot.Task, change func(t *upgradebot.Task)) error {
	before := *t
	change(t)
	t.UpdatedAt = tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE tasks SET title = ?, assignee = ?, due = ?, updated_at = ? WHERE id = ?`,
		t.Title, t.Assignee, dateArg(t.Due), formatTime(t.UpdatedAt), t.ID); err != nil {
		return fmt.Errorf("update occurrence %d: %w", t.ID, err)
	}
	tx.affects(before.Assignee, t.Assignee)
	return tx.audit(ctx, actor, action, "task", t.ID, &before, t)
}

// tellMaintenance tells the clean-up's assignees (before and after a
// change) what someone else did to it, one DM each, and returns them.
func tellMaintenance(ctx context.Context, tx *writeTx, actor string, m *upgradebot.Maintenance, what string, users ...string) ([]string, error) {
	var told []string
	for _, u := range users {
		if u == "" || u == actor || slices.Contains(told, u) {
			continue
		}
		msg := upgradebot.MaintenanceChangedMessage(u, actor, m, what)
		if err := queueMessage(ctx, tx, &msg); err != nil {
			return nil, err
		}
		told = append(told, u)
	}
	tx.affects(users...)
	return told, nil
}

func editMaintenance(ctx context.Context, tx *writeTx, actor string, id int64, ch upgradebot.MaintenanceChange) (*upgradebot.MaintenanceResult, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if ch.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Nothing to change: give title:, every:, @user, first: or workdays:.")
	}
	m, err := activeMaintenance(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	before := *m
	var what []string
	if ch.Title != "" && ch.Title != m.Title {
		m.Title = ch.Title
		what = append(what, "title "+upgradebot.Escape(m.Title))
	}
	if ch.Every.N != 0 && ch.Every != m.Every {
		if _, err := upgradebot.ParseInterval(ch.Every.String()); err != nil {
			return nil, err
		}
		m.Every = ch.Every
		what = append(what, m.Every.Human())
	}
	if ch.Workdays != nil && *ch.Workdays != m.Workdays {
		m.Workdays = *ch.Workdays
		what = append(what, map[bool]string{true: "on working days only", false: "on any day"}[m.Workdays])
	}
	if !ch.Anchor.IsZero() && ch.Anchor != m.Anchor {
		m.Anchor = ch.Anchor
		what = append(what, "counted from "+m.Anchor.Human())
	}
	if ch.Assignee != "" && ch.Assignee != m.Assignee {
		if err := requireUser(ch.Assignee); err != nil {
			return nil, err
		}
		m.Assignee = ch.Assignee
		what = append(what, "assigned to "+upgradebot.Mention(m.Assignee))
	}
	if len(what) == 0 {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Clean-up %d already is that; nothing changed.", id)
	}
	if err := checkPHI(ctx, tx, "maint", m.ID, upgradebot.PHIContext{Cleanup: true}, upgradebot.PHIText{Field: "title", Text: m.Title}); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := setMaintenance(ctx, tx, m); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, actor, "maintenance.edit", "maintenance", m.ID, &before, m); err != nil {
		return nil, err
	}

	occs, err := openOccurrences(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := calendar(ctx, tx)
	if err != nil {
		return nil, err
	}
	today := tx.today(s)
	rescheduled := m.Every != before.Every || m.Anchor != before.Anchor || m.Workdays != before.Workdays
	moved := false
	res := &upgradebot.MaintenanceResult{Maintenance: m}
	users := []string{before.Assignee, m.Assignee}
	for _, t := range occs {
		holder, touched := t.Assignee, false
		if m.Title != before.Title && t.Title != m.Title {
			if err := changeOccurrence(ctx, tx, actor, "task.edit", t, func(t *upgradebot.Task) { t.Title = m.Title }); err != nil {
				return nil, err
			}
			touched = true
		}
		if m.Assignee != before.Assignee && t.Assignee != m.Assignee {
			if err := changeOccurrence(ctx, tx, actor, "task.assign", t, func(t *upgradebot.Task) { t.Assignee = m.Assignee }); err != nil {
				return nil, err
			}
			touched = true
		}
		// The occurrence to come follows the new schedule; an overdue one
		// keeps its day, so a change of schedule never hides late work.
		if rescheduled && !moved && !t.Due.Before(today) {
			moved = true
			due, err := freeOccurrenceDay(ctx, tx, m, today, cal, t.ID)
			if err != nil {
				return nil, err
			}
			if due != t.Due {
				if err := changeOccurrence(ctx, tx, actor, "task.due", t, func(t *upgradebot.Task) { t.Due = due }); err != nil {
					return nil, err
				}
				what = append(what, fmt.Sprintf("its open occurrence #%d is now due %s", t.ID, t.Due.Human()))
				touched = true
			}
		}
		if touched {
			res.Occurrences = append(res.Occurrences, t)
			users = append(users, holder)
		}
	}
	if res.Told, err = tellMaintenance(ctx, tx, actor, m, "now "+strings.Join(what, ", "), users...); err != nil {
		return nil, err
	}
	return res, nil
}

func pauseMaintenance(ctx context.Context, tx *writeTx, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	m, err := activeMaintenance(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if m.Paused {
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Clean-up %d is already paused; `/upgrade maint resume %d` starts it again.", id, id)
	}
	before := *m
	m.Paused = true
	if err := setMaintenance(ctx, tx, m); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, actor, "maintenance.pause", "maintenance", m.ID, &before, m); err != nil {
		return nil, err
	}
	occs, err := openOccurrences(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	res := &upgradebot.MaintenanceResult{Maintenance: m, Occurrences: occs}
	what := "paused: no new occurrence until it is resumed"
	users := []string{m.Assignee}
	for _, o := range occs {
		what += fmt.Sprintf("; #%d stays open", o.ID)
		users = append(users, o.Assignee)
	}
	if res.Told, err = tellMaintenance(ctx, tx, actor, m, what, users...); err != nil {
		return nil, err
	}
	return res, nil
}

func resumeMaintenance(ctx context.Context, tx *writeTx, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	m, err := activeMaintenance(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !m.Paused {
		return nil, upgradebot.Errorf(upgradebot.ECONFLICT, "Clean-up %d is not paused.", id)
	}
	before := *m
	m.Paused = false
	if err := setMaintenance(ctx, tx, m); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, actor, "maintenance.resume", "maintenance", m.ID, &before, m); err != nil {
		return nil, err
	}
	s, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	today := tx.today(s)
	res := &upgradebot.MaintenanceResult{Maintenance: m}
	what := "resumed"

	// With no occurrence from today on, the next one is created now: the
	// catch-up job creates only what follows the latest occurrence, so the
	// days missed while paused are not made up in a burst.
	var ahead int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE maintenance_id = ? AND due >= ?`,
		id, today.String()).Scan(&ahead); err != nil {
		return nil, fmt.Errorf("find occurrences of clean-up %d: %w", id, err)
	}
	if ahead == 0 {
		cal, err := calendar(ctx, tx)
		if err != nil {
			return nil, err
		}
		due, err := freeOccurrenceDay(ctx, tx, m, today, cal, 0)
		if err != nil {
			return nil, err
		}
		// The rota sticks: the latest occurrence's assignee, as the
		// scheduler does.
		assignee := m.Assignee
		err = tx.QueryRowContext(ctx, `SELECT assignee FROM tasks WHERE maintenance_id = ? AND due IS NOT NULL
			ORDER BY due DESC, id DESC LIMIT 1`, id).Scan(&assignee)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("find latest occurrence of clean-up %d: %w", id, err)
		}
		t := &upgradebot.Task{Title: m.Title, Kind: upgradebot.KindCleanup, Status: upgradebot.StatusOpen, Assignee: assignee,
			Due: due, Priority: upgradebot.PriorityNormal, MaintenanceID: m.ID}
		if err := addOccurrence(ctx, tx, actor, t); err != nil {
			return nil, err
		}
		tx.affects(t.Assignee)
		res.Occurrences = append(res.Occurrences, t)
		what += fmt.Sprintf("; its next occurrence is #%d, due %s", t.ID, t.Due.Human())
	}
	users := []string{m.Assignee}
	for _, t := range res.Occurrences {
		users = append(users, t.Assignee)
	}
	if res.Told, err = tellMaintenance(ctx, tx, actor, m, what, users...); err != nil {
		return nil, err
	}
	return res, nil
}

func removeMaintenance(ctx context.Context, tx *writeTx, actor string, id int64) (*upgradebot.MaintenanceResult, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	m, err := activeMaintenance(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	before := *m
	m.Active = false
	if err := setMaintenance(ctx, tx, m); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, actor, "maintenance.remove", "maintenance", m.ID, &before, m); err != nil {
		return nil, err
	}
	occs, err := openOccurrences(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	res := &upgradebot.MaintenanceResult{Maintenance: m}
	users := []string{m.Assignee}
	var ids []string
	for _, o := range occs {
		t, err := closeTask(ctx, tx, actor, o.ID, upgradebot.StatusCancelled, "Cancelled: its recurring clean-up was removed.")
		if err != nil {
			return nil, err
		}
		res.Occurrences = append(res.Occurrences, t)
		users = append(users, t.Assignee)
		ids = append(ids, fmt.Sprintf("#%d", t.ID))
	}
	what := "removed"
	switch len(ids) {
	case 0:
	case 1:
		what += "; its open occurrence " + ids[0] + " was cancelled"
	default:
		what += "; its open occurrences " + strings.Join(ids, ", ") + " were cancelled"
	}
	if res.Told, err = tellMaintenance(ctx, tx, actor, m, what, users...); err != nil {
		return nil, err
	}
	return res, nil
}
