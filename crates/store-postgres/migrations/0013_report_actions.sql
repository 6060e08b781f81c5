-- A report can lead to several actions: a case AND a hotline item AND a
-- police referral. The first is the report's decision (kept on the report,
-- as before), and each further one is a row here, oldest first.
CREATE TABLE report_actions (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    action TEXT NOT NULL,
    reason_enc BYTEA,
    case_id TEXT,
    hotline_item_id TEXT,
    taken_by TEXT NOT NULL,
    taken_at BIGINT NOT NULL
);
CREATE INDEX report_actions_report ON report_actions(report_id, taken_at);
