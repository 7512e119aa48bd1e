-- Background jobs shared by every orgd node on this database (store/job_store.h); see
-- migrations/sqlite/0004_jobs.sql. Claims use FOR UPDATE SKIP LOCKED, so concurrent nodes never
-- wait for each other's rows.

CREATE TABLE jobs (
  id                TEXT COLLATE "C" PRIMARY KEY,
  kind              TEXT COLLATE "C" NOT NULL,
  payload           TEXT   NOT NULL,
  dedupe_key        TEXT COLLATE "C",
  run_at            BIGINT NOT NULL,
  attempts          BIGINT NOT NULL,
  lease_owner       TEXT COLLATE "C",
  lease_expires_at  BIGINT NOT NULL,
  last_error        TEXT,
  completed_at      BIGINT,
  created_at        BIGINT NOT NULL
);

CREATE INDEX jobs_due ON jobs (run_at NULLS FIRST, id NULLS FIRST) WHERE completed_at IS NULL;
CREATE UNIQUE INDEX jobs_pending_dedupe_key ON jobs (dedupe_key) WHERE completed_at IS NULL;
CREATE INDEX jobs_completed ON jobs (completed_at NULLS FIRST) WHERE completed_at IS NOT NULL;
