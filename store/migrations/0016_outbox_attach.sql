-- Outgoing messages may carry an attachment the deliverer renders when it
-- sends them: 'chart' is the weekly chart, uploaded as a PNG with the text
-- as its comment. A message with an attachment is still a 'post', so the
-- kind constraint stays as it is; '' means no attachment.

ALTER TABLE outbox ADD COLUMN attach TEXT NOT NULL DEFAULT '';
