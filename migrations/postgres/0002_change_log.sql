-- One change log for every replica (see migrations/sqlite/0002_change_log.sql). Writers take
-- one transaction-level advisory lock, so change numbers are assigned in commit order and a
-- replica that has seen change n has seen every change before it; each write transaction
-- sends NOTIFY tsunagari_changes with its last change number, delivered at commit.
ALTER TABLE place_history ADD COLUMN change_no BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE place_history DROP CONSTRAINT place_history_pkey;
ALTER TABLE place_history ADD PRIMARY KEY (change_no);
ALTER TABLE place_history ADD CONSTRAINT place_history_place_version UNIQUE (place_id, version);
ALTER TABLE place_history DROP CONSTRAINT place_history_change_check;
ALTER TABLE place_history ADD CONSTRAINT place_history_change_check
    CHECK (change IN ('create', 'update', 'archive', 'restore'));
