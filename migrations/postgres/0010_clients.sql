-- Frontend API clients; see migrations/sqlite/0010_clients.sql.
CREATE TABLE clients (
  id                      TEXT COLLATE "C" PRIMARY KEY,
  secret_hash             TEXT   NOT NULL,
  last_active_session_id  TEXT COLLATE "C",
  created_at              BIGINT NOT NULL,
  updated_at              BIGINT NOT NULL
);
