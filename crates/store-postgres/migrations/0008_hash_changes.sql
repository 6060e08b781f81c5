-- Each hash entry's place in the feed of changes that servers sharing the
-- database follow to keep their match indexes in step: set when the entry
-- is added and again whenever it is enabled or disabled.
ALTER TABLE hash_entries ADD COLUMN changed BIGINT NOT NULL DEFAULT 0;
UPDATE hash_entries SET changed = seq;
CREATE INDEX hash_entries_changed ON hash_entries(changed)
