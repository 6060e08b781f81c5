//! Retention on every backend: what a rule says is past keeping is
//! destroyed whole, what it does not cover is untouched, a dry run changes
//! nothing, and the audit log says what went and still verifies.

use super::reports::report;
use super::{child, NOW};
use crate::{Store, StoreError};
use haven_domain::report::Decision;
use haven_domain::retention::RetentionRules;
use haven_domain::Actor;

/// Twenty years on: those born in 2010 turned 18 sixteen years before.
const LATER: i64 = NOW + 20 * 365 * 86_400;

/// Submits a report and finds its id in the queue (the receipt has none:
/// the reporter never learns it).
fn submit(store: &dyn Store, admin: &Actor) -> String {
    let ids = |store: &dyn Store| -> Vec<String> {
        store
            .list_reports(admin, &crate::reports::ReportFilter::default(), NOW)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    let before = ids(store);
    let (r, loc) = report("child_at_risk", Some("D11"));
    store.submit_report(&r, loc.as_deref(), NOW).unwrap();
    ids(store)
        .into_iter()
        .find(|id| !before.contains(id))
        .unwrap()
}

pub fn retention(store: &dyn Store, admin: &Actor, cw1: &Actor) {
    let grown = store
        .create_child(cw1, &child("Fatmata", "Retained", "2010-03-01", "D11"), NOW)
        .unwrap()
        .0;
    let in_care = store
        .create_child(cw1, &child("Isatu", "Retained", "2010-03-01", "D11"), NOW)
        .unwrap()
        .0;
    let case = store.open_case(cw1, &in_care.id, None, NOW).unwrap();
    let young = store
        .create_child(cw1, &child("Adama", "Retained", "2020-03-01", "D11"), NOW)
        .unwrap()
        .0;
    let closed = submit(store, admin);
    store
        .decide_report(cw1, &closed, Decision::Close, Some("unfounded"), None, NOW)
        .unwrap();
    let to_police = submit(store, admin);
    store
        .decide_report(cw1, &to_police, Decision::Police, Some("unit 4"), None, NOW)
        .unwrap();
    let undecided = submit(store, admin);

    let rules = RetentionRules {
        child_years_after_adulthood: Some(12),
        closed_report_months: Some(6),
        reporter_contact_days: Some(30),
        audit_years: None,
    };
    // Only an administrator (or the system) purges.
    assert!(matches!(
        store.purge(cw1, &rules, LATER, true),
        Err(StoreError::Forbidden(_))
    ));
    // A dry run counts and changes nothing.
    let entries_before = store.verify_audit().unwrap().unwrap();
    let counted = store.purge(admin, &rules, LATER, false).unwrap();
    assert!(counted.children >= 1 && counted.reports >= 1 && counted.contacts >= 1);
    store.get_child(admin, &grown.id, NOW).unwrap();
    assert_eq!(
        store
            .report_contact(admin, &to_police, NOW)
            .unwrap()
            .as_deref(),
        Some("call me at 555-7788")
    );
    // A rule never set purges nothing.
    let none = store
        .purge(admin, &RetentionRules::default(), LATER, false)
        .unwrap();
    assert_eq!((none.children, none.reports, none.contacts), (0, 0, 0));

    let entries_mid = store.verify_audit().unwrap().unwrap();
    let done = store.purge(admin, &rules, LATER, true).unwrap();
    assert_eq!(
        (done.children, done.reports, done.contacts),
        (counted.children, counted.reports, counted.contacts)
    );
    // The grown-up child is gone, with their name tokens: neither read nor found.
    assert!(matches!(
        store.get_child(admin, &grown.id, LATER),
        Err(StoreError::NotFound(_))
    ));
    assert!(super::search_by_name(store, admin, "Fatmata Retained").is_empty());
    // A child with an open case, and a child still young, stay.
    store.get_child(admin, &in_care.id, LATER).unwrap();
    store.get_case(admin, &case.id, LATER).unwrap();
    store.get_child(admin, &young.id, LATER).unwrap();
    // The closed report is gone; the one sent to the police stays without
    // its reporter's contact; an undecided one is untouched.
    assert!(matches!(
        store.get_report(admin, &closed, LATER),
        Err(StoreError::NotFound(_))
    ));
    let kept = store.get_report(admin, &to_police, LATER).unwrap();
    assert!(!kept.has_contact);
    assert_eq!(
        store.report_contact(admin, &to_police, LATER).unwrap(),
        None
    );
    assert!(
        store
            .get_report(admin, &undecided, LATER)
            .unwrap()
            .has_contact
    );

    // The log says what went and under which rule, and still verifies.
    let after = store.verify_audit().unwrap().unwrap();
    assert!(after > entries_mid && entries_mid >= entries_before);
    let log = store.recent_audit(admin, 2000, LATER).unwrap();
    assert!(log.iter().any(|e| e.action == "purge"
        && e.target == format!("child:{}", grown.id)
        && e.detail.contains("child_years_after_adulthood=12")));
    assert!(log
        .iter()
        .any(|e| e.action == "purge" && e.target == format!("report:{closed}")));
    assert!(log
        .iter()
        .any(|e| e.action == "purge" && e.target == format!("report_contact:{to_police}")));
    // Nothing is left to purge: a second run finds nothing.
    let again = store.purge(admin, &rules, LATER, true).unwrap();
    assert_eq!((again.children, again.reports, again.contacts), (0, 0, 0));
}
