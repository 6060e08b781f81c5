//! Cases, their history, the services directory and referrals, as the store
//! returns them (C3, C4).

use haven_domain::assessment::{PreventionLayer, RiskLevel};
use haven_domain::casework::{
    CaseStep, Consent, ExploitationForm, PlanStatus, ReferralKind, ReferralStatus, Sector,
};
use serde::{Deserialize, Serialize};

/// A service in the directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: String,
    /// The agency whose users answer its referrals.
    pub agency: String,
    /// Sector.
    pub sector: Sector,
    /// Prevention layers served.
    pub layers: Vec<PreventionLayer>,
    /// Location code covered (and everything below it).
    pub coverage: String,
    /// Factor ids it answers.
    pub factors: Vec<String>,
    /// How to reach it.
    pub contact: String,
}

/// A child's case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Identifier.
    pub id: String,
    /// The child.
    pub child_id: String,
    /// The child's name (for lists; reading it is audited).
    pub child_name: String,
    /// The child's district (location code), to show its name in lists.
    pub district: String,
    /// Agency holding the case.
    pub agency: Option<String>,
    /// Caseworker the case is assigned to.
    pub assigned_to: String,
    /// Step.
    pub step: CaseStep,
    /// Case plan status.
    pub plan_status: PlanStatus,
    /// The case plan's text, once written.
    pub plan: Option<String>,
    /// Closure waits for a supervisor.
    pub closure_requested: bool,
    /// Risk level from the latest assessment (as confirmed, when it was).
    pub level: Option<RiskLevel>,
    /// An immediate safety concern was flagged.
    pub urgent: bool,
    /// Consent.
    pub consent: Consent,
    /// The child's own views, in their words (§91).
    pub child_views: Option<String>,
    /// The adoptability determination, when one is recorded (§94-97).
    pub adoptability: Option<String>,
    /// The form of exploitation the case is about, when one is recorded.
    pub exploitation: Option<ExploitationForm>,
    /// When the next action is due (Unix seconds); `None` once closed.
    pub next_due_at: Option<i64>,
    /// Whether the next action is late.
    pub overdue: bool,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub opened_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// When it closed.
    pub closed_at: Option<i64>,
}

/// One entry of a case's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// What happened: `note`, `opened`, a step (`submit_plan`, …), `assigned`, `transferred`, `consent`, `adoptability`, `referral`.
    pub kind: String,
    /// The text kept with it (decrypted for the reader).
    pub text: String,
    /// Who.
    pub author: String,
    /// When.
    pub at: i64,
}

/// A case with its history and referrals, as the case page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseFile {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// History, oldest first.
    pub events: Vec<CaseEvent>,
    /// Referrals made for this case.
    pub referrals: Vec<Referral>,
    /// Sectors Haven suggests referring to (e.g. civil registration for an unregistered birth).
    pub suggested_sectors: Vec<Sector>,
    /// Services covering the child's district, to refer to.
    pub available_services: Vec<Service>,
}

/// Which cases to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only cases assigned to the caller.
    pub mine: bool,
    /// Only cases whose next action is late.
    pub overdue: bool,
    /// Only cases waiting for a supervisor (plan or closure).
    pub awaiting_approval: bool,
    /// Include closed cases.
    pub include_closed: bool,
    /// Only this child's cases.
    pub child_id: Option<String>,
    /// Only cases at this step.
    pub step: Option<CaseStep>,
    /// Only cases at this risk level (`None` inside: not yet assessed).
    pub level: Option<Option<RiskLevel>>,
    /// Only cases assigned to this caseworker.
    pub worker: Option<String>,
    /// Only cases held by this agency.
    pub agency: Option<String>,
    /// Only cases of children in this place (a location code: the district or any place above it).
    pub place: Option<String>,
    /// The order of the list.
    pub sort: CaseSort,
    /// Cases skipped before the first one returned (paging).
    pub offset: usize,
    /// The most cases returned; 0 means the store's own limit (200).
    pub limit: usize,
}

/// The order of a list of cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaseSort {
    /// Soonest due first (late ones first of all).
    #[default]
    Due,
    /// Highest risk first (urgent first within a level), then soonest due.
    Risk,
    /// Most recently changed first.
    Updated,
}

impl CaseSort {
    /// As written in a query string.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSort::Due => "due",
            CaseSort::Risk => "risk",
            CaseSort::Updated => "updated",
        }
    }
    /// Reads a sort from a query string.
    pub fn parse(s: &str) -> Option<CaseSort> {
        [CaseSort::Due, CaseSort::Risk, CaseSort::Updated]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// One caseworker's open cases, for a supervisor balancing caseloads.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WorkerCaseload {
    /// The caseworker's sign-in name.
    pub worker: String,
    /// Open cases.
    pub open: i64,
    /// Of those, late.
    pub overdue: i64,
    /// Of those, at high or critical risk.
    pub high_risk: i64,
    /// Of those, waiting for a supervisor.
    pub awaiting_approval: i64,
}

