-- Organization invitations; see migrations/sqlite/0006_invitations.sql.

CREATE TABLE organization_invitations (
  id                TEXT COLLATE "C" PRIMARY KEY,
  organization_id   TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email_address     TEXT COLLATE "C" NOT NULL,
  role              TEXT COLLATE "C" NOT NULL,
  status            TEXT COLLATE "C" NOT NULL,
  inviter_user_id   TEXT COLLATE "C",
  public_metadata   TEXT   NOT NULL,
  private_metadata  TEXT   NOT NULL,
  redirect_url      TEXT,
  url               TEXT,
  notify            BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  accepted_user_id  TEXT COLLATE "C",
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);

CREATE UNIQUE INDEX organization_invitations_one_pending
  ON organization_invitations (organization_id, email_address) WHERE status = 'pending';
CREATE INDEX organization_invitations_by_organization
  ON organization_invitations (organization_id, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX organization_invitations_by_email
  ON organization_invitations (email_address, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX organization_invitations_by_time
  ON organization_invitations (created_at NULLS FIRST, id NULLS FIRST);
