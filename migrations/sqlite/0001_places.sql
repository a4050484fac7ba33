-- Reference data, copied from data/ at start so that foreign keys hold.
CREATE TABLE categories (
    code           TEXT PRIMARY KEY NOT NULL,
    name_ja        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    color          TEXT NOT NULL,
    icon           TEXT NOT NULL,
    description_ja TEXT NOT NULL,
    sort_order     INTEGER NOT NULL
) STRICT;

CREATE TABLE areas (
    code       TEXT PRIMARY KEY NOT NULL,
    name_ja    TEXT NOT NULL,
    name_kana  TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    lon        REAL NOT NULL,
    lat        REAL NOT NULL,
    sort_order INTEGER NOT NULL
) STRICT;

-- The current version of every place. Rows are never deleted: archiving is a status.
CREATE TABLE places (
    -- Registration order: the stable order of lists and of the in-memory index.
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_kana     TEXT,
    category      TEXT NOT NULL REFERENCES categories (code),
    tags          TEXT NOT NULL CHECK (json_valid(tags)),
    description   TEXT,
    address       TEXT,
    area          TEXT REFERENCES areas (code),
    lon           REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat           REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    schedule      TEXT,
    schedule_note TEXT,
    phone         TEXT,
    email         TEXT,
    url           TEXT,
    cost          TEXT,
    audience      TEXT NOT NULL CHECK (json_valid(audience)),
    accessibility TEXT,
    source        TEXT NOT NULL CHECK (source IN ('walk', 'tane', 'import', 'staff')),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    sample        INTEGER NOT NULL CHECK (sample IN (0, 1)),
    verified_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
) STRICT;

-- Every version of every place, the first included: who changed what, and when.
CREATE TABLE place_history (
    place_id   TEXT NOT NULL REFERENCES places (id),
    version    INTEGER NOT NULL,
    change     TEXT NOT NULL CHECK (change IN ('create', 'update', 'archive')),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    -- The whole place as JSON at this version.
    snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
    PRIMARY KEY (place_id, version)
) STRICT;
