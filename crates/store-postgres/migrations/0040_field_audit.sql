-- The last entry of a laptop's own audit log the server has taken into
-- its chain (issue 16): what was read and changed offline is accounted
-- for on the server, not only on a laptop that can be lost.
ALTER TABLE field_nodes ADD COLUMN audit_acknowledged BIGINT NOT NULL DEFAULT 0
