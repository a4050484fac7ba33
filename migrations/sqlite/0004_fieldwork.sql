-- What staff find in the field: walks (まち歩き) and タネ (seed notes from exchange diaries,
-- walks and conversations). Both are private to staff. They are few (a city notes hundreds a
-- year), so every process reads them from here rather than from an in-memory index, and a
-- change made by any process is seen by the next request.
CREATE TABLE walks (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    walked_on    TEXT NOT NULL,
    notes        TEXT,
    participants INTEGER CHECK (participants BETWEEN 0 AND 10000),
    -- The route: a JSON list of segments, each a list of [lon, lat]; [] before one is recorded.
    route        TEXT NOT NULL CHECK (json_valid(route)),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
) STRICT;

CREATE TABLE tane (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    version     INTEGER NOT NULL CHECK (version >= 1),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    lon         REAL CHECK (lon BETWEEN -180 AND 180),
    lat         REAL CHECK (lat BETWEEN -90 AND 90),
    source      TEXT NOT NULL CHECK (source IN ('diary', 'walk', 'conversation', 'other')),
    found_on    TEXT NOT NULL,
    walk_id     TEXT REFERENCES walks (id),
    status      TEXT NOT NULL CHECK (status IN ('new', 'looking', 'promoted', 'set_aside')),
    -- The place it became (set by promotion, with the place's tane_id, in one transaction).
    place_id    TEXT REFERENCES places (id),
    recorded_by TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    CHECK ((lon IS NULL) = (lat IS NULL))
) STRICT;

CREATE INDEX tane_by_walk ON tane (walk_id);
CREATE INDEX tane_by_place ON tane (place_id);

-- Every version of every タネ and walk, the first included: who changed what, and when.
CREATE TABLE record_history (
    collection TEXT NOT NULL CHECK (collection IN ('tane', 'walks')),
    record_id  TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    change     TEXT NOT NULL CHECK (change IN ('create', 'update', 'promote')),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    -- The whole record as JSON at this version.
    snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
    PRIMARY KEY (collection, record_id, version)
) STRICT;

-- A place's origin: the タネ it was promoted from, the walk it was found on. Kept by edits.
ALTER TABLE places ADD COLUMN tane_id TEXT REFERENCES tane (id);
ALTER TABLE places ADD COLUMN walk_id TEXT REFERENCES walks (id);
CREATE INDEX places_by_walk ON places (walk_id);
