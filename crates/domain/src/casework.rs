//! Case management (C3) and referrals (C4): the steps a case moves through,
//! who may move it, when the next action is due, and the rules that guard
//! referrals (§77-87, §94-97).
//!
//! Only the rules live here; storage applies them inside the transaction
//! that changes the case, so a refused step changes nothing.

use crate::assessment::{PreventionLayer, RiskLevel};
use crate::child::BirthRegistration;
use crate::validation::{clean_name, ValidationErrors};
use crate::Role;
use serde::{Deserialize, Serialize};

api_enum!(
    /// Where a case stands (the report's case-management cycle).
    CaseStep {
        /// The child is identified and registered; no assessment yet.
        Identification => "identification",
        /// Assessed; a case plan is being prepared.
        Assessment => "assessment",
        /// A case plan is written and awaits (or was returned by) a supervisor.
        Planning => "planning",
        /// The approved plan is being carried out.
        Implementation => "implementation",
        /// Progress is being followed up and reviewed.
        FollowUp => "follow_up",
        /// Closed with a supervisor's approval.
        Closed => "closed",
    }
);

api_enum!(
    /// Where the case plan stands.
    PlanStatus {
        /// No plan written yet.
        None => "none",
        /// Waiting for a supervisor.
        Submitted => "submitted",
        /// Approved by a supervisor.
        Approved => "approved",
        /// Sent back by a supervisor with a reason.
        Returned => "returned",
    }
);

api_enum!(
    /// Consent to the case, as recorded with the child and caregiver (§91).
    Consent {
        /// Not yet asked.
        NotAsked => "not_asked",
        /// Given.
        Given => "given",
        /// Refused (the case may still proceed where the law requires).
        Refused => "refused",
    }
);

api_enum!(
    /// Sectors a service belongs to (§80-87).
    Sector {
        /// Social welfare.
        SocialWelfare => "social_welfare",
        /// Education.
        Education => "education",
        /// Health.
        Health => "health",
        /// Justice.
        Justice => "justice",
        /// Police.
        Police => "police",
        /// Civil registration.
        CivilRegistration => "civil_registration",
        /// Social protection (cash transfers, benefits).
        SocialProtection => "social_protection",
    }
);

api_enum!(
    /// What a referral asks for.
    ReferralKind {
        /// A service answering the child's needs.
        Service => "service",
        /// Adoption, allowed only after an adoptability determination (§94-97).
        Adoption => "adoption",
    }
);

api_enum!(
    /// Where a referral stands.
    ReferralStatus {
        /// Sent, waiting for the receiving agency.
        Sent => "sent",
        /// Accepted by the receiving agency.
        Accepted => "accepted",
        /// Declined, with a reason.
        Declined => "declined",
        /// The service was delivered.
        Completed => "completed",
    }
);

api_enum!(
    /// The form of exploitation a case is about, when one is recorded
    /// (the report's forms; SDG 16.2.2-like figures are counted by it).
    ExploitationForm {
        /// Sale of the child.
        Sale => "sale",
        /// Trafficking.
        Trafficking => "trafficking",
        /// Sexual exploitation.
        SexualExploitation => "sexual_exploitation",
        /// Child sexual abuse material.
        AbuseMaterial => "abuse_material",
        /// Online grooming or sextortion.
        OnlineGrooming => "online_grooming",
        /// Child, early or forced marriage.
        ChildMarriage => "child_marriage",
        /// Forced labour.
        ForcedLabour => "forced_labour",
        /// Another form.
        Other => "other",
    }
);

/// A case's position: step, plan and closure request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseState {
    /// The step.
    pub step: CaseStep,
    /// The case plan.
    pub plan: PlanStatus,
    /// Closure was requested and awaits a supervisor.
    pub closure_requested: bool,
}

impl CaseState {
    /// A newly opened case.
    pub fn opened() -> CaseState {
        CaseState {
            step: CaseStep::Identification,
            plan: PlanStatus::None,
            closure_requested: false,
        }
    }
}

