-- Webhooks; see migrations/sqlite/0009_webhooks.sql.
ALTER TABLE outbox ADD COLUMN stream TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN position BIGINT;
CREATE INDEX outbox_undispatched ON outbox (seq) WHERE position IS NULL;
CREATE UNIQUE INDEX outbox_by_position ON outbox (position) WHERE position IS NOT NULL;

CREATE TABLE event_streams (
  stream    TEXT COLLATE "C" PRIMARY KEY,
  last_seq  BIGINT NOT NULL
);

CREATE TABLE webhook_dispatch (
  id             BIGINT PRIMARY KEY CHECK (id = 1),
  last_position  BIGINT NOT NULL
);
INSERT INTO webhook_dispatch (id, last_position) VALUES (1, 0);

CREATE TABLE webhook_endpoints (
  id                          TEXT COLLATE "C" PRIMARY KEY,
  url                         TEXT   NOT NULL,
  description                 TEXT   NOT NULL,
  event_types                 TEXT   NOT NULL,
  disabled                    BIGINT NOT NULL,
  disabled_reason             TEXT,
  secret                      TEXT   NOT NULL,
  previous_secret             TEXT,
  previous_secret_expires_at  BIGINT,
  is_static                   BIGINT NOT NULL,
  failing_since               BIGINT,
  created_at                  BIGINT NOT NULL,
  updated_at                  BIGINT NOT NULL
);

CREATE TABLE webhook_messages (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  endpoint_id         TEXT COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq           BIGINT NOT NULL,
  stream              TEXT COLLATE "C" NOT NULL,
  status              TEXT COLLATE "C" NOT NULL,
  attempts            BIGINT NOT NULL,
  next_attempt_at     BIGINT NOT NULL,
  is_head             BIGINT NOT NULL DEFAULT 0,
  lease_owner         TEXT COLLATE "C",
  lease_until         BIGINT,
  last_response_code  BIGINT,
  last_error          TEXT,
  delivered_at        BIGINT,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  UNIQUE (endpoint_id, event_seq)
);
CREATE INDEX webhook_messages_heads ON webhook_messages (endpoint_id, stream, event_seq)
  WHERE status = 'pending';
-- The heads: the one pending message of each endpoint and stream that may be sent now. (Few
-- indexes: each is written with every message, on the writer the API's writes share.)
CREATE INDEX webhook_messages_ready ON webhook_messages (next_attempt_at)
  WHERE status = 'pending' AND is_head = 1;
