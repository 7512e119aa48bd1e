-- Jobs that gave up (store/job_store.h Bury): completed and marked dead, kept by the purge so that an
-- operator sees them (orgd jobs --dead).

ALTER TABLE jobs ADD COLUMN dead_at INTEGER;