/// Something done to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseAction {
    /// An assessment of the child was recorded against the case.
    RecordAssessment,
    /// The caseworker submits a case plan.
    SubmitPlan,
    /// A supervisor approves the plan.
    ApprovePlan,
    /// A supervisor sends the plan back.
    ReturnPlan,
    /// A follow-up visit or review was recorded.
    RecordFollowUp,
    /// The caseworker asks to close the case.
    RequestClosure,
    /// A supervisor approves the closure.
    ApproveClosure,
    /// A supervisor refuses the closure.
    RejectClosure,
    /// A closed case is opened again.
    Reopen,
}

impl CaseAction {
    /// Every action, for the API's list.
    pub const ALL: [CaseAction; 9] = [
        CaseAction::RecordAssessment,
        CaseAction::SubmitPlan,
        CaseAction::ApprovePlan,
        CaseAction::ReturnPlan,
        CaseAction::RecordFollowUp,
        CaseAction::RequestClosure,
        CaseAction::ApproveClosure,
        CaseAction::RejectClosure,
        CaseAction::Reopen,
    ];

    /// The API spelling (the last part of `POST /cases/{id}/{action}`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::RecordAssessment => "record_assessment",
            CaseAction::SubmitPlan => "submit_plan",
            CaseAction::ApprovePlan => "approve_plan",
            CaseAction::ReturnPlan => "return_plan",
            CaseAction::RecordFollowUp => "follow_up",
            CaseAction::RequestClosure => "request_closure",
            CaseAction::ApproveClosure => "approve_closure",
            CaseAction::RejectClosure => "reject_closure",
            CaseAction::Reopen => "reopen",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<CaseAction> {
        CaseAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether only a supervisor (or an administrator) may do this.
    pub fn needs_supervisor(self) -> bool {
        matches!(
            self,
            CaseAction::ApprovePlan
                | CaseAction::ReturnPlan
                | CaseAction::ApproveClosure
                | CaseAction::RejectClosure
        )
    }

    /// Whether the action must say why (kept, encrypted, in the case's history).
    pub fn needs_text(self) -> bool {
        matches!(
            self,
            CaseAction::SubmitPlan
                | CaseAction::ReturnPlan
                | CaseAction::RecordFollowUp
                | CaseAction::RequestClosure
                | CaseAction::RejectClosure
                | CaseAction::Reopen
        )
    }
}

/// Why a step is refused, in words for the person who tried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepRefused {
    /// The role may not do this (a supervisor's decision).
    Role(String),
    /// The case is not at a step where this makes sense.
    State(String),
}

/// The state after `action`, or why it cannot be done now.
pub fn next_state(s: CaseState, action: CaseAction, role: Role) -> Result<CaseState, StepRefused> {
    use CaseAction as A;
    use CaseStep as S;
    if action.needs_supervisor() && !matches!(role, Role::Supervisor | Role::Admin) {
        return Err(StepRefused::Role(
            "only a supervisor approves or returns case plans and closures".into(),
        ));
    }
    let closed = s.step == S::Closed;
    if closed && action != A::Reopen {
        return Err(StepRefused::State(
            "the case is closed; reopen it first".into(),
        ));
    }
    let refuse = |why: &str| Err(StepRefused::State(why.to_string()));
    match action {
        A::RecordAssessment => Ok(CaseState {
            // A reassessment during the plan keeps the case where it is.
            step: if s.step == S::Identification {
                S::Assessment
            } else {
                s.step
            },
            ..s
        }),
        A::SubmitPlan => match s.step {
            S::Identification => refuse("assess the child before writing a case plan"),
            _ if s.plan == PlanStatus::Submitted => {
                refuse("a plan is already waiting for a supervisor")
            }
            _ => Ok(CaseState {
                step: S::Planning,
                plan: PlanStatus::Submitted,
                closure_requested: false,
            }),
        },
        A::ApprovePlan | A::ReturnPlan => {
            if s.plan != PlanStatus::Submitted {
                return refuse("no case plan is waiting for approval");
            }
            Ok(if action == A::ApprovePlan {
                CaseState {
                    step: S::Implementation,
                    plan: PlanStatus::Approved,
                    ..s
                }
            } else {
                CaseState {
                    plan: PlanStatus::Returned,
                    ..s
                }
            })
        }
        A::RecordFollowUp => match s.step {
            S::Implementation | S::FollowUp => Ok(CaseState {
                step: S::FollowUp,
                ..s
            }),
            _ => refuse("follow-up starts once the case plan is approved"),
        },
        A::RequestClosure => {
            if s.closure_requested {
                refuse("closure is already waiting for a supervisor")
            } else if matches!(s.step, S::Implementation | S::FollowUp) {
                Ok(CaseState {
                    closure_requested: true,
                    ..s
                })
            } else {
                refuse("a case closes after its plan has been carried out and followed up")
            }
        }
        A::ApproveClosure | A::RejectClosure => {
            if !s.closure_requested {
                return refuse("no closure is waiting for approval");
            }
            Ok(CaseState {
                step: if action == A::ApproveClosure {
                    S::Closed
                } else {
                    s.step
                },
                closure_requested: false,
                ..s
            })
        }
        A::Reopen => {
            if closed {
                Ok(CaseState {
                    step: S::Assessment,
                    plan: PlanStatus::None,
                    closure_requested: false,
                })
            } else {
                refuse("only a closed case can be reopened")
            }
        }
    }
}

