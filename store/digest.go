package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/upgradebot/upgradebot"
)

// The digest's queries. Each walks an index over only the rows it reports
// or counts (TestDigestUsesIndexes checks the plans); a unary + keeps
// SQLite from using an index for a term that only filters.
const (
	// Open tasks due before ?1, other than clean-up occurrences, oldest due
	// first: tasks_status_due in order, stopping at the limit.
	digestOverdueQuery = `SELECT ` + taskColumns + ` ` + taskFrom + `
		WHERE t.status = 'open' AND t.due IS NOT NULL AND t.due < ?1 AND +t.maintenance_id IS NULL
		ORDER BY t.due, t.id LIMIT ?2`
	// Every open task due before ?1, clean-up occurrences included (those
	// are subtracted): a count over the index alone.
	digestOverdueCount = `SELECT COUNT(*) FROM tasks WHERE status = 'open' AND due IS NOT NULL AND due < ?1`

	// Open tasks due in [?1, ?2), soonest first.
	digestDueSoonQuery = `SELECT ` + taskColumns + ` ` + taskFrom + `
		WHERE t.status = 'open' AND t.due >= ?1 AND t.due < ?2
		ORDER BY t.due, t.id LIMIT ?3`
	digestDueSoonCount = `SELECT COUNT(*) FROM tasks WHERE status = 'open' AND due >= ?1 AND due < ?2`

	// Releases with GA in [?1, ?2], earliest first.
	digestReleasesQuery = `SELECT id, key, vendor, name, ga, support, created_by, created_at FROM releases
		WHERE ga >= ?1 AND ga <= ?2 ORDER BY ga, id LIMIT ?3`
	digestReleasesCount = `SELECT COUNT(*) FROM releases WHERE ga >= ?1 AND ga <= ?2`

	// Pending decisions, oldest (longest waiting) first.
	digestDecisionsQuery = `SELECT ` + decisionColumns + ` FROM decisions WHERE status = 'pending' ORDER BY id LIMIT ?1`
	digestDecisionsCount = `SELECT COUNT(*) FROM decisions WHERE status = 'pending'`

	// Clean-up occurrences open and due before ?1, grouped by clean-up:
	// found through tasks_maintenance_due, which holds only occurrences.
	digestCleanupGroups = `SELECT maintenance_id, MIN(due) AS first_due, COUNT(*) AS n FROM tasks
		WHERE maintenance_id IS NOT NULL AND +status = 'open' AND +due < ?1 GROUP BY maintenance_id`
	// The clean-ups behind, longest overdue first, each with its oldest
	// overdue occurrence (one task per clean-up and day) and how many.
	digestCleanupsQuery = `SELECT m.id, m.title, m.every, m.assignee, m.anchor, m.active, m.created_by, m.created_at,
			m.paused, m.workdays, m.site, o.first_due, o.n, (SELECT t.id FROM tasks t WHERE t.maintenance_id = m.id AND t.due = o.first_due)
		FROM (` + digestCleanupGroups + `) o JOIN maintenance m ON m.id = o.maintenance_id
		ORDER BY o.first_due, m.id LIMIT ?2`
	// How many clean-ups are behind, and by how many occurrences in all.
	digestCleanupsCount = `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (` + digestCleanupGroups + `) AS g`

	// Open work at an instant ?1 is the tasks created by then and not
	// closed by then: those not closed now, less those of them created
	// after ?1, plus those created by ?1 and closed after it. All three
	// read only an index holding both instants; the last two read only the
	// entries of tasks created or closed since ?1, in practice a week's
	// worth. INDEXED BY makes them fail rather than quietly read the whole
	// table should an index ever go.
	digestNotClosed       = `SELECT COUNT(*) FROM tasks WHERE closed_at IS NULL`
	digestNotClosedAfter  = `SELECT COUNT(*) FROM tasks INDEXED BY tasks_created_closed WHERE created_at > ?1 AND +closed_at IS NULL`
	digestClosedAfterOpen = `SELECT COUNT(*) FROM tasks INDEXED BY tasks_closed_created WHERE closed_at > ?1 AND +created_at <= ?1`
)

