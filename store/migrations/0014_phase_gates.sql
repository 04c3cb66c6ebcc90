-- Phase gates: closing a release phase is a decision routed to the owner.
-- A gate decision names the release, the phase and the day the requester
-- gave; approving it records the phase done on that day. Other decisions
-- leave the three columns null.

ALTER TABLE decisions ADD COLUMN release_id INTEGER REFERENCES releases (id);
ALTER TABLE decisions ADD COLUMN phase TEXT;
ALTER TABLE decisions ADD COLUMN gate_day TEXT;

-- The pending gate, if any, for a release's phase.
CREATE INDEX decisions_gate ON decisions (release_id, phase, status)
	WHERE release_id IS NOT NULL;
