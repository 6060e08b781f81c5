-- The scheme version of each blind index whose tokens are computed from
-- sealed values. Version 1 of 'child_tokens' is the scheme of databases made
-- before this table existed, and opening the store with the keys rebuilds the
-- tokens of an index whose version differs from the code's.
CREATE TABLE index_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO index_versions (name, version, updated_at) VALUES ('child_tokens', 1, 0)
