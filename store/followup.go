package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// settingHolidays is the settings key of the team's holidays: ISO dates,
// comma-separated, sorted.
const settingHolidays = "holidays"

// Holidays returns the team's holidays, sorted.
func (db *DB) Holidays(ctx context.Context) ([]upgradebot.Date, error) {
	days, err := readHolidays(ctx, db.db)
	return days, wrap("holidays", err)
}

// SetHolidays replaces the team's holidays. Admins only; audited as
// holidays.set with the lists before and after.
func (db *DB) SetHolidays(ctx context.Context, actor string, days []upgradebot.Date) error {
	if err := requireActor(actor); err != nil {
		return err
	}
	days = upgradebot.SortHolidays(days)
	if len(days) > upgradebot.MaxHolidays {
		return upgradebot.Errorf(upgradebot.EINVALID, "%d holidays is more than the %d the bot keeps; drop past ones first.",
			len(days), upgradebot.MaxHolidays)
	}
	return db.write(ctx, "set holidays", func(tx *writeTx) error {
		s, err := tx.settings(ctx)
		if err != nil {
			return err
		}
		if err := requireAdmin(s, actor, "set the team's holidays"); err != nil {
			return err
		}
		old, err := readHolidays(ctx, tx)
		if err != nil {
			return err
		}
		before, after := upgradebot.FormatHolidays(old), upgradebot.FormatHolidays(days)
		if before == after {
			return nil
		}
		return setSetting(ctx, tx, actor, "holidays.set", settingHolidays, before, after)
	})
}

func readHolidays(ctx context.Context, q queryer) ([]upgradebot.Date, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingHolidays).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read holidays: %w", err)
	}
	days, err := upgradebot.ParseHolidays(v)
	if err != nil {
		return nil, fmt.Errorf("bad holidays %q in database", v)
	}
	return days, nil
}

// SetMute stops user's nudges until until (zero: until cleared), replacing
// any earlier mute: anyone for themselves, admins for others.
func (db *DB) SetMute(ctx context.Context, actor, user string, until upgradebot.Date) (*upgradebot.Mute, error) {
	if err := requireActor(actor); err != nil {
		return nil, err
	}
	if err := requireUser(user); err != nil {
		return nil, err
	}
	return writeValue(ctx, db, "mute", func(tx *writeTx) (*upgradebot.Mute, error) {
		s, err := tx.settings(ctx)
		if err != nil {
			return nil, err
		}
		if user != actor {
			if err := requireAdmin(s, actor, "mute someone else's reminders"); err != nil {
				return nil, err
			}
		}
		if today := tx.today(s); !until.IsZero() && until.Before(today) {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "%s is already past (today is %s).", until.Human(), today.Human())
		}
		before, err := findMute(ctx, tx, user)
		if err != nil {
			return nil, err
		}
		m := &upgradebot.Mute{User: user, Until: until, CreatedBy: actor, CreatedAt: tx.now}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO mutes (user_id, until_day, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET until_day = excluded.until_day, created_by = excluded.created_by,
				created_at = excluded.created_at`,
			user, dateArg(until), actor, formatTime(tx.now)); err != nil {
			return nil, err
		}
		var b any
		if before != nil {
			b = before
		}
		return m, tx.audit(ctx, actor, "mute.set", "mute", 0, b, m)
	})
}

// ClearMute ends user's mute; false if they had none.
func (db *DB) ClearMute(ctx context.Context, actor, user string) (bool, error) {
	if err := requireActor(actor); err != nil {
		return false, err
	}
	return writeValue(ctx, db, "unmute", func(tx *writeTx) (bool, error) {
		s, err := tx.settings(ctx)
		if err != nil {
			return false, err
		}
		if user != actor {
			if err := requireAdmin(s, actor, "unmute someone else's reminders"); err != nil {
				return false, err
			}
		}
		m, err := findMute(ctx, tx, user)
		if err != nil || m == nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mutes WHERE user_id = ?`, user); err != nil {
			return false, err
		}
		return true, tx.audit(ctx, actor, "mute.clear", "mute", 0, m, nil)
	})
}

// Muted returns the mutes in effect on day, by user.
func (db *DB) Muted(ctx context.Context, day upgradebot.Date) ([]upgradebot.Mute, error) {
	m, err := findMutes(ctx, db.db, `WHERE until_day IS NULL OR until_day >= ?`, day.String())
	return m, wrap("muted", err)
}

