-- Offline field work (issue 16). field_nodes: the laptops enrolled by
-- their users, how far each one's operations were applied (acknowledged),
-- its last sync and what it still held then (pending), and its revocation.
-- field_operations: the answer given to each operation a laptop sent, so
-- an operation sent again after a lost answer gets the same one.
-- field_conflicts: a field someone else changed while the laptop was
-- away, with the laptop's and the server's values (sealed: they may be a
-- child's name), until a person chooses.
CREATE TABLE field_nodes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    acknowledged BIGINT NOT NULL DEFAULT 0,
    last_sync_at BIGINT,
    pending BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE INDEX field_nodes_user ON field_nodes(user_id);
CREATE TABLE field_operations (
    node_id TEXT NOT NULL REFERENCES field_nodes(id),
    n BIGINT NOT NULL,
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    conflicts TEXT NOT NULL,
    made_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (node_id, n)
);
CREATE TABLE field_conflicts (
    id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL REFERENCES field_nodes(id),
    n BIGINT NOT NULL,
    child_id TEXT NOT NULL REFERENCES children(id),
    field TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by TEXT,
    kept TEXT
);
CREATE INDEX field_conflicts_open ON field_conflicts(resolved_at, child_id);
