-- On a field laptop: each change made offline, kept as the operation the
-- next sync sends (issue 16), until the server has applied it, kept it as
-- a conflict, or refused it (then it stays, with the reason, for the
-- worker to redo or discard). A server never fills it.
CREATE TABLE field_outbox (
    n INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    made_at INTEGER NOT NULL,
    changes TEXT NOT NULL,
    refused TEXT
)
