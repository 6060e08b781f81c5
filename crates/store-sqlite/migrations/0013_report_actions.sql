-- A report can lead to several actions: a case AND a hotline item AND a
-- police referral. The first is the report's decision (kept on the report,
-- as before), and each further one is a row here, in the order taken (seq).
CREATE TABLE report_actions (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    reason_enc BLOB,
    case_id TEXT,
    hotline_item_id TEXT,
    taken_by TEXT NOT NULL,
    taken_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX report_actions_report ON report_actions(report_id, seq);
