-- Organizations and the images (logos) they own. The same history as migrations/sqlite, written
-- for PostgreSQL: timestamps are milliseconds since the Unix epoch (BIGINT), metadata is compact
-- JSON text, flags are 0/1 integers, and text compares bytewise (COLLATE "C") whatever the
-- database's locale, and every index orders NULLs first as SQLite does (the stores' ASC/DESC
-- become ASC NULLS FIRST/DESC NULLS LAST), so lists come back in the same order on both stores.

-- What the stores' `COLLATE NOCASE` means here: case-insensitive ordering.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE organizations (
  id                       TEXT COLLATE "C" PRIMARY KEY,
  name                     TEXT COLLATE "C" NOT NULL,
  slug                     TEXT COLLATE "C" NOT NULL UNIQUE,
  image_id                 TEXT COLLATE "C",
  max_allowed_memberships  BIGINT NOT NULL CHECK (max_allowed_memberships >= 0),
  admin_delete_enabled     BIGINT NOT NULL CHECK (admin_delete_enabled IN (0, 1)),
  public_metadata          TEXT   NOT NULL,
  private_metadata         TEXT   NOT NULL,
  created_by               TEXT COLLATE "C",
  role_set_key             TEXT COLLATE "C",
  -- Kept exact by the transactions that add and remove members, so lists never count rows.
  members_count            BIGINT NOT NULL DEFAULT 0 CHECK (members_count >= 0),
  created_at               BIGINT NOT NULL,
  updated_at               BIGINT NOT NULL
);

CREATE INDEX organizations_by_created_at ON organizations (created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX organizations_by_name ON organizations ((name COLLATE nocase) NULLS FIRST, id NULLS FIRST);
CREATE INDEX organizations_by_members_count ON organizations (members_count NULLS FIRST, id NULLS FIRST);

CREATE TABLE images (
  id            TEXT COLLATE "C" PRIMARY KEY,
  owner_id      TEXT COLLATE "C" NOT NULL,
  content_type  TEXT   NOT NULL,
  bytes         BYTEA  NOT NULL,
  created_at    BIGINT NOT NULL
);

CREATE INDEX images_by_owner ON images (owner_id NULLS FIRST);
