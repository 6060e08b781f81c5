-- Logframes: a title and a results chain (impact, outcomes, outputs,
-- activities), each result with the indicators that measure it and, per
-- indicator, a baseline, milestones and a target. Values are decimal text.
CREATE TABLE logframes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE logframe_results (
    id TEXT PRIMARY KEY,
    logframe_id TEXT NOT NULL REFERENCES logframes(id),
    parent_id TEXT REFERENCES logframe_results(id),
    level TEXT NOT NULL CHECK (level IN ('impact', 'outcome', 'output', 'activity')),
    statement TEXT NOT NULL,
    source TEXT NOT NULL,
    frequency TEXT NOT NULL,
    responsible TEXT NOT NULL,
    assumptions TEXT NOT NULL,
    risks TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX logframe_results_by_logframe ON logframe_results (logframe_id, position);
CREATE TABLE logframe_indicators (
    result_id TEXT NOT NULL REFERENCES logframe_results(id),
    indicator TEXT NOT NULL,
    position BIGINT NOT NULL,
    baseline_value TEXT,
    baseline_date TEXT,
    target_value TEXT,
    target_date TEXT,
    PRIMARY KEY (result_id, indicator)
);
CREATE TABLE logframe_milestones (
    result_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    due TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (result_id, indicator, due),
    FOREIGN KEY (result_id, indicator) REFERENCES logframe_indicators(result_id, indicator)
)
