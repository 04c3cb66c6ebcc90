-- What the scheduled jobs need besides the digest: the vendor release
-- reminders already sent (one row per release date and lead time, so each
-- is sent once), the nudges sent about each overdue task, people's mutes,
-- and each pending decision's step on the escalation ladder. The team's
-- holidays are a setting ('holidays', comma-separated ISO dates).

CREATE TABLE reminders_sent (
	key     TEXT PRIMARY KEY,
	sent_at TEXT NOT NULL
);

CREATE TABLE nudges (
	task_id  INTEGER PRIMARY KEY REFERENCES tasks (id),
	due      TEXT NOT NULL,
	count    INTEGER NOT NULL,
	last_day TEXT NOT NULL,
	posted   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE mutes (
	user_id    TEXT PRIMARY KEY,
	until_day  TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- 0 asked, 1 reminded, 2 escalated; escalated_at is when it reached it.
ALTER TABLE decisions ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN escalated_at TEXT;
