-- When this server last wrote each assessment (made here or synced from a
-- laptop, or confirmed), and when each child last came to their place: a
-- laptop's checkout sends a changed child's assessments written since its
-- last checkout, and the whole history only of a child who came to the
-- area since. None means as old as the row (an assessment as made, a
-- child as registered). Rows written before count as written when their
-- child last changed, so that no laptop misses one. And when a user's
-- role, area or agency last changed: their laptops' next checkout is then
-- a first one, whatever they held.
ALTER TABLE assessments ADD COLUMN recorded_at BIGINT;
ALTER TABLE children ADD COLUMN placed_at BIGINT;
UPDATE assessments SET recorded_at = (SELECT c.updated_at FROM children c WHERE c.id = assessments.child_id);
UPDATE children SET placed_at = updated_at;
ALTER TABLE field_nodes ADD COLUMN scope_changed_at BIGINT
