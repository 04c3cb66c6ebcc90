-- Scheduled job runs, one row per (job, scheduled instant): recording it in
-- the transaction that queues the run's messages makes a run happen at most
-- once, even with two processes on one database file.

CREATE TABLE job_runs (
	job          TEXT NOT NULL,
	scheduled_at TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
	recorded_at  TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (job, scheduled_at)
);
