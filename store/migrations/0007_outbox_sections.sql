-- Structured messages: an outgoing message may carry titled sections (the
-- channel digest), kept as JSON; '' means a plain message.
--
-- The digest's trend line counts the tasks created and the tasks closed in
-- the last week; these indexes hold both instants, so the counts read an
-- index range and never the table.

ALTER TABLE outbox ADD COLUMN sections TEXT NOT NULL DEFAULT '';

CREATE INDEX tasks_created_closed ON tasks (created_at, closed_at);
CREATE INDEX tasks_closed_created ON tasks (closed_at, created_at);