// DigestData returns what the channel digest reports as of now (today is
// the team's day at now), each list holding at most limit items, read in
// one snapshot.
func (db *DB) DigestData(ctx context.Context, now time.Time, today upgradebot.Date, limit int) (upgradebot.DigestData, error) {
	if limit <= 0 {
		return upgradebot.DigestData{}, upgradebot.Errorf(upgradebot.EINVALID, "A digest needs a positive limit, not %d.", limit)
	}
	if today.IsZero() {
		return upgradebot.DigestData{}, upgradebot.Errorf(upgradebot.EINVALID, "A digest needs the day it is for.")
	}
	tx, err := db.read(ctx)
	if err != nil {
		return upgradebot.DigestData{}, wrap("digest", err)
	}
	defer tx.Rollback()
	d, err := digestData(ctx, tx, now, today, limit)
	return d, wrap("digest", err)
}

func digestData(ctx context.Context, q queryer, now time.Time, today upgradebot.Date, limit int) (upgradebot.DigestData, error) {
	d := upgradebot.DigestData{Now: now, Today: today}
	day := today.String()
	var err error

	if d.Overdue, err = digestTasks(ctx, q, digestOverdueQuery, day, limit); err != nil {
		return d, fmt.Errorf("overdue tasks: %w", err)
	}
	var cleanupOccurrences int
	if err := q.QueryRowContext(ctx, digestCleanupsCount, day).Scan(&d.CleanupsTotal, &cleanupOccurrences); err != nil {
		return d, fmt.Errorf("count clean-ups behind: %w", err)
	}
	if err := q.QueryRowContext(ctx, digestOverdueCount, day).Scan(&d.OverdueTotal); err != nil {
		return d, fmt.Errorf("count overdue tasks: %w", err)
	}
	d.OverdueTotal -= cleanupOccurrences
	d.CleanupOccurrences = cleanupOccurrences
	if d.Names, err = peopleNames(ctx, q); err != nil {
		return d, err
	}

	end := today.AddDays(upgradebot.DigestDueDays).String()
	if d.DueSoon, err = digestTasks(ctx, q, digestDueSoonQuery, day, end, limit); err != nil {
		return d, fmt.Errorf("tasks due soon: %w", err)
	}
	if err := q.QueryRowContext(ctx, digestDueSoonCount, day, end).Scan(&d.DueSoonTotal); err != nil {
		return d, fmt.Errorf("count tasks due soon: %w", err)
	}

	if d.Releases, err = digestReleases(ctx, q, today, limit); err != nil {
		return d, fmt.Errorf("coming releases: %w", err)
	}
	lastGA := today.AddDays(upgradebot.DigestReleaseDays).String()
	if err := q.QueryRowContext(ctx, digestReleasesCount, day, lastGA).Scan(&d.ReleasesTotal); err != nil {
		return d, fmt.Errorf("count coming releases: %w", err)
	}

	if d.Decisions, err = digestDecisions(ctx, q, limit); err != nil {
		return d, fmt.Errorf("pending decisions: %w", err)
	}
	if err := q.QueryRowContext(ctx, digestDecisionsCount).Scan(&d.DecisionsTotal); err != nil {
		return d, fmt.Errorf("count pending decisions: %w", err)
	}

	if d.Cleanups, err = digestCleanups(ctx, q, day, limit); err != nil {
		return d, fmt.Errorf("clean-ups behind: %w", err)
	}
	if d.Queued, err = queryAll(ctx, q, scanMaintenance, maintenanceSelect+` WHERE active = 1 AND queue_size > 0 AND queue_rate > 0 ORDER BY id`); err != nil {
		return d, fmt.Errorf("clean-up queues: %w", err)
	}
	if err := loadQueues(ctx, q, d.Queued); err != nil {
		return d, fmt.Errorf("clean-up queues: %w", err)
	}

	var notClosed int
	if err := q.QueryRowContext(ctx, digestNotClosed).Scan(&notClosed); err != nil {
		return d, fmt.Errorf("count open tasks: %w", err)
	}
	// Open work now is what the lists are read from: every task not
	// closed as they are read, whatever the run's nominal time.
	d.OpenNow = notClosed
	var first sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT MIN(created_at) FROM tasks`).Scan(&first); err != nil {
		return d, fmt.Errorf("first task: %w", err)
	}
	if first.Valid {
		if d.FirstTask, err = parseTime(first.String); err != nil {
			return d, fmt.Errorf("first task: %w", err)
		}
	}
	if d.OpenWeekAgo, err = openAt(ctx, q, notClosed, now.AddDate(0, 0, -7)); err != nil {
		return d, err
	}

	// The freezes not over by today: the first is the one in force or
	// next to start; work due inside one is flagged, and go-lives are
	// moved out of them (and off holidays).
	if d.Freezes, err = findFreezes(ctx, q, today, -1); err != nil {
		return d, fmt.Errorf("freezes: %w", err)
	}
	if len(d.Freezes) > 0 {
		d.NextFreeze = d.Freezes[0]
	}
	if d.Holidays, err = readHolidays(ctx, q); err != nil {
		return d, fmt.Errorf("holidays: %w", err)
	}
	if d.Sites, err = queryAll(ctx, q, scanSite, `SELECT key, name, created_by, created_at FROM sites ORDER BY key`); err != nil {
		return d, fmt.Errorf("sites: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM partners)`).Scan(&d.HasPartners); err != nil {
		return d, fmt.Errorf("partners: %w", err)
	}

	if d.Overloaded, d.OverloadedTotal, err = overloaded(ctx, q, today, limit); err != nil {
		return d, fmt.Errorf("people over the workload threshold: %w", err)
	}

	// The forecast: the releases of the vendors with a cadence (a handful
	// of rows a vendor and quarter) and the phases.
	if d.ForecastVendors, err = findVendors(ctx, q); err != nil {
		return d, fmt.Errorf("forecast vendors: %w", err)
	}
	if len(d.ForecastVendors) == 0 {
		return d, nil
	}
	names := make([]string, len(d.ForecastVendors))
	for i, v := range d.ForecastVendors {
		names[i] = v.Name
	}
	if d.ForecastReleases, err = findReleases(ctx, q, upgradebot.ReleaseFilter{Vendors: names}); err != nil {
		return d, fmt.Errorf("forecast releases: %w", err)
	}
	if d.ForecastPhases, err = findPhases(ctx, q, ""); err != nil {
		return d, fmt.Errorf("forecast phases: %w", err)
	}
	if d.ForecastPlan, err = phasePlan(ctx, q); err != nil {
		return d, fmt.Errorf("forecast phases: %w", err)
	}
	return d, nil
}

