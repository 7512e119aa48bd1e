-- The audit log (store/audit_store.h); see migrations/sqlite/0012_audit_log.sql.
CREATE TABLE audit_log (
  seq              BIGSERIAL PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL,
  action           TEXT COLLATE "C" NOT NULL,
  resource_type    TEXT COLLATE "C" NOT NULL,
  resource_id      TEXT COLLATE "C" NOT NULL,
  organization_id  TEXT COLLATE "C",
  actor_kind       TEXT COLLATE "C" NOT NULL,
  actor_id         TEXT COLLATE "C" NOT NULL,
  request_id       TEXT COLLATE "C" NOT NULL,
  remote_ip        TEXT   NOT NULL,
  user_agent       TEXT   NOT NULL,
  before           TEXT,
  after            TEXT,
  created_at       BIGINT NOT NULL
);
CREATE INDEX audit_log_by_organization ON audit_log (organization_id, seq);
CREATE INDEX audit_log_by_resource ON audit_log (resource_id, seq);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
