-- A child's first assessment (by order), kept on the child's row whenever
-- their assessments are written: whether a later one was a reassessment,
-- and whether the level fell since, without reading every assessment the
-- child ever had. A report then reads only the assessments of its period,
-- through an index that holds what it reads.
ALTER TABLE children ADD COLUMN first_assessment_seq BIGINT;
ALTER TABLE children ADD COLUMN first_assessment_level TEXT;
UPDATE children SET
    first_assessment_seq = (SELECT MIN(a.seq) FROM assessments a WHERE a.child_id = children.id),
    first_assessment_level = (SELECT COALESCE(a.confirmed_level, a.level) FROM assessments a WHERE a.child_id = children.id ORDER BY a.seq LIMIT 1);
CREATE INDEX assessments_in_time ON assessments(assessed_at, child_id, seq, level, confirmed_level, layer)
