-- Jobs that gave up; see migrations/sqlite/0007_dead_jobs.sql.

ALTER TABLE jobs ADD COLUMN dead_at BIGINT;
