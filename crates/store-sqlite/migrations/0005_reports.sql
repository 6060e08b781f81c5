CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    reporter TEXT NOT NULL,
    description_enc BLOB NOT NULL,
    url_enc BLOB,
    place_enc BLOB,
    location TEXT REFERENCES locations(code),
    location_path TEXT,
    child_age INTEGER,
    danger_now INTEGER NOT NULL,
    has_contact INTEGER NOT NULL,
    lang TEXT NOT NULL,
    priority INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    opened_at INTEGER,
    decision TEXT,
    decision_reason_enc BLOB,
    decided_by TEXT,
    decided_at INTEGER,
    case_id TEXT,
    hotline_item_id TEXT,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX reports_queue ON reports(decided_at, priority, due_at);
-- The reporter's identity is kept apart from the report, and read only on
-- purpose (each reading audited).
CREATE TABLE reporter_contacts (
    report_id TEXT PRIMARY KEY REFERENCES reports(id),
    contact_enc BLOB NOT NULL
);
CREATE TABLE report_messages (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    source TEXT NOT NULL,
    body_enc BLOB NOT NULL,
    author TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX report_messages_report ON report_messages(report_id, at);
CREATE TABLE hotline_items (
    id TEXT PRIMARY KEY,
    report_id TEXT REFERENCES reports(id),
    url TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    assessment TEXT,
    category TEXT,
    age_band TEXT,
    sex TEXT,
    hosting_country TEXT,
    hosting_provider TEXT,
    assessed_by TEXT,
    assessed_at INTEGER,
    confirmed_by TEXT,
    confirmed_at INTEGER,
    notice_sent_at INTEGER,
    law_enforcement_at INTEGER,
    forwarded_to TEXT,
    forwarded_at INTEGER,
    url_entry_id TEXT,
    removed_at INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX hotline_items_open ON hotline_items(removed_at, reported_at);
