//! Demonstration casework: a services directory, assessments, cases at
//! every step and referrals in every state, spread over the past months so
//! that dashboards show due, overdue and waiting work (after the years of
//! finished work in `demo_history`). Synthetic only.

use anyhow::Result;
use haven_domain::assessment::{Answer, PreventionLayer};
use haven_domain::casework::{
    CaseAction, Consent, NewService, ReferralKind, ReferralStatus, Sector,
};
use haven_domain::synthetic::Rng;
use haven_domain::{Actor, ChildFilter, Role};
use haven_store::{SqlStore, Store};
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

/// name, provider, agency, sector, layers, factors answered
type DemoService = (
    &'static str,
    &'static str,
    &'static str,
    Sector,
    &'static [PreventionLayer],
    &'static [&'static str],
);

const SERVICES: &[DemoService] = &[
    (
        "Birth registration desk",
        "Civil Registration Office",
        "CIVREG",
        Sector::CivilRegistration,
        &[PreventionLayer::Primary, PreventionLayer::Secondary],
        &["no_birth_registration"],
    ),
    (
        "Child health and disability clinic",
        "District Health Office",
        "HEALTH",
        Sector::Health,
        &[PreventionLayer::Secondary, PreventionLayer::Tertiary],
        &[
            "disability",
            "risky_behaviours",
            "caregiver_illness_or_death",
            "caregiver_substance_abuse",
            "basic_needs_unmet",
            "already_victim",
        ],
    ),
    (
        "Family support and parenting programme",
        "Department of Social Welfare",
        "DSW",
        Sector::SocialWelfare,
        &[PreventionLayer::Primary, PreventionLayer::Secondary],
        &[
            "caregivers_absent",
            "family_migration",
            "domestic_violence",
            "violence_accepted",
            "accepts_child_marriage",
            "girl_or_gender_risk",
            "young_age",
            "minority_or_indigenous",
            "disability",
            "caregiver_substance_abuse",
        ],
    ),
    (
        "Street outreach and drop-in centre",
        "Hope Street NGO",
        "DSW",
        Sector::SocialWelfare,
        &[PreventionLayer::Secondary, PreventionLayer::Tertiary],
        &[
            "street_child",
            "child_labour",
            "transactional_sex_norm",
            "recruitment_offer",
            "unaccompanied_migrant",
            "self_generated_images",
            "online_grooming_contact",
            "immediate_danger",
            "already_victim",
            "in_institution",
            "institution_unmonitored",
        ],
    ),
    (
        "School re-enrolment and catch-up classes",
        "District Education Office",
        "EDU",
        Sector::Education,
        &[PreventionLayer::Primary, PreventionLayer::Secondary],
        &["not_in_school", "child_labour"],
    ),
    (
        "Cash transfer for vulnerable households",
        "Social Protection Agency",
        "SOCPRO",
        Sector::SocialProtection,
        &[PreventionLayer::Primary],
        &[
            "poverty",
            "basic_needs_unmet",
            "income_pressure_on_child",
            "environmental_shock",
            "caregiver_disability",
            "caregiver_illness_or_death",
            "street_child",
        ],
    ),
    (
        "Family and child protection police unit",
        "National Police",
        "POLICE",
        Sector::Police,
        &[PreventionLayer::Secondary, PreventionLayer::Tertiary],
        &[
            "domestic_violence",
            "gangs",
            "unsafe_public_spaces",
            "online_grooming_contact",
            "tourism_area",
            "recruitment_offer",
            "immediate_danger",
        ],
    ),
    (
        "Legal aid for children",
        "Justice Ministry legal aid board",
        "JUSTICE",
        Sector::Justice,
        &[PreventionLayer::Secondary, PreventionLayer::Tertiary],
        &[
            "no_complaint_mechanism",
            "unaccompanied_migrant",
            "accepts_child_marriage",
            "domestic_violence",
            "already_victim",
        ],
    ),
];

fn staff(name: &str, role: Role) -> Actor {
    Actor {
        user_id: name.into(),
        name: name.into(),
        role,
        scope_path: Some("/HV/HV-NR/".into()),
        agency: None,
    }
}

/// Random answers with a realistic spread: most children have a few risk
/// factors and some protection; a few are in danger now.
pub(crate) fn answers(rng: &mut Rng, factors: &[(String, bool, bool)]) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for (id, protective, safety) in factors {
        let p = match (protective, safety) {
            (_, true) => 0.03,
            (true, _) => 0.45,
            _ if id == "poverty" => 0.55,
            _ => 0.1,
        };
        if rng.chance(p) {
            out.insert(id.clone(), Answer::Yes(true));
        }
    }
    out
}

