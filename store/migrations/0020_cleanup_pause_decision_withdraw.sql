-- Corrections: a recurring clean-up can be paused (no new occurrence until
-- it is resumed) and kept to working days (an occurrence whose day falls on
-- a weekend or a team holiday is due on the next working day); a decision
-- can be withdrawn by whoever asked it.

ALTER TABLE maintenance ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
ALTER TABLE maintenance ADD COLUMN workdays INTEGER NOT NULL DEFAULT 0 CHECK (workdays IN (0, 1));

-- decisions.status gains 'withdrawn' (decided_by is then the requester).
-- SQLite cannot change a CHECK constraint, so the table is rebuilt: its
-- rows are kept aside, the table dropped and made again under its own
-- name, and the rows put back. Outbox rows refer to decisions; with the
-- foreign-key checks deferred to the commit, they point at the same ids
-- again by then.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE decisions_kept AS SELECT * FROM decisions;

DROP TABLE decisions;

CREATE TABLE decisions (
	id           INTEGER PRIMARY KEY,
	question     TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	routed_to    TEXT NOT NULL,
	on_behalf_of TEXT NOT NULL DEFAULT '',
	due          TEXT,
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   TEXT,
	comment      TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	request_msg  INTEGER REFERENCES outbox (id),
	escalation   INTEGER NOT NULL DEFAULT 0,
	escalated_at TEXT,
	release_id   INTEGER REFERENCES releases (id),
	phase        TEXT,
	gate_day     TEXT
);

INSERT INTO decisions (id, question, requested_by, routed_to, on_behalf_of, due, status, decided_by, decided_at,
	comment, created_at, request_msg, escalation, escalated_at, release_id, phase, gate_day)
SELECT id, question, requested_by, routed_to, on_behalf_of, due, status, decided_by, decided_at,
	comment, created_at, request_msg, escalation, escalated_at, release_id, phase, gate_day
FROM decisions_kept;

DROP TABLE decisions_kept;

CREATE INDEX decisions_status ON decisions (status, id);
CREATE INDEX decisions_gate ON decisions (release_id, phase, status)
	WHERE release_id IS NOT NULL;
