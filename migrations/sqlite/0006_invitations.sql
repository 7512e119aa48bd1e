-- Organization invitations (store/invitation_store.h). status is pending, accepted, revoked, or
-- expired (written only when a new invitation replaces an expired pending one); a pending row past
-- expires_at reads as expired. At most one pending invitation per organization and address. The
-- member limit counts members plus the pending invitations that have not expired.

CREATE TABLE organization_invitations (
  id                TEXT    PRIMARY KEY,
  organization_id   TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  email_address     TEXT    NOT NULL,
  role              TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  inviter_user_id   TEXT,
  public_metadata   TEXT    NOT NULL,
  private_metadata  TEXT    NOT NULL,
  redirect_url      TEXT,
  url               TEXT,
  notify            INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  accepted_user_id  TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX organization_invitations_one_pending
  ON organization_invitations (organization_id, email_address) WHERE status = 'pending';
CREATE INDEX organization_invitations_by_organization
  ON organization_invitations (organization_id, created_at, id);
CREATE INDEX organization_invitations_by_email ON organization_invitations (email_address, created_at, id);
CREATE INDEX organization_invitations_by_time ON organization_invitations (created_at, id);
