//! A report that leads to several actions: a police referral, then a case,
//! then the hotline, each audited and in the report's history; what makes
//! no sense (a second case, closing again, someone out of scope) is refused
//! and changes nothing.

use super::reports::report;
use super::{child, is_field, NOW};
use crate::reports::ChildLink;
use crate::{Store, StoreError};
use haven_domain::report::{Decision, PublicStatus};
use haven_domain::Actor;

pub fn report_actions(
    store: &dyn Store,
    admin: &Actor,
    cw1: &Actor,
    cw2: &Actor,
    analyst: &Actor,
    monitor: &Actor,
) {
    let t = NOW + 50_000;
    let (r, loc) = report("abuse_material_online", Some("D12"));
    let receipt = store.submit_report(&r, loc.as_deref(), t).unwrap();
    let id = store
        .list_reports(cw1, &crate::reports::ReportFilter::open(), t + 1)
        .unwrap()
        .into_iter()
        .find(|r| r.location.as_deref() == Some("D12") && r.received_at == t)
        .unwrap()
        .id;

    // The first action on a report not yet decided is its decision.
    let (file, _) = store
        .add_report_action(
            cw1,
            &id,
            Decision::Police,
            Some("Unit 4, ref 2026/118"),
            None,
            t + 2,
        )
        .unwrap();
    assert_eq!(file.summary.decision, Some(Decision::Police));
    assert_eq!(file.actions.len(), 1);
    assert_eq!(file.actions[0].by, "cw1");
    assert_eq!(
        file.actions[0].reason.as_deref(),
        Some("Unit 4, ref 2026/118")
    );
    // The one-decision call still answers as before.
    assert!(matches!(
        store.decide_report(cw1, &id, Decision::Hotline, None, None, t + 3),
        Err(StoreError::Conflict(_))
    ));

    // Further actions: a case for the child, then the hotline.
    let (file, _) = store
        .add_report_action(
            cw1,
            &id,
            Decision::OpenCase,
            Some("The girl in the pictures is known to the school"),
            Some(&ChildLink::New(Box::new(child(
                "Mariama",
                "Sesay",
                "2013-05-05",
                "D12",
            )))),
            t + 4,
        )
        .unwrap();
    let case_id = file.case_id.clone().expect("the case is on the report");
    assert_eq!(
        file.summary.decision,
        Some(Decision::Police),
        "the decision stays"
    );
    assert!(store
        .get_case(cw1, &case_id, t + 5)
        .unwrap()
        .events
        .iter()
        .any(|e| e.kind == "report"));
    let (file, _) = store
        .add_report_action(analyst, &id, Decision::Hotline, None, None, t + 6)
        .unwrap();
    assert!(file.hotline_item_id.is_some());
    assert_eq!(file.case_id.as_deref(), Some(case_id.as_str()));
    let kinds: Vec<Decision> = file.actions.iter().map(|a| a.action).collect();
    assert_eq!(
        kinds,
        [Decision::Police, Decision::OpenCase, Decision::Hotline]
    );
    assert_eq!(file.actions[1].case_id.as_deref(), Some(case_id.as_str()));
    assert_eq!(file.actions[2].by, "analyst");
    assert_eq!(
        file.messages
            .iter()
            .filter(|m| m.source == "staff" && m.text.starts_with("Further action"))
            .count(),
        2,
        "each further action is in the report's history"
    );
    assert_eq!(
        store
            .report_status(&receipt.code, &receipt.pin, t + 7)
            .unwrap()
            .status,
        PublicStatus::ActionTaken
    );

    // What makes no sense, or is out of reach, is refused and changes nothing.
    let refused = [
        store.add_report_action(
            cw1,
            &id,
            Decision::OpenCase,
            None,
            Some(&ChildLink::Existing(case_id.clone())),
            t + 8,
        ),
        store.add_report_action(analyst, &id, Decision::Hotline, None, None, t + 8),
        store.add_report_action(cw1, &id, Decision::Close, Some("done"), None, t + 8),
        store.add_report_action(cw2, &id, Decision::Police, Some("x"), None, t + 8),
        store.add_report_action(monitor, &id, Decision::Police, Some("x"), None, t + 8),
    ];
    let [second_case, second_hotline, close, other_region, monitor_try] = refused;
    assert!(matches!(second_case, Err(StoreError::Conflict(_))));
    assert!(matches!(second_hotline, Err(StoreError::Conflict(_))));
    is_field(close.unwrap_err(), "decision");
    assert!(matches!(other_region, Err(StoreError::NotFound(_))));
    assert!(matches!(monitor_try, Err(StoreError::Forbidden(_))));
    // A second police referral (another unit) is a further action too.
    let (file, _) = store
        .add_report_action(cw1, &id, Decision::Police, Some("Cyber unit"), None, t + 9)
        .unwrap();
    assert_eq!(file.actions.len(), 4);

    // Each action, and each refusal, is in the audit log.
    let log = store.recent_audit(admin, 200, t + 10).unwrap();
    let target = format!("report:{id}");
    let count = |outcome: &str| {
        log.iter()
            .filter(|e| e.action == "report.action" && e.target == target && e.outcome == outcome)
            .count()
    };
    assert_eq!(count("ok"), 3, "the first is the decision, audited as such");
    assert!(count("denied") >= 3);
    assert!(log
        .iter()
        .any(|e| e.action == "report.decide" && e.target == target && e.outcome == "ok"));

    // A closed report takes no further action.
    let (r, loc) = report("child_at_risk", Some("D12"));
    store.submit_report(&r, loc.as_deref(), t + 20).unwrap();
    let closed = store
        .list_reports(cw1, &crate::reports::ReportFilter::open(), t + 21)
        .unwrap()
        .into_iter()
        .find(|r| r.received_at == t + 20)
        .unwrap()
        .id;
    store
        .decide_report(
            cw1,
            &closed,
            Decision::Close,
            Some("no concern"),
            None,
            t + 22,
        )
        .unwrap();
    assert!(matches!(
        store.add_report_action(cw1, &closed, Decision::Police, Some("x"), None, t + 23),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .get_report(cw1, &closed, t + 24)
            .unwrap()
            .actions
            .len(),
        1
    );
}
