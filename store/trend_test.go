package store

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// spreadTasks rewrites the benchmark desk's history as a team builds it:
// each task created in the 300 days before storetest.Start, a done one
// closed up to 60 days later (never after Start), and a third of the
// release tasks (about 11,000) made checklist tasks of the phase "build".
func spreadTasks(tb testing.TB, db *DB) {
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
		for id := 1; id <= benchTasks; id++ {
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

// BenchmarkWeeklyTrend is the weekly chart's read on benchTasks tasks
// created over 300 days, 10 releases: twelve weekly points.
func BenchmarkWeeklyTrend(b *testing.B) {
	db := benchDesk(b)
	spreadTasks(b, db)
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
	today := upgradebot.Today(storetest.Start, storetest.NewYork)
	var open int
	for b.Loop() {
		points, err := db.WeeklyTrend(ctx, storetest.Start, today, upgradebot.TrendWeeks)
		if err != nil {
			b.Fatal(err)
		}
		open = points[len(points)-1].Open
	}
	b.ReportMetric(float64(open), "open")
}
