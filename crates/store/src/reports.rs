//! Reports from the public and the hotline's items, as the store returns
//! them (C5, C6). The reporter's view and the staff view are different
//! types, so a reporter can never be handed a staff field by mistake.

use haven_domain::hotline::{AgeBand, Assessment};
use haven_domain::report::{Decision, PublicStatus, ReportCategory, Reporter};
use serde::Serialize;

/// What a reporter gets back once: the only time the code and PIN exist in clear.
#[derive(Clone, Debug, Serialize)]
pub struct ReportReceipt {
    /// Tracking code, four groups of four letters.
    pub code: String,
    /// Six-digit PIN.
    pub pin: String,
    /// Status words key.
    pub status: PublicStatus,
}

/// What a reporter sees with their code and PIN: no staff notes, no names.
#[derive(Clone, Debug, Serialize)]
pub struct ReporterView {
    /// Status.
    pub status: PublicStatus,
    /// Category.
    pub category: ReportCategory,
    /// When it was received.
    pub received_at: i64,
    /// What the reporter added later, oldest first.
    pub added: Vec<(i64, String)>,
}

/// A report in the staff queue.
#[derive(Clone, Debug, Serialize)]
pub struct ReportSummary {
    /// Identifier.
    pub id: String,
    /// Category.
    pub category: ReportCategory,
    /// Who reported.
    pub reporter: Reporter,
    /// 1 (a child in danger now) to 4.
    pub priority: u8,
    /// Act by.
    pub due_at: i64,
    /// Late.
    pub overdue: bool,
    /// A child is in danger now.
    pub danger_now: bool,
    /// Location code, if the reporter chose one.
    pub location: Option<String>,
    /// What was decided.
    pub decision: Option<Decision>,
    /// Received.
    pub received_at: i64,
}

/// Which reports a queue lists, and which page of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only reports not yet decided.
    pub open_only: bool,
    /// Only reports where a child is in danger now.
    pub danger_now: bool,
    /// Only undecided reports past their act-by time.
    pub overdue: bool,
    /// Only reports of this category.
    pub category: Option<haven_domain::report::ReportCategory>,
    /// Only reports from this place (a location code and everything under it).
    pub place: Option<String>,
    /// Reports skipped before the first one returned (paging).
    pub offset: usize,
    /// The most returned; 0 means the store's own limit (500).
    pub limit: usize,
}

impl ReportFilter {
    /// The reports still to triage.
    pub fn open() -> ReportFilter {
        ReportFilter {
            open_only: true,
            ..ReportFilter::default()
        }
    }
}

/// A message on a report: from the reporter, or a staff note.
#[derive(Clone, Debug, Serialize)]
pub struct ReportMessage {
    /// `reporter` or `staff`.
    pub source: String,
    /// The text.
    pub text: String,
    /// Staff user, or `reporter`.
    pub author: String,
    /// When.
    pub at: i64,
}

/// A report as staff read it.
#[derive(Clone, Debug, Serialize)]
pub struct ReportFile {
    /// Queue fields.
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// What happened, in the reporter's words.
    pub description: String,
    /// The reported address, for online material.
    pub url: Option<String>,
    /// Where, as the reporter said it.
    pub place: Option<String>,
    /// The child's age, if given.
    pub child_age: Option<u8>,
    /// Whether the reporter left contact details (kept apart; read them
    /// with `report_contact`, which is audited).
    pub has_contact: bool,
    /// The reporter's language.
    pub lang: String,
    /// What the reporter sees.
    pub public_status: PublicStatus,
    /// Why it was decided so.
    pub decision_reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The case opened from it.
    pub case_id: Option<String>,
    /// The hotline item made from it.
    pub hotline_item_id: Option<String>,
    /// Reporter additions and staff notes, oldest first.
    pub messages: Vec<ReportMessage>,
    /// Every action taken on the report, oldest first: the decision, then
    /// each further action (a report can lead to a case AND a hotline item
    /// AND a police referral).
    pub actions: Vec<ReportAction>,
}

/// One action taken on a report.
#[derive(Clone, Debug, Serialize)]
pub struct ReportAction {
    /// What was done.
    pub action: Decision,
    /// Why (for the police: which unit and reference).
    pub reason: Option<String>,
    /// Who did it.
    pub by: String,
    /// When.
    pub at: i64,
    /// The case it opened or joined.
    pub case_id: Option<String>,
    /// The hotline item it made.
    pub hotline_item_id: Option<String>,
}

