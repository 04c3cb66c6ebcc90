-- Vendors and their cadence, and each release's phases (review, build,
-- test, train, go-live) with planned and actual start and end days. Phase
-- names are text checked by the program, so the team's phases can change
-- without a migration.

CREATE TABLE vendors (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	cadence_days INTEGER NOT NULL CHECK (cadence_days > 0),
	support_days INTEGER NOT NULL DEFAULT 0,
	updated_by   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE release_phases (
	release_id    INTEGER NOT NULL REFERENCES releases (id),
	phase         TEXT NOT NULL,
	planned_start TEXT,
	planned_end   TEXT,
	actual_start  TEXT,
	actual_end    TEXT,
	updated_by    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	PRIMARY KEY (release_id, phase)
);
