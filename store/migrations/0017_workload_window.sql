-- Capacity: checklist work (tasks with a phase) due beyond the workload's
-- window is not today's load, so the workload query reads the phase too.
-- The index still covers the query, so it reads no table rows.

DROP INDEX tasks_workload;
CREATE INDEX tasks_workload ON tasks (status, assignee, due, estimate_min, phase);