// openAt counts the tasks open at instant t, given how many are not closed
// now.
func openAt(ctx context.Context, q queryer, notClosed int, t time.Time) (int, error) {
	var createdAfter, closedAfter int
	if err := q.QueryRowContext(ctx, digestNotClosedAfter, formatTime(t)).Scan(&createdAfter); err != nil {
		return 0, fmt.Errorf("count tasks open at %s: %w", formatTime(t), err)
	}
	if err := q.QueryRowContext(ctx, digestClosedAfterOpen, formatTime(t)).Scan(&closedAfter); err != nil {
		return 0, fmt.Errorf("count tasks open at %s: %w", formatTime(t), err)
	}
	return notClosed - createdAfter + closedAfter, nil
}

func digestTasks(ctx context.Context, q queryer, query string, args ...any) ([]*upgradebot.Task, error) {
	return queryAll(ctx, q, scanTask, query, args...)
}

func digestReleases(ctx context.Context, q queryer, today upgradebot.Date, limit int) ([]*upgradebot.Release, error) {
	return queryAll(ctx, q, scanRelease, digestReleasesQuery, today.String(), today.AddDays(upgradebot.DigestReleaseDays).String(), limit)
}

func digestDecisions(ctx context.Context, q queryer, limit int) ([]*upgradebot.Decision, error) {
	return queryAll(ctx, q, scanDecisionOnly, digestDecisionsQuery, limit)
}

func digestCleanups(ctx context.Context, q queryer, day string, limit int) ([]upgradebot.OverdueCleanup, error) {
	list, err := queryAll(ctx, q, func(s scanner) (upgradebot.OverdueCleanup, error) {
		var firstDue string
		var n int
		var openID int64
		m, err := scanMaintenance(scanWith{s, []any{&firstDue, &n, &openID}})
		if err != nil {
			return upgradebot.OverdueCleanup{}, err
		}
		m.NextDue, err = parseDate(sql.NullString{String: firstDue, Valid: true})
		m.OpenTaskID = openID
		return upgradebot.OverdueCleanup{Maintenance: m, Occurrences: n}, err
	}, digestCleanupsQuery, day, limit)
	if err != nil {
		return nil, err
	}
	ms := make([]*upgradebot.Maintenance, len(list))
	for i, c := range list {
		ms[i] = c.Maintenance
	}
	return list, loadQueues(ctx, q, ms)
}
