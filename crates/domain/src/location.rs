//! The administrative hierarchy (country > region > district) children are
//! registered in, and the materialised paths that make scope checks a prefix
//! test inside a query.

use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};

/// A level of the administrative hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationLevel {
    /// The whole country (the root).
    Country,
    /// A region or province.
    Region,
    /// A district: where children are registered.
    District,
}

impl LocationLevel {
    /// The level's API name.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationLevel::Country => "country",
            LocationLevel::Region => "region",
            LocationLevel::District => "district",
        }
    }

    /// Parses a level name.
    pub fn parse(s: &str) -> Option<LocationLevel> {
        match s {
            "country" => Some(LocationLevel::Country),
            "region" => Some(LocationLevel::Region),
            "district" => Some(LocationLevel::District),
            _ => None,
        }
    }

    /// The level a parent of this one must have.
    pub fn parent_level(self) -> Option<LocationLevel> {
        match self {
            LocationLevel::Country => None,
            LocationLevel::Region => Some(LocationLevel::Country),
            LocationLevel::District => Some(LocationLevel::Region),
        }
    }
}

/// A place in the hierarchy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// A short stable code, e.g. `SL-N-01`.
    pub code: String,
    /// The name people use.
    pub name: String,
    /// The parent's code; `None` only for the country.
    pub parent: Option<String>,
    /// Country, region or district.
    pub level: LocationLevel,
}

impl Location {
    /// Checks the code and name; the parent is checked against the store.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !valid_code(&self.code) {
            e.add("code", "must be 1-32 letters, digits, '-' or '_'");
        }
        crate::validation::clean_name(&mut e, "name", &self.name, true);
        match (self.level, &self.parent) {
            (LocationLevel::Country, Some(_)) => e.add("parent", "a country has no parent"),
            (LocationLevel::Region | LocationLevel::District, None) => {
                e.add("parent", "is required for a region or district")
            }
            _ => {}
        }
        e.into_result()
    }

    /// The materialised path of this location under its parent's path.
    pub fn path_under(&self, parent_path: Option<&str>) -> String {
        format!("{}{}/", parent_path.unwrap_or("/"), self.code)
    }
}

/// The materialised path of a location's parent (`/C/R1/D1/` → `/C/R1/`).
pub fn parent_path(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    }
}

/// Whether a location code is well-formed.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
