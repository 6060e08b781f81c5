-- Assessments of one child made within the same second were ordered by
-- their random id, so "the latest" could be the earlier one. `seq` numbers
-- each child's assessments in the order they were made.
ALTER TABLE assessments ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE assessments SET seq = (
    SELECT COUNT(*) FROM assessments AS earlier
    WHERE earlier.child_id = assessments.child_id
      AND (earlier.assessed_at < assessments.assessed_at
           OR (earlier.assessed_at = assessments.assessed_at AND earlier.id <= assessments.id))
)
