//! What the case page says around its forms: what happens next and who
//! acts, what drove the latest assessment, which services it recommends
//! (offered first), and whether consent is recorded (a referral or a
//! transfer without it needs a reason). Words from `locales/*/worklists.ftl`.

use super::layout::Opt;
use crate::i18n::Tr;
use haven_domain::casework::{CaseStep, Consent, PlanStatus};
use haven_store::assessments::AssessmentRecord;
use haven_store::casework::{Case, CaseFile};
use std::collections::HashSet;

/// What happens next on the case and who acts, in one sentence.
pub(super) fn next_step(tr: Tr, c: &Case) -> String {
    let who = c.assigned_to.as_str();
    match c.step {
        CaseStep::Closed => tr.t("case-next-closed"),
        _ if c.plan_status == PlanStatus::Submitted => tr.t("case-next-plan-waiting"),
        _ if c.closure_requested => tr.t("case-next-closure-waiting"),
        CaseStep::Identification => tr.t1("case-next-identification", "who", who),
        CaseStep::Assessment | CaseStep::Planning => tr.t1("case-next-planning", "who", who),
        CaseStep::Implementation | CaseStep::FollowUp => match c.next_due_at {
            Some(d) => tr.t2("case-next-follow-up", "who", who, "when", tr.date(d)),
            None => tr.t1("case-next-follow-up-undated", "who", who),
        },
    }
}

/// The factors that raised the latest assessment's risk most, in words.
pub(super) fn drivers(latest: Option<&AssessmentRecord>) -> Vec<String> {
    latest
        .map(|a| {
            a.result
                .drivers
                .iter()
                .filter(|d| d.share > 0.0)
                .take(5)
                .map(|d| d.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The referral form's services: those the latest assessment recommends
/// first, then those in a sector Haven suggests, then the rest; each group
/// in the directory's order. Returns (recommended, others).
pub(super) fn service_groups(
    tr: Tr,
    file: &CaseFile,
    latest: Option<&AssessmentRecord>,
    chosen: &str,
) -> (Vec<Opt>, Vec<Opt>) {
    let recommended: HashSet<&str> = latest
        .map(|a| {
            a.result
                .recommended_services
                .iter()
                .flat_map(|r| r.services.iter().map(|s| s.id.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let option = |sv: &haven_store::casework::Service| Opt {
        value: sv.id.clone(),
        label: tr.with(
            "case-refer-option",
            &[
                ("name", &sv.name),
                ("who", &sv.provider),
                (
                    "service",
                    &super::layout::label(tr, "sector", sv.sector.as_str()),
                ),
            ],
        ),
        selected: sv.id == chosen,
    };
    let (first, rest): (Vec<_>, Vec<_>) = file
        .available_services
        .iter()
        .partition(|sv| recommended.contains(sv.id.as_str()));
    let (suggested, others): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|sv| file.suggested_sectors.contains(&sv.sector));
    let lead = first.into_iter().chain(suggested).map(option).collect();
    (lead, others.into_iter().map(option).collect())
}

/// Whether the case lacks recorded consent to share the child's details.
pub(super) fn consent_missing(c: &Case) -> bool {
    c.consent != Consent::Given
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(step: CaseStep) -> Case {
        Case {
            id: "k".into(),
            child_id: "c".into(),
            child_name: "Awa".into(),
            district: "D11".into(),
            agency: None,
            assigned_to: "cw1".into(),
            step,
            plan_status: PlanStatus::None,
            plan: None,
            closure_requested: false,
            level: None,
            urgent: false,
            consent: Consent::NotAsked,
            child_views: None,
            adoptability: None,
            exploitation: None,
            next_due_at: Some(1_795_867_200),
            overdue: false,
            opened_by: "cw1".into(),
            opened_at: 0,
            updated_at: 0,
            closed_at: None,
        }
    }

    #[test]
    fn the_next_step_names_who_acts() {
        let tr = Tr::english();
        assert!(next_step(tr, &case(CaseStep::Identification)).contains("cw1"));
        let mut waiting = case(CaseStep::Planning);
        waiting.plan_status = PlanStatus::Submitted;
        assert!(next_step(tr, &waiting).contains("supervisor"));
        let mut closing = case(CaseStep::FollowUp);
        closing.closure_requested = true;
        assert!(next_step(tr, &closing).contains("supervisor"));
        let follow = next_step(tr, &case(CaseStep::Implementation));
        assert!(
            follow.contains("cw1") && follow.contains("2026"),
            "{follow}"
        );
        for tr in Tr::all() {
            assert!(!next_step(tr, &case(CaseStep::Closed)).contains('⟦'));
        }
        assert!(consent_missing(&case(CaseStep::Planning)));
    }
}
