-- Slack's trigger_id of each slash command, button click and form handled:
-- a request that arrives again (a captured, correctly signed request
-- replayed within the signature's five minutes, a Socket Mode envelope
-- delivered twice) is answered "already done" instead of running again.
-- A request's id is written in the transaction of its first change, so
-- the table is one b-tree keyed by the id (a page per command, not three).

CREATE TABLE slack_triggers (
	trigger_id  TEXT PRIMARY KEY,
	received_at TEXT NOT NULL
) WITHOUT ROWID;
