-- Webhooks (store/webhook_store.h, store/outbox_store.h).
--
-- Ordering: every event belongs to a stream (its organization, else its user, else the instance's
-- roles). A write that records events first bumps its streams' rows in event_streams, so two
-- writes to one stream are serialized and their outbox seqs follow commit order within the stream
-- (SQLite's single writer gives that anyway; PostgreSQL needs the row).
--
-- Dispatch: the dispatcher takes outbox rows that have no position yet (oldest seq first), gives
-- each the next position of the event feed (GET /v1/events; webhook_dispatch holds the counter)
-- and a message per endpoint that wants it. Positions are assigned by one transaction at a time,
-- so a reader that sees position p has every position below it: a cursor never skips an event.
ALTER TABLE outbox ADD COLUMN stream TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN position INTEGER;
CREATE INDEX outbox_undispatched ON outbox (seq) WHERE position IS NULL;
CREATE UNIQUE INDEX outbox_by_position ON outbox (position) WHERE position IS NOT NULL;

CREATE TABLE event_streams (
  stream    TEXT    PRIMARY KEY,
  last_seq  INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_dispatch (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  last_position  INTEGER NOT NULL
) STRICT;
INSERT INTO webhook_dispatch (id, last_position) VALUES (1, 0);

-- secret and previous_secret are whsec_<base64>: they sign (never leave orgd but once, in the
-- create or rotate response). previous_secret keeps signing until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
  id                          TEXT    PRIMARY KEY,
  url                         TEXT    NOT NULL,
  description                 TEXT    NOT NULL,
  event_types                 TEXT    NOT NULL,
  disabled                    INTEGER NOT NULL,
  disabled_reason             TEXT,
  secret                      TEXT    NOT NULL,
  previous_secret             TEXT,
  previous_secret_expires_at  INTEGER,
  is_static                   INTEGER NOT NULL,
  failing_since               INTEGER,
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL
) STRICT;

-- One message per event and endpoint; its id is the svix-id of every attempt. status: pending,
-- delivered, failed (the schedule ran out). Within an endpoint and a stream only the oldest pending
-- message is sent (a later one waits for an earlier one being retried).
CREATE TABLE webhook_messages (
  id                  TEXT    PRIMARY KEY,
  endpoint_id         TEXT    NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq           INTEGER NOT NULL,
  stream              TEXT    NOT NULL,
  status              TEXT    NOT NULL,
  attempts            INTEGER NOT NULL,
  next_attempt_at     INTEGER NOT NULL,
  is_head             INTEGER NOT NULL DEFAULT 0,
  lease_owner         TEXT,
  lease_until         INTEGER,
  last_response_code  INTEGER,
  last_error          TEXT,
  delivered_at        INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  UNIQUE (endpoint_id, event_seq)
) STRICT;
CREATE INDEX webhook_messages_heads ON webhook_messages (endpoint_id, stream, event_seq)
  WHERE status = 'pending';
-- The heads: the one pending message of each endpoint and stream that may be sent now. (Few
-- indexes: each is written with every message, on the writer the API's writes share.)
CREATE INDEX webhook_messages_ready ON webhook_messages (next_attempt_at)
  WHERE status = 'pending' AND is_head = 1;
