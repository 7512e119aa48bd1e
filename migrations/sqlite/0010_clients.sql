-- Frontend API clients (store/client_store.h): one per browser or native app, known by the
-- credential in its __client cookie (or Authorization header): the client's ID and a secret, of
-- which only the SHA-256 (hex) is kept. A client's sessions are the sessions rows with its ID.
-- last_active_session_id is the session the client last signed in to or touched.
CREATE TABLE clients (
  id                      TEXT    PRIMARY KEY,
  secret_hash             TEXT    NOT NULL,
  last_active_session_id  TEXT,
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL
) STRICT;
