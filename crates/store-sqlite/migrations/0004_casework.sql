CREATE TABLE services (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    agency TEXT NOT NULL,
    sector TEXT NOT NULL,
    layers TEXT NOT NULL,
    coverage TEXT NOT NULL REFERENCES locations(code),
    coverage_path TEXT NOT NULL,
    factors TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX services_sector ON services(sector, coverage_path);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    location_path TEXT NOT NULL,
    agency TEXT,
    assigned_to TEXT NOT NULL,
    step TEXT NOT NULL,
    plan_status TEXT NOT NULL,
    closure_requested INTEGER NOT NULL,
    level TEXT,
    urgent INTEGER NOT NULL,
    plan_enc BLOB,
    plan_submitted_by TEXT,
    consent TEXT NOT NULL,
    child_views_enc BLOB,
    adoptability_enc BLOB,
    adoptability_by TEXT,
    next_due_at INTEGER,
    opened_by TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX cases_child ON cases(child_id);
CREATE INDEX cases_scope ON cases(location_path, next_due_at);
CREATE INDEX cases_assigned ON cases(assigned_to, next_due_at);
CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    body_enc BLOB,
    author TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, at);
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    location_path TEXT NOT NULL,
    from_agency TEXT,
    service_id TEXT NOT NULL REFERENCES services(id),
    to_agency TEXT NOT NULL,
    sector TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_enc BLOB NOT NULL,
    answer_enc BLOB,
    sent_by TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    respond_by INTEGER NOT NULL,
    answered_by TEXT,
    answered_at INTEGER,
    completed_at INTEGER
);
CREATE INDEX referrals_to ON referrals(to_agency, status, respond_by);
CREATE INDEX referrals_case ON referrals(case_id);
