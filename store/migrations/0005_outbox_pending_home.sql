-- Finding a user's pending App Home refresh (to fold a new one into it)
-- must not read every pending message.

CREATE INDEX outbox_pending_home ON outbox (to_id) WHERE kind = 'home' AND status = 'pending';
