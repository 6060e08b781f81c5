//! Exchange between national nodes (SPEC C8): node identities, trusted
//! peers' permissions, and signed, chained bundles of list entries.
//!
//! Pure: keys come in as bytes, time as Unix seconds. The store applies a
//! bundle; this module says what a bundle is, how its bytes are made and
//! signed, and whether one is well-formed.
//!
//! **No child's personal data can travel.** The item types below are the
//! only things a bundle can hold, none has a field for a child, case, report
//! or reporter, and every one of them refuses unknown fields when read, so a
//! bundle carrying such a field is refused whole.

mod alert;
mod audit_head;
mod bundle;
mod identity;
mod peer;
mod rotation;
mod statistic;

pub use alert::{check_received as check_received_alert, NewAlert};
pub use audit_head::{audit_head_message, AuditHeadItem, AUDIT_HEAD_FORMAT};
pub use bundle::{
    canonical_bytes, AlertItem, Bundle, BundleError, EntryRef, Envelope, HashItem, Item,
    SignedBundle, StatisticItem, UrlItem, BUNDLE_FORMAT, GENESIS_HASH, MAX_BUNDLE_BYTES,
};
pub use identity::{
    feed_request_message, fingerprint, parse_public_key, public_key_base64, verify, NodeKey,
    PublicKey, FEED_WINDOW_SECONDS,
};
pub use peer::{parse_may_send, parse_publish, peer_address_problem, ItemKind, Publish};
pub use rotation::{key_rotation_message, KeyRotationItem, KEY_ROTATION_FORMAT};
pub use statistic::{
    check_received as check_received_statistic, figure_text, item as statistic_item, publishable,
    published_periods, Publishable, PublishedPeriods,
};
