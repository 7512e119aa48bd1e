-- The audit log (store/audit_store.h): one row per change, written in the change's own
-- transaction (service/transaction.h), so a change that commits has its entry and one that rolls
-- back has none. seq orders the entries as they were written and is the cursor of
-- GET /v1/audit_logs (newest first). `before` and `after` are JSON text (NULL: the object did not
-- exist before, or no longer exists after), with private metadata already replaced by its hash.
-- Entries older than --audit-retention are purged by the server.
--
-- Every index costs each write one more b-tree page in its commit, so there are three: by
-- organization (the trail of one tenant), by resource (the history of one object) and by time (the
-- purge, and time ranges). `id` is random (aud_ + 160 bits) and never looked up, so it has none;
-- the actor filter reads the rows the other filters leave (or the whole log without them). seq is
-- the rowid without AUTOINCREMENT (whose counter row is one more page per commit): the purge
-- removes the oldest entries, so the highest seq stays (unless the log is emptied: then the next
-- entries start again at 1, and a cursor kept from before reads them too).
CREATE TABLE audit_log (
  seq              INTEGER PRIMARY KEY,
  id               TEXT    NOT NULL,
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
CREATE INDEX audit_log_by_time ON audit_log (created_at);
