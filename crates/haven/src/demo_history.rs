//! Demonstration history: years of assessments, cases, referrals and
//! reassessments in every district, finished well before today, so that a
//! monitoring officer opening the demo sees trends over years and an
//! outcome to measure (did a child's risk fall after the services?), not a
//! few weeks of current work. Synthetic only.
//!
//! It runs before the current casework, so that a child may have a closed
//! case from years ago and an open one now, as in life.

use anyhow::Result;
use haven_domain::assessment::{Answer, RiskLevel};
use haven_domain::casework::{CaseAction, Consent, ExploitationForm, ReferralKind, ReferralStatus};
use haven_domain::synthetic::Rng;
use haven_domain::{Actor, Child, Role};
use haven_store::{SqlStore, Store};
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
/// Children with a history, at most. Kept small enough that `haven demo`
/// still starts in seconds.
pub const CHILDREN: usize = 420;
/// The longest story below (first visit, a reassessment about a year
/// later) runs under 14 months: only children registered at least that
/// long ago get one, so every history ends before today.
pub const LONGEST_STORY_DAYS: i64 = 420;

/// A caseworker and a supervisor for the whole country: the history spans
/// every district, beyond any one demo user's area.
fn national(name: &str, role: Role) -> Actor {
    Actor {
        user_id: name.into(),
        name: name.into(),
        role,
        scope_path: Some("/HV/".into()),
        agency: None,
    }
}

/// Loads the history of `children` (registered at least
/// [`LONGEST_STORY_DAYS`] ago), given the instrument's factors as
/// `(id, protective, safety)`.
pub fn load(store: &SqlStore, children: &[Child], factors: &[(String, bool, bool)]) -> Result<()> {
    let sys = Actor::system();
    let cw = national("caseworker", Role::Caseworker);
    let sup = national("supervisor", Role::Supervisor);
    let health = Actor {
        agency: Some("HEALTH".into()),
        ..national("health", Role::Caseworker)
    };
    let mut rng = Rng::new(2013);
    let (mut assessed, mut cases) = (0, 0);
    for child in children {
        let mut t = child.created_at + (1 + rng.below(45)) as i64 * DAY;
        let first = crate::demo_casework::answers(&mut rng, factors);
        let a = store.assess_child(&cw, &child.id, &first, t)?;
        assessed += 1;
        let level = a.result.level;
        // A case for every child at high risk and some at medium risk.
        let needs_case = matches!(level, RiskLevel::High | RiskLevel::Critical)
            || (level == RiskLevel::Medium && rng.chance(0.3));
        if !needs_case {
            // Most children at low risk are seen again a year or so later.
            if rng.chance(0.4) {
                t += (300 + rng.below(60)) as i64 * DAY;
                let again = crate::demo_casework::answers(&mut rng, factors);
                store.assess_child(&cw, &child.id, &again, t)?;
            }
            continue;
        }
        t += DAY;
        let case = store.open_case(&cw, &child.id, None, t)?;
        cases += 1;
        if rng.chance(0.2) {
            let form = *rng.pick(ExploitationForm::ALL);
            store.record_exploitation(&cw, &case.id, Some(form), t)?;
        }
        t += (1 + rng.below(4)) as i64 * DAY;
        let plan = "Visit the family monthly; refer to the services the assessment recommends; review in three months.";
        store.case_action(&cw, &case.id, CaseAction::SubmitPlan, Some(plan), t)?;
        // Most plans are approved within days; some wait weeks, so that
        // "approved within the due time" is not always 100%.
        t += if rng.chance(0.8) {
            (1 + rng.below(5)) as i64
        } else {
            (10 + rng.below(20)) as i64
        } * DAY;
        store.case_action(&sup, &case.id, CaseAction::ApprovePlan, None, t)?;
        store.record_consent(&cw, &case.id, Consent::Given, None, t)?;
        let services: Vec<String> = a
            .result
            .recommended_services
            .iter()
            .flat_map(|r| r.services.iter().map(|s| s.id.clone()))
            .take(2)
            .collect();
        let mut served = false;
        for service in &services {
            let r = store.refer(
                &cw,
                &case.id,
                service,
                ReferralKind::Service,
                "Needs this service according to the assessment",
                t,
            )?;
            let answerer = if r.to_agency == "HEALTH" {
                &health
            } else {
                &sys
            };
            let answered = t + (rng.below(10) as i64) * DAY + 3_600;
            if rng.chance(0.15) {
                store.answer_referral(
                    answerer,
                    &r.id,
                    ReferralStatus::Declined,
                    Some("No place in the programme this term"),
                    answered,
                )?;
                continue;
            }
            store.answer_referral(answerer, &r.id, ReferralStatus::Accepted, None, answered)?;
            if rng.chance(0.8) {
                let done = answered + (20 + rng.below(90)) as i64 * DAY;
                store.answer_referral(answerer, &r.id, ReferralStatus::Completed, None, done)?;
                served = true;
            }
        }
        t += (30 + rng.below(60)) as i64 * DAY;
        store.case_action(
            &cw,
            &case.id,
            CaseAction::RecordFollowUp,
            Some("Home visit: the family is taking part"),
            t,
        )?;
        // The reassessment: risk factors fall away more often where the
        // services were delivered. This is what the outcome indicator
        // measures.
        t += (120 + rng.below(60)) as i64 * DAY;
        let improved = improved(&mut rng, &first, factors, if served { 0.55 } else { 0.15 });
        store.assess_child(&cw, &child.id, &improved, t)?;
        assessed += 1;
        t += (1 + rng.below(10)) as i64 * DAY;
        store.case_action(
            &cw,
            &case.id,
            CaseAction::RequestClosure,
            Some("Plan goals met; risk reduced"),
            t,
        )?;
        t += (1 + rng.below(6)) as i64 * DAY;
        store.case_action(&sup, &case.id, CaseAction::ApproveClosure, None, t)?;
    }
    tracing::info!("loaded a history of {assessed} assessments and {cases} closed cases");
    Ok(())
}

/// The answers of a reassessment: each risk factor of the first answers
/// gone with probability `p`, and protective factors gained as often.
fn improved(
    rng: &mut Rng,
    first: &BTreeMap<String, Answer>,
    factors: &[(String, bool, bool)],
    p: f64,
) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for (id, protective, _) in factors {
        let had = first.contains_key(id);
        let keep = match (protective, had) {
            (false, true) => !rng.chance(p),
            (true, true) => true,
            (true, false) => rng.chance(p / 2.0),
            (false, false) => false,
        };
        if keep {
            out.insert(id.clone(), Answer::Yes(true));
        }
    }
    out
}
