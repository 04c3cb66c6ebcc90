-- Slack takes about one message a second per channel. A worker that claims
-- a message books its channel (Message.ChannelKey: a channel id, or the
-- person of a DM) until next_at, and no worker claims another message to
-- that channel before then, so several processes on one database keep
-- the pace of one.

CREATE TABLE outbox_channels (
	channel TEXT PRIMARY KEY,
	next_at TEXT NOT NULL
) WITHOUT ROWID;
