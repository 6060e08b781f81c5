-- Readiness assessment rounds (WHO RAP-CM): a round's name, date and
-- instrument version, and each key informant's item scores (0-2).
CREATE TABLE readiness_rounds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    held_on TEXT NOT NULL,
    instrument_version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE readiness_scores (
    round_id TEXT NOT NULL REFERENCES readiness_rounds(id),
    informant TEXT NOT NULL,
    item TEXT NOT NULL,
    score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 2),
    PRIMARY KEY (round_id, informant, item)
)
