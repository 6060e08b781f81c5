//! Types of the exchange between nodes (issue 13): trusted peers and what an
//! import did.

use serde::Serialize;

/// How far an import has come, for the person who started it (`haven
/// exchange import` prints it): a large bundle takes seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// The bundle was read and checked (signature, chain, recipient, what
    /// the peer may send, every item): its items are being applied, in
    /// short transactions, from now on.
    Applying {
        /// The bundle, as messages name it.
        bundle: String,
        /// How many items it holds.
        items: usize,
        /// Reading the file (parsing and its canonical bytes and hash).
        read: std::time::Duration,
        /// Checking the signature and the chain.
        check: std::time::Duration,
    },
    /// `done` of `items` applied so far (about every tenth).
    Applied {
        /// Items applied.
        done: usize,
        /// Items in the bundle.
        items: usize,
    },
    /// Every item applied; the last step, which moves the peer's position,
    /// is being committed.
    Committing {
        /// How long applying the items took.
        apply: std::time::Duration,
    },
}

/// A node this one trusts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Peer {
    /// Random identifier.
    pub id: String,
    /// The name administrators here know it by.
    pub name: String,
    /// Its Ed25519 public key (standard base64 of 32 bytes).
    pub public_key: String,
    /// Its fingerprint (first 16 bytes of the key's SHA-256, in hex groups).
    pub fingerprint: String,
    /// Where its feed is (`http://host:port`), when this node pulls from it.
    pub url: Option<String>,
    /// What it may send us: `hashes`, `urls`, `alerts`, `stats`, `audit`.
    pub may_send: Vec<String>,
    /// What we publish to it: `urls`, `alerts`, `stats`, `audit`, `hashlist:NAME`.
    pub publish: Vec<String>,
    /// Revoked: nothing more is accepted from it or sent to it.
    pub revoked: bool,
    /// The last exchange sequence number accepted from it (0: none yet).
    pub last_seq: i64,
    /// The hash of the last bundle accepted from it.
    pub last_bundle_hash: Option<String>,
    /// When that bundle was applied (Unix seconds).
    pub last_import_at: Option<i64>,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: i64,
    /// The newest signed head of its audit chain it sent us: the entry
    /// number it vouched its log had reached.
    pub audit_head_seq: Option<i64>,
    /// When it signed that head (Unix seconds).
    pub audit_head_signed_at: Option<i64>,
}

/// A peer to add.
#[derive(Clone, Debug, Default)]
pub struct NewPeer {
    /// Its name here (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// Its public key, as `haven node show` prints it there.
    pub public_key: String,
    /// Its address, for pulling.
    pub url: Option<String>,
    /// What it may send, comma-separated.
    pub may_send: String,
    /// What we publish to it, comma-separated.
    pub publish: String,
}

/// What an import applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    /// The bundle, as messages and the audit log name it.
    pub bundle: String,
    /// Its hash.
    pub hash: String,
    /// The peer it came from.
    pub peer: String,
    /// The sequence range it covered.
    pub seq_from: i64,
    /// Its end: the peer's next bundle starts after it.
    pub seq_to: i64,
    /// Hash entries listed (or listed again).
    pub hashes_added: u64,
    /// Hash entries taken out of use.
    pub hashes_removed: u64,
    /// Received hash entries an analyst here disabled, left disabled.
    pub kept_disabled: u64,
    /// URLs listed.
    pub urls_added: u64,
    /// URLs taken off (tombstoned).
    pub urls_removed: u64,
    /// URLs already listed here at the same level (kept as they are).
    pub urls_already_listed: u64,
    /// Travelling-offender alerts received (or received again).
    pub alerts_added: u64,
    /// Alerts withdrawn at the origin, and so removed here.
    pub alerts_withdrawn: u64,
    /// Published figures received (new, or newer than the one kept).
    pub statistics_received: u64,
    /// The audit entry the peer signed that its log had reached, when the
    /// bundle carried its audit head.
    pub audit_head: Option<i64>,
    /// The fingerprint of the key the peer rotated to, when the bundle
    /// carried its rotation and our trust moved to that key.
    pub new_key: Option<String>,
}

/// A figure another node published (one of its public indicators,
/// disclosure-controlled there), as received: the newest per origin,
/// indicator, period and place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceivedStatistic {
    /// The peer it came from (its name here).
    pub origin: String,
    /// The indicator's id in that node's catalogue.
    pub indicator: String,
    /// The catalogue version it was computed with.
    pub catalogue_version: i64,
    /// The period (`2026`, `2026Q3`).
    pub period: String,
    /// The place's code at the origin.
    pub location: String,
    /// Its unit (`count`, `percent`, …).
    pub unit: String,
    /// The figure as decimal text; none when hidden or undefined.
    pub value: Option<String>,
    /// Whether disclosure control hid it at the origin.
    pub suppressed: bool,
    /// When it was received (Unix seconds).
    pub received_at: i64,
    /// The hash of the bundle it came in.
    pub origin_bundle: String,
}

/// A travelling-offender alert as a liaison officer reads it (opened from
/// its sealed field).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// This node's identifier.
    pub id: String,
    /// The peer it came from; `None` when issued here.
    pub origin: Option<String>,
    /// Its identifier at the issuing node (this node's own when issued here).
    pub origin_id: String,
    /// Family names.
    pub family_names: String,
    /// Given names.
    pub given_names: String,
    /// Date of birth (YYYY-MM-DD), when known.
    pub birth_date: Option<String>,
    /// Nationalities (ISO 3166 codes).
    pub nationalities: Vec<String>,
    /// Travel or identity document numbers.
    pub documents: Vec<String>,
    /// The offence and conviction.
    pub offence: String,
    /// First travel date (YYYY-MM-DD).
    pub travel_from: Option<String>,
    /// Last travel date (YYYY-MM-DD).
    pub travel_to: Option<String>,
    /// Destination country (ISO 3166 code).
    pub destination: String,
    /// Who issued it.
    pub issuing_authority: String,
    /// When it expires and is purged everywhere (Unix seconds).
    pub expires: i64,
    /// Who issued it here (a user), or `peer:NAME` for a received one.
    pub issued_by: String,
    /// When it was issued here or received (Unix seconds).
    pub issued_at: i64,
    /// The bundle it came in, for a received one.
    pub origin_bundle: Option<String>,
}
