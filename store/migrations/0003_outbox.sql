-- The outbox: messages written in the same transaction as the change that
-- caused them and delivered afterwards. Decisions remember the outbox id of
-- their request DM so the outcome can edit it in place; decisions made
-- before this migration have none (NULL).

CREATE TABLE outbox (
	id            INTEGER PRIMARY KEY,
	kind          TEXT NOT NULL CHECK (kind IN ('dm', 'post', 'update', 'home', 'response')),
	to_id         TEXT NOT NULL,
	text          TEXT NOT NULL,
	decision_id   INTEGER REFERENCES decisions (id),
	update_of     INTEGER REFERENCES outbox (id),
	status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_try      TEXT NOT NULL,
	last_error    TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	sent_at       TEXT,
	slack_channel TEXT NOT NULL DEFAULT '',
	slack_ts      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX outbox_status_next_try ON outbox (status, next_try, id);

ALTER TABLE decisions ADD COLUMN request_msg INTEGER REFERENCES outbox (id);
