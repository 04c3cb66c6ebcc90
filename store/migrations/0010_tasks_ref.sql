-- Imports look tasks up by their ticket ref, the key that makes importing
-- the same export twice create nothing the second time.
CREATE INDEX tasks_ref ON tasks (ref);
