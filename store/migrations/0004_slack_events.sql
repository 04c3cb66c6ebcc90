-- Slack event ids already handled: Slack retries an event it thinks was
-- not acknowledged, and the same event_id must never be processed twice.

CREATE TABLE slack_events (
	event_id    TEXT PRIMARY KEY,
	received_at TEXT NOT NULL
);

CREATE INDEX slack_events_received_at ON slack_events (received_at);
