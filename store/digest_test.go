package store

import (
	"strings"
	"testing"

	"github.com/upgradebot/upgradebot"
)

// TestDigestUsesIndexes asks SQLite how it would run each digest query on
// a table with statistics, and checks that every one searches an index
// over only the rows it needs: no query reads the whole tasks table, and
// the lists come out of their index in order, without sorting.
func TestDigestUsesIndexes(t *testing.T) {
	db, _ := bootstrapped(t)
	fillTasks(t, db, 2000) // and ANALYZE, so the planner sees a realistic table
	day, end, lastGA, then := "2026-11-26", "2026-12-03", "2027-02-24", "2026-11-19T14:00:00.000000000Z"
	for _, q := range []struct {
		name   string
		query  string
		args   []any
		index  string
		sorted bool // may sort (a handful of grouped rows)
	}{
		{"overdue", digestOverdueQuery, []any{day, 10}, "tasks_status_due", false},
		{"overdue count", digestOverdueCount, []any{day}, "COVERING INDEX tasks_status_due", false},
		{"due soon", digestDueSoonQuery, []any{day, end, 10}, "tasks_status_due", false},
		{"due soon count", digestDueSoonCount, []any{day, end}, "COVERING INDEX tasks_status_due", false},
		{"releases", digestReleasesQuery, []any{day, lastGA, 10}, "releases_ga", false},
		{"releases count", digestReleasesCount, []any{day, lastGA}, "releases_ga", false},
		{"decisions", digestDecisionsQuery, []any{10}, "decisions_status", false},
		{"decisions count", digestDecisionsCount, nil, "decisions_status", false},
		{"clean-ups", digestCleanupsQuery, []any{day, 10}, "tasks_maintenance_due (maintenance_id>?)", true},
		{"clean-ups count", digestCleanupsCount, []any{day}, "tasks_maintenance_due (maintenance_id>?)", false},
		{"not closed", digestNotClosed, nil, "COVERING INDEX tasks_closed_created (closed_at=?)", false},
		{"created since", digestNotClosedAfter, []any{then}, "COVERING INDEX tasks_created_closed (created_at>?)", false},
		{"closed since", digestClosedAfterOpen, []any{then}, "COVERING INDEX tasks_closed_created (closed_at>?)", false},
	} {
		all := queryPlan(t, db, q.query, q.args...)
		if !strings.Contains(all, q.index) || strings.Contains(all, "SCAN t\n") || strings.HasSuffix(all, "SCAN t") ||
			strings.Contains(all, "SCAN tasks") || (!q.sorted && strings.Contains(all, "TEMP B-TREE")) {
			t.Errorf("%s: the plan does not search %s as it should:\n%s", q.name, q.index, all)
		}
	}
}

// TestDigestLimitAndDay refuses a digest without a positive limit or a day.
func TestDigestLimitAndDay(t *testing.T) {
	db, clock := bootstrapped(t)
	today := upgradebot.DateOf(clock.Now())
	for _, tc := range []struct {
		limit int
		day   upgradebot.Date
	}{{0, today}, {-1, today}, {10, upgradebot.Date{}}} {
		if _, err := db.DigestData(t.Context(), clock.Now(), tc.day, tc.limit); upgradebot.ErrorCode(err) != upgradebot.EINVALID {
			t.Errorf("DigestData(limit %d, day %v) = %v, want EINVALID", tc.limit, tc.day, err)
		}
	}
}
