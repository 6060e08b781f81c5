CREATE TABLE hash_lists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE hash_imports (
    id TEXT PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES hash_lists(id),
    source TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    entries BIGINT NOT NULL
);
CREATE TABLE hash_entries (
    id TEXT PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES hash_lists(id),
    pdq TEXT,
    quality BIGINT,
    md5 TEXT,
    sha256 TEXT,
    source TEXT NOT NULL,
    category TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    enabled BIGINT NOT NULL,
    import_id TEXT REFERENCES hash_imports(id),
    seq BIGINT NOT NULL
);
CREATE INDEX hash_entries_list ON hash_entries(list_id, seq);
CREATE TABLE url_entries (
    id TEXT PRIMARY KEY,
    url_key TEXT NOT NULL,
    level TEXT NOT NULL,
    original TEXT NOT NULL,
    category TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    removed_version BIGINT,
    removed_at BIGINT
);
CREATE INDEX url_entries_key ON url_entries(url_key, level);
CREATE INDEX url_entries_version ON url_entries(version);
CREATE INDEX url_entries_removed ON url_entries(removed_version)
