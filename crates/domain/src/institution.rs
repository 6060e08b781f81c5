//! Care institutions and schools (§33, §53: unregistered or unmonitored
//! institutions are a risk in themselves).

use crate::date::Date;
use serde::Serialize;

/// What kind of place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    /// Residential care.
    CareInstitution,
    /// A school.
    School,
}

impl InstitutionKind {
    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::CareInstitution => "care_institution",
            InstitutionKind::School => "school",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "care_institution" => Some(InstitutionKind::CareInstitution),
            "school" => Some(InstitutionKind::School),
            _ => None,
        }
    }
}

/// A care institution or school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Institution {
    /// Random identifier.
    pub id: String,
    /// Kind.
    pub kind: InstitutionKind,
    /// Name (institutions are public bodies; not encrypted).
    pub name: String,
    /// District code.
    pub location: String,
    /// Registered with the authority.
    pub registered: bool,
    /// Under regular monitoring.
    pub monitored: bool,
    /// Last inspection, if any.
    pub last_inspection: Option<Date>,
}
