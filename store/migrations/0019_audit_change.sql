-- The audit rows one change writes (one command, one transaction) name it:
-- change_id is the id of the change's first row, NULL on that row itself and
-- on every row written before this migration (each its own change). Undo
-- reads a person's last change back by it.

ALTER TABLE audit ADD COLUMN change_id INTEGER;
