-- Freeze windows: days (both inclusive) when the team makes no changes, a
-- go-live or a clinical blackout. Tasks and phases planned inside one are
-- flagged; the digest counts down to the next.

CREATE TABLE freezes (
	id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the audit names removed ones
	from_day   TEXT NOT NULL,
	to_day     TEXT NOT NULL CHECK (to_day >= from_day),
	reason     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- Current and coming freezes: those ending on or after a day.
CREATE INDEX freezes_to_day ON freezes (to_day, from_day);
