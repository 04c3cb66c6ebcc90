-- The release checklist: the team's template of phase tasks copied onto
-- each new release, the phase a task belongs to, and a release's notes
-- logged item by item as adopt, defer or skip (not doing) with the reason.
-- The template starts empty: each team writes its own.

ALTER TABLE tasks ADD COLUMN phase TEXT NOT NULL DEFAULT '';

CREATE TABLE checklist (
	id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the audit names removed ones
	phase        TEXT NOT NULL,
	title        TEXT NOT NULL,
	estimate_min INTEGER NOT NULL DEFAULT 0 CHECK (estimate_min >= 0),
	position     INTEGER NOT NULL DEFAULT 0,
	updated_by   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE release_items (
	id         INTEGER PRIMARY KEY,
	release_id INTEGER NOT NULL REFERENCES releases (id),
	title      TEXT NOT NULL,
	verdict    TEXT NOT NULL CHECK (verdict IN ('adopt', 'defer', 'skip')),
	reason     TEXT NOT NULL DEFAULT '',
	decided_by TEXT NOT NULL,
	decided_at TEXT NOT NULL,
	UNIQUE (release_id, title COLLATE NOCASE)
);

-- Deferred items of a vendor's earlier releases, found by verdict.
CREATE INDEX release_items_verdict ON release_items (verdict, release_id);
