CREATE TABLE instruments (
    version BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    instrument_version BIGINT NOT NULL REFERENCES instruments(version),
    answers_enc BYTEA NOT NULL,
    result_enc BYTEA NOT NULL,
    score_centi BIGINT NOT NULL,
    level TEXT NOT NULL,
    layer TEXT NOT NULL,
    urgent BIGINT NOT NULL,
    confirmed_level TEXT,
    override_reason_enc BYTEA,
    confirmed_by TEXT,
    assessed_by TEXT NOT NULL,
    assessed_at BIGINT NOT NULL
);
CREATE INDEX assessments_child ON assessments(child_id, assessed_at)
