-- One change log for every process. Each committed change to a place gets a global,
-- increasing change number in the same transaction as the change itself; a process's index
-- follows the log with `changes_since(n)`, so a write by another process (a CLI import, a
-- second server on the same file) reaches it without a restart.
--
-- Writers are serialised (BEGIN IMMEDIATE), so change numbers are assigned in commit order and
-- a reader that has seen change n has seen every change before it.
CREATE TABLE place_history_log (
    change_no  INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id   TEXT NOT NULL REFERENCES places (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    change     TEXT NOT NULL CHECK (change IN ('create', 'update', 'archive', 'restore')),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    -- The whole place as JSON at this version.
    snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
    UNIQUE (place_id, version)
) STRICT;

-- Rows were inserted in commit order, so rowid order is the order the changes happened.
INSERT INTO place_history_log (place_id, version, change, changed_at, changed_by, snapshot)
SELECT place_id, version, change, changed_at, changed_by, snapshot
FROM place_history ORDER BY rowid;

DROP TABLE place_history;
ALTER TABLE place_history_log RENAME TO place_history;
