-- Versions of the readiness instrument (WHO RAP-CM) a deployment added
-- beside the one Haven ships: its own maxima, its questionnaire's wording.
-- A round keeps the version it was entered with, so versions are never
-- changed or removed.
CREATE TABLE readiness_instruments (
    version BIGINT PRIMARY KEY,
    definition TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
)