/// A referral to a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// Identifier.
    pub id: String,
    /// The case it belongs to.
    pub case_id: String,
    /// The child.
    pub child_id: String,
    /// The child's name, so the receiving agency can provide the service.
    pub child_name: String,
    /// The service referred to.
    pub service_id: String,
    /// The service's name.
    pub service_name: String,
    /// The receiving agency.
    pub to_agency: String,
    /// The referring agency.
    pub from_agency: Option<String>,
    /// Sector.
    pub sector: Sector,
    /// Service or adoption.
    pub kind: ReferralKind,
    /// Status.
    pub status: ReferralStatus,
    /// Why the child is referred.
    pub reason: String,
    /// The receiving agency's answer (a decline's reason, a completion note).
    pub answer: Option<String>,
    /// Who sent it.
    pub sent_by: String,
    /// When.
    pub sent_at: i64,
    /// Answer due by.
    pub respond_by: i64,
    /// Not answered in time.
    pub overdue: bool,
    /// Who answered.
    pub answered_by: Option<String>,
    /// When.
    pub answered_at: Option<i64>,
    /// When completed.
    pub completed_at: Option<i64>,
}

/// A caregiver as a receiving agency may reach them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaregiverContact {
    /// Their name.
    pub name: String,
    /// Relationship to the child.
    pub relationship: String,
    /// Phone or other contact.
    pub contact: String,
}

/// What a receiving agency needs to act on a referral, and nothing more:
/// no history, notes, assessment or family details beyond a caregiver's
/// contact, and that only with consent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferralBrief {
    /// The referral (service, what is asked, status, deadlines).
    #[serde(flatten)]
    pub referral: Referral,
    /// The child's age in whole years today.
    pub child_age: i32,
    /// Whether the age comes from an estimated date of birth.
    pub age_estimated: bool,
    /// The child's sex.
    pub child_sex: haven_domain::Sex,
    /// The child's district (location code).
    pub district: String,
    /// How to reach the referring worker, if they gave it.
    pub referrer_contact: Option<String>,
    /// The consent recorded on the case.
    pub consent: Consent,
    /// The caregivers' contacts: empty unless consent was given.
    pub caregivers: Vec<CaregiverContact>,
}

/// Case figures for a dashboard, within the caller's scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CaseCounts {
    /// Open cases.
    pub open: i64,
    /// Open cases whose next action is late.
    pub overdue: i64,
    /// Open cases assigned to the caller.
    pub mine: i64,
    /// Of those, late.
    pub mine_overdue: i64,
    /// Plans waiting for a supervisor.
    pub plans_awaiting_approval: i64,
    /// Closures waiting for a supervisor.
    pub closures_awaiting_approval: i64,
    /// Open cases per step, in step order.
    pub by_step: Vec<(String, i64)>,
    /// Open cases per level (critical first), `unassessed` for none.
    pub by_level: Vec<(String, i64)>,
    /// Open cases per caseworker, most first.
    pub by_worker: Vec<WorkerCaseload>,
}

/// Referral figures of one receiving agency (§87: accountability).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgencyReferrals {
    /// The agency.
    pub agency: String,
    /// Waiting for an answer.
    pub waiting: i64,
    /// Of those, past their deadline.
    pub overdue: i64,
    /// Accepted, not yet completed.
    pub accepted: i64,
    /// Completed.
    pub completed: i64,
    /// Declined.
    pub declined: i64,
}

/// Which referrals to list, and which page of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralFilter {
    /// Addressed to the caller's agency, or sent for cases in their area.
    pub which: ReferralBox,
    /// Only referrals with this status.
    pub status: Option<ReferralStatus>,
    /// Only referrals waiting past their deadline.
    pub overdue: bool,
    /// Only referrals to this receiving agency.
    pub agency: Option<String>,
    /// Only referrals of children in this place (a location code).
    pub place: Option<String>,
    /// Referrals skipped before the first one returned (paging).
    pub offset: usize,
    /// The most returned; 0 means the store's own limit (500).
    pub limit: usize,
}

impl From<ReferralBox> for ReferralFilter {
    fn from(which: ReferralBox) -> ReferralFilter {
        ReferralFilter {
            which,
            status: None,
            overdue: false,
            agency: None,
            place: None,
            offset: 0,
            limit: 0,
        }
    }
}

/// Which referrals to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralBox {
    /// Addressed to the caller's agency.
    Incoming,
    /// Sent for cases in the caller's scope.
    Outgoing,
}
