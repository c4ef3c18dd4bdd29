-- 0011: notifications (DESIGN 9, issue 19): the transactional outbox. Every row here is written
-- in the same transaction as the transition that causes it, so a rolled-back transition leaves
-- none and a committed one loses none; a dispatcher delivers the e-mails and webhook deliveries
-- afterwards, at least once, and records each attempt.

-- In-app notifications, one per recipient; e-mail rides on the same row (email_state).
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  type            TEXT    NOT NULL,            -- item.waiting, ballot.closed, reminder.due
  instance_id     INTEGER NOT NULL,
  title           TEXT    NOT NULL,            -- the instance's title when it was written
  detail          TEXT    NOT NULL DEFAULT '{}', -- JSON the text is rendered from (state, hours)
  read_at         INTEGER,
  -- pending (to be sent), sent, failed, none (no e-mail address or no SMTP server)
  email_state     TEXT    NOT NULL DEFAULT 'pending',
  email_attempts  INTEGER NOT NULL DEFAULT 0,
  email_next_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_by_user ON notifications(user_id, id);
CREATE INDEX notifications_email_due ON notifications(email_next_at) WHERE email_state = 'pending';

CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY,
  url         TEXT    NOT NULL,
  events      TEXT    NOT NULL,   -- JSON array of event types
  secret      TEXT    NOT NULL,   -- needed in clear to sign (HMAC); never listed
  created_at  INTEGER NOT NULL,
  created_by  TEXT    NOT NULL,
  deleted_at  INTEGER
);

-- One per (event, subscribed webhook); its id is the Rsoflow-Delivery header, the same on
-- every attempt and after a restart.
CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY,
  webhook_id       INTEGER NOT NULL REFERENCES webhooks(id),
  event            TEXT    NOT NULL,
  at               INTEGER NOT NULL,
  body             TEXT    NOT NULL,  -- the payload but its "id" (the delivery's), added when sent
  status           TEXT    NOT NULL DEFAULT 'pending',  -- pending, delivered, failed
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  next_attempt_at  INTEGER
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at)
  WHERE status = 'pending';
