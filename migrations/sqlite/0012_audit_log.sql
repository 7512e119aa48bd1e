-- The audit log (store/audit_store.h): one row per change, written in the change's own
-- transaction (service/transaction.h), so a change that commits has its entry and one that rolls
-- back has none. seq orders the entries as they were written and is the cursor of
-- GET /v1/audit_logs (newest first). `before` and `after` are JSON text (NULL: the object did not
-- exist before, or no longer exists after), with private metadata already replaced by its hash.
-- Entries older than --audit-retention are purged by the server.
CREATE TABLE audit_log (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  id               TEXT    NOT NULL UNIQUE,
  action           TEXT    NOT NULL,
  resource_type    TEXT    NOT NULL,
  resource_id      TEXT    NOT NULL,
  organization_id  TEXT,
  actor_kind       TEXT    NOT NULL,
  actor_id         TEXT    NOT NULL,
  request_id       TEXT    NOT NULL,
  remote_ip        TEXT    NOT NULL,
  user_agent       TEXT    NOT NULL,
  before           TEXT,
  after            TEXT,
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_by_organization ON audit_log (organization_id, seq);
CREATE INDEX audit_log_by_resource ON audit_log (resource_id, seq);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
