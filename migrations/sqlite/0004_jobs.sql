-- Background jobs shared by every orgd process on this database (store/job_store.h). A job is
-- leased to one process at a time; lease_expires_at = 0 means not leased.

CREATE TABLE jobs (
  id                TEXT    PRIMARY KEY,
  kind              TEXT    NOT NULL,
  payload           TEXT    NOT NULL,
  dedupe_key        TEXT,
  run_at            INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_expires_at  INTEGER NOT NULL,
  last_error        TEXT,
  completed_at      INTEGER,
  created_at        INTEGER NOT NULL
) STRICT;

-- What Claim scans: jobs not completed, by due time.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE completed_at IS NULL;
-- At most one pending job per dedupe key.
CREATE UNIQUE INDEX jobs_pending_dedupe_key ON jobs (dedupe_key) WHERE completed_at IS NULL;
CREATE INDEX jobs_completed ON jobs (completed_at) WHERE completed_at IS NOT NULL;
