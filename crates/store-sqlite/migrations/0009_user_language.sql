-- The language each person reads Haven in, a shipped language code such as
-- 'fr', or NULL for "as the browser asks".
ALTER TABLE users ADD COLUMN language TEXT
