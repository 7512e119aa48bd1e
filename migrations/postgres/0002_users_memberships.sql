-- Users with their email addresses and phone numbers, and organization memberships (see
-- migrations/sqlite/0002_users_memberships.sql). Emails and usernames are stored lowercased.

CREATE TABLE users (
  id                           TEXT COLLATE "C" PRIMARY KEY,
  external_id                  TEXT COLLATE "C",
  username                     TEXT COLLATE "C" UNIQUE,
  first_name                   TEXT COLLATE "C",
  last_name                    TEXT COLLATE "C",
  image_id                     TEXT COLLATE "C",
  primary_email_address_id     TEXT COLLATE "C",
  primary_phone_number_id      TEXT COLLATE "C",
  public_metadata              TEXT   NOT NULL,
  private_metadata             TEXT   NOT NULL,
  unsafe_metadata              TEXT   NOT NULL,
  create_organization_enabled  BIGINT NOT NULL CHECK (create_organization_enabled IN (0, 1)),
  create_organizations_limit   BIGINT CHECK (create_organizations_limit >= 0),
  delete_self_enabled          BIGINT NOT NULL CHECK (delete_self_enabled IN (0, 1)),
  created_at                   BIGINT NOT NULL,
  updated_at                   BIGINT NOT NULL
);

CREATE INDEX users_by_created_at ON users (created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX users_by_updated_at ON users (updated_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX users_by_external_id ON users (external_id NULLS FIRST);
CREATE INDEX users_by_first_name ON users ((first_name COLLATE nocase) NULLS FIRST, id NULLS FIRST);
CREATE INDEX users_by_last_name ON users ((last_name COLLATE nocase) NULLS FIRST, id NULLS FIRST);

CREATE TABLE email_addresses (
  id             TEXT COLLATE "C" PRIMARY KEY,
  user_id        TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email_address  TEXT COLLATE "C" NOT NULL UNIQUE,
  position       BIGINT NOT NULL,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);

CREATE INDEX email_addresses_by_user ON email_addresses (user_id NULLS FIRST, position NULLS FIRST);

CREATE TABLE phone_numbers (
  id            TEXT COLLATE "C" PRIMARY KEY,
  user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  phone_number  TEXT COLLATE "C" NOT NULL UNIQUE,
  position      BIGINT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

CREATE INDEX phone_numbers_by_user ON phone_numbers (user_id NULLS FIRST, position NULLS FIRST);

CREATE TABLE organization_memberships (
  id                TEXT COLLATE "C" PRIMARY KEY,
  organization_id   TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id           TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role              TEXT COLLATE "C" NOT NULL,
  public_metadata   TEXT   NOT NULL,
  private_metadata  TEXT   NOT NULL,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  UNIQUE (organization_id, user_id)
);

CREATE INDEX memberships_by_organization ON organization_memberships (organization_id NULLS FIRST, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX memberships_by_organization_role ON organization_memberships (organization_id NULLS FIRST, role NULLS FIRST);
CREATE INDEX memberships_by_user ON organization_memberships (user_id NULLS FIRST, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX memberships_by_created_at ON organization_memberships (created_at NULLS FIRST, id NULLS FIRST);
