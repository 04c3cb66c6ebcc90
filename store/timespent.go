package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/upgradebot/upgradebot"
)

// LogTime records time actor spent on a task, audited as task.time (which
// undo leaves alone, as it leaves notes: both are history).
func (db *DB) LogTime(ctx context.Context, actor string, id int64, d time.Duration, note string) (*upgradebot.TimeEntry, error) {
	e, err := writeValue(ctx, db, "log time", func(tx *writeTx) (*upgradebot.TimeEntry, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		if d <= 0 || d > upgradebot.MaxSpent || d%time.Minute != 0 {
			return nil, upgradebot.Errorf(upgradebot.EINVALID, "Time spent is whole minutes up to %s at once, not %s.", upgradebot.FormatEffort(upgradebot.MaxSpent), d)
		}
		note = strings.TrimSpace(note)
		if note != "" {
			if err := upgradebot.ValidateText("note", note); err != nil {
				return nil, err
			}
		}
		t, err := findTaskByID(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := requireTheirs(ctx, tx, actor, "log time on", t); err != nil {
			return nil, err
		}
		if err := checkPHI(ctx, tx, "task", t.ID, t.PHIContext(), upgradebot.PHIText{Field: "note", Text: note}); err != nil {
			return nil, err
		}
		today, err := txToday(ctx, tx)
		if err != nil {
			return nil, err
		}
		e := &upgradebot.TimeEntry{TaskID: t.ID, User: actor, Spent: d, Day: today, Note: note, At: tx.now}
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO task_time (task_id, user_id, minutes, day, note, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			e.TaskID, e.User, int64(d/time.Minute), e.Day.String(), e.Note, formatTime(e.At)).Scan(&e.ID); err != nil {
			return nil, fmt.Errorf("log time on task %d: %w", t.ID, err)
		}
		return e, tx.audit(ctx, actor, "task.time", "task", t.ID, nil, e)
	})
	return e, db.refused(ctx, actor, err)
}

// TimeSpent returns the time logged on a task, oldest first.
func (db *DB) TimeSpent(ctx context.Context, id int64) ([]*upgradebot.TimeEntry, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("time spent", err)
	}
	defer tx.Rollback()
	if _, err := findTaskByID(ctx, tx, id); err != nil {
		return nil, wrap("time spent", err)
	}
	out, err := queryAll(ctx, tx, scanTimeEntry, `
		SELECT id, task_id, user_id, minutes, day, note, at FROM task_time WHERE task_id = ? ORDER BY id`, id)
	return out, wrap("time spent", err)
}

func scanTimeEntry(s scanner) (*upgradebot.TimeEntry, error) {
	var e upgradebot.TimeEntry
	var minutes int64
	var day, at string
	if err := s.Scan(&e.ID, &e.TaskID, &e.User, &minutes, &day, &e.Note, &at); err != nil {
		return nil, err
	}
	e.Spent = time.Duration(minutes) * time.Minute
	var err error
	if e.Day, err = upgradebot.ParseDate(day); err != nil {
		return nil, fmt.Errorf("bad date %q in database", day)
	}
	e.At, err = parseTime(at)
	return &e, err
}

// PartnerReport reads what the partners did from..to, in one snapshot.
func (db *DB) PartnerReport(ctx context.Context, from, to, today upgradebot.Date) (*upgradebot.PartnerReport, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A partner report needs its first and last day, in order.")
	}
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("partner report", err)
	}
	defer tx.Rollback()
	r, err := partnerReport(ctx, tx, from, to, today)
	return r, wrap("partner report", err)
}

func partnerReport(ctx context.Context, q queryer, from, to, today upgradebot.Date) (*upgradebot.PartnerReport, error) {
	s, err := readSettings(ctx, q)
	if err != nil {
		return nil, err
	}
	loc := s.Location()
	start, end := formatTime(from.Time(loc)), formatTime(to.AddDays(1).Time(loc))
	r := &upgradebot.PartnerReport{From: from, To: to}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE status = 'done' AND closed_at >= ? AND closed_at < ?`,
		start, end).Scan(&r.TeamClosed); err != nil {
		return nil, fmt.Errorf("count tasks done: %w", err)
	}
	type userTime struct {
		user    string
		minutes int64
	}
	rows, err := queryAll(ctx, q, func(s scanner) (userTime, error) {
		var u userTime
		err := s.Scan(&u.user, &u.minutes)
		return u, err
	}, `SELECT user_id, SUM(minutes) FROM task_time WHERE day >= ? AND day <= ? GROUP BY user_id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("sum time logged: %w", err)
	}
	logged := map[string]time.Duration{}
	for _, u := range rows {
		logged[u.user] = time.Duration(u.minutes) * time.Minute
		r.TeamLogged += logged[u.user]
	}
	for _, p := range s.Partners {
		w := upgradebot.PartnerWork{User: p, Logged: logged[p]}
		if w.Closed, err = queryAll(ctx, q, scanTask, `SELECT `+taskColumns+` `+taskFrom+`
			WHERE t.status = 'done' AND t.closed_at >= ? AND t.closed_at < ? AND t.assignee = ?
			ORDER BY t.closed_at DESC, t.id DESC`, start, end, p); err != nil {
			return nil, fmt.Errorf("tasks %s closed: %w", p, err)
		}
		for _, t := range w.Closed {
			w.ClosedPlanned += t.Estimate
		}
		if w.Open, _, err = findTasks(ctx, q, upgradebot.TaskFilter{Assignee: p, Statuses: []upgradebot.TaskStatus{upgradebot.StatusOpen}}); err != nil {
			return nil, err
		}
		for _, t := range w.Open {
			w.Planned += t.Estimate
			if t.Overdue(today) {
				w.Overdue++
			}
		}
		r.People = append(r.People, w)
	}
	return r, nil
}
