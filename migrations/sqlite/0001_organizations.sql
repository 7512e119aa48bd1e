-- Organizations and the images (logos) they own.
-- Timestamps are milliseconds since the Unix epoch; metadata is compact JSON text.

CREATE TABLE organizations (
  id                       TEXT    PRIMARY KEY,
  name                     TEXT    NOT NULL,
  slug                     TEXT    NOT NULL UNIQUE,
  image_id                 TEXT,
  max_allowed_memberships  INTEGER NOT NULL CHECK (max_allowed_memberships >= 0),
  admin_delete_enabled     INTEGER NOT NULL CHECK (admin_delete_enabled IN (0, 1)),
  public_metadata          TEXT    NOT NULL,
  private_metadata         TEXT    NOT NULL,
  created_by               TEXT,
  role_set_key             TEXT,
  -- Kept exact by the transactions that add and remove members, so lists never count rows.
  members_count            INTEGER NOT NULL DEFAULT 0 CHECK (members_count >= 0),
  created_at               INTEGER NOT NULL,
  updated_at               INTEGER NOT NULL
) STRICT;

-- One index per sort order the list endpoint offers; the ID breaks ties.
CREATE INDEX organizations_by_created_at ON organizations (created_at, id);
CREATE INDEX organizations_by_name ON organizations (name COLLATE NOCASE, id);
CREATE INDEX organizations_by_members_count ON organizations (members_count, id);

CREATE TABLE images (
  id            TEXT    PRIMARY KEY,
  owner_id      TEXT    NOT NULL,
  content_type  TEXT    NOT NULL,
  bytes         BLOB    NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX images_by_owner ON images (owner_id);
