//! Types of the hotline's hash lists and URL list, as the store returns them.

use serde::Serialize;

/// A hash list ("bank").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashList {
    /// Random identifier.
    pub id: String,
    /// Unique name.
    pub name: String,
    /// What the list holds and where it comes from.
    pub description: String,
    /// Who created it.
    pub created_by: String,
    /// When (Unix seconds).
    pub created_at: i64,
    /// Number of entries.
    pub entries: i64,
    /// Number of enabled entries.
    pub enabled: i64,
}

/// One listed hash with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashEntry {
    /// Random identifier.
    pub id: String,
    /// The list it belongs to.
    pub list_id: String,
    /// The list's name.
    pub list: String,
    /// PDQ hash.
    pub pdq: Option<String>,
    /// PDQ quality.
    pub quality: Option<i64>,
    /// MD5.
    pub md5: Option<String>,
    /// SHA-256.
    pub sha256: Option<String>,
    /// Where it came from.
    pub source: String,
    /// Classification.
    pub category: String,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: i64,
    /// Used in matching.
    pub enabled: bool,
    /// The bulk import it came in, if any.
    pub import_id: Option<String>,
    /// For an entry received from a peer: where it came from.
    pub origin: Option<Origin>,
}

/// Where an entry received from a trusted peer came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The peer's name on this node.
    pub node: String,
    /// The entry's identifier at the origin.
    pub id: String,
    /// When it arrived or last changed (Unix seconds).
    pub received_at: i64,
    /// The hash of the bundle that brought it (or its last change).
    pub bundle: String,
}

/// A bulk import into a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashImport {
    /// Random identifier.
    pub id: String,
    /// The list.
    pub list_id: String,
    /// Where the file came from.
    pub source: String,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: i64,
    /// How many entries it added.
    pub entries: i64,
}

/// An entry of the URL list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UrlEntry {
    /// Random identifier.
    pub id: String,
    /// The normalised key compared against.
    pub url: String,
    /// `url`, `prefix` or `domain`.
    pub level: String,
    /// The address as the analyst entered it.
    pub original: String,
    /// Classification.
    pub category: String,
    /// Who listed it.
    pub added_by: String,
    /// When.
    pub added_at: i64,
    /// The list version that added it.
    pub version: i64,
    /// The list version that removed it (a tombstone), if removed.
    pub removed_version: Option<i64>,
    /// For an entry received from a trusted peer: where it came from.
    pub origin: Option<Origin>,
}

/// What changed in the URL list since a version.
#[derive(Clone, Debug, Serialize)]
pub struct UrlListChanges {
    /// The current version.
    pub version: i64,
    /// Entries added since (still listed).
    pub entries: Vec<UrlEntry>,
    /// Entries removed since: tombstones to delete locally.
    pub removed: Vec<UrlEntry>,
}
