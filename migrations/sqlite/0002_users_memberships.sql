-- Users (the records memberships point to) with their email addresses and phone numbers, and
-- organization memberships. Emails and usernames are stored lowercased, so UNIQUE is
-- case-insensitive as Clerk's identifiers are.

CREATE TABLE users (
  id                           TEXT    PRIMARY KEY,
  external_id                  TEXT,
  username                     TEXT    UNIQUE,
  first_name                   TEXT,
  last_name                    TEXT,
  image_id                     TEXT,
  primary_email_address_id     TEXT,
  primary_phone_number_id      TEXT,
  public_metadata              TEXT    NOT NULL,
  private_metadata             TEXT    NOT NULL,
  unsafe_metadata              TEXT    NOT NULL,
  create_organization_enabled  INTEGER NOT NULL CHECK (create_organization_enabled IN (0, 1)),
  create_organizations_limit   INTEGER CHECK (create_organizations_limit >= 0),
  delete_self_enabled          INTEGER NOT NULL CHECK (delete_self_enabled IN (0, 1)),
  created_at                   INTEGER NOT NULL,
  updated_at                   INTEGER NOT NULL
) STRICT;

CREATE INDEX users_by_created_at ON users (created_at, id);
CREATE INDEX users_by_updated_at ON users (updated_at, id);
CREATE INDEX users_by_external_id ON users (external_id);
CREATE INDEX users_by_first_name ON users (first_name COLLATE NOCASE, id);
CREATE INDEX users_by_last_name ON users (last_name COLLATE NOCASE, id);

CREATE TABLE email_addresses (
  id             TEXT    PRIMARY KEY,
  user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email_address  TEXT    NOT NULL UNIQUE,
  position       INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX email_addresses_by_user ON email_addresses (user_id, position);

CREATE TABLE phone_numbers (
  id            TEXT    PRIMARY KEY,
  user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  phone_number  TEXT    NOT NULL UNIQUE,
  position      INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX phone_numbers_by_user ON phone_numbers (user_id, position);

-- organizations.members_count is kept exact by the store's membership writes (not by counting).
CREATE TABLE organization_memberships (
  id                TEXT    PRIMARY KEY,
  organization_id   TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id           TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role              TEXT    NOT NULL,
  public_metadata   TEXT    NOT NULL,
  private_metadata  TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (organization_id, user_id)
) STRICT;

CREATE INDEX memberships_by_organization ON organization_memberships (organization_id, created_at, id);
CREATE INDEX memberships_by_organization_role ON organization_memberships (organization_id, role);
CREATE INDEX memberships_by_user ON organization_memberships (user_id, created_at, id);
CREATE INDEX memberships_by_created_at ON organization_memberships (created_at, id);
