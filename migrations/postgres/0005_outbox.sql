-- The transactional outbox (store/outbox_store.h); see migrations/sqlite/0005_outbox.sql.

CREATE TABLE outbox (
  seq              BIGSERIAL PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  type             TEXT COLLATE "C" NOT NULL,
  organization_id  TEXT COLLATE "C",
  object_id        TEXT COLLATE "C",
  payload          TEXT   NOT NULL,
  caller_kind      TEXT COLLATE "C" NOT NULL,
  caller_id        TEXT COLLATE "C" NOT NULL,
  request_id       TEXT COLLATE "C" NOT NULL,
  remote_ip        TEXT   NOT NULL,
  user_agent       TEXT   NOT NULL,
  created_at       BIGINT NOT NULL
);
