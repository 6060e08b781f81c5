-- A field laptop syncs with a credential of its own, issued when it is
-- enrolled and kept only hashed here. It is good for that laptop's checkout
-- and syncs and nothing else, and revoking the laptop ends it.
ALTER TABLE field_nodes ADD COLUMN token_hash TEXT;
CREATE UNIQUE INDEX field_nodes_token ON field_nodes (token_hash)
