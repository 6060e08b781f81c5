-- Identifiers are random hexadecimal, so they compare byte by byte. Under
-- a language collation (en_US.UTF-8, as most clusters run) every
-- comparison in their primary-key and foreign-key indexes went through
-- strcoll, 18 % of the server time registering 100,000 children. Equality
-- with the columns of other tables is unaffected, and lowercase
-- hexadecimal sorts the same in both collations.
ALTER TABLE households ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE caregivers ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE caregivers ALTER COLUMN household_id TYPE TEXT COLLATE "C";
ALTER TABLE children ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE children ALTER COLUMN household_id TYPE TEXT COLLATE "C";
ALTER TABLE child_tokens ALTER COLUMN child_id TYPE TEXT COLLATE "C";
