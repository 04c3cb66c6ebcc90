package store

import (
	"database/sql"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// spreadTasks rewrites the history of the n tasks fillTasks wrote as a
// team builds it: each created in the 300 days before storetest.Start, a
// done one closed up to 60 days later (never after Start), and a third of
// the release tasks (a ninth of all) made checklist tasks of the phase
// "build".
func spreadTasks(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := tb.Context()
	err := db.write(ctx, "spread tasks", func(tx *writeTx) error {
		stmt, err := tx.PrepareContext(ctx, `
			UPDATE tasks SET created_at = ?2, updated_at = ?2,
				closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE ?3 END,
				phase = CASE WHEN release_id IS NOT NULL AND ?4 THEN 'build' ELSE phase END
			WHERE id = ?1`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		rng := rand.New(rand.NewPCG(3, 4))
		span := int64(300 * 24 * time.Hour)
		for id := 1; id <= n; id++ {
			created := storetest.Start.Add(-time.Duration(rng.Int64N(span)))
			closed := created.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
			if closed.After(storetest.Start) {
				closed = storetest.Start
			}
			if _, err := stmt.ExecContext(ctx, id, formatTime(created), formatTime(closed), rng.IntN(3) == 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// TestTrendUsesIndexes: the weekly trend's task queries read index
// entries only, never a table row.
func TestTrendUsesIndexes(t *testing.T) {
	db, _ := bootstrapped(t)
	fillTasks(t, db, 2000)
	spreadTasks(t, db, 2000)
	then, window := "2026-09-07T04:00:00.000000000Z", "2026-09-20"
	for _, q := range []struct {
		name, query string
		arg         any
		index       []string
	}{
		{"open before", trendOpenBefore, then, []string{"COVERING INDEX tasks_closed_created (closed_at=? AND created_at<?)"}},
		{"since", trendSince, then, []string{"COVERING INDEX tasks_closed_created (closed_at=? AND created_at>?)",
			"COVERING INDEX tasks_closed_created (closed_at>?)"}},
		{"checklist", trendChecklist, window, []string{"SCAN tasks USING COVERING INDEX tasks_workload"}},
	} {
		plan := queryPlan(t, db, q.query, q.arg)
		lines := 0
		for _, line := range strings.Split(plan, "\n") {
			if strings.Contains(line, "tasks") {
				lines++
			}
		}
		for _, index := range q.index {
			if !strings.Contains(plan, index) {
				t.Errorf("%s: the plan does not read %s:\n%s", q.name, index, plan)
			}
		}
		if lines != len(q.index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: the plan reads more than the index entries:\n%s", q.name, plan)
		}
	}
}

// TestTrendCounts checks the trend's counting against every task's own
// life, on 3,000 tasks with a history of 300 days and checklist work.
func TestTrendCounts(t *testing.T) {
	db, _ := bootstrapped(t)
	fillTasks(t, db, 3000)
	spreadTasks(t, db, 3000)
	ctx := t.Context()
	// Some checklist work due around the weeks' windows, some undated.
	rng := rand.New(rand.NewPCG(5, 6))
	for id := 1; id <= 3000; id += 7 {
		due := any(upgradebot.DateOf(storetest.Start).AddDays(rng.IntN(150) - 90).String())
		if rng.IntN(4) == 0 {
			due = nil
		}
		if _, err := db.db.ExecContext(ctx, `UPDATE tasks SET phase = 'test', due = ? WHERE id = ?`, due, id); err != nil {
			t.Fatal(err)
		}
	}
	type task struct {
		created, closed, phase string
		due                    sql.NullString
	}
	tasks, err := queryAll(ctx, db.db, func(s scanner) (task, error) {
		var tk task
		var closed sql.NullString
		err := s.Scan(&tk.created, &closed, &tk.phase, &tk.due)
		tk.closed = closed.String
		return tk, err
	}, `SELECT created_at, closed_at, phase, due FROM tasks`)
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{storetest.Start, storetest.Start.AddDate(0, 0, -40).Add(-5 * time.Hour)} {
		points, err := db.WeeklyTrend(ctx, now, storetest.NewYork, upgradebot.TrendWeeks)
		if err != nil {
			t.Fatal(err)
		}
		var got, want [][2]int
		for _, p := range points {
			got = append(got, [2]int{p.Open, p.Later})
			at, window := formatTime(p.At), p.Day.AddDays(upgradebot.WorkloadWindowDays).String()
			var open, later int
			for _, tk := range tasks {
				if tk.created > at || (tk.closed != "" && tk.closed <= at) {
					continue
				}
				if tk.phase != "" && (!tk.due.Valid || tk.due.String > window) {
					later++
				} else {
					open++
				}
			}
			want = append(want, [2]int{open, later})
		}
		if !slices.Equal(got, want) {
			t.Errorf("drawn at %v: open and later %v, want %v", now, got, want)
		}
	}
}

// BenchmarkWeeklyTrend is the weekly chart's read on benchTasks tasks
// created over 300 days, 10 releases: twelve weekly points.
func BenchmarkWeeklyTrend(b *testing.B) {
	db := benchDesk(b)
	spreadTasks(b, db, benchTasks)
	benchTrend(b, db)
}

// BenchmarkWeeklyTrendAllRecent is the worst case: all benchTasks tasks
// created (and the done ones closed) within the last week.
func BenchmarkWeeklyTrendAllRecent(b *testing.B) {
	db := benchDesk(b)
	benchTrend(b, db)
}

func benchTrend(b *testing.B, db *DB) {
	ctx := b.Context()
	var open int
	for b.Loop() {
		points, err := db.WeeklyTrend(ctx, storetest.Start, storetest.NewYork, upgradebot.TrendWeeks)
		if err != nil {
			b.Fatal(err)
		}
		open = points[len(points)-1].Open
	}
	b.ReportMetric(float64(open), "open")
}
