package store

import (
	"context"
	"time"

	"github.com/upgradebot/upgradebot"
)

// RecordRun records one scheduled run and queues its messages in one
// transaction; false means the run was recorded before and nothing was done.
func (db *DB) RecordRun(ctx context.Context, run upgradebot.JobRun, msgs []upgradebot.Message) (bool, error) {
	switch {
	case run.Job == "" || len(run.Job) > 64:
		return false, upgradebot.Errorf(upgradebot.EINVALID, "A job run needs a job name.")
	case run.At.IsZero():
		return false, upgradebot.Errorf(upgradebot.EINVALID, "A job run needs its scheduled time.")
	case run.Status != upgradebot.RunDone && run.Status != upgradebot.RunSkipped:
		return false, upgradebot.Errorf(upgradebot.EINVALID, "Unknown run status %q.", run.Status)
	}
	return writeValue(ctx, db, "record run", func(tx *writeTx) (bool, error) {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO job_runs (job, scheduled_at, status, recorded_at, note) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (job, scheduled_at) DO NOTHING`,
			run.Job, formatTime(run.At), string(run.Status), formatTime(tx.now), run.Note)
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return false, err
		}
		return true, queueAll(ctx, tx, msgs)
	})
}

// LastRun returns job's latest recorded run, ENOTFOUND if none.
func (db *DB) LastRun(ctx context.Context, job string) (upgradebot.JobRun, error) {
	runs, err := db.findRuns(ctx, `SELECT job, scheduled_at, status, recorded_at, note FROM job_runs
		WHERE job = ? ORDER BY scheduled_at DESC LIMIT 1`, job)
	if err != nil {
		return upgradebot.JobRun{}, wrap("last run", err)
	}
	if len(runs) == 0 {
		return upgradebot.JobRun{}, upgradebot.Errorf(upgradebot.ENOTFOUND, "Job %s has never run.", job)
	}
	return runs[0], nil
}

// FindRuns returns job's runs scheduled in [from, to), oldest first.
func (db *DB) FindRuns(ctx context.Context, job string, from, to time.Time) ([]upgradebot.JobRun, error) {
	runs, err := db.findRuns(ctx, `SELECT job, scheduled_at, status, recorded_at, note FROM job_runs
		WHERE job = ? AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at`, job, formatTime(from), formatTime(to))
	return runs, wrap("find runs", err)
}

func (db *DB) findRuns(ctx context.Context, query string, args ...any) ([]upgradebot.JobRun, error) {
	return queryAll(ctx, db.db, scanRun, query, args...)
}

func scanRun(s scanner) (upgradebot.JobRun, error) {
	var r upgradebot.JobRun
	var at, recorded, status string
	if err := s.Scan(&r.Job, &at, &status, &recorded, &r.Note); err != nil {
		return r, err
	}
	r.Status = upgradebot.RunStatus(status)
	var err error
	if r.At, err = parseTime(at); err != nil {
		return r, err
	}
	r.RecordedAt, err = parseTime(recorded)
	return r, err
}
