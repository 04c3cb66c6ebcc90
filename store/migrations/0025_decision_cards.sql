-- One live decision card. Every outbox message that carries a decision's
-- Approve / Reject buttons (a DM with a decision id: the request, each
-- reminder, an escalation to the delegate, a phase gate's request) is a
-- card of the decision, recorded when it is queued; when the decision is
-- decided, withdrawn or re-routed each card still open is updated in place
-- (its buttons removed) and closed.
--
-- Cards of the messages sent before: open while their decision is pending
-- and nothing has edited them yet; closed otherwise.

CREATE TABLE decision_cards (
	message_id  INTEGER PRIMARY KEY REFERENCES outbox (id),
	decision_id INTEGER NOT NULL REFERENCES decisions (id),
	closed_at   TEXT
);

CREATE INDEX decision_cards_open ON decision_cards (decision_id) WHERE closed_at IS NULL;

INSERT INTO decision_cards (message_id, decision_id, closed_at)
SELECT o.id, o.decision_id,
	CASE WHEN d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox u WHERE u.kind = 'update' AND u.update_of = o.id)
		THEN NULL ELSE o.created_at END
FROM outbox o JOIN decisions d ON d.id = o.decision_id
WHERE o.kind = 'dm' AND o.decision_id IS NOT NULL;

-- A message may reply in the thread of an earlier one (a decision's
-- reminder in its request's thread), and list tasks with buttons beside
-- each (items: JSON, '' for none).
ALTER TABLE outbox ADD COLUMN thread_of INTEGER REFERENCES outbox (id);
ALTER TABLE outbox ADD COLUMN items TEXT NOT NULL DEFAULT '';
