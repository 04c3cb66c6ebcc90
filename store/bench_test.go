package store

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// benchTasks is how many tasks the benchmarks' desk holds: years of work
// for a busy team.
const benchTasks = 100_000

// fillTasks writes n tasks in one transaction of raw inserts, bypassing the
// audit trail and the outbox: about a fifth open, the rest done, due dates
// spread over eighteen months around storetest.Start, ten releases, twenty
// people.
func fillTasks(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := tb.Context()
	err := db.write(ctx, "fill tasks", func(tx *writeTx) error {
		now := formatTime(tx.now)
		var releases []int64
		for i := range 10 {
			var id int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO releases (key, vendor, name, ga, created_by, created_at)
				VALUES (?, 'MedCore', ?, ?, 'UADMIN', ?) RETURNING id`,
				fmt.Sprintf("medcore-%d", 2020+i), fmt.Sprint(2020+i), fmt.Sprintf("%d-03-01", 2020+i), now).Scan(&id); err != nil {
				return err
			}
			releases = append(releases, id)
		}

		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO tasks (title, kind, status, assignee, due, priority, release_id, ref,
				created_by, created_at, updated_at, closed_by, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'UBOB', ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		rng := rand.New(rand.NewPCG(1, 2))
		kinds := []string{"upgrade", "upgrade", "maintenance", "cleanup"}
		priorities := []string{"high", "normal", "normal", "low"}
		first := upgradebot.DateOf(storetest.Start).AddDays(-365)
		for i := range n {
			status, closedBy, closedAt := "done", "UALICE", any(now)
			if rng.IntN(5) == 0 {
				status, closedBy, closedAt = "open", "", nil
			}
			var due, release any
			if rng.IntN(10) > 0 {
				due = first.AddDays(rng.IntN(548)).String()
			}
			if rng.IntN(3) == 0 {
				release = releases[rng.IntN(len(releases))]
			}
			if _, err := stmt.ExecContext(ctx,
				fmt.Sprintf("Task %d: upgrade interface %d", i, rng.IntN(1000)), kinds[rng.IntN(len(kinds))], status,
				fmt.Sprintf("U%04d", rng.IntN(20)), due, priorities[rng.IntN(len(priorities))], release,
				fmt.Sprintf("CHG-%d", i), now, now, closedBy, closedAt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	// Let the planner see the data, as `PRAGMA optimize` would in service.
	if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// benchDesk opens a bootstrapped desk holding benchTasks tasks.
func benchDesk(b *testing.B) *DB {
	b.Helper()
	clock := upgradebot.NewFakeClock(storetest.Start)
	db := mustOpen(b, clock)
	if err := db.Bootstrap(b.Context(), storetest.Channel, storetest.TimeZone, []string{storetest.Admin}); err != nil {
		b.Fatal(err)
	}
	fillTasks(b, db, benchTasks)
	return db
}

func BenchmarkCreateTask(b *testing.B) {
	db := benchDesk(b)
	ctx := b.Context()
	due := upgradebot.DateOf(storetest.Start).AddDays(7)
	i := 0
	for b.Loop() {
		i++
		t := &upgradebot.Task{Title: fmt.Sprintf("Benchmark task %d", i), Assignee: storetest.Alice, Due: due, Release: "medcore-2027"}
		if err := db.CreateTask(ctx, storetest.Bob, t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindTasksOverdue(b *testing.B) {
	db := benchDesk(b)
	ctx := b.Context()
	f := upgradebot.TaskFilter{
		Statuses:  []upgradebot.TaskStatus{upgradebot.StatusOpen},
		DueBefore: upgradebot.Today(storetest.Start, storetest.NewYork),
		Limit:     50,
	}
	var total int
	for b.Loop() {
		tasks, n, err := db.FindTasks(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		if len(tasks) != 50 {
			b.Fatalf("found %d tasks", len(tasks))
		}
		total = n
	}
	b.ReportMetric(float64(total), "overdue")
}

// BenchmarkLoads is `/upgrade workload`'s query on benchTasks tasks: the
// open work per person aggregated over the tasks_workload index, then
// everyone who has had work.
func BenchmarkLoads(b *testing.B) {
	db := benchDesk(b)
	ctx := b.Context()
	today := upgradebot.Today(storetest.Start, storetest.NewYork)
	var open int
	for b.Loop() {
		loads, err := db.Loads(ctx, today)
		if err != nil {
			b.Fatal(err)
		}
		if len(loads) != 20 {
			b.Fatalf("%d loads, want the 20 people", len(loads))
		}
		open = 0
		for _, l := range loads {
			open += l.Open
		}
	}
	b.ReportMetric(float64(open), "open")
}

// BenchmarkCreateTaskParallel is BenchmarkCreateTask from 8 goroutines at
// once, as concurrent slash commands arrive: group commit gathers their
// transactions (calls/commit is how many one commit held on average).
func BenchmarkCreateTaskParallel(b *testing.B) {
	db := benchDesk(b)
	ctx := b.Context()
	due := upgradebot.DateOf(storetest.Start).AddDays(7)
	var n atomic.Int64
	commits, committed := db.commits.Load(), db.committed.Load()
	b.SetParallelism(8 / max(runtime.GOMAXPROCS(0), 1))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t := &upgradebot.Task{Title: fmt.Sprintf("Benchmark task %d", n.Add(1)), Assignee: storetest.Alice, Due: due, Release: "medcore-2027"}
			if err := db.CreateTask(ctx, storetest.Bob, t); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(db.committed.Load()-committed)/float64(max(db.commits.Load()-commits, 1)), "calls/commit")
}
