-- The columns that name a child in other tables compare byte by byte too,
-- as children.id has since migration 0036. With two collations on either
-- side of a comparison the planner could not use the index on these
-- columns: each child's cases or assessments were found by reading the
-- whole table, once per child. At 100,000 children the national
-- indicator report, one query a figure, took 207 s (15 s after this), and
-- two of its queries 90 s each.
ALTER TABLE assessments ALTER COLUMN child_id TYPE TEXT COLLATE "C";
ALTER TABLE cases ALTER COLUMN child_id TYPE TEXT COLLATE "C";
ALTER TABLE referrals ALTER COLUMN child_id TYPE TEXT COLLATE "C";
ALTER TABLE field_conflicts ALTER COLUMN child_id TYPE TEXT COLLATE "C"
