-- An assessment made offline on a field laptop can reach the server after
-- assessments made later: it took the next `seq`, so "first" and "latest"
-- by `seq` disagreed with time. From this version an assessment takes its
-- place in time when written, and this renumbers what is already stored the
-- same way (by when it was made, then by the order it was written).
CREATE TABLE assessment_order_0042 (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
INSERT INTO assessment_order_0042 (id, seq)
SELECT a.id, (
    SELECT COUNT(*) FROM assessments e
    WHERE e.child_id = a.child_id
      AND (e.assessed_at < a.assessed_at
           OR (e.assessed_at = a.assessed_at
               AND (e.seq < a.seq OR (e.seq = a.seq AND e.id <= a.id))))
) FROM assessments a;
UPDATE assessments SET seq = (SELECT o.seq FROM assessment_order_0042 o WHERE o.id = assessments.id);
DROP TABLE assessment_order_0042
