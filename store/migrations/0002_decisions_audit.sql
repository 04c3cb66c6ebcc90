-- Decision requests and the append-only audit trail.

CREATE TABLE decisions (
	id           INTEGER PRIMARY KEY,
	question     TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	routed_to    TEXT NOT NULL,
	on_behalf_of TEXT NOT NULL DEFAULT '',
	due          TEXT,
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   TEXT,
	comment      TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL
);

CREATE INDEX decisions_status ON decisions (status, id);

CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	entity      TEXT NOT NULL,
	entity_id   INTEGER NOT NULL DEFAULT 0,
	before_json TEXT NOT NULL DEFAULT '',
	after_json  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_entity ON audit (entity, entity_id, id);
CREATE INDEX audit_entity_id ON audit (entity_id, id);

-- The trail is append-only: nothing, not even the bot, may change or remove
-- a row once written.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit is append-only');
END;
