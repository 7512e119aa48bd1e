-- Sessions, sign-in tokens and signing keys; see migrations/sqlite/0008_sessions.sql.
CREATE TABLE signing_keys (
  kid            TEXT COLLATE "C" PRIMARY KEY,
  private_key    TEXT   NOT NULL,
  public_key     TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  retired_at     BIGINT,
  max_token_exp  BIGINT NOT NULL
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL))
  WHERE retired_at IS NULL;

CREATE TABLE sessions (
  id                           TEXT COLLATE "C" PRIMARY KEY,
  client_id                    TEXT COLLATE "C" NOT NULL,
  user_id                      TEXT COLLATE "C" NOT NULL,
  status                       TEXT COLLATE "C" NOT NULL,
  last_active_organization_id  TEXT COLLATE "C" REFERENCES organizations (id) ON DELETE SET NULL,
  last_active_at               BIGINT NOT NULL,
  expire_at                    BIGINT NOT NULL,
  abandon_at                   BIGINT NOT NULL,
  created_at                   BIGINT NOT NULL,
  updated_at                   BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX sessions_by_client ON sessions (client_id, created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX sessions_by_organization ON sessions (last_active_organization_id)
  WHERE last_active_organization_id IS NOT NULL;
CREATE INDEX sessions_by_time ON sessions (created_at NULLS FIRST, id NULLS FIRST);

CREATE TABLE sign_in_tokens (
  id               TEXT COLLATE "C" PRIMARY KEY,
  user_id          TEXT COLLATE "C" NOT NULL,
  token_hash       TEXT COLLATE "C" NOT NULL UNIQUE,
  status           TEXT COLLATE "C" NOT NULL,
  organization_id  TEXT COLLATE "C",
  expires_at       BIGINT NOT NULL,
  session_id       TEXT COLLATE "C",
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX sign_in_tokens_by_user ON sign_in_tokens (user_id) WHERE status = 'pending';
