//! The tamper-evident audit log: each entry carries a MAC (HMAC-SHA256
//! under a key derived from the key file, which is kept outside the
//! database) of its content and of the entry before it, so altering,
//! removing or reordering any entry breaks the chain from that point on,
//! and someone who can write to the database but lacks the key file cannot
//! recompute it. The newest entry's number and MAC are also kept in a file
//! beside the key (see `head`), so deleting the newest entries is detected
//! too. `haven audit verify` names the first bad entry.
//!
//! Databases made before the chain was keyed hold entries chained with a
//! plain SHA-256; they are checked that way and re-chained with the key
//! once, at the first start that has the key.

use crate::crypto::{sha256_hex, AuditKey};
use serde::Serialize;

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who (user name, `system`, or `anonymous`).
    pub actor: String,
    /// What, e.g. `child.read`, `sign_in`.
    pub action: String,
    /// Which record, e.g. `child:ab12…`.
    pub target: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    /// Non-identifying detail (never names or secrets).
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
    /// The id of the request it was written while serving (the
    /// `X-Request-Id` response header and the `request_id` of that
    /// request's log lines); none for entries written before ids were
    /// kept, or outside a request.
    pub request_id: Option<String>,
}

thread_local! {
    static REQUEST_ID: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (store calls serving one request, on this thread) with every
/// audit entry it writes recording `request_id`. The web server wraps each
/// store call in it, as it carries the request's log span into the call.
pub fn with_request_id<R>(request_id: Option<&str>, f: impl FnOnce() -> R) -> R {
    let before = REQUEST_ID.with(|r| r.replace(request_id.map(str::to_string)));
    let out = f();
    REQUEST_ID.with(|r| *r.borrow_mut() = before);
    out
}

/// The request id audit entries written now record (see [`with_request_id`]).
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.with(|r| r.borrow().clone())
}

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The first place the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// The sequence number of the first bad entry (or where one is missing).
    pub seq: i64,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit entry {}: {}", self.seq, self.reason)
    }
}

/// What a write transaction needs to append to the chain: the key, and
/// the newest entry it appended (for the head file, after commit).
#[derive(Debug)]
pub struct AuditChain {
    /// The chain's key.
    pub key: AuditKey,
    /// The last entry appended in this transaction: (seq, hash).
    pub appended: Option<(i64, String)>,
}

/// How an entry's hash is made.
#[derive(Clone, Copy, Debug)]
pub enum ChainHash<'a> {
    /// Plain SHA-256: entries written before the chain was keyed.
    Legacy,
    /// HMAC-SHA256 under the audit key.
    Keyed(&'a AuditKey),
}

/// The hash of an entry's content chained to `prev_hash`. Fields are
/// length-prefixed so no two different entries encode the same way. The
/// request id is hashed only when there is one, so entries written
/// without one (all those before it was kept) hash as they always did,
/// and one added or changed later breaks the chain.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    how: ChainHash<'_>,
    prev_hash: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    target: &str,
    outcome: &str,
    detail: &str,
    request_id: Option<&str>,
) -> String {
    let mut buf = Vec::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        &at.to_string(),
        actor,
        action,
        target,
        outcome,
        detail,
    ] {
        buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
        buf.extend_from_slice(part.as_bytes());
    }
    if let Some(id) = request_id {
        buf.extend_from_slice(&(id.len() as u64).to_le_bytes());
        buf.extend_from_slice(id.as_bytes());
    }
    match how {
        ChainHash::Legacy => sha256_hex(&buf),
        ChainHash::Keyed(key) => key.mac_hex(&buf),
    }
}

/// The hash an entry should have, recomputed from its content.
pub fn recompute(how: ChainHash<'_>, e: &AuditEntry) -> String {
    entry_hash(
        how,
        &e.prev_hash,
        e.seq,
        e.at,
        &e.actor,
        &e.action,
        &e.target,
        &e.outcome,
        &e.detail,
        e.request_id.as_deref(),
    )
}

/// Checks entries in order, continuing from `expected_seq` and `prev_hash`.
/// Entries up to `legacy_upto` are checked with the plain hash, the rest
/// with `key`.
pub fn check_entries(
    entries: &[AuditEntry],
    key: &AuditKey,
    legacy_upto: i64,
    expected_seq: &mut i64,
    prev_hash: &mut String,
) -> Result<(), AuditProblem> {
    for e in entries {
        if e.seq != *expected_seq {
            return Err(AuditProblem {
                seq: *expected_seq,
                reason: format!(
                    "expected entry {} but found {} (removed or reordered)",
                    expected_seq, e.seq
                ),
            });
        }
        if e.prev_hash != *prev_hash {
            return Err(AuditProblem {
                seq: e.seq,
                reason: "does not follow the entry before it".into(),
            });
        }
        let how = if e.seq <= legacy_upto {
            ChainHash::Legacy
        } else {
            ChainHash::Keyed(key)
        };
        if recompute(how, e) != e.hash {
            return Err(AuditProblem {
                seq: e.seq,
                reason: "content was altered".into(),
            });
        }
        *prev_hash = e.hash.clone();
        *expected_seq += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_id_is_hashed_only_when_there_is_one() {
        let h = |id: Option<&str>| {
            entry_hash(
                ChainHash::Legacy,
                GENESIS,
                1,
                2,
                "a",
                "b",
                "c",
                "ok",
                "",
                id,
            )
        };
        // Without one, the content hashes as entries always did.
        let mut buf = Vec::new();
        for part in [GENESIS, "1", "2", "a", "b", "c", "ok", ""] {
            buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
            buf.extend_from_slice(part.as_bytes());
        }
        assert_eq!(h(None), sha256_hex(&buf));
        assert_ne!(h(Some("0123")), h(None));
        assert_ne!(h(Some("0123")), h(Some("0124")));
    }
}
