package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// The weekly trend's queries. Open work at each week's end is counted as
// in openAt, but from one read of the index entries of the tasks created
// or closed since the first week's end (the tasks the weeks differ by)
// rather than two counts per week.
const (
	// Tasks created after ?1: tasks_created_closed alone.
	trendCreatedSince = `SELECT created_at, closed_at FROM tasks INDEXED BY tasks_created_closed WHERE created_at > ?1`
	// Tasks created by ?1 and closed after it: tasks_closed_created alone.
	trendClosedSince = `SELECT created_at, closed_at FROM tasks INDEXED BY tasks_closed_created
		WHERE closed_at > ?1 AND +created_at <= ?1`
	// Releases GA by ?1 and the day each went live (NULL: not live): a
	// range of releases_ga and one primary-key look-up each.
	trendReleases = `SELECT r.id, r.key, r.vendor, r.name, r.ga, r.support, r.created_by, r.created_at, p.actual_end
		FROM releases r LEFT JOIN release_phases p ON p.release_id = r.id AND p.phase = ?2
		WHERE r.ga <= ?1 ORDER BY r.ga, r.id`
)

// maxTrendWeeks bounds WeeklyTrend: ten years.
const maxTrendWeeks = 520

// WeeklyTrend returns weeks points, oldest first, one every 7 days, the last
// at now, read in one snapshot. EINVALID for weeks outside 1..520 or a zero
// today.
func (db *DB) WeeklyTrend(ctx context.Context, now time.Time, today upgradebot.Date, weeks int) ([]upgradebot.TrendPoint, error) {
	if weeks < 1 || weeks > maxTrendWeeks {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A chart covers 1 to %d weeks, not %d.", maxTrendWeeks, weeks)
	}
	if today.IsZero() {
		return nil, upgradebot.Errorf(upgradebot.EINVALID, "A chart needs the day it is for.")
	}
	tx, err := db.read(ctx)
	if err != nil {
		return nil, wrap("weekly trend", err)
	}
	defer tx.Rollback()
	points, err := weeklyTrend(ctx, tx, now, today, weeks)
	return points, wrap("weekly trend", err)
}

func weeklyTrend(ctx context.Context, q queryer, now time.Time, today upgradebot.Date, weeks int) ([]upgradebot.TrendPoint, error) {
	points := make([]upgradebot.TrendPoint, weeks)
	for i := range points {
		back := weeks - 1 - i
		points[i].At = now.AddDate(0, 0, -7*back).UTC()
		points[i].Day = today.AddDays(-7 * back)
	}
	first := formatTime(points[0].At)

	var notClosed int
	if err := q.QueryRowContext(ctx, digestNotClosed).Scan(&notClosed); err != nil {
		return nil, fmt.Errorf("count open tasks: %w", err)
	}
	// created and closed are as stored (fixed-width UTC text, so text order
	// is time order); closed is "" for a task still open.
	type span struct{ created, closed string }
	scanSpan := func(s scanner) (span, error) {
		var sp span
		var closed sql.NullString
		err := s.Scan(&sp.created, &closed)
		sp.closed = closed.String
		return sp, err
	}
	var spans []span
	for _, query := range []string{trendCreatedSince, trendClosedSince} {
		some, err := queryAll(ctx, q, scanSpan, query, first)
		if err != nil {
			return nil, fmt.Errorf("tasks changed since %s: %w", first, err)
		}
		spans = append(spans, some...)
	}
	for i := range points {
		at := formatTime(points[i].At)
		open := notClosed
		for _, s := range spans {
			switch {
			case s.created > at && s.closed == "":
				open-- // open now, but created after at
			case s.created <= at && s.closed > at:
				open++ // open at at, closed since
			}
		}
		points[i].Open = open
	}

	releases, err := trendReleaseList(ctx, q, today)
	if err != nil {
		return nil, fmt.Errorf("releases: %w", err)
	}
	for i := range points {
		points[i].Behind = upgradebot.ReleasesBehind(releases, points[i].Day)
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
