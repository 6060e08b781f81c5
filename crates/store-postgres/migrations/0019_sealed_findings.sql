-- What an inspection found can name children and staff: it is sealed like
-- other identifying text. Rows written before keep their plain text until
-- the store seals them when it is next opened.
ALTER TABLE inspections ADD COLUMN findings_enc BYTEA