/// How long the next action on a case may wait, by risk level. Loaded from
/// configuration; the defaults are the issue's (24 h, 3, 7 and 30 days).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DuePolicy {
    /// Hours for a critical case.
    pub critical_hours: u32,
    /// Hours for a high-risk case.
    pub high_hours: u32,
    /// Hours for a medium-risk case.
    pub medium_hours: u32,
    /// Hours for a low-risk case.
    pub low_hours: u32,
    /// Hours to assess a newly identified child.
    pub unassessed_hours: u32,
    /// Hours a receiving agency has to answer a referral (critical cases get the critical time).
    pub referral_response_hours: u32,
}

impl Default for DuePolicy {
    fn default() -> Self {
        DuePolicy {
            critical_hours: 24,
            high_hours: 72,
            medium_hours: 168,
            low_hours: 720,
            unassessed_hours: 72,
            referral_response_hours: 72,
        }
    }
}

impl DuePolicy {
    /// Reads a policy from JSON, refusing zero or unknown settings.
    pub fn from_json(text: &str) -> Result<DuePolicy, ValidationErrors> {
        let p: DuePolicy = serde_json::from_str(text).map_err(|e| {
            let mut v = ValidationErrors::default();
            v.add("due_policy", e.to_string());
            v
        })?;
        let mut v = ValidationErrors::default();
        for (name, h) in [
            ("critical_hours", p.critical_hours),
            ("high_hours", p.high_hours),
            ("medium_hours", p.medium_hours),
            ("low_hours", p.low_hours),
            ("unassessed_hours", p.unassessed_hours),
            ("referral_response_hours", p.referral_response_hours),
        ] {
            if h == 0 || h > 24 * 366 {
                v.add(name, "must be between 1 hour and a year");
            }
        }
        v.into_result().map(|()| p)
    }

    /// Seconds until the next action is due for a case at `level`
    /// (`None`: not yet assessed).
    pub fn next_action_secs(&self, level: Option<RiskLevel>) -> i64 {
        let h = match level {
            None => self.unassessed_hours,
            Some(RiskLevel::Critical) => self.critical_hours,
            Some(RiskLevel::High) => self.high_hours,
            Some(RiskLevel::Medium) => self.medium_hours,
            Some(RiskLevel::Low) => self.low_hours,
        };
        i64::from(h) * 3600
    }

    /// Seconds a receiving agency has to answer a referral.
    pub fn referral_secs(&self, level: Option<RiskLevel>) -> i64 {
        let h = match level {
            Some(RiskLevel::Critical) => self.critical_hours.min(self.referral_response_hours),
            _ => self.referral_response_hours,
        };
        i64::from(h) * 3600
    }
}

