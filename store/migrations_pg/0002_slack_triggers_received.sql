-- The records of Slack triggers are forgotten after a week
-- (ForgetSlackRequests), found by when they were received.
CREATE INDEX slack_triggers_received_at ON slack_triggers (received_at);
