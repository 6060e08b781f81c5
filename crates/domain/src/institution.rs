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

/// One inspection of an institution (UN report §74: care institutions are
/// inspected regularly, and the findings followed up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// Random identifier.
    pub id: String,
    /// The institution inspected.
    pub institution_id: String,
    /// The day of the inspection.
    pub inspected_on: Date,
    /// Who inspected (a name or a team).
    pub inspector: String,
    /// What they found.
    pub findings: String,
    /// When the next inspection is due, if set.
    pub next_due: Option<Date>,
    /// The user who recorded it.
    pub recorded_by: String,
}

/// An institution is overdue for inspection when the date set for its next
/// one has passed, or when it has never been inspected and no date is set.
pub fn inspection_overdue(
    last_inspection: Option<Date>,
    next_due: Option<Date>,
    today: Date,
) -> bool {
    match next_due {
        Some(due) => due < today,
        None => last_inspection.is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_when_the_due_date_has_passed_or_never_inspected() {
        let d = |s| Date::parse(s).unwrap();
        let today = d("2026-11-28");
        assert!(inspection_overdue(None, None, today));
        assert!(!inspection_overdue(Some(d("2026-01-01")), None, today));
        assert!(inspection_overdue(
            Some(d("2025-01-01")),
            Some(d("2026-11-27")),
            today
        ));
        assert!(!inspection_overdue(
            Some(d("2025-01-01")),
            Some(d("2026-11-28")),
            today
        ));
    }
}
