-- Travelling-offender alerts (issue 13): issued here (origin_peer NULL) or
-- received from a peer (its id there in origin_id). Everything that names
-- the offender is one sealed field. Withdrawn or expired, the sealed field
-- is cleared and the row kept as a tombstone: its xseq tells peers to
-- withdraw their copies, and the exchange counter never goes back.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    origin_peer TEXT REFERENCES peers(id),
    origin_id TEXT,
    sealed BYTEA,
    expires BIGINT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    received_at BIGINT,
    origin_bundle TEXT,
    withdrawn_at BIGINT,
    withdrawn_by TEXT,
    xseq BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alerts_origin ON alerts(origin_peer, origin_id);
CREATE INDEX alerts_xseq ON alerts(xseq);
CREATE INDEX alerts_expires ON alerts(expires)
