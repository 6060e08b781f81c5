-- Signed audit-chain heads and key rotation (issue 13). signed_audit_heads: this node's own
-- statements, under its node key, that the audit log reached entry seq with
-- MAC hash. Those signed on the schedule carry an exchange number (xseq) so
-- that peers that want them receive them even when no list changed, and
-- those signed for an export carry none. received_audit_heads: the heads
-- each peer sent us, kept as evidence of how far its log reached.
CREATE TABLE signed_audit_heads (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    xseq BIGINT
);
CREATE INDEX signed_audit_heads_xseq ON signed_audit_heads(xseq);
CREATE TABLE received_audit_heads (
    peer_id TEXT NOT NULL REFERENCES peers(id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signature TEXT NOT NULL,
    bundle TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (peer_id, seq)
)
;
-- Key rotation (issue 13). node_key_rotations: this node's own, each the
-- statement signed by the retired key and the new one. It travels to every
-- peer (xseq) so that each moves its trust to the new key.
-- peer_retired_keys: keys a peer retired, so that a bundle still signed by
-- one is refused with that reason.
CREATE TABLE node_key_rotations (
    old_fingerprint TEXT PRIMARY KEY,
    old_key TEXT NOT NULL,
    new_key TEXT NOT NULL,
    new_fingerprint TEXT NOT NULL UNIQUE,
    rotated_at BIGINT NOT NULL,
    signature TEXT NOT NULL,
    new_signature TEXT NOT NULL,
    xseq BIGINT NOT NULL
);
CREATE TABLE peer_retired_keys (
    fingerprint TEXT PRIMARY KEY,
    peer_id TEXT NOT NULL REFERENCES peers(id),
    public_key TEXT NOT NULL,
    retired_at BIGINT NOT NULL,
    bundle TEXT NOT NULL
)
