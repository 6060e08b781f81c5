-- Attempt limits (sign-ins, public reports, code lookups, partners'
-- matching) counted in the database, so that every server sharing it
-- counts together. A counter is named by a keyed hash of what it counts
-- (an account, an address), never the name or the address.
CREATE TABLE attempt_counts (
    counter TEXT PRIMARY KEY,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX attempt_counts_expires ON attempt_counts(expires_at);
-- The id of the request an audit entry was written while serving (the
-- X-Request-Id response header and the request_id of its log lines).
-- Entries written before, or outside a request, have none.
ALTER TABLE audit_log ADD COLUMN request_id TEXT;
CREATE INDEX audit_log_request ON audit_log(request_id, seq)
