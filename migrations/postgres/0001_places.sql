-- The same schema as migrations/sqlite, in types both backends bind alike: text for ids,
-- timestamps (RFC 3339, UTC) and JSON lists, BIGINT for counters, DOUBLE PRECISION for
-- coordinates. The database is storage; every query is answered by the in-memory index.

-- Reference data, copied from data/ at start so that foreign keys hold.
CREATE TABLE categories (
    code           TEXT PRIMARY KEY,
    name_ja        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    color          TEXT NOT NULL,
    icon           TEXT NOT NULL,
    description_ja TEXT NOT NULL,
    sort_order     BIGINT NOT NULL
);

CREATE TABLE areas (
    code       TEXT PRIMARY KEY,
    name_ja    TEXT NOT NULL,
    name_kana  TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    lon        DOUBLE PRECISION NOT NULL,
    lat        DOUBLE PRECISION NOT NULL,
    sort_order BIGINT NOT NULL
);

-- The current version of every place. Rows are never deleted: archiving is a status.
CREATE TABLE places (
    -- Registration order: the stable order of lists and of the in-memory index.
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    version       BIGINT NOT NULL CHECK (version >= 1),
    name          TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    name_kana     TEXT,
    category      TEXT NOT NULL REFERENCES categories (code),
    tags          TEXT NOT NULL,
    description   TEXT,
    address       TEXT,
    area          TEXT REFERENCES areas (code),
    lon           DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat           DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    schedule      TEXT,
    schedule_note TEXT,
    phone         TEXT,
    email         TEXT,
    url           TEXT,
    cost          TEXT,
    audience      TEXT NOT NULL,
    accessibility TEXT,
    source        TEXT NOT NULL CHECK (source IN ('walk', 'tane', 'import', 'staff')),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    sample        BOOLEAN NOT NULL,
    verified_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);

-- Every version of every place, the first included: who changed what, and when.
CREATE TABLE place_history (
    place_id   TEXT NOT NULL REFERENCES places (id),
    version    BIGINT NOT NULL,
    change     TEXT NOT NULL CHECK (change IN ('create', 'update', 'archive')),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    -- The whole place as JSON at this version.
    snapshot   TEXT NOT NULL,
    PRIMARY KEY (place_id, version)
);
