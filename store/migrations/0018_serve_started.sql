-- When `upgradebot serve` first started on this database. From then on the
-- desk is live on Slack: the console and exec leave the outbox's messages
-- for serve to deliver instead of printing them and marking them sent, and
-- never make the console's user an admin. One row at most.

CREATE TABLE serve_started (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	started_at TEXT NOT NULL
);
