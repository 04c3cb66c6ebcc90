-- Core tables: team settings, admins, people, vendor releases, recurring
-- clean-ups, tasks with their notes, and away windows.
--
-- Dates (calendar days) are TEXT 'YYYY-MM-DD', NULL when unset; instants are
-- TEXT RFC 3339 in UTC with nine fraction digits, so that text order is time
-- order. Ids are INTEGER PRIMARY KEY.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE admins (
	user_id  TEXT PRIMARY KEY,
	added_by TEXT NOT NULL,
	added_at TEXT NOT NULL
);

CREATE TABLE people (
	user_id    TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE releases (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	vendor     TEXT NOT NULL,
	name       TEXT NOT NULL,
	ga         TEXT NOT NULL,
	support    TEXT,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE INDEX releases_ga ON releases (ga, id);

CREATE TABLE maintenance (
	id         INTEGER PRIMARY KEY,
	title      TEXT NOT NULL,
	every      TEXT NOT NULL,
	assignee   TEXT NOT NULL DEFAULT '',
	anchor     TEXT NOT NULL,
	active     INTEGER NOT NULL DEFAULT 1,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE tasks (
	id             INTEGER PRIMARY KEY,
	title          TEXT NOT NULL,
	kind           TEXT NOT NULL CHECK (kind IN ('upgrade', 'maintenance', 'cleanup')),
	status         TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
	assignee       TEXT NOT NULL DEFAULT '',
	due            TEXT,
	priority       TEXT NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
	release_id     INTEGER REFERENCES releases (id),
	ref            TEXT NOT NULL DEFAULT '',
	maintenance_id INTEGER REFERENCES maintenance (id),
	created_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	closed_by      TEXT NOT NULL DEFAULT '',
	closed_at      TEXT
);

-- list overdue / open work by due date: status = 'open' AND due < ?
CREATE INDEX tasks_status_due ON tasks (status, due);
-- closed work, most recently closed first
CREATE INDEX tasks_status_closed ON tasks (status, closed_at);
-- "my tasks"
CREATE INDEX tasks_assignee_status ON tasks (assignee, status);
CREATE INDEX tasks_release ON tasks (release_id);
-- one occurrence of a clean-up per day, so completing twice never doubles
CREATE UNIQUE INDEX tasks_maintenance_due ON tasks (maintenance_id, due);

CREATE TABLE task_notes (
	id      INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks (id),
	author  TEXT NOT NULL,
	text    TEXT NOT NULL,
	at      TEXT NOT NULL
);

CREATE INDEX task_notes_task ON task_notes (task_id, id);

CREATE TABLE away (
	id         INTEGER PRIMARY KEY,
	user_id    TEXT NOT NULL,
	from_day   TEXT NOT NULL,
	to_day     TEXT NOT NULL,
	delegate   TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE INDEX away_to_day ON away (to_day);
CREATE INDEX away_user ON away (user_id, to_day);
