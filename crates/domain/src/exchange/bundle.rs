//! Bundles: what one node sends another, signed and chained.
//!
//! # The bytes that are signed
//! A bundle file is the JSON object `{"envelope": …, "signature": …}`. The
//! signature (Ed25519, standard base64) is over the envelope's **canonical
//! bytes**: the ASCII label `haven-bundle/1` and a newline, then the
//! envelope written by `serde_json` with no whitespace, its fields in the
//! fixed order the types below declare (never a map, so no order to choose),
//! integers only (no floating point), strings in `serde_json`'s escaping.
//! Reading a file and writing its envelope again gives the same bytes, so
//! the receiver recomputes them from what it parsed: how the file was
//! spaced or escaped does not matter, what it says does. A bundle's hash
//! (the chain link the next bundle names) is the SHA-256 of those bytes in
//! lowercase hex.

use super::audit_head::AuditHeadItem;
use super::identity::{verify, NodeKey, PublicKey};
use super::peer::ItemKind;
use super::rotation::KeyRotationItem;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format label, in every envelope and at the head of its canonical bytes.
pub const BUNDLE_FORMAT: &str = "haven-bundle/1";

/// What the first bundle to a peer names as its previous bundle.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The largest bundle file read (bytes): a million hash entries fit.
pub const MAX_BUNDLE_BYTES: usize = 512 * 1024 * 1024;

/// The signed part of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The issuing node's fingerprint.
    pub issuer: String,
    /// The fingerprint of the node it is for.
    pub recipient: String,
    /// The first exchange sequence number it covers (the one after the
    /// previous bundle's `seq_to`).
    pub seq_from: i64,
    /// The last exchange sequence number it covers.
    pub seq_to: i64,
    /// When it was made (Unix seconds).
    pub created: i64,
    /// The hash of the previous bundle to this recipient ([`GENESIS_HASH`]
    /// for the first).
    pub prev_bundle_hash: String,
    /// What changed in the lists the recipient is sent, in sequence order.
    pub items: Vec<Item>,
}

/// One change. A closed list: nothing else can be put in a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    /// A hash entry listed (or listed again) at the origin.
    HashAdd(HashItem),
    /// A hash entry taken out of use at the origin.
    HashRemove(EntryRef),
    /// A URL listed at the origin.
    UrlAdd(UrlItem),
    /// A URL taken off the origin's list (taken down).
    UrlTombstone(EntryRef),
    /// A travelling-offender alert issued (not applied yet).
    AlertAdd(AlertItem),
    /// An alert withdrawn (not applied yet).
    AlertWithdraw(EntryRef),
    /// A published, disclosure-controlled figure.
    Statistic(StatisticItem),
    /// The issuer's audit-chain head, signed by its node key.
    AuditHead(AuditHeadItem),
    /// The issuer retired a key for a new one (signed by the old key).
    KeyRotation(KeyRotationItem),
}

impl Item {
    /// The permission a peer needs to send this item.
    pub fn kind(&self) -> ItemKind {
        match self {
            Item::HashAdd(_) | Item::HashRemove(_) => ItemKind::Hashes,
            Item::UrlAdd(_) | Item::UrlTombstone(_) => ItemKind::Urls,
            Item::AlertAdd(_) | Item::AlertWithdraw(_) => ItemKind::Alerts,
            Item::Statistic(_) => ItemKind::Stats,
            Item::AuditHead(_) => ItemKind::Audit,
            Item::KeyRotation(_) => ItemKind::Identity,
        }
    }

    /// The item's name in the file (`hash_add`, …), for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Item::HashAdd(_) => "hash_add",
            Item::HashRemove(_) => "hash_remove",
            Item::UrlAdd(_) => "url_add",
            Item::UrlTombstone(_) => "url_tombstone",
            Item::AlertAdd(_) => "alert_add",
            Item::AlertWithdraw(_) => "alert_withdraw",
            Item::Statistic(_) => "statistic",
            Item::AuditHead(_) => "audit_head",
            Item::KeyRotation(_) => "key_rotation",
        }
    }
}

/// A listed hash: the digests and a classification, nothing about where
/// the image was found or who is in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashItem {
    /// The entry's identifier at the origin.
    pub id: String,
    /// The origin's list name.
    pub list: String,
    /// PDQ hash (64 hex digits).
    pub pdq: Option<String>,
    /// PDQ quality (0-100).
    pub quality: Option<i64>,
    /// MD5 (32 hex digits).
    pub md5: Option<String>,
    /// SHA-256 (64 hex digits).
    pub sha256: Option<String>,
    /// Classification.
    pub category: String,
}

/// A listed URL, domain or path prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlItem {
    /// The entry's identifier at the origin.
    pub id: String,
    /// The address as listed at the origin.
    pub url: String,
    /// `url`, `prefix` or `domain`.
    pub level: String,
    /// Classification.
    pub category: String,
}

/// Which origin entry a removal is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRef {
    /// The entry's identifier at the origin.
    pub id: String,
}

