-- Partners, sites and time spent.
--
-- partners are the people of an outsourced managed-services team: they see
-- the desk and work the tasks assigned to them (see upgradebot.PartnerMay).
-- Someone is a partner, an admin, or neither (a member); never both.
--
-- sites are the hospitals of a health system the central team serves, by a
-- short key (north) with a name (North Campus). Tasks, clean-ups, freezes
-- and releases may name one: '' is none (the whole system). A site in use
-- cannot be removed, so the keys stored are always the sites table's.
--
-- task_time is time spent on a task, logged by whoever spent it (`spent`),
-- on a calendar day of the team's zone.

CREATE TABLE partners (
	user_id  TEXT PRIMARY KEY,
	added_by TEXT NOT NULL,
	added_at TEXT NOT NULL
);

CREATE TABLE sites (
	key        TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

ALTER TABLE tasks ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE maintenance ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE freezes ADD COLUMN site TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN site TEXT NOT NULL DEFAULT '';

-- list site:north, workload site:north: one site's open work.
CREATE INDEX tasks_site ON tasks (site, status) WHERE site <> '';

CREATE TABLE task_time (
	id      INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES tasks (id),
	user_id TEXT NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes > 0),
	day     TEXT NOT NULL,
	note    TEXT NOT NULL DEFAULT '',
	at      TEXT NOT NULL
);

-- partner report: time logged in a month, by person.
CREATE INDEX task_time_day ON task_time (day, user_id);
CREATE INDEX task_time_task ON task_time (task_id, id);
