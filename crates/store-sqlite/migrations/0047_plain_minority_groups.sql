-- Every start seals any minority group still held in plain text (from a
-- database older than sealing, or written by another tool). The search
-- for them read every child (0.1 s a start at a million children, the
-- most of what a one-off command such as an export took to begin); this
-- index holds only the rows to seal, normally none.
CREATE INDEX children_plain_minority_group ON children(minority_group) WHERE minority_group IS NOT NULL
