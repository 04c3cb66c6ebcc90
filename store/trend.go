package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/upgradebot/upgradebot"
)

// The weekly trend's queries: one pass over the index entries of the
// tasks open now and of those closed since the first point, and one over
// the checklist work's entries, no table row read. Open work at each point
// is then counted in Go as in openAt, from the tasks the points differ by
// rather than two counts per point.
const (
	// The tasks open now created by the first point (?1): how many, from
	// tasks_closed_created alone. They are open at every point.
	trendOpenBefore = `SELECT COUNT(*) FROM tasks INDEXED BY tasks_closed_created WHERE closed_at IS NULL AND created_at <= ?1`
	// The tasks open now created since the first point, then those closed
	// since it: tasks_closed_created alone, the row id read from the index.
	trendSince = `SELECT id, created_at, closed_at FROM tasks INDEXED BY tasks_closed_created
			WHERE closed_at IS NULL AND created_at > ?1
		UNION ALL SELECT id, created_at, closed_at FROM tasks INDEXED BY tasks_closed_created WHERE closed_at > ?1`
	// Checklist work (tasks with a phase), open or not, undated or due
	// after ?1, the first point's window: tasks_workload alone. Checklist
	// work due by then counts at every point it is open, as any task does.
	trendChecklist = `SELECT id, status = 'open', due FROM tasks INDEXED BY tasks_workload
		WHERE phase != '' AND COALESCE(due, '9999-12-31') > ?1`
)

// Releases GA by ?1 and the day each went live (NULL: not live), named as
// the vendor is set up when it is: a range of releases_ga and primary-key
// look-ups.
const trendReleases = `SELECT r.id, r.key, COALESCE(v.name, r.vendor), r.name, r.ga, r.support, r.created_by, r.created_at,
		p.actual_end
	FROM releases r LEFT JOIN release_phases p ON p.release_id = r.id AND p.phase = ?2
		LEFT JOIN vendors v ON v.name = r.vendor
	WHERE r.ga <= ?1 ORDER BY r.ga, r.id`

// maxTrendWeeks bounds WeeklyTrend: ten years.
const maxTrendWeeks = 520

// WeeklyTrend returns weeks points, one per team week in loc, oldest
// first, the last the week under way as of now, read in one snapshot.
// EINVALID for weeks outside 1..520 or a nil loc.
func (db *DB) WeeklyTrend(ctx context.Context, now time.Time, loc *time.Location, weeks int) ([]upgradebot.TrendPoint, error) {
	if weeks < 1 || weeks > maxTrendWeeks {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A chart covers 1 to %d weeks, not %d.", maxTrendWeeks, weeks)
	}
	if loc == nil {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A chart needs the team's time zone.")
	}
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("weekly trend", err)
	}
	defer tx.Rollback()
	points, err := weeklyTrend(ctx, tx, upgradebot.TrendWeeksTo(now, loc, weeks))
	return points, wrap("weekly trend", err)
}

// weeklyTrend counts points, as TrendWeeksTo returns them.
func weeklyTrend(ctx context.Context, q queryer, points []upgradebot.TrendPoint) ([]upgradebot.TrendPoint, error) {
	n := len(points)
	// The points' instants and the last days of their windows, both as
	// stored (fixed-width UTC text and ISO days, so text order is time
	// order) and ascending.
	ats, windows := make([]string, n), make([]string, n)
	for i, p := range points {
		ats[i] = formatTime(p.At)
		windows[i] = p.Day.AddDays(upgradebot.WorkloadWindowDays).String()
	}
	// first(bounds, v) is the first point whose bound is v or later: a task
	// created at v is open from it, closed at v is not open from it, due
	// on v counts from it. n: at none.
	first := func(bounds []string, v []byte) int {
		return sort.Search(n, func(i int) bool { return string(v) <= bounds[i] })
	}

	var before int
	if err := q.QueryRowContext(ctx, trendOpenBefore, ats[0]).Scan(&before); err != nil {
		return nil, fmt.Errorf("count open tasks: %w", err)
	}
	// Checklist work beyond the first window: the point it counts from
	// (n: undated, never), and whether it is open now.
	type later struct {
		from int
		open bool
	}
	checklist := map[int64]later{}
	err := eachRow(ctx, q, func(s scanner) error {
		var id int64
		var l later
		var due sql.RawBytes
		if err := s.Scan(&id, &l.open, &due); err != nil {
			return err
		}
		l.from = n
		if due != nil {
			l.from = first(windows, due)
		}
		checklist[id] = l
		return nil
	}, trendChecklist, windows[0])
	if err != nil {
		return nil, fmt.Errorf("checklist work: %w", err)
	}

	// A task open at points from..to-1 is in Later before point counted,
	// in Open from it; both kept as differences from one point to the
	// next.
	open, late := make([]int, n+1), make([]int, n+1)
	add := func(from, to, counted, tasks int) {
		c := min(max(counted, from), to)
		late[from] += tasks
		late[c] -= tasks
		open[c] += tasks
		open[to] -= tasks
	}
	add(0, n, 0, before)
	err = eachRow(ctx, q, func(s scanner) error {
		var id int64
		var created, closed sql.RawBytes
		if err := s.Scan(&id, &created, &closed); err != nil {
			return err
		}
		from, to, counted := first(ats, created), n, 0
		if closed != nil {
			to = first(ats, closed)
		}
		if l, ok := checklist[id]; ok {
			counted = l.from
			delete(checklist, id)
		}
		add(from, to, counted, 1)
		return nil
	}, trendSince, ats[0])
	if err != nil {
		return nil, fmt.Errorf("tasks changed since %s: %w", ats[0], err)
	}
	// The checklist work left open now was created by the first point and
	// counted in before: it moves to Later until it counts. (What is left
	// closed was closed by the first point.)
	for _, l := range checklist {
		if l.open {
			add(0, n, 0, -1)
			add(0, n, l.from, 1)
		}
	}
	for i := range points {
		points[i].Open, points[i].Later = open[i], late[i]
		if i > 0 {
			points[i].Open += points[i-1].Open
			points[i].Later += points[i-1].Later
		}
	}

	last := points[n-1].Day
	releases, err := trendReleaseList(ctx, q, last)
	if err != nil {
		return nil, fmt.Errorf("releases: %w", err)
	}
	for i := range points {
		points[i].Vendors = upgradebot.BehindByVendor(releases, points[i].Day)
		for _, v := range points[i].Vendors {
			points[i].Behind += v.Behind
		}
	}
	return points, nil
}

func trendReleaseList(ctx context.Context, q queryer, today upgradebot.Date) ([]upgradebot.ReleaseLive, error) {
	plan, err := phasePlan(ctx, q)
	if err != nil {
		return nil, err
	}
	// A release is live when the last phase of the team's plan is done.
	return queryAll(ctx, q, func(s scanner) (upgradebot.ReleaseLive, error) {
		var live sql.NullString
		r, err := scanRelease(scanWith{s, []any{&live}})
		if err != nil {
			return upgradebot.ReleaseLive{}, err
		}
		rl := upgradebot.ReleaseLive{Release: r}
		rl.Live, err = parseDate(live)
		return rl, err
	}, trendReleases, today.String(), string(plan.Last()))
}

// eachRow runs query and scans every row with scan, which may keep no
// sql.RawBytes it scanned past its return.
func eachRow(ctx context.Context, q queryer, scan func(scanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
