package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/upgradebot/upgradebot"
)

// workloadQuery aggregates open work per assignee in SQL; the
// tasks_workload index covers it, so it reads no table rows.
//
// Checklist work (a task with a phase) undated or due after the window's
// last day is counted apart as Later: it is not today's load.
const workloadQuery = workloadSelect + ` FROM tasks WHERE status = 'open' GROUP BY assignee`

// workloadSelect is each assignee's open tasks, overdue tasks, planned
// minutes, unestimated tasks and later checklist work.
const workloadSelect = `
	SELECT assignee,
		COALESCE(SUM(CASE WHEN ` + laterTask + ` THEN 0 ELSE 1 END), 0),
		COALESCE(SUM(CASE WHEN due IS NOT NULL AND due < @today THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN ` + laterTask + ` THEN 0 ELSE estimate_min END), 0),
		COALESCE(SUM(CASE WHEN estimate_min = 0 AND NOT (` + laterTask + `) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN ` + laterTask + ` THEN 1 ELSE 0 END), 0)`

// laterTask is checklist work beyond the window (its last day is the
// query's @window parameter).
const laterTask = `(phase != '' AND (due IS NULL OR due > @window))`

// queuedWork is each person's clean-up backlogs, as last read.
const queuedWork = `SELECT assignee, queue_size, queue_rate FROM maintenance
	WHERE active = 1 AND queue_size > 0 AND queue_rate > 0`

// siteWorkloadQuery and siteQueuedWork are workloadQuery and queuedWork
// for the work of one site (@site); they read the rows of that site.
const (
	siteWorkloadQuery = workloadSelect + ` FROM tasks WHERE site = @site AND status = 'open' GROUP BY assignee`
	siteQueuedWork    = queuedWork + ` AND site = @site`
)

// peopleQuery is everyone who has had work: task assignees (closed work
// included) and clean-up owners.
const peopleQuery = `
	SELECT DISTINCT assignee FROM tasks WHERE assignee != ''
	UNION SELECT assignee FROM maintenance WHERE assignee != '' AND active = 1`

// Loads returns every person's open work as of today, the unassigned work
// as User "", and a zero Load for each person who has had work but has
// none open.
func (db *DB) Loads(ctx context.Context, today upgradebot.Date) ([]upgradebot.Load, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("workload", err)
	}
	defer tx.Rollback()
	loads, err := readLoads(ctx, tx, today)
	return loads, wrap("workload", err)
}

// SiteLoads is Loads for the work of one site.
func (db *DB) SiteLoads(ctx context.Context, today upgradebot.Date, site string) ([]upgradebot.Load, error) {
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("workload", err)
	}
	defer tx.Rollback()
	if err := requireSite(ctx, tx, site); err != nil {
		return nil, err
	}
	loads, err := readSiteLoads(ctx, tx, today, site)
	return loads, wrap("workload", err)
}

// readLoads reads what Loads returns, in q's transaction.
func readLoads(ctx context.Context, q queryer, today upgradebot.Date) ([]upgradebot.Load, error) {
	return readSiteLoads(ctx, q, today, "")
}

// readSiteLoads reads the loads of one site's work, or of all work for
// site "".
func readSiteLoads(ctx context.Context, q queryer, today upgradebot.Date, site string) ([]upgradebot.Load, error) {
	tasksQuery, queuesQuery := workloadQuery, queuedWork
	args := []any{sql.Named("today", today.String()), sql.Named("window", today.AddDays(upgradebot.WorkloadWindowDays).String())}
	var queueArgs []any
	if site != "" {
		tasksQuery, queuesQuery = siteWorkloadQuery, siteQueuedWork
		args = append(args, sql.Named("site", site))
		queueArgs = append(queueArgs, sql.Named("site", site))
	}
	loads, err := queryAll(ctx, q, func(s scanner) (upgradebot.Load, error) {
		var l upgradebot.Load
		var minutes int64
		err := s.Scan(&l.User, &l.Open, &l.Overdue, &minutes, &l.Unestimated, &l.Later)
		l.Planned = time.Duration(minutes) * time.Minute
		return l, err
	}, tasksQuery, args...)
	if err != nil {
		return nil, err
	}
	queued, err := queryAll(ctx, q, func(s scanner) (*upgradebot.Maintenance, error) {
		var m upgradebot.Maintenance
		err := s.Scan(&m.Assignee, &m.Queue, &m.Rate)
		return &m, err
	}, queuesQuery, queueArgs...)
	if err != nil {
		return nil, err
	}
	for _, m := range queued {
		i := slices.IndexFunc(loads, func(l upgradebot.Load) bool { return l.User == m.Assignee })
		if i < 0 {
			loads = append(loads, upgradebot.Load{User: m.Assignee})
			i = len(loads) - 1
		}
		loads[i].Queued += m.WorkLeft()
		loads[i].Queues++
	}
	people, err := queryAll(ctx, q, scanString, peopleQuery)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, l := range loads {
		seen[l.User] = true
	}
	for _, u := range people {
		if !seen[u] {
			loads = append(loads, upgradebot.Load{User: u})
			seen[u] = true
		}
	}
	return loads, nil
}

// SetQueue records a clean-up's queue size and measured rate, audited as
// maintenance.queue. ENOTFOUND for no such active clean-up, EINVALID for
// a bad size or rate.
func (db *DB) SetQueue(ctx context.Context, actor string, id int64, queue int, rate float64) (*upgradebot.Maintenance, error) {
	return writeValue(ctx, db, "set clean-up queue", func(tx *writeTx) (*upgradebot.Maintenance, error) {
		if err := requireActor(actor); err != nil {
			return nil, err
		}
		if err := upgradebot.ValidateQueue(queue, rate); err != nil {
			return nil, err
		}
		m, err := scanMaintenance(tx.QueryRowContext(ctx, maintenanceSelect+` WHERE id = ? AND active = 1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, upgradebot.Errorf(upgradebot.ENOTFOUND, "No recurring clean-up %d. `/upgrade maint list` shows them with their numbers.", id)
		} else if err != nil {
			return nil, err
		}
		if m.Assignee != actor {
			if err := requireMember(ctx, tx, actor, "record the queue of a clean-up that is not assigned to them"); err != nil {
				return nil, err
			}
		}
		if err := loadQueues(ctx, tx, []*upgradebot.Maintenance{m}); err != nil {
			return nil, err
		}
		before := *m
		m.Queue, m.Rate, m.QueueAt = queue, rate, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE maintenance SET queue_size = ?, queue_rate = ?, queue_at = ? WHERE id = ?`,
			m.Queue, m.Rate, formatTime(m.QueueAt), m.ID); err != nil {
			return nil, err
		}
		return m, tx.audit(ctx, actor, "maintenance.queue", "maintenance", m.ID, &before, m)
	})
}

// loadQueues fills in the queue fields of ms (read by scanMaintenance,
// which does not know them).
func loadQueues(ctx context.Context, q queryer, ms []*upgradebot.Maintenance) error {
	for _, m := range ms {
		var at sql.NullString
		if err := q.QueryRowContext(ctx, `SELECT queue_size, queue_rate, queue_at FROM maintenance WHERE id = ?`, m.ID).
			Scan(&m.Queue, &m.Rate, &at); err != nil {
			return fmt.Errorf("clean-up %d queue: %w", m.ID, err)
		}
		var err error
		if m.QueueAt, err = parseNullTime(at); err != nil {
			return fmt.Errorf("clean-up %d queue: %w", m.ID, err)
		}
	}
	return nil
}
