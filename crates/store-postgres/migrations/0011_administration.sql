-- Administration: agencies as records (until now a free code on users,
-- services, cases and referrals. Every code already in use becomes a
-- record named by its code, to be given its real name by an
-- administrator), inspections of care institutions and schools with the
-- date the next one is due, a child's link to an institution, and an index
-- for searching the audit log by who acted.
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sector TEXT,
    phone TEXT,
    email TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
INSERT INTO agencies (code, name, active, created_at)
SELECT used.code, used.code, 1, 0 FROM (
    SELECT agency AS code FROM users WHERE agency IS NOT NULL
    UNION SELECT agency FROM services
    UNION SELECT agency FROM children WHERE agency IS NOT NULL
    UNION SELECT agency FROM cases WHERE agency IS NOT NULL
    UNION SELECT to_agency FROM referrals
    UNION SELECT from_agency FROM referrals WHERE from_agency IS NOT NULL
) used;
CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions(id),
    inspected_on TEXT NOT NULL,
    inspector TEXT NOT NULL,
    findings TEXT NOT NULL,
    next_due TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX inspections_institution ON inspections(institution_id, inspected_on);
ALTER TABLE institutions ADD COLUMN next_inspection_due TEXT;
ALTER TABLE children ADD COLUMN institution_id TEXT REFERENCES institutions(id);
CREATE INDEX audit_log_actor ON audit_log(actor, seq)
