CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    reporter TEXT NOT NULL,
    description_enc BYTEA NOT NULL,
    url_enc BYTEA,
    place_enc BYTEA,
    location TEXT REFERENCES locations(code),
    location_path TEXT COLLATE "C",
    child_age BIGINT,
    danger_now BIGINT NOT NULL,
    has_contact BIGINT NOT NULL,
    lang TEXT NOT NULL,
    priority BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    opened_at BIGINT,
    decision TEXT,
    decision_reason_enc BYTEA,
    decided_by TEXT,
    decided_at BIGINT,
    case_id TEXT,
    hotline_item_id TEXT,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_queue ON reports(decided_at, priority, due_at);
-- The reporter's identity is kept apart from the report, and read only on
-- purpose (each reading audited).
CREATE TABLE reporter_contacts (
    report_id TEXT PRIMARY KEY REFERENCES reports(id),
    contact_enc BYTEA NOT NULL
);
CREATE TABLE report_messages (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    source TEXT NOT NULL,
    body_enc BYTEA NOT NULL,
    author TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages(report_id, at);
CREATE TABLE hotline_items (
    id TEXT PRIMARY KEY,
    report_id TEXT REFERENCES reports(id),
    url TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    assessment TEXT,
    category TEXT,
    age_band TEXT,
    sex TEXT,
    hosting_country TEXT,
    hosting_provider TEXT,
    assessed_by TEXT,
    assessed_at BIGINT,
    confirmed_by TEXT,
    confirmed_at BIGINT,
    notice_sent_at BIGINT,
    law_enforcement_at BIGINT,
    forwarded_to TEXT,
    forwarded_at BIGINT,
    url_entry_id TEXT,
    removed_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX hotline_items_open ON hotline_items(removed_at, reported_at);