func findMute(ctx context.Context, q queryer, user string) (*upgradebot.Mute, error) {
	list, err := findMutes(ctx, q, `WHERE user_id = ?`, user)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func findMutes(ctx context.Context, q queryer, where string, args ...any) ([]upgradebot.Mute, error) {
	list, err := queryAll(ctx, q, scanMute, `SELECT user_id, until_day, created_by, created_at FROM mutes `+where+` ORDER BY user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find mutes: %w", err)
	}
	return list, nil
}

func scanMute(s scanner) (upgradebot.Mute, error) {
	var m upgradebot.Mute
	var until sql.NullString
	var createdAt string
	if err := s.Scan(&m.User, &until, &m.CreatedBy, &createdAt); err != nil {
		return m, err
	}
	var err error
	if m.Until, err = parseDate(until); err != nil {
		return m, err
	}
	m.CreatedAt, err = parseTime(createdAt)
	return m, err
}

// SendReleaseReminders posts the release reminders due on today that were
// never sent, in one message to channel, and records them as sent.
func (db *DB) SendReleaseReminders(ctx context.Context, today upgradebot.Date, leads []int, channel string) ([]upgradebot.ReleaseReminder, error) {
	if channel == "" {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Release reminders need a channel to go to.")
	}
	if err := upgradebot.ValidateLeads(leads); err != nil {
		return nil, err
	}
	return writeValue(ctx, db, "release reminders", func(tx *writeTx) ([]upgradebot.ReleaseReminder, error) {
		releases, err := queryAll(ctx, tx, scanRelease, `SELECT id, key, vendor, name, ga, support, created_by, created_at FROM releases
			WHERE ga >= ?1 OR support >= ?1 ORDER BY ga, id`, today.String())
		if err != nil {
			return nil, err
		}

		var lookErr error
		sent := func(key string) bool {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders_sent WHERE key = ?`, key).Scan(&n); err != nil {
				lookErr = err
			}
			return n > 0
		}
		rems := upgradebot.DueReleaseReminders(releases, leads, today, sent)
		if lookErr != nil {
			return nil, lookErr
		}
		if len(rems) == 0 {
			return nil, nil
		}
		for _, r := range rems {
			for _, k := range r.Keys {
				if _, err := tx.ExecContext(ctx, `INSERT INTO reminders_sent (key, sent_at) VALUES (?, ?)`, k, formatTime(tx.now)); err != nil {
					return nil, err
				}
			}
		}
		m := upgradebot.ReleaseRemindersMessage(rems, channel, today)
		return rems, queueMessage(ctx, tx, &m)
	})
}

// SendNudges nudges the assignees of overdue work on today, a working day
// of cal (on any other day it does nothing), and records each nudge.
func (db *DB) SendNudges(ctx context.Context, today upgradebot.Date, cal upgradebot.WorkingTime, p upgradebot.NudgePolicy, channel string) ([]upgradebot.Nudge, error) {
	if today.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Nudges need the day they are for.")
	}
	if !cal.IsWorkingDay(today) {
		return nil, nil
	}
	return writeValue(ctx, db, "nudges", func(tx *writeTx) ([]upgradebot.Nudge, error) {
		tasks, _, err := findTasks(ctx, tx, upgradebot.TaskFilter{Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}, DueBefore: today})
		if err != nil {
			return nil, err
		}
		states, err := nudgeStates(ctx, tx)
		if err != nil {
			return nil, err
		}
		mutes, err := findMutes(ctx, tx, `WHERE until_day IS NULL OR until_day >= ?`, today.String())
		if err != nil {
			return nil, err
		}
		muted := map[string]bool{}
		for _, m := range mutes {
			muted[m.User] = true
		}
		nudges := upgradebot.PlanNudges(tasks, states, func(u string) bool { return muted[u] }, today, cal, p)
		if len(nudges) == 0 {
			return nil, nil
		}
		for _, n := range nudges {
			st := n.State
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO nudges (task_id, due, count, last_day, posted) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (task_id) DO UPDATE SET due = excluded.due, count = excluded.count,
					last_day = excluded.last_day, posted = excluded.posted`,
				st.TaskID, st.Due.String(), st.Count, st.LastDay.String(), boolInt(st.Posted)); err != nil {
				return nil, err
			}
		}
		names, err := peopleNames(ctx, tx)
		if err != nil {
			return nil, err
		}
		return nudges, queueAll(ctx, tx, upgradebot.NudgeMessages(nudges, channel, today, p, names))
	})
}

// nudgeStates reads the nudge state of every open task.
func nudgeStates(ctx context.Context, q queryer) (map[int64]upgradebot.NudgeState, error) {
	list, err := queryAll(ctx, q, scanNudgeState, `SELECT n.task_id, n.due, n.count, n.last_day, n.posted
		FROM nudges n JOIN tasks t ON t.id = n.task_id WHERE t.status = 'open'`)
	if err != nil {
		return nil, fmt.Errorf("read nudges: %w", err)
	}
	states := make(map[int64]upgradebot.NudgeState, len(list))
	for _, st := range list {
		states[st.TaskID] = st
	}
	return states, nil
}

func scanNudgeState(s scanner) (upgradebot.NudgeState, error) {
	var st upgradebot.NudgeState
	var due, last string
	var posted int
	if err := s.Scan(&st.TaskID, &due, &st.Count, &last, &posted); err != nil {
		return st, err
	}
	st.Posted = posted != 0
	var err error
	if st.Due, err = parseDate(sql.NullString{String: due, Valid: true}); err != nil {
		return st, err
	}
	st.LastDay, err = parseDate(sql.NullString{String: last, Valid: true})
	return st, err
}

// escalationAudit is how the audit trail records an escalation step.
type escalationAudit struct {
	Escalation int `json:"escalation"`
}

// EscalateDecisions moves each pending decision one step up the ladder when
// one is due at now, queuing the step's messages; each step happens once.
// With no decision owner set there is nobody to remind, and it does
// nothing.
func (db *DB) EscalateDecisions(ctx context.Context, now time.Time, cal upgradebot.WorkingTime, p upgradebot.EscalationPolicy, channel string) ([]upgradebot.Escalation, error) {
	if now.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Escalation needs the time it runs at.")
	}
	return writeValue(ctx, db, "escalate decisions", func(tx *writeTx) ([]upgradebot.Escalation, error) {
		s, err := tx.settings(ctx)
		if err != nil {
			return nil, err
		}
		today := cal.Today(now)
		away, err := findAway(ctx, tx, today)
		if err != nil {
			return nil, err
		}
		r, err := upgradebot.Route(s.Owner, away, today)
		if err != nil {
			return nil, nil // no owner: nobody to remind or escalate past
		}

		type pending struct {
			d       *upgradebot.Decision
			st      upgradebot.EscalationState
			request upgradebot.DecisionCard
		}
		list, err := queryAll(ctx, tx, func(s scanner) (pending, error) {
			var p pending
			var at sql.NullString
			d, request, err := scanDecision(scanWith{s, []any{&p.st.Level, &at}})
			if err != nil {
				return p, err
			}
			// The request went to whoever the decision is routed to: a
			// re-route sends a new one and records it.
			p.d, p.request = d, upgradebot.DecisionCard{Message: request, To: d.RoutedTo}
			p.st.At, err = parseNullTime(at)
			return p, err
		}, `SELECT `+decisionColumns+`, escalation, escalated_at FROM decisions WHERE status = 'pending' ORDER BY id`)
		if err != nil {
			return nil, err
		}

		var steps []upgradebot.Escalation
		for _, x := range list {
			level := upgradebot.EscalationDue(x.d, x.st, today, cal, p)
			if level == x.st.Level {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE decisions SET escalation = ?, escalated_at = ? WHERE id = ? AND escalation = ?`,
				level, formatTime(now), x.d.ID, x.st.Level)
			if err != nil {
				return nil, err
			}
			if n, err := res.RowsAffected(); err != nil {
				return nil, err
			} else if n != 1 {
				continue
			}
			if err := tx.audit(ctx, upgradebot.SystemActor, "decision.escalate", "decision", x.d.ID,
				escalationAudit{x.st.Level}, escalationAudit{level}); err != nil {
				return nil, err
			}
			if err := queueAll(ctx, tx, upgradebot.EscalationMessages(x.d, level, r, s.Admins, channel, now, s.Location(), x.request)); err != nil {
				return nil, err
			}
			steps = append(steps, upgradebot.Escalation{Decision: x.d, Level: level})
		}
		return steps, nil
	})
}