/// A travelling-offender alert, in the manner of an INTERPOL green notice:
/// an adult offender's identity as the nodes agreed it, never a victim's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertItem {
    /// The alert's identifier at the origin.
    pub id: String,
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
    /// The offence and conviction, as the issuing authority words them.
    pub offence: String,
    /// Travel dates (YYYY-MM-DD), first and last.
    pub travel_from: Option<String>,
    /// Last travel date.
    pub travel_to: Option<String>,
    /// Destination country (ISO 3166 code).
    pub destination: String,
    /// Who issued it.
    pub issuing_authority: String,
    /// When it must be purged everywhere (Unix seconds).
    pub expires: i64,
}

/// One published figure of a public indicator, disclosure-controlled where
/// it was computed (as the public figures page shows it, never a raw count
/// of records). The value is decimal text, so that no floating point is
/// ever signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticItem {
    /// The indicator's id in the origin's catalogue.
    pub indicator: String,
    /// The catalogue version it was computed with.
    pub catalogue_version: i64,
    /// The period (`2026` or `2026Q3`).
    pub period: String,
    /// The code of the place it covers, in the origin's locations.
    pub location: String,
    /// Its unit (`count`, `percent`, `median_days`, …).
    pub unit: String,
    /// The figure as decimal text; none when suppressed, or when it cannot
    /// be calculated (an empty denominator).
    pub value: Option<String>,
    /// Whether disclosure control hid it at the origin.
    pub suppressed: bool,
    /// The origin no longer publishes this figure (its indicator is no
    /// longer public there): the receiver removes its copy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

/// A bundle file's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedBundle {
    /// What is signed.
    pub envelope: Envelope,
    /// The issuer's Ed25519 signature of the canonical bytes (base64).
    pub signature: String,
}

/// Why a bundle's bytes are not a bundle.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Over [`MAX_BUNDLE_BYTES`].
    #[error("the bundle is larger than {MAX_BUNDLE_BYTES} bytes")]
    TooLarge,
    /// The bytes stop in the middle.
    #[error("the bundle is cut off (truncated): the file ends before the bundle does")]
    Truncated,
    /// Not a bundle, or a field that has no place in one.
    #[error("not a valid bundle: {0}")]
    Malformed(String),
}

