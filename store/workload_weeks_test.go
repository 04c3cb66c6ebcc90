package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
	"github.com/upgradebot/upgradebot/store/storetest"
)

// recordWeeks records n weekly snapshots up to today's week with
// everyone over (a threshold of one task): the worst case for the streaks.
func recordWeeks(tb testing.TB, db *DB, n int) upgradebot.Date {
	tb.Helper()
	today := upgradebot.DateOf(storetest.Start)
	for i := n - 1; i >= 0; i-- {
		if err := db.RecordWorkloadWeek(tb.Context(), today.AddDays(-7*i), upgradebot.WorkloadLimits{Tasks: 1}); err != nil {
			tb.Fatal(err)
		}
	}
	return today
}

// TestOverloadedUsesIndexes: the digest's streak query finds this week's
// rows by the primary key and each person's weeks over through
// workload_weeks_over, without sorting.
func TestOverloadedUsesIndexes(t *testing.T) {
	db, _ := bootstrapped(t)
	fillTasks(t, db, 2000)
	today := recordWeeks(t, db, 30)
	if _, err := db.db.ExecContext(t.Context(), `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	plan := queryPlan(t, db, overloadedQuery, upgradebot.WeekOf(today).String())
	if !strings.Contains(plan, "SEARCH w USING PRIMARY KEY (week=?)") || !strings.Contains(plan, "INDEX workload_weeks_over (user=?") ||
		strings.Contains(plan, "SCAN") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the streak query does not search its indexes:\n%s", plan)
	}
	d, err := db.DigestData(t.Context(), storetest.Start, today, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Overloaded) != 10 || d.OverloadedTotal != 20 || d.Overloaded[0].Weeks != 30 {
		t.Errorf("named %d of %d, the first %+v; want 10 of 20, 30 weeks running", len(d.Overloaded), d.OverloadedTotal, d.Overloaded[0])
	}
}

// BenchmarkRecordWorkloadWeek records the week's snapshot of the desk of
// BenchmarkLoads (100,000 tasks, 19,994 open over 20 people): what the
// digest job adds before it reads.
func BenchmarkRecordWorkloadWeek(b *testing.B) {
	db := benchDesk(b)
	today := upgradebot.DateOf(storetest.Start)
	for b.Loop() {
		if err := db.RecordWorkloadWeek(b.Context(), today, upgradebot.WorkloadLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverloaded reads the streaks for the digest: with no snapshot
// recorded (as in bot's BenchmarkDigest), and for the 20 people of
// benchDesk over the threshold every week for two years, the worst case.
func BenchmarkOverloaded(b *testing.B) {
	for _, weeks := range []int{0, 104} {
		b.Run(fmt.Sprintf("weeks=%d", weeks), func(b *testing.B) {
			db := benchDesk(b)
			today := recordWeeks(b, db, weeks)
			want := min(weeks, 1) * 20
			for b.Loop() {
				list, total, err := overloaded(b.Context(), db.db, today, upgradebot.DigestLimit)
				if err != nil || len(list) != min(want, 10) || total != want {
					b.Fatalf("overloaded = %d of %d, %v", len(list), total, err)
				}
			}
		})
	}
}
