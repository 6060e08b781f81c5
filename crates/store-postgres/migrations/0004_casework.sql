CREATE TABLE services (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    agency TEXT NOT NULL,
    sector TEXT NOT NULL,
    layers TEXT NOT NULL,
    coverage TEXT NOT NULL REFERENCES locations(code),
    coverage_path TEXT COLLATE "C" NOT NULL,
    factors TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX services_sector ON services(sector, coverage_path);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES children(id),
    location_path TEXT COLLATE "C" NOT NULL,
    agency TEXT,
    assigned_to TEXT NOT NULL,
    step TEXT NOT NULL,
    plan_status TEXT NOT NULL,
    closure_requested BIGINT NOT NULL,
    level TEXT,
    urgent BIGINT NOT NULL,
    plan_enc BYTEA,
    plan_submitted_by TEXT,
    consent TEXT NOT NULL,
    child_views_enc BYTEA,
    adoptability_enc BYTEA,
    adoptability_by TEXT,
    next_due_at BIGINT,
    opened_by TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX cases_child ON cases(child_id);
CREATE INDEX cases_scope ON cases(location_path, next_due_at);
CREATE INDEX cases_assigned ON cases(assigned_to, next_due_at);
CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    body_enc BYTEA,
    author TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, at);
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    child_id TEXT NOT NULL REFERENCES children(id),
    location_path TEXT COLLATE "C" NOT NULL,
    from_agency TEXT,
    service_id TEXT NOT NULL REFERENCES services(id),
    to_agency TEXT NOT NULL,
    sector TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_enc BYTEA NOT NULL,
    answer_enc BYTEA,
    sent_by TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    respond_by BIGINT NOT NULL,
    answered_by TEXT,
    answered_at BIGINT,
    completed_at BIGINT
);
CREATE INDEX referrals_to ON referrals(to_agency, status, respond_by);
CREATE INDEX referrals_case ON referrals(case_id);
