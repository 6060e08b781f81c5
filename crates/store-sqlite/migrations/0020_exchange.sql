-- Transnational exchange (issue 13). The peers this node trusts: what each
-- may send us and what we publish to it, and where its chain of bundles to
-- us stands (the last sequence number and bundle hash accepted).
CREATE TABLE peers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    url TEXT,
    may_send TEXT NOT NULL,
    publish TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_bundle_hash TEXT,
    last_import_at INTEGER,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
-- Bundles this node issued to each peer, so the next one names the right
-- previous bundle.
CREATE TABLE exchange_sent (
    peer_id TEXT NOT NULL REFERENCES peers(id),
    bundle_hash TEXT NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    items INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (peer_id, bundle_hash)
);
CREATE INDEX exchange_sent_to ON exchange_sent(peer_id, seq_to);
-- Each list entry's exchange sequence number: set from one counter across
-- both lists whenever the entry is added, disabled, enabled or removed, so
-- a bundle carries every entry's newest state once. Received entries keep
-- their origin: the peer, the entry's id there, when and by which bundle.
-- held_off marks a hash entry an analyst here disabled: a peer sending it
-- again does not enable it.
ALTER TABLE hash_entries ADD COLUMN xseq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hash_entries ADD COLUMN held_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hash_entries ADD COLUMN origin_peer TEXT REFERENCES peers(id);
ALTER TABLE hash_entries ADD COLUMN origin_id TEXT;
ALTER TABLE hash_entries ADD COLUMN received_at INTEGER;
ALTER TABLE hash_entries ADD COLUMN origin_bundle TEXT;
ALTER TABLE url_entries ADD COLUMN xseq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE url_entries ADD COLUMN origin_peer TEXT REFERENCES peers(id);
ALTER TABLE url_entries ADD COLUMN origin_id TEXT;
ALTER TABLE url_entries ADD COLUMN received_at INTEGER;
ALTER TABLE url_entries ADD COLUMN origin_bundle TEXT;
-- Entries made before this: hash entries in the order of their change feed,
-- then URL entries in list-version order.
UPDATE hash_entries SET xseq = changed;
UPDATE url_entries SET xseq = (SELECT COALESCE(MAX(changed), 0) FROM hash_entries) + COALESCE(removed_version, version);
CREATE INDEX hash_entries_xseq ON hash_entries(xseq);
CREATE INDEX url_entries_xseq ON url_entries(xseq);
CREATE UNIQUE INDEX hash_entries_origin ON hash_entries(origin_peer, origin_id);
CREATE UNIQUE INDEX url_entries_origin ON url_entries(origin_peer, origin_id)