/// The next referral status, or why not. Declining needs a reason.
pub fn next_referral_status(
    now: ReferralStatus,
    to: ReferralStatus,
    reason: Option<&str>,
) -> Result<ReferralStatus, String> {
    use ReferralStatus as R;
    match (now, to) {
        (R::Sent, R::Accepted) => Ok(to),
        (R::Sent, R::Declined) => {
            if reason.is_some_and(|r| !r.trim().is_empty()) {
                Ok(to)
            } else {
                Err("say why the referral is declined".into())
            }
        }
        (R::Accepted, R::Completed) => Ok(to),
        (R::Sent, R::Completed) => Err("accept the referral before completing it".into()),
        _ => Err(format!(
            "a referral that is {} cannot become {}",
            now.as_str(),
            to.as_str()
        )),
    }
}

/// Adoption referrals need an adoptability determination first (§94-97:
/// children are not made available for adoption without one).
pub fn check_adoption_guard(kind: ReferralKind, adoptability_recorded: bool) -> Result<(), String> {
    if kind == ReferralKind::Adoption && !adoptability_recorded {
        Err("an adoption referral needs an adoptability determination recorded on the case first (who decided, when and why)".into())
    } else {
        Ok(())
    }
}

/// Referrals Haven suggests for a child whatever the assessment says:
/// an unregistered birth gets a civil-registration referral (§82).
pub fn suggested_sectors(
    birth_registration: BirthRegistration,
    already_referred: &[Sector],
) -> Vec<Sector> {
    let mut out = Vec::new();
    if birth_registration == BirthRegistration::NotRegistered
        && !already_referred.contains(&Sector::CivilRegistration)
    {
        out.push(Sector::CivilRegistration);
    }
    out
}

/// A service in the directory, as entered by an administrator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewService {
    /// What the service is called.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub name: String,
    /// Who provides it.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub provider: String,
    /// The agency whose users answer referrals to it.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{1,32}$"))]
    pub agency: String,
    /// Sector.
    pub sector: Sector,
    /// Prevention layers it serves.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub layers: Vec<PreventionLayer>,
    /// Code of the location it covers (it covers everything below).
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub coverage: String,
    /// Instrument factor ids it answers.
    #[cfg_attr(feature = "openapi", schema(inline, value_type = Vec<String>))]
    #[serde(default)]
    pub factors: Vec<String>,
    /// How to reach it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub contact: String,
}