// CreateDueOccurrences creates the clean-up occurrences due by today that
// do not exist yet (none for a paused clean-up; on working days for one
// kept to them), each following its clean-up's latest occurrence (so a
// reassigned rota sticks), audited as upgradebot.SystemActor; with notify,
// the assignees are told.
func (db *DB) CreateDueOccurrences(ctx context.Context, today upgradebot.Date, notify bool) ([]*upgradebot.Task, error) {
	if today.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "Clean-up occurrences need the day they are for.")
	}
	return writeValue(ctx, db, "create occurrences", func(tx *writeTx) ([]*upgradebot.Task, error) {
		list, err := queryAll(ctx, tx, scanMaintenance, maintenanceSelect+` WHERE active = 1 AND paused = 0 ORDER BY id`)
		if err != nil {
			return nil, err
		}
		cal, err := calendar(ctx, tx)
		if err != nil {
			return nil, err
		}

		var created []*upgradebot.Task
		for _, m := range list {
			var latest sql.NullString
			assignee := m.Assignee
			err := tx.QueryRowContext(ctx, `SELECT due, assignee FROM tasks WHERE maintenance_id = ? AND due IS NOT NULL
				ORDER BY due DESC, id DESC LIMIT 1`, m.ID).Scan(&latest, &assignee)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			last, err := parseDate(latest)
			if err != nil {
				return nil, err
			}
			for _, due := range m.DueOccurrences(last, today, cal) {
				t := &upgradebot.Task{
					Title:         m.Title,
					Kind:          upgradebot.KindCleanup,
					Status:        upgradebot.StatusOpen,
					Assignee:      assignee,
					Due:           due,
					Priority:      upgradebot.PriorityNormal,
					MaintenanceID: m.ID,
				}
				if err := addOccurrence(ctx, tx, upgradebot.SystemActor, t); err != nil {
					return nil, err
				}
				created = append(created, t)
			}
		}
		if len(created) == 0 || !notify {
			return created, nil
		}
		return created, queueAll(ctx, tx, upgradebot.OccurrenceMessages(created, today))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
