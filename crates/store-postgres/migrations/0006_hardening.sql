CREATE TABLE haven_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO haven_meta (name, value) SELECT 'audit_legacy_upto', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM audit_log;
ALTER TABLE children ADD COLUMN minority_group_enc BYTEA
