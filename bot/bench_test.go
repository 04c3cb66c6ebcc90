package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/bot"
	"github.com/upgradebot/upgradebot/store"
)

// fill loads n open tasks in bulk: due dates spread over a year either side
// of today (so about half are overdue), four assignees, every kind. All
// open is the worst case for the lists.
func fill(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	today := upgradebot.DateOf(start)
	people := []string{alice, bob, deleg, owner}
	const chunk = 10000
	for i := 0; i < n; i += chunk {
		var tasks []*upgradebot.Task
		for j := i; j < min(i+chunk, n); j++ {
			tasks = append(tasks, &upgradebot.Task{
				Title:    fmt.Sprintf("Benchmark task %d: build and test change %d", j, rng.IntN(1000)),
				Assignee: people[rng.IntN(len(people))],
				Due:      today.AddDays(rng.IntN(730) - 365),
				Kind:     upgradebot.TaskKinds[rng.IntN(len(upgradebot.TaskKinds))],
			})
		}
		if err := db.CreateTasks(ctx, admin, tasks); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
}

func BenchmarkAdd(b *testing.B) {
	bt, db, _ := newBot(b)
	fill(b, db, 100_000)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		r := bt.Handle(ctx, bot.Request{User: alice, Text: fmt.Sprintf(`add "Bench task %d" due:fri <@U0BOB|bob> prio:high`, i)})
		if r.Failed {
			b.Fatal(r.Text)
		}
	}
}

func BenchmarkListOverdue(b *testing.B) {
	bt, db, _ := newBot(b)
	fill(b, db, 100_000)
	ctx := context.Background()
	for b.Loop() {
		r := bt.Handle(ctx, bot.Request{User: alice, Text: "list overdue"})
		if r.Failed || !strings.Contains(r.Text, "more") {
			b.Fatal(r.Text)
		}
	}
}
