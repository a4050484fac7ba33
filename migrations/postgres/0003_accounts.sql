-- Accounts and their sessions (see migrations/sqlite/0003_accounts.sql).
CREATE TABLE accounts (
    username      TEXT PRIMARY KEY CHECK (char_length(username) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'linkworker')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES accounts (username),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE INDEX sessions_by_username ON sessions (username);
