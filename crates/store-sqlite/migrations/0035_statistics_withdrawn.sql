-- A published figure whose indicator is no longer public: kept, with its
-- exchange number moved, so that the next bundle tells peers to remove it.
ALTER TABLE statistics_published ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0