/// The canonical bytes of an envelope (see the module's documentation).
pub fn canonical_bytes(envelope: &Envelope) -> Result<Vec<u8>, BundleError> {
    let mut out = Vec::with_capacity(64 + envelope.items.len() * 160);
    out.extend_from_slice(BUNDLE_FORMAT.as_bytes());
    out.push(b'\n');
    serde_json::to_writer(&mut out, envelope).map_err(|e| BundleError::Malformed(e.to_string()))?;
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A parsed bundle with its canonical bytes and hash.
#[derive(Clone, Debug)]
pub struct Bundle {
    /// What the file said.
    pub signed: SignedBundle,
    canonical: Vec<u8>,
    /// SHA-256 of the canonical bytes, lowercase hex.
    pub hash: String,
}

impl Bundle {
    /// Signs an envelope with this node's key.
    pub fn sign(envelope: Envelope, key: &NodeKey) -> Result<Bundle, BundleError> {
        let canonical = canonical_bytes(&envelope)?;
        let signature = key.sign(&canonical);
        let hash = hex(&Sha256::digest(&canonical));
        Ok(Bundle {
            signed: SignedBundle {
                envelope,
                signature,
            },
            canonical,
            hash,
        })
    }

    /// Reads a bundle file's bytes: refuses one too large, cut off, with a
    /// field or item kind that has no place in a bundle, or whose envelope
    /// does not hold together. Says nothing yet about who signed it.
    pub fn parse(bytes: &[u8]) -> Result<Bundle, BundleError> {
        if bytes.len() > MAX_BUNDLE_BYTES {
            return Err(BundleError::TooLarge);
        }
        let signed: SignedBundle = serde_json::from_slice(bytes).map_err(|e| {
            if e.classify() == serde_json::error::Category::Eof {
                BundleError::Truncated
            } else {
                BundleError::Malformed(e.to_string())
            }
        })?;
        let env = &signed.envelope;
        let bad = |m: &str| Err(BundleError::Malformed(m.to_string()));
        if env.format != BUNDLE_FORMAT {
            return bad("the format is not haven-bundle/1");
        }
        if env.seq_from < 1 || env.seq_to < env.seq_from {
            return bad("the sequence range is not a range");
        }
        if !is_hash(&env.prev_bundle_hash) {
            return bad("the previous bundle's hash is not a SHA-256 in hex");
        }
        let canonical = canonical_bytes(&signed.envelope)?;
        let hash = hex(&Sha256::digest(&canonical));
        Ok(Bundle {
            signed,
            canonical,
            hash,
        })
    }

    /// The file's bytes (JSON).
    pub fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        serde_json::to_vec(&self.signed).map_err(|e| BundleError::Malformed(e.to_string()))
    }

    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        &self.signed.envelope
    }

    /// Whether `key` signed exactly these canonical bytes.
    pub fn signed_by(&self, key: &PublicKey) -> bool {
        verify(key, &self.canonical, &self.signed.signature)
    }

    /// How the bundle is named in messages and the audit log: issuer,
    /// range and the start of its hash.
    pub fn label(&self) -> String {
        let e = self.envelope();
        format!(
            "bundle {} (from {}, sequence {} to {})",
            &self.hash[..16],
            e.issuer,
            e.seq_from,
            e.seq_to
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(items: Vec<Item>) -> Envelope {
        Envelope {
            format: BUNDLE_FORMAT.into(),
            issuer: "aaaa".into(),
            recipient: "bbbb".into(),
            seq_from: 1,
            seq_to: 2,
            created: 1_700_000_000,
            prev_bundle_hash: GENESIS_HASH.into(),
            items,
        }
    }

    fn url() -> Item {
        Item::UrlAdd(UrlItem {
            id: "u1".into(),
            url: "http://example.test/a".into(),
            level: "url".into(),
            category: "csam".into(),
        })
    }

    #[test]
    fn the_same_bundle_always_gives_the_same_bytes() {
        let env = envelope(vec![url(), Item::HashRemove(EntryRef { id: "h1".into() })]);
        let a = canonical_bytes(&env).unwrap();
        assert_eq!(a, canonical_bytes(&env.clone()).unwrap());
        assert_eq!(
            String::from_utf8(a.clone()).unwrap(),
            "haven-bundle/1\n{\"format\":\"haven-bundle/1\",\"issuer\":\"aaaa\",\"recipient\":\"bbbb\",\"seq_from\":1,\"seq_to\":2,\"created\":1700000000,\"prev_bundle_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"items\":[{\"url_add\":{\"id\":\"u1\",\"url\":\"http://example.test/a\",\"level\":\"url\",\"category\":\"csam\"}},{\"hash_remove\":{\"id\":\"h1\"}}]}"
        );
        // Spacing and key order in the file do not change what is signed.
        let key = NodeKey::from_seed(&[3; 32]);
        let signed = Bundle::sign(env, &key).unwrap();
        let mut value: serde_json::Value =
            serde_json::from_slice(&signed.to_bytes().unwrap()).unwrap();
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        let again = Bundle::parse(&pretty).unwrap();
        assert_eq!(again.hash, signed.hash);
        assert!(again.signed_by(&key.public()));
        value["envelope"]["seq_to"] = 3.into();
        let tampered = Bundle::parse(&serde_json::to_vec(&value).unwrap()).unwrap();
        assert!(!tampered.signed_by(&key.public()));
        assert_ne!(tampered.hash, signed.hash);
    }

    #[test]
    fn no_field_about_a_child_case_report_or_reporter_can_be_carried() {
        let key = NodeKey::from_seed(&[3; 32]);
        let bytes = Bundle::sign(envelope(vec![url()]), &key)
            .unwrap()
            .to_bytes()
            .unwrap();
        let good: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for (place, field) in [
            ("item", "child_name"),
            ("item", "case_id"),
            ("item", "report_id"),
            ("item", "reporter_contact"),
            ("envelope", "child_id"),
            ("top", "children"),
        ] {
            let mut v = good.clone();
            let target = match place {
                "item" => &mut v["envelope"]["items"][0]["url_add"],
                "envelope" => &mut v["envelope"],
                _ => &mut v,
            };
            target[field] = "Amina, 12".into();
            let err = Bundle::parse(&serde_json::to_vec(&v).unwrap()).unwrap_err();
            assert!(
                matches!(&err, BundleError::Malformed(m) if m.contains("unknown field")),
                "{field}: {err:?}"
            );
        }
        let mut v = good.clone();
        v["envelope"]["items"][0] = serde_json::json!({"child_add": {"id": "c1"}});
        assert!(matches!(
            Bundle::parse(&serde_json::to_vec(&v).unwrap()),
            Err(BundleError::Malformed(_))
        ));
    }

    #[test]
    fn cut_off_and_garbled_files_are_refused_for_what_they_are() {
        let key = NodeKey::from_seed(&[3; 32]);
        let bytes = Bundle::sign(envelope(vec![url()]), &key)
            .unwrap()
            .to_bytes()
            .unwrap();
        for cut in [1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(
                Bundle::parse(&bytes[..cut]).unwrap_err(),
                BundleError::Truncated
            );
        }
        assert!(matches!(
            Bundle::parse(b"not json"),
            Err(BundleError::Malformed(_))
        ));
        let mut env = envelope(vec![]);
        env.seq_to = 0;
        let bad = Bundle::sign(env, &key).unwrap().to_bytes().unwrap();
        assert!(matches!(
            Bundle::parse(&bad),
            Err(BundleError::Malformed(_))
        ));
    }

    #[test]
    fn each_item_needs_its_own_permission() {
        assert_eq!(url().kind(), ItemKind::Urls);
        assert_eq!(
            Item::HashRemove(EntryRef { id: "x".into() }).kind(),
            ItemKind::Hashes
        );
        assert_eq!(
            Item::Statistic(StatisticItem {
                indicator: "i".into(),
                catalogue_version: 1,
                period: "2026".into(),
                location: "XX".into(),
                unit: "count".into(),
                value: Some("10".into()),
                suppressed: false,
                withdrawn: false,
            })
            .kind(),
            ItemKind::Stats
        );
    }
}
