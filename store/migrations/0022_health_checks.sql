-- GET /healthz proves the database takes writes by writing the time of the
-- check to this one row: a database that answers reads but cannot be
-- written (a read-only file, a full disk) fails every command.

CREATE TABLE health_checks (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	checked_at TEXT NOT NULL
);
