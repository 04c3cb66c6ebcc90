-- Workload weeks: a snapshot of each person's open work, one row per person
-- per team week, so the digest can name who stayed over the threshold week
-- after week (the tasks table only knows today's assignee).
--
-- week is the Monday of the team's week (YYYY-MM-DD); over is 1 when the
-- person was above the team's limits when the week was last recorded. A week
-- is re-recorded (its rows replaced) each time the digest runs in it.

CREATE TABLE workload_weeks (
	week        TEXT NOT NULL,
	user        TEXT NOT NULL,
	open        INTEGER NOT NULL CHECK (open >= 0),
	overdue     INTEGER NOT NULL CHECK (overdue >= 0),
	planned_min INTEGER NOT NULL CHECK (planned_min >= 0),
	over        INTEGER NOT NULL CHECK (over IN (0, 1)),
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (week, user)
) WITHOUT ROWID;

-- The weeks each person was over, latest first: their streak.
CREATE INDEX workload_weeks_over ON workload_weeks (user, week) WHERE over = 1;
