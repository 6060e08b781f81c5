//! Field laptops as the server knows them (issue 16): enrolment, what each
//! sync applied, and the conflicts that wait for a person.

use serde::{Deserialize, Serialize};

/// How a laptop's credential begins (an API token begins `hvn_`).
pub const LAPTOP_TOKEN_PREFIX: &str = "hvl_";

/// A laptop enrolled by its user for offline field work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldNode {
    /// Random identifier; the laptop sends it with every sync.
    pub id: String,
    /// The user whose laptop it is: it syncs as them, within their scope.
    pub user: String,
    /// What the user called it ("Amina's laptop").
    pub label: String,
    /// When it was enrolled (Unix seconds).
    pub enrolled_at: i64,
    /// The laptop's operations were applied up to this number.
    pub acknowledged: u64,
    /// Its last sync (Unix seconds), if any.
    pub last_sync_at: Option<i64>,
    /// Operations it still held, not yet sent, at its last sync.
    pub pending: u64,
    /// When an administrator revoked it: its syncs are refused since.
    pub revoked_at: Option<i64>,
}

/// What a sync did with the operations it was sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncAnswer {
    /// The laptop's operations are applied up to this number: it can
    /// forget them, and sends from the next one.
    pub acknowledged: u64,
    /// One answer per operation sent, in order (the same answer again for
    /// one sent before).
    pub results: Vec<haven_domain::field_ops::OperationResult>,
}

/// A field of a child's record that a laptop changed while someone else
/// changed it on the server: both values, for a person to choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldConflict {
    /// Random identifier.
    pub id: String,
    /// The child.
    pub child_id: String,
    /// The child's name, as the server holds it now.
    pub child_name: String,
    /// The field (`family_name`, `disability`, …).
    pub field: String,
    /// What the laptop saw before its change.
    pub base: Option<String>,
    /// What was written on the laptop.
    pub laptop: Option<String>,
    /// What the server holds.
    pub server: Option<String>,
    /// Whose laptop.
    pub worker: String,
    /// The laptop's operation number.
    pub operation: u64,
    /// When the sync found it (Unix seconds).
    pub found_at: i64,
}

/// Which value a person keeps when resolving a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The value written on the laptop replaces the server's.
    Laptop,
    /// The server's value stays.
    Server,
}

impl Keep {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Keep::Laptop => "laptop",
            Keep::Server => "server",
        }
    }

    /// From the name a form or API client sends.
    pub fn parse(s: &str) -> Option<Keep> {
        match s {
            "laptop" => Some(Keep::Laptop),
            "server" => Some(Keep::Server),
            _ => None,
        }
    }
}

/// What a laptop takes into the field: its user's children and cases, as
/// the server holds them now, and the services directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkout {
    /// The server's time of this checkout: the laptop sends it back as
    /// `since` next time, and gets only what changed after.
    pub at: i64,
    /// The laptop's operations applied so far.
    pub acknowledged: u64,
    /// Every child in the user's area now: the laptop removes any other it
    /// holds (transferred out of the area, or removed).
    pub in_scope: Vec<String>,
    /// The children changed since `since` (every one on the first
    /// checkout), whole.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub children: Vec<haven_domain::Child>,
    /// The open cases the laptop holds now: a caseworker's own, a
    /// supervisor's area's. The laptop removes any other it holds (closed,
    /// reassigned or transferred meanwhile).
    pub open_cases: Vec<String>,
    /// Those of them changed since `since` (every one on the first
    /// checkout), each with its history.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub cases: Vec<CheckedOutCase>,
    /// The services directory, whole: what a referral made offline may
    /// name.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub services: Vec<crate::casework::Service>,
    /// Every version of the assessment instrument: the latest is the one
    /// the laptop assesses with; earlier ones read older assessments.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub instruments: Vec<haven_domain::assessment::Instrument>,
    /// The households of the user's area new or with a caregiver added
    /// since `since` (every one on the first checkout), with their agency.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub households: Vec<CheckedOutHousehold>,
    /// This laptop's registrations still held for a person (its own
    /// identifiers for the children): work that waited for one of them is
    /// sent again once it is no longer listed.
    #[serde(default)]
    pub held_registrations: Vec<String>,
    /// The referrals addressed to the user's agency in their area and not
    /// yet done with (waiting for an answer, or accepted), each as the
    /// agency needs it to act: the laptop's copy is replaced by them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub incoming_referrals: Vec<crate::casework::ReferralBrief>,
    /// The assessments of the children sent, whoever made them, written
    /// on the server since `since` (every one on the first checkout, and a
    /// child's whole history when they came to the area since): a child's
    /// history offline.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub assessments: Vec<CheckedOutAssessment>,
}

/// A household as a checkout brings it: the household and its caregivers,
/// and the agency whose staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckedOutHousehold {
    /// The household.
    pub household: haven_domain::Household,
    /// Its agency, if any.
    pub agency: Option<String>,
}

/// An assessment as a checkout brings it, with the version of the
/// instrument it was made with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckedOutAssessment {
    /// The instrument's version.
    pub instrument_version: u32,
    /// The assessment.
    pub assessment: crate::assessments::AssessmentRecord,
}

/// A case as a checkout brings it: the case and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckedOutCase {
    /// The case.
    pub case: crate::casework::Case,
    /// Its history, oldest first.
    pub events: Vec<crate::casework::CaseEvent>,
    /// Its referrals.
    pub referrals: Vec<crate::casework::Referral>,
}
