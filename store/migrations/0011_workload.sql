-- Workload: estimates on tasks, and the queue of a recurring clean-up.
--
-- tasks.estimate_min is the work planned in whole minutes, 0 when nobody
-- estimated it. maintenance.queue_size and queue_rate (items per hour) are
-- the last measured backlog of a clean-up and how fast one person works it;
-- queue_at is when they were recorded (NULL: never).

ALTER TABLE tasks ADD COLUMN estimate_min INTEGER NOT NULL DEFAULT 0 CHECK (estimate_min >= 0);

ALTER TABLE maintenance ADD COLUMN queue_size INTEGER NOT NULL DEFAULT 0 CHECK (queue_size >= 0);
ALTER TABLE maintenance ADD COLUMN queue_rate REAL NOT NULL DEFAULT 0 CHECK (queue_rate >= 0);
ALTER TABLE maintenance ADD COLUMN queue_at TEXT;

-- /upgrade workload: open work per person, aggregated from the index alone.
CREATE INDEX tasks_workload ON tasks (status, assignee, due, estimate_min);
