//! What a laptop's later checkouts bring of a child's assessments (issue
//! 16): only those written on the server since the laptop's last one
//! (made, synced or confirmed), and the whole history of a child who came
//! to the area since; a child changed otherwise comes without them.

use super::{child, seed, NOW};
use crate::field::Checkout;
use crate::Store;
use haven_domain::assessment::RiskLevel;
use haven_domain::child::ChildPatch;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

/// The identifiers of the assessments a checkout brings, sorted.
fn brought(out: &Checkout) -> Vec<String> {
    let mut ids: Vec<String> = out
        .assessments
        .iter()
        .map(|a| a.assessment.id.clone())
        .collect();
    ids.sort();
    ids
}

/// `s` is fresh.
pub fn run_field_checkout_deltas(s: &dyn Store) {
    let [admin, cw1, cw2, _analyst, _monitor, sup1] = seed(s);
    let (esi, _) = s
        .create_child(
            &cw2,
            &child("Esi", "Owusu", "2016-08-12", "D21"),
            NOW - 10 * DAY,
        )
        .unwrap();
    let esis = s
        .assess_child(&cw2, &esi.id, &BTreeMap::new(), NOW - 9 * DAY)
        .unwrap()
        .id;
    let (amina, _) = s
        .create_child(
            &cw1,
            &child("Amina", "Diallo", "2015-03-02", "D11"),
            NOW - 10 * DAY,
        )
        .unwrap();
    let assess = |at: i64| {
        s.assess_child(&cw1, &amina.id, &BTreeMap::new(), at)
            .unwrap()
            .id
    };
    let (older, old) = (assess(NOW - 9 * DAY), assess(NOW - 8 * DAY));
    let (laptop, _) = s.enrol_field_node(&cw1, "Field laptop", NOW).unwrap();
    let checkout =
        |since: i64, at: i64| s.field_checkout(&cw1, &laptop.id, Some(since), at).unwrap();
    let first = s
        .field_checkout(&cw1, &laptop.id, None, NOW - 7 * DAY)
        .unwrap();
    let mut both = vec![older.clone(), old.clone()];
    both.sort();
    assert_eq!(brought(&first), both);

    // Her family name corrected: she comes again, her history does not.
    let patch = |p: ChildPatch, at: i64| {
        s.update_child(&sup1, &amina.id, &p, at).unwrap();
    };
    patch(
        ChildPatch {
            family_name: Some("Diallo Ba".into()),
            ..Default::default()
        },
        NOW - 6 * DAY,
    );
    let out = checkout(NOW - 7 * DAY, NOW - 5 * DAY);
    assert_eq!(out.children.len(), 1);
    assert!(brought(&out).is_empty(), "{:?}", brought(&out));

    // Assessed again: that one only.
    let new = assess(NOW - 4 * DAY);
    assert_eq!(
        brought(&checkout(NOW - 5 * DAY, NOW - 3 * DAY)),
        std::slice::from_ref(&new)
    );

    // An older one confirmed: that one only, with its confirmation.
    s.confirm_assessment(
        &sup1,
        &older,
        RiskLevel::Critical,
        Some("Seen at home"),
        NOW - 2 * DAY,
    )
    .unwrap();
    let out = checkout(NOW - 3 * DAY, NOW - 2 * DAY + 10);
    assert_eq!(brought(&out), std::slice::from_ref(&older));
    assert_eq!(
        out.assessments[0].assessment.confirmed_level,
        Some(RiskLevel::Critical)
    );

    // Moved within the area: a laptop where she comes new needs her whole
    // history, so it all comes.
    patch(
        ChildPatch {
            location: Some("D12".into()),
            ..Default::default()
        },
        NOW - DAY,
    );
    let mut all = vec![older, old, new];
    all.sort();
    assert_eq!(brought(&checkout(NOW - 2 * DAY + 10, NOW)), all);

    // cw1 is moved to the other region: the laptop's next checkout is a
    // first one there, though nothing there changed since the last.
    let moved = crate::administration::UserChange {
        location: Some(Some("R2".into())),
        ..Default::default()
    };
    s.update_user(&admin, "cw1", &moved, NOW + 10).unwrap();
    let token = s
        .create_api_token(&crate::Actor::system(), "cw1", NOW + 10)
        .unwrap();
    let cw1 = s.actor_for_token(&token).unwrap();
    let out = s
        .field_checkout(&cw1, &laptop.id, Some(NOW), NOW + 20)
        .unwrap();
    assert_eq!(out.in_scope, std::slice::from_ref(&esi.id));
    assert_eq!(out.children.len(), 1);
    assert_eq!(brought(&out), [esis]);
    // And the one after it is a delta again.
    let out = s
        .field_checkout(&cw1, &laptop.id, Some(NOW + 20), NOW + 30)
        .unwrap();
    assert!(out.children.is_empty() && out.assessments.is_empty());
}
