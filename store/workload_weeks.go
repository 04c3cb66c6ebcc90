package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/upgradebot/upgradebot"
)

// overloadedQuery is everyone over the threshold in the week ?1, with the
// load recorded for them that week, and every week up to ?1 they were over:
// one row per such week, through the workload_weeks_over index.
const overloadedQuery = `
	SELECT w."user", w.open, w.overdue, w.planned_min, o.week
	FROM workload_weeks w
	JOIN workload_weeks o INDEXED BY workload_weeks_over ON o."user" = w."user" AND o.over = 1 AND o.week <= ?1
	WHERE w.week = ?1 AND w.over = 1
	ORDER BY w."user", o.week DESC`

// RecordWorkloadWeek replaces the snapshot of today's team week with each
// person's load as of today against limits. The snapshot is derived from
// the tasks, which are audited themselves, so it writes no audit row.
func (db *DB) RecordWorkloadWeek(ctx context.Context, today upgradebot.Date, limits upgradebot.WorkloadLimits) error {
	if today.IsZero() {
		return upgradebot.Errorf(upgradebot.EINVALID, "A workload snapshot needs the day it is for.")
	}
	return db.write(ctx, "record workload week", func(tx *writeTx) error {
		loads, err := readLoads(ctx, tx, today)
		if err != nil {
			return err
		}
		w := upgradebot.BuildWorkload(loads, limits)
		week := upgradebot.WeekOf(today).String()
		// Replacing the week's rows, rather than upserting them, also drops
		// whoever has left the team's work since the week was last recorded.
		if _, err := tx.ExecContext(ctx, `DELETE FROM workload_weeks WHERE week = ?`, week); err != nil {
			return err
		}
		for _, r := range w.Rows {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO workload_weeks (week, "user", open, overdue, planned_min, over, recorded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`,
				week, r.User, r.Open, r.Overdue, int64(r.Planned/time.Minute), r.Over, formatTime(tx.now)); err != nil {
				return fmt.Errorf("%s: %w", r.User, err)
			}
		}
		return nil
	})
}

// overloaded reads the people over the threshold upgradebot.OverloadWeeks
// or more team weeks running up to today's, in the order the digest lists
// them (see upgradebot.CompareOverloaded), at most limit of them, and how
// many there are in all.
func overloaded(ctx context.Context, q queryer, today upgradebot.Date, limit int) ([]upgradebot.Overloaded, int, error) {
	// One row per week over: the person's load this week, and that week.
	type overWeek struct {
		o   upgradebot.Overloaded
		day upgradebot.Date
	}
	rows, err := queryAll(ctx, q, func(s scanner) (overWeek, error) {
		var w overWeek
		var minutes int64
		var week string
		if err := s.Scan(&w.o.User, &w.o.Open, &w.o.Overdue, &minutes, &week); err != nil {
			return w, err
		}
		w.o.Planned = time.Duration(minutes) * time.Minute
		day, err := upgradebot.ParseDate(week)
		if err != nil {
			return w, fmt.Errorf("workload week %q: %w", week, err)
		}
		w.day = day
		return w, nil
	}, overloadedQuery, upgradebot.WeekOf(today).String())
	if err != nil {
		return nil, 0, err
	}
	var list []upgradebot.Overloaded
	var weeks [][]upgradebot.Date
	for _, w := range rows {
		if len(list) == 0 || list[len(list)-1].User != w.o.User {
			list = append(list, w.o)
			weeks = append(weeks, nil)
		}
		weeks[len(weeks)-1] = append(weeks[len(weeks)-1], w.day)
	}
	var out []upgradebot.Overloaded
	for i, o := range list {
		if o.Weeks = upgradebot.OverStreak(today, weeks[i]); o.Weeks >= upgradebot.OverloadWeeks {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, upgradebot.CompareOverloaded)
	return out[:min(len(out), limit)], len(out), nil
}
