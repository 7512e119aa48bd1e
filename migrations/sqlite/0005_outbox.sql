-- The transactional outbox (store/outbox_store.h): side effects of a write (webhook events, audit
-- entries) are rows written in the same transaction as the change, so a change that commits has
-- them and one that rolls back has none. seq orders them as they were appended.

CREATE TABLE outbox (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  id               TEXT    NOT NULL UNIQUE,
  type             TEXT    NOT NULL,
  organization_id  TEXT,
  object_id        TEXT,
  payload          TEXT    NOT NULL,
  caller_kind      TEXT    NOT NULL,
  caller_id        TEXT    NOT NULL,
  request_id       TEXT    NOT NULL,
  remote_ip        TEXT    NOT NULL,
  user_agent       TEXT    NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
