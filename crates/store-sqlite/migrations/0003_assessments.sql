CREATE TABLE instruments (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    instrument_version INTEGER NOT NULL REFERENCES instruments(version),
    answers_enc BLOB NOT NULL,
    result_enc BLOB NOT NULL,
    score_centi INTEGER NOT NULL,
    level TEXT NOT NULL,
    layer TEXT NOT NULL,
    urgent INTEGER NOT NULL,
    confirmed_level TEXT,
    override_reason_enc BLOB,
    confirmed_by TEXT,
    assessed_by TEXT NOT NULL,
    assessed_at INTEGER NOT NULL
);
CREATE INDEX assessments_child ON assessments(child_id, assessed_at)
