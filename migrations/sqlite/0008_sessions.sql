-- Sessions, sign-in tokens and the keys that sign session tokens (store/session_store.h,
-- store/sign_in_token_store.h, store/signing_key_store.h).
--
-- signing_keys: one current key (retired_at IS NULL) and the retired ones still in the JWKS.
-- max_token_exp is the latest expiry (ms) of any token the key may have signed: every mint
-- raises it first, so a retired key leaves the JWKS only after its last token expired. The
-- private key is PKCS#8 PEM: back this table up, and protect it like the secret keys.
CREATE TABLE signing_keys (
  kid            TEXT    PRIMARY KEY,
  private_key    TEXT    NOT NULL,
  public_key     TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  retired_at     INTEGER,
  max_token_exp  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL))
  WHERE retired_at IS NULL;

-- status is active, revoked, ended, removed (as stored); expired and abandoned are read from the
-- times (domain/session.h). A session outlives its user (it is ended when the user is deleted);
-- the active organization is cleared when the organization goes.
CREATE TABLE sessions (
  id                           TEXT    PRIMARY KEY,
  client_id                    TEXT    NOT NULL,
  user_id                      TEXT    NOT NULL,
  status                       TEXT    NOT NULL,
  last_active_organization_id  TEXT    REFERENCES organizations (id) ON DELETE SET NULL,
  last_active_at               INTEGER NOT NULL,
  expire_at                    INTEGER NOT NULL,
  abandon_at                   INTEGER NOT NULL,
  created_at                   INTEGER NOT NULL,
  updated_at                   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id, created_at, id);
CREATE INDEX sessions_by_client ON sessions (client_id, created_at, id);
CREATE INDEX sessions_by_organization ON sessions (last_active_organization_id)
  WHERE last_active_organization_id IS NOT NULL;
CREATE INDEX sessions_by_time ON sessions (created_at, id);

-- A sign-in token is kept only as the SHA-256 of its secret (hex). status: pending, accepted,
-- revoked; a pending token past expires_at can no longer be redeemed.
CREATE TABLE sign_in_tokens (
  id               TEXT    PRIMARY KEY,
  user_id          TEXT    NOT NULL,
  token_hash       TEXT    NOT NULL UNIQUE,
  status           TEXT    NOT NULL,
  organization_id  TEXT,
  expires_at       INTEGER NOT NULL,
  session_id       TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_tokens_by_user ON sign_in_tokens (user_id) WHERE status = 'pending';