impl NewService {
    /// Trims and checks the fields.
    pub fn validate(&self) -> Result<NewService, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = clean_name(&mut e, "name", &self.name, true);
        let provider = clean_name(&mut e, "provider", &self.provider, true);
        let agency = self.agency.trim().to_string();
        if !crate::location::valid_code(&agency) {
            e.add(
                "agency",
                "must be an agency code: 1-32 letters, digits, '-' or '_'",
            );
        }
        let coverage = clean_name(&mut e, "coverage", &self.coverage, true);
        let contact = self.contact.trim().to_string();
        if contact.chars().count() > 200 {
            e.add("contact", "must be at most 200 characters");
        }
        if self.layers.is_empty() {
            e.add("layers", "name at least one prevention layer");
        }
        let mut factors = Vec::new();
        for f in &self.factors {
            let f = f.trim();
            if f.is_empty()
                || f.len() > 60
                || !f.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                e.add("factors", format!("{f:?} is not a factor id"));
            } else if !factors.iter().any(|x: &String| x == f) {
                factors.push(f.to_string());
            }
        }
        e.into_result().map(|()| NewService {
            name,
            provider,
            agency,
            sector: self.sector,
            layers: self.layers.clone(),
            coverage,
            factors,
            contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;

    fn run(actions: &[(CaseAction, Role)]) -> Result<CaseState, StepRefused> {
        actions
            .iter()
            .try_fold(CaseState::opened(), |s, (a, r)| next_state(s, *a, *r))
    }

    #[test]
    fn a_case_goes_through_every_step_with_supervisor_approvals() {
        let cw = Role::Caseworker;
        let sup = Role::Supervisor;
        let s = run(&[
            (A::RecordAssessment, cw),
            (A::SubmitPlan, cw),
            (A::ReturnPlan, sup),
            (A::SubmitPlan, cw),
            (A::ApprovePlan, sup),
            (A::RecordFollowUp, cw),
            (A::RequestClosure, cw),
            (A::RejectClosure, sup),
            (A::RequestClosure, cw),
            (A::ApproveClosure, sup),
        ])
        .unwrap();
        assert_eq!(s.step, CaseStep::Closed);
        let s = next_state(s, A::Reopen, cw).unwrap();
        assert_eq!(s.step, CaseStep::Assessment);
        assert_eq!(s.plan, PlanStatus::None);
    }

    #[test]
    fn only_supervisors_approve() {
        let s = run(&[
            (A::RecordAssessment, Role::Caseworker),
            (A::SubmitPlan, Role::Caseworker),
        ])
        .unwrap();
        for a in [A::ApprovePlan, A::ReturnPlan] {
            assert!(matches!(
                next_state(s, a, Role::Caseworker),
                Err(StepRefused::Role(_))
            ));
        }
        assert!(next_state(s, A::ApprovePlan, Role::Admin).is_ok());
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        let cw = Role::Caseworker;
        let open = CaseState::opened();
        for a in [
            A::SubmitPlan,
            A::RecordFollowUp,
            A::RequestClosure,
            A::Reopen,
        ] {
            assert!(
                matches!(next_state(open, a, cw), Err(StepRefused::State(_))),
                "{a:?}"
            );
        }
        assert!(matches!(
            next_state(open, A::ApproveClosure, Role::Supervisor),
            Err(StepRefused::State(_))
        ));
        let closed = CaseState {
            step: CaseStep::Closed,
            ..open
        };
        assert!(next_state(closed, A::RecordFollowUp, cw).is_err());
    }

    #[test]
    fn due_times_follow_the_level() {
        let p = DuePolicy::default();
        assert_eq!(p.next_action_secs(Some(RiskLevel::Critical)), 24 * 3600);
        assert_eq!(p.next_action_secs(Some(RiskLevel::High)), 3 * 86400);
        assert_eq!(p.next_action_secs(Some(RiskLevel::Medium)), 7 * 86400);
        assert_eq!(p.next_action_secs(Some(RiskLevel::Low)), 30 * 86400);
        assert_eq!(p.referral_secs(Some(RiskLevel::Critical)), 24 * 3600);
        let custom = DuePolicy::from_json(r#"{"critical_hours": 4}"#).unwrap();
        assert_eq!(custom.next_action_secs(Some(RiskLevel::Critical)), 4 * 3600);
        assert!(DuePolicy::from_json(r#"{"critical_hours": 0}"#).is_err());
        assert!(DuePolicy::from_json(r#"{"critcal_hours": 4}"#).is_err());
    }

    #[test]
    fn referrals_move_forward_only_and_declines_say_why() {
        use ReferralStatus as R;
        assert!(next_referral_status(R::Sent, R::Accepted, None).is_ok());
        assert!(next_referral_status(R::Sent, R::Declined, Some("  ")).is_err());
        assert!(next_referral_status(R::Sent, R::Declined, Some("no places")).is_ok());
        assert!(next_referral_status(R::Sent, R::Completed, None).is_err());
        assert!(next_referral_status(R::Accepted, R::Completed, None).is_ok());
        assert!(next_referral_status(R::Declined, R::Accepted, None).is_err());
    }

    #[test]
    fn adoption_needs_a_determination_and_unregistered_births_get_a_suggestion() {
        assert!(check_adoption_guard(ReferralKind::Adoption, false).is_err());
        assert!(check_adoption_guard(ReferralKind::Adoption, true).is_ok());
        assert!(check_adoption_guard(ReferralKind::Service, false).is_ok());
        assert_eq!(
            suggested_sectors(BirthRegistration::NotRegistered, &[]),
            vec![Sector::CivilRegistration]
        );
        assert!(suggested_sectors(
            BirthRegistration::NotRegistered,
            &[Sector::CivilRegistration]
        )
        .is_empty());
        assert!(suggested_sectors(BirthRegistration::Registered, &[]).is_empty());
    }
}