/// The child a report's case is for.
#[derive(Clone, Debug)]
pub enum ChildLink {
    /// A child already registered (found with the search and duplicate check).
    Existing(String),
    /// A new registration.
    New(Box<haven_domain::NewChild>),
}

/// The analyst's classification of an item.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemAssessment {
    /// illegal, not_illegal or needs_second_opinion.
    #[cfg_attr(feature = "openapi", schema(value_type = haven_domain::hotline::Assessment))]
    pub assessment: String,
    /// Category of material, one of the hotline's categories (`[hotline] categories`; by default baseline, national, self_generated, computer_generated, grooming, sextortion, sale_advert, other_exploitation); required for `illegal`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 60, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub category: String,
    /// Apparent age band of the children depicted: infant, prepubescent, pubescent or unknown.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^\s*(infant|prepubescent|pubescent|unknown)?\s*$")
    )]
    pub age_band: String,
    /// Apparent sex of the children depicted: female, male, both or unknown.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^\s*(female|male|both|unknown)?\s*$")
    )]
    pub sex: String,
    /// Hosting country (ISO 3166-1 alpha-2 code, e.g. NL).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\s*([A-Za-z]{2})?\s*$"))]
    pub hosting_country: String,
    /// Hosting provider.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 120, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub hosting_provider: String,
}

/// What an action on an item records besides its time: who it went to and
/// the reference they gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemStep {
    /// To whom: the hosting provider (notice), the police unit (law
    /// enforcement), the hotline abroad (forwarded; required there).
    pub recipient: Option<String>,
    /// Their reference: a ticket or case number.
    pub reference: Option<String>,
}

/// Which hotline items a list shows, and which page of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HotlineFilter {
    /// Only items an analyst still has work on (not removed, not assessed
    /// as not illegal).
    pub open_only: bool,
    /// Only items at this stage.
    pub stage: Option<haven_domain::hotline::ItemStage>,
    /// Only items assessed in this category.
    pub category: Option<String>,
    /// Only items hosted in this country (ISO code).
    pub country: Option<String>,
    /// Items skipped before the first one returned (paging).
    pub offset: usize,
    /// The most returned; 0 means the store's own limit (500).
    pub limit: usize,
}

impl HotlineFilter {
    /// The items analysts still have work on.
    pub fn open() -> HotlineFilter {
        HotlineFilter {
            open_only: true,
            ..HotlineFilter::default()
        }
    }
}

/// A reported URL in the hotline's workflow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HotlineItem {
    /// Identifier.
    pub id: String,
    /// The report it came from.
    pub report_id: Option<String>,
    /// The address.
    pub url: String,
    /// When reported.
    pub reported_at: i64,
    /// The assessment.
    pub assessment: Option<Assessment>,
    /// Category of material.
    pub category: Option<String>,
    /// Apparent age band.
    pub age_band: Option<AgeBand>,
    /// Apparent sex.
    pub sex: Option<String>,
    /// Hosting country.
    pub hosting_country: Option<String>,
    /// Hosting provider.
    pub hosting_provider: Option<String>,
    /// First analyst.
    pub assessed_by: Option<String>,
    /// When.
    pub assessed_at: Option<i64>,
    /// Second analyst who confirmed.
    pub confirmed_by: Option<String>,
    /// When.
    pub confirmed_at: Option<i64>,
    /// Notice-and-takedown sent to the host.
    pub notice_sent_at: Option<i64>,
    /// Who the notice went to (the hosting provider's abuse desk).
    pub notice_recipient: Option<String>,
    /// The reference they gave (their ticket number).
    pub notice_reference: Option<String>,
    /// Referred to law enforcement.
    pub law_enforcement_at: Option<i64>,
    /// The police unit it was referred to.
    pub law_enforcement_recipient: Option<String>,
    /// Their reference (case number).
    pub law_enforcement_reference: Option<String>,
    /// Hotline of the hosting country it was forwarded to.
    pub forwarded_to: Option<String>,
    /// When forwarded.
    pub forwarded_at: Option<i64>,
    /// The URL list entry.
    pub url_entry_id: Option<String>,
    /// When the material was recorded as gone.
    pub removed_at: Option<i64>,
}