/// Loads the directory and casework for the caseworker's region, once,
/// after the finished history of `with_history` (children registered long
/// ago).
pub fn load(store: &SqlStore, with_history: &[haven_domain::Child], now: i64) -> Result<()> {
    let sys = Actor::system();
    if !store.list_services(&sys, None)?.is_empty() {
        return Ok(());
    }
    for (name, provider, agency, sector, layers, factors) in SERVICES {
        store.create_service(
            &sys,
            &NewService {
                name: (*name).into(),
                provider: (*provider).into(),
                agency: (*agency).into(),
                sector: *sector,
                layers: layers.to_vec(),
                coverage: "HV".into(),
                factors: factors.iter().map(|f| f.to_string()).collect(),
                contact: "+000 555 0100, weekdays 8-17".into(),
            },
            now,
        )?;
    }
    let cw = staff("caseworker", Role::Caseworker);
    let sup = staff("supervisor", Role::Supervisor);
    let health = Actor {
        agency: Some("HEALTH".into()),
        ..staff("health", Role::Caseworker)
    };
    let inst = store.current_instrument(now)?;
    let factors: Vec<(String, bool, bool)> = inst
        .factors
        .iter()
        .map(|f| {
            (
                f.id.clone(),
                f.kind == haven_domain::assessment::FactorKind::Protective,
                f.safety,
            )
        })
        .collect();
    crate::demo_history::load(store, with_history, &factors)?;
    let filter = ChildFilter {
        location: Some("HV-NR".into()),
        ..Default::default()
    };
    let children = store.list_children(&sys, &filter, None, 80, now)?.items;
    let mut rng = Rng::new(2026);
    let mut cases = 0;
    for child in &children {
        // How far along this case is: 0 identified … 7 closed.
        let stage = rng.below(8);
        // Days between steps, drawn first so the latest step lands in the
        // last week or two: most work is on time, some is late.
        let gaps: Vec<i64> = (0..7).map(|_| 1 + rng.below(4) as i64).collect();
        let span: i64 = gaps.iter().take(stage).sum::<i64>() + rng.below(12) as i64;
        let mut gap = gaps.into_iter();
        let mut next = move || gap.next().unwrap_or(1) * DAY;
        let mut t = now - span * DAY;
        let case = store.open_case(&cw, &child.id, None, t)?;
        cases += 1;
        // About one case in four is about a child already exploited: the
        // form is recorded, and victims per 100,000 children count it.
        if rng.chance(0.25) {
            let form = *rng.pick(haven_domain::casework::ExploitationForm::ALL);
            store.record_exploitation(&cw, &case.id, Some(form), t)?;
        }
        if stage == 0 {
            continue;
        }
        t += next();
        let a = store.assess_child(&cw, &child.id, &answers(&mut rng, &factors), t)?;
        if stage == 1 {
            continue;
        }
        t += next();
        let plan = "Visit the family fortnightly; refer to the services recommended by the assessment; review in one month.";
        store.case_action(&cw, &case.id, CaseAction::SubmitPlan, Some(plan), t)?;
        if stage == 2 {
            continue;
        }
        t += next();
        store.case_action(&sup, &case.id, CaseAction::ApprovePlan, None, t)?;
        store.record_consent(
            &cw,
            &case.id,
            Consent::Given,
            Some("Wants to stay in school and at home"),
            t,
        )?;
        let file = store.get_case(&cw, &case.id, t)?;
        let recommended: Vec<String> = a
            .result
            .recommended_services
            .iter()
            .flat_map(|r| r.services.iter().map(|s| s.id.clone()))
            .collect();
        let mut to_refer: Vec<String> = recommended.into_iter().take(2).collect();
        for sector in &file.suggested_sectors {
            if let Some(s) = file.available_services.iter().find(|s| s.sector == *sector) {
                if !to_refer.contains(&s.id) {
                    to_refer.push(s.id.clone());
                }
            }
        }
        for service in &to_refer {
            let r = store.refer(
                &cw,
                &case.id,
                service,
                ReferralKind::Service,
                "Needs this service according to the assessment",
                t,
            )?;
            // Most referrals are answered (the health office by its demo
            // user, other agencies by the system); some stay waiting.
            let answerer = if r.to_agency == "HEALTH" {
                &health
            } else {
                &sys
            };
            if rng.chance(0.7) {
                let answer_at = (t + rng.below(4) as i64 * DAY + 600).min(now);
                if rng.chance(0.2) {
                    store.answer_referral(
                        answerer,
                        &r.id,
                        ReferralStatus::Declined,
                        Some("No specialist until next quarter"),
                        answer_at,
                    )?;
                } else {
                    store.answer_referral(
                        answerer,
                        &r.id,
                        ReferralStatus::Accepted,
                        None,
                        answer_at,
                    )?;
                    if rng.chance(0.5) {
                        store.answer_referral(
                            answerer,
                            &r.id,
                            ReferralStatus::Completed,
                            Some("Seen at the clinic"),
                            (answer_at + 5 * DAY).min(now),
                        )?;
                    }
                }
            }
        }
        if stage == 3 {
            continue;
        }
        t += next();
        store.case_action(
            &cw,
            &case.id,
            CaseAction::RecordFollowUp,
            Some("Home visit: family engaged, child attending school"),
            t,
        )?;
        if stage == 4 {
            continue;
        }
        t += next();
        store.case_action(
            &cw,
            &case.id,
            CaseAction::RequestClosure,
            Some("Plan goals met; risk reduced"),
            t,
        )?;
        if stage == 5 {
            continue;
        }
        t += next();
        store.case_action(&sup, &case.id, CaseAction::ApproveClosure, None, t)?;
        if stage == 7 {
            store.case_action(
                &cw,
                &case.id,
                CaseAction::Reopen,
                Some("New concern reported by the school"),
                t + 2 * DAY,
            )?;
        }
    }
    tracing::info!("loaded {} services and {cases} cases", SERVICES.len());
    Ok(())
}
