-- Accounts and their sessions. Sessions live in the database so that any process or replica
-- serves them, and a disabled account or a changed password ends them at once everywhere:
-- every request that carries a session looks it up here (staff requests are few).
CREATE TABLE accounts (
    username      TEXT PRIMARY KEY NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'linkworker')),
    -- argon2id, in PHC string form (algorithm, parameters and salt included).
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: the token itself is never stored.
    token_hash   TEXT PRIMARY KEY NOT NULL,
    username     TEXT NOT NULL REFERENCES accounts (username),
    -- Unix seconds, for idle and absolute expiry.
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_by_username ON sessions (username);
