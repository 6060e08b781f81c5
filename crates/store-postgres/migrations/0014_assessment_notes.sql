-- A caseworker's notes on an assessment: free text about a child, sealed
-- like case notes. Empty for assessments made before notes existed.
ALTER TABLE assessments ADD COLUMN notes_enc BYTEA
