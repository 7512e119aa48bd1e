-- Verified domains, membership requests and suggestions; see migrations/sqlite/0011_domains.sql.
CREATE TABLE organization_domains (
  id                         TEXT COLLATE "C"    PRIMARY KEY,
  organization_id            TEXT COLLATE "C"    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name                       TEXT    NOT NULL,
  enrollment_mode            TEXT    NOT NULL,
  verified                   INTEGER NOT NULL,
  affiliation_email_address  TEXT,
  affiliation                TEXT,
  affiliation_code_hash      TEXT    NOT NULL,
  ownership                  TEXT,
  txt_record_value           TEXT    NOT NULL,
  created_at                 BIGINT NOT NULL,
  updated_at                 BIGINT NOT NULL
);
CREATE UNIQUE INDEX organization_domains_name_per_organization
  ON organization_domains (organization_id, name);
CREATE UNIQUE INDEX organization_domains_one_verified_owner
  ON organization_domains (name) WHERE verified = 1;
CREATE INDEX organization_domains_by_time ON organization_domains (created_at, id);

-- The invitations enrollment made (automatic_invitation): left out of the Backend API's
-- invitation lists, counted as the domain's total_pending_invitations.
CREATE TABLE domain_invitations (
  invitation_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES organization_invitations (id) ON DELETE CASCADE,
  domain_id      TEXT COLLATE "C" NOT NULL REFERENCES organization_domains (id) ON DELETE CASCADE
);
CREATE INDEX domain_invitations_by_domain ON domain_invitations (domain_id);

CREATE TABLE organization_suggestions (
  id               TEXT COLLATE "C"    PRIMARY KEY,
  organization_id  TEXT COLLATE "C"    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id          TEXT COLLATE "C"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  domain_id        TEXT COLLATE "C"    NOT NULL REFERENCES organization_domains (id) ON DELETE CASCADE,
  status           TEXT    NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX organization_suggestions_one_per_user
  ON organization_suggestions (organization_id, user_id);
CREATE INDEX organization_suggestions_by_user ON organization_suggestions (user_id, created_at);

-- status: pending, accepted, rejected; one pending request per user and organization.
CREATE TABLE membership_requests (
  id               TEXT COLLATE "C"    PRIMARY KEY,
  organization_id  TEXT COLLATE "C"    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id          TEXT COLLATE "C"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status           TEXT    NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX membership_requests_one_pending
  ON membership_requests (organization_id, user_id) WHERE status = 'pending';
CREATE INDEX membership_requests_by_organization ON membership_requests (organization_id, created_at);
