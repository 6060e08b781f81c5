//! Cases, the services directory and referrals on every backend.

use super::{child, is_field, NOW};
use crate::casework::{CaseFilter, ReferralBox};
use crate::{Store, StoreError};
use haven_domain::assessment::{Answer, PreventionLayer, RiskLevel};
use haven_domain::casework::{
    CaseAction, CaseStep, Consent, NewService, PlanStatus, ReferralKind, ReferralStatus, Sector,
};
use haven_domain::Actor;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

pub(super) fn service(
    name: &str,
    agency: &str,
    sector: Sector,
    coverage: &str,
    factors: &[&str],
) -> NewService {
    NewService {
        name: name.into(),
        provider: format!("{agency} provider"),
        agency: agency.into(),
        sector,
        layers: vec![PreventionLayer::Secondary],
        coverage: coverage.into(),
        factors: factors.iter().map(|f| f.to_string()).collect(),
        contact: "+000 555 0100".into(),
    }
}

/// A caseworker's full flow with a supervisor, referrals answered by the
/// receiving agency, and every denial on the way.
pub fn casework(
    store: &dyn Store,
    admin: &Actor,
    cw1: &Actor,
    cw2: &Actor,
    sup1: &Actor,
    analyst: &Actor,
) {
    let health1 = super::agency_caseworker(store, "health1", "HEALTH");

    // The directory: only admins add; bad input names the field.
    assert!(matches!(
        store.create_service(cw1, &service("X", "Y", Sector::Health, "R1", &[]), NOW),
        Err(StoreError::Forbidden(_))
    ));
    is_field(
        store
            .create_service(
                admin,
                &service("X", "Y", Sector::Health, "NOWHERE", &[]),
                NOW,
            )
            .unwrap_err(),
        "coverage",
    );
    let registry = store
        .create_service(
            admin,
            &service(
                "Birth registration desk",
                "CIVREG",
                Sector::CivilRegistration,
                "R1",
                &["no_birth_registration"],
            ),
            NOW,
        )
        .unwrap();
    let clinic = store
        .create_service(
            admin,
            &service(
                "Child health clinic",
                "HEALTH",
                Sector::Health,
                "D11",
                &["disability"],
            ),
            NOW,
        )
        .unwrap();
    let adoption = store
        .create_service(
            admin,
            &service("Adoption unit", "ADOPT", Sector::SocialWelfare, "C", &[]),
            NOW,
        )
        .unwrap();
    let far = store
        .create_service(
            admin,
            &service(
                "Far clinic",
                "HEALTH",
                Sector::Health,
                "R2",
                &["disability"],
            ),
            NOW,
        )
        .unwrap();
    assert_eq!(store.list_services(cw1, None).unwrap().len(), 4);
    assert_eq!(
        store.list_services(cw1, Some("/C/R2/D21/")).unwrap().len(),
        2
    );

    let (kid, _) = store
        .create_child(cw1, &child("Fatmata", "Conteh", "2014-06-01", "D11"), NOW)
        .unwrap();

    // Opening: in scope only, one open case per child.
    assert!(matches!(
        store.open_case(cw2, &kid.id, None, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.open_case(analyst, &kid.id, None, NOW),
        Err(StoreError::Forbidden(_))
    ));
    is_field(
        store.open_case(cw1, &kid.id, Some("cw2"), NOW).unwrap_err(),
        "assigned_to",
    );
    let case = store.open_case(cw1, &kid.id, None, NOW).unwrap();
    assert_eq!(case.step, CaseStep::Identification);
    assert_eq!(case.assigned_to, "cw1");
    assert_eq!(case.next_due_at, Some(NOW + 3 * DAY));
    assert!(matches!(
        store.open_case(cw1, &kid.id, None, NOW),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.get_case(cw2, &case.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    let file = store.get_case(cw1, &case.id, NOW).unwrap();
    assert_eq!(file.suggested_sectors, vec![Sector::CivilRegistration]);

    // A plan needs an assessment; the assessment sets the level and due date
    // and recommends directory services answering its factors.
    assert!(matches!(
        store.case_action(cw1, &case.id, CaseAction::SubmitPlan, Some("plan"), NOW),
        Err(StoreError::Conflict(_))
    ));
    let answers: BTreeMap<String, Answer> = [
        "poverty",
        "environmental_shock",
        "no_birth_registration",
        "disability",
    ]
    .iter()
    .map(|f| (f.to_string(), Answer::Yes(true)))
    .collect();
    let a = store
        .assess_child(cw1, &kid.id, &answers, NOW + 60)
        .unwrap();
    let recommended: Vec<&str> = a
        .result
        .recommended_services
        .iter()
        .flat_map(|r| r.services.iter().map(|s| s.id.as_str()))
        .collect();
    assert!(
        recommended.contains(&registry.id.as_str()),
        "{recommended:?}"
    );
    assert!(recommended.contains(&clinic.id.as_str()));
    assert!(
        !recommended.contains(&far.id.as_str()),
        "a service outside the child's district is not recommended"
    );
    let case = store.get_case(cw1, &case.id, NOW + 60).unwrap().case;
    assert_eq!(case.step, CaseStep::Assessment);
    assert_eq!(case.level, Some(a.result.level));
    let level = a.result.level;
    let expected_due = match level {
        RiskLevel::Critical => DAY,
        RiskLevel::High => 3 * DAY,
        RiskLevel::Medium => 7 * DAY,
        RiskLevel::Low => 30 * DAY,
    };
    assert_eq!(case.next_due_at, Some(NOW + 60 + expected_due));

    // Plan and approval: text required, only a supervisor approves.
    is_field(
        store
            .case_action(cw1, &case.id, CaseAction::SubmitPlan, Some("  "), NOW)
            .unwrap_err(),
        "text",
    );
    let k = store
        .case_action(
            cw1,
            &case.id,
            CaseAction::SubmitPlan,
            Some("Register the birth; school enrolment by March"),
            NOW + 100,
        )
        .unwrap();
    assert_eq!(
        (k.step, k.plan_status),
        (CaseStep::Planning, PlanStatus::Submitted)
    );
    let waiting = store
        .list_cases(
            sup1,
            &CaseFilter {
                awaiting_approval: true,
                ..Default::default()
            },
            NOW + 100,
        )
        .unwrap();
    assert!(waiting.iter().any(|c| c.id == case.id));
    assert!(store
        .list_cases(cw2, &CaseFilter::default(), NOW)
        .unwrap()
        .iter()
        .all(|c| c.id != case.id));
    assert!(matches!(
        store.case_action(cw1, &case.id, CaseAction::ApprovePlan, None, NOW + 120),
        Err(StoreError::Forbidden(_))
    ));
    let k = store
        .case_action(sup1, &case.id, CaseAction::ApprovePlan, None, NOW + 200)
        .unwrap();
    assert_eq!(k.step, CaseStep::Implementation);

    // Consent and the child's views are kept, encrypted, in the history.
    store
        .record_consent(
            cw1,
            &case.id,
            Consent::Given,
            Some("She wants to stay with her aunt"),
            NOW + 210,
        )
        .unwrap();
    store
        .add_case_note(cw1, &case.id, "Home visit: aunt supportive", NOW + 220)
        .unwrap();
    is_field(
        store.add_case_note(cw1, &case.id, " ", NOW).unwrap_err(),
        "text",
    );

    // Referrals: only services covering the child; adoption guarded.
    is_field(
        store
            .refer(
                cw1,
                &case.id,
                &far.id,
                ReferralKind::Service,
                "check-up",
                NOW + 300,
            )
            .unwrap_err(),
        "service_id",
    );
    assert!(matches!(
        store.refer(
            cw2,
            &case.id,
            &clinic.id,
            ReferralKind::Service,
            "check-up",
            NOW + 300
        ),
        Err(StoreError::NotFound(_))
    ));
    let to_registry = store
        .refer(
            cw1,
            &case.id,
            &registry.id,
            ReferralKind::Service,
            "Register the birth",
            NOW + 300,
        )
        .unwrap();
    assert_eq!(to_registry.status, ReferralStatus::Sent);
    assert_eq!(to_registry.to_agency, "CIVREG");
    let to_clinic = store
        .refer(
            cw1,
            &case.id,
            &clinic.id,
            ReferralKind::Service,
            "Disability assessment",
            NOW + 300,
        )
        .unwrap();
    is_field(
        store
            .refer(
                cw1,
                &case.id,
                &adoption.id,
                ReferralKind::Adoption,
                "adoption",
                NOW + 300,
            )
            .unwrap_err(),
        "kind",
    );
    assert!(matches!(
        store.record_adoptability(cw1, &case.id, "determined", NOW + 310),
        Err(StoreError::Forbidden(_))
    ));
    store
        .record_adoptability(
            sup1,
            &case.id,
            "Panel of 3 Nov: no family found after tracing; child consulted",
            NOW + 320,
        )
        .unwrap();
    store
        .refer(
            cw1,
            &case.id,
            &adoption.id,
            ReferralKind::Adoption,
            "Adoption after determination",
            NOW + 330,
        )
        .unwrap();
    assert!(store
        .get_case(cw1, &case.id, NOW + 330)
        .unwrap()
        .suggested_sectors
        .is_empty());

    // The receiving agency sees only its own referrals and answers them.
    let incoming = store
        .list_referrals(&health1, &ReferralBox::Incoming.into(), NOW + 400)
        .unwrap();
    assert_eq!(
        incoming.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec![to_clinic.id.as_str()]
    );
    assert!(store
        .list_referrals(cw2, &ReferralBox::Incoming.into(), NOW)
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.answer_referral(cw2, &to_clinic.id, ReferralStatus::Accepted, None, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.answer_referral(
            &health1,
            &to_registry.id,
            ReferralStatus::Accepted,
            None,
            NOW
        ),
        Err(StoreError::NotFound(_))
    ));
    is_field(
        store
            .answer_referral(
                &health1,
                &to_clinic.id,
                ReferralStatus::Declined,
                None,
                NOW + 500,
            )
            .unwrap_err(),
        "note",
    );
    assert!(matches!(
        store.answer_referral(
            &health1,
            &to_clinic.id,
            ReferralStatus::Completed,
            None,
            NOW + 500
        ),
        Err(StoreError::Conflict(_))
    ));
    let r = store
        .answer_referral(
            &health1,
            &to_clinic.id,
            ReferralStatus::Accepted,
            None,
            NOW + 500,
        )
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Accepted);
    let r = store
        .answer_referral(
            &health1,
            &to_clinic.id,
            ReferralStatus::Completed,
            Some("Seen on 2 Dec"),
            NOW + 600,
        )
        .unwrap();
    assert_eq!(r.completed_at, Some(NOW + 600));
    let outgoing = store
        .list_referrals(cw1, &ReferralBox::Outgoing.into(), NOW + 600)
        .unwrap();
    assert_eq!(outgoing.len(), 3);

    // Overdue referrals per agency: the registry has not answered in time.
    let later = NOW + 10 * DAY;
    let by_agency = store.referrals_by_agency(sup1, later).unwrap();
    let registry_row = by_agency.iter().find(|a| a.agency == "CIVREG").unwrap();
    assert_eq!((registry_row.waiting, registry_row.overdue), (1, 1));
    let health_row = by_agency.iter().find(|a| a.agency == "HEALTH").unwrap();
    assert_eq!((health_row.completed, health_row.overdue), (1, 0));
    assert!(store.referrals_by_agency(analyst, NOW).is_err());

    // Overdue case work shows on both dashboards.
    let counts = store.case_counts(cw1, NOW + 40 * DAY).unwrap();
    assert_eq!(
        (counts.open, counts.overdue, counts.mine_overdue),
        (1, 1, 1)
    );
    let overdue = store
        .list_cases(
            sup1,
            &CaseFilter {
                overdue: true,
                ..Default::default()
            },
            NOW + 40 * DAY,
        )
        .unwrap();
    assert!(overdue.iter().any(|c| c.id == case.id && c.overdue));
    assert_eq!(store.case_counts(cw2, NOW + 40 * DAY).unwrap().open, 0);

    // Follow-up and closure with approval, then reopening.
    assert!(matches!(
        store.case_action(sup1, &case.id, CaseAction::ApproveClosure, None, NOW + 700),
        Err(StoreError::Conflict(_))
    ));
    store
        .case_action(
            cw1,
            &case.id,
            CaseAction::RecordFollowUp,
            Some("Birth registered; attending school"),
            NOW + 800,
        )
        .unwrap();
    let k = store
        .case_action(
            cw1,
            &case.id,
            CaseAction::RequestClosure,
            Some("Goals met"),
            NOW + 900,
        )
        .unwrap();
    assert!(k.closure_requested);
    assert!(matches!(
        store.case_action(cw1, &case.id, CaseAction::ApproveClosure, None, NOW + 950),
        Err(StoreError::Forbidden(_))
    ));
    let k = store
        .case_action(sup1, &case.id, CaseAction::ApproveClosure, None, NOW + 1000)
        .unwrap();
    assert_eq!(
        (k.step, k.closed_at, k.next_due_at),
        (CaseStep::Closed, Some(NOW + 1000), None)
    );
    assert!(matches!(
        store.add_case_note(cw1, &case.id, "late note", NOW + 1100),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.refer(
            cw1,
            &case.id,
            &clinic.id,
            ReferralKind::Service,
            "x",
            NOW + 1100
        ),
        Err(StoreError::Conflict(_))
    ));
    let k = store
        .case_action(
            cw1,
            &case.id,
            CaseAction::Reopen,
            Some("New concern reported"),
            NOW + 1200,
        )
        .unwrap();
    assert_eq!(k.step, CaseStep::Assessment);

    // Reassignment and transfer: supervisors only, to someone in the area.
    assert!(matches!(
        store.reassign_case(cw1, &case.id, "health1", None, Some("x"), NOW + 1300),
        Err(StoreError::Forbidden(_))
    ));
    is_field(
        store
            .reassign_case(sup1, &case.id, "cw2", None, Some("cover"), NOW + 1300)
            .unwrap_err(),
        "assigned_to",
    );
    let k = store
        .reassign_case(
            sup1,
            &case.id,
            "health1",
            Some("HEALTH"),
            Some("Medical needs lead"),
            NOW + 1400,
        )
        .unwrap();
    assert_eq!(
        (k.assigned_to.as_str(), k.agency.as_deref()),
        ("health1", Some("HEALTH"))
    );
    assert_eq!(
        store
            .get_child(&health1, &kid.id, NOW + 1500)
            .unwrap()
            .agency
            .as_deref(),
        Some("HEALTH")
    );

    // The history keeps everything, in order, readable by staff in scope.
    let file = store.get_case(sup1, &case.id, NOW + 1600).unwrap();
    let kinds: Vec<&str> = file.events.iter().map(|e| e.kind.as_str()).collect();
    for k in [
        "opened",
        "record_assessment",
        "submit_plan",
        "approve_plan",
        "consent",
        "note",
        "referral",
        "adoptability",
        "follow_up",
        "request_closure",
        "approve_closure",
        "reopen",
        "transferred",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert!(file
        .events
        .iter()
        .any(|e| e.text.contains("stay with her aunt")));
    assert_eq!(file.case.consent, Consent::Given);
    assert!(file.case.adoptability.is_some());

    // Every read and change above, and every refusal, is in the audit chain.
    let audit = store.recent_audit(admin, 400, NOW).unwrap();
    for action in [
        "case.open",
        "case.read",
        "case.submit_plan",
        "case.approve_plan",
        "referral.create",
        "referral.accepted",
        "case.transfer",
        "referral.list_incoming",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.outcome == "ok"),
            "{action}"
        );
    }
    assert!(audit
        .iter()
        .any(|e| e.action == "case.approve_plan" && e.outcome == "denied"));
    assert!(audit
        .iter()
        .any(|e| e.action == "case.open" && e.outcome == "denied"));
    assert!(store.verify_audit().unwrap().is_ok());
}
