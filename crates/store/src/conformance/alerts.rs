//! Travelling-offender alerts (issue 13) on two stores of one backend: A's
//! liaison officer issues them; they travel to B in bundles; only liaison
//! officers read them, every read audited; withdrawn at A, gone at B;
//! expired, unreadable at once and purged by the retention run; a peer not
//! allowed to send alerts is refused and nothing is applied.

use super::{seed, NOW};
use crate::{NewPeer, NewUser, Store, StoreError};
use haven_domain::exchange::{
    AlertItem, Bundle, Envelope, Item, NewAlert, NodeKey, BUNDLE_FORMAT, GENESIS_HASH,
};
use haven_domain::retention::RetentionRules;
use haven_domain::{Actor, Role};

const DAY: i64 = 86_400;

/// A liaison officer in `store`.
pub fn liaison(store: &dyn Store, name: &str) -> Actor {
    let sys = Actor::system();
    store
        .create_user(
            &sys,
            &NewUser {
                name: name.into(),
                role: Role::Liaison,
                location: None,
                agency: None,
                password_hash: None,
            },
            NOW,
        )
        .unwrap();
    let token = store.create_api_token(&sys, name, NOW).unwrap();
    store.actor_for_token(&token).unwrap()
}

/// An alert as a liaison officer types it, expiring `days` after NOW.
pub fn typed_alert(family: &str, days: i64) -> NewAlert {
    NewAlert {
        family_names: family.into(),
        given_names: "Jonas".into(),
        birth_date: "1971-04-05".into(),
        nationalities: "gb".into(),
        documents: "P-4471, ID-998".into(),
        offence: "Convicted in 2019 of sexual abuse of a child".into(),
        travel_from: haven_domain::Date::from_unix(NOW + DAY).to_string(),
        travel_to: haven_domain::Date::from_unix(NOW + 10 * DAY).to_string(),
        destination: "KHM".into(),
        issuing_authority: "National Police, Child Protection Unit".into(),
        expires: haven_domain::Date::from_unix(NOW + days * DAY).to_string(),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
}

/// Runs the alert checks on two fresh stores of one backend (A and B).
pub fn run_alerts(a: &dyn Store, b: &dyn Store) {
    let [admin_a, cw_a, _, analyst_a, monitor_a, _] = seed(a);
    let [admin_b, cw_b, _, analyst_b, _, sup_b] = seed(b);
    let liaison_a = liaison(a, "liaison");
    let liaison_b = liaison(b, "liaison");
    let ka = NodeKey::from_seed(&[1; 32]);
    let kb = NodeKey::from_seed(&[2; 32]);
    let kc = NodeKey::from_seed(&[3; 32]);
    a.add_peer(
        &admin_a,
        &NewPeer {
            name: "B".into(),
            public_key: kb.public_base64(),
            url: None,
            may_send: String::new(),
            publish: "alerts".into(),
        },
        NOW,
    )
    .unwrap();
    b.add_peer(
        &admin_b,
        &NewPeer {
            name: "A".into(),
            public_key: ka.public_base64(),
            url: None,
            may_send: "alerts".into(),
            publish: String::new(),
        },
        NOW,
    )
    .unwrap();
    b.add_peer(
        &admin_b,
        &NewPeer {
            name: "C".into(),
            public_key: kc.public_base64(),
            url: None,
            may_send: "urls".into(),
            publish: String::new(),
        },
        NOW,
    )
    .unwrap();

    // Only a liaison officer issues one; every other role is refused and
    // nothing is kept.
    for who in [&admin_a, &cw_a, &analyst_a, &monitor_a] {
        forbidden(a.issue_alert(who, &typed_alert("Marlow", 30), NOW));
        forbidden(a.list_alerts(who, NOW));
    }
    assert!(a.list_alerts(&liaison_a, NOW).unwrap().is_empty());
    // What is typed wrong is named field by field.
    let mut bad = typed_alert("", 30);
    bad.expires = "2001-01-01".into();
    match a.issue_alert(&liaison_a, &bad, NOW) {
        Err(StoreError::Invalid(v)) => {
            let fields: Vec<&str> = v.0.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["family_names", "expires"]);
        }
        other => panic!("{other:?}"),
    }

    let long = a
        .issue_alert(&liaison_a, &typed_alert("Marlow", 30), NOW)
        .unwrap();
    let short = a
        .issue_alert(&liaison_a, &typed_alert("Quint", 2), NOW)
        .unwrap();
    assert_eq!(long.nationalities, ["GB"]);
    assert_eq!(long.documents, ["P-4471", "ID-998"]);
    assert_eq!(long.origin, None);
    assert_eq!(short.family_names, "Quint");
    let read = a.alert(&liaison_a, &long.id, NOW).unwrap();
    assert_eq!(read, long);
    forbidden(a.alert(&admin_a, &long.id, NOW));
    forbidden(a.withdraw_alert(&analyst_a, &long.id, NOW));
    let audit = a.recent_audit(&admin_a, 50, NOW).unwrap();
    assert!(audit.iter().any(|e| e.action == "alert.read"
        && e.actor == "liaison"
        && e.target == format!("alert:{}", long.id)
        && e.outcome == "ok"));
    assert!(audit
        .iter()
        .any(|e| e.action == "alert.read" && e.actor == "admin" && e.outcome == "denied"));
    assert!(
        audit.iter().all(|e| !e.detail.contains("Marlow")),
        "no name in the audit log"
    );

    // A's bundle to B carries both; B seals and keeps them with their origin.
    let first = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = first.envelope().items.iter().map(Item::name).collect();
    assert_eq!(kinds, ["alert_add", "alert_add"]);
    let done = b
        .import_bundle(&admin_b, &first.to_bytes().unwrap(), &kb.fingerprint(), NOW)
        .unwrap();
    assert_eq!(done.alerts_added, 2);
    let at_b = b.list_alerts(&liaison_b, NOW).unwrap();
    assert_eq!(at_b.len(), 2);
    let long_b = at_b.iter().find(|x| x.family_names == "Marlow").unwrap();
    assert_eq!(long_b.origin.as_deref(), Some("A"));
    assert_eq!(long_b.origin_id, long.id);
    assert_eq!(long_b.offence, long.offence);
    assert_eq!(long_b.origin_bundle.as_deref(), Some(first.hash.as_str()));
    for who in [&admin_b, &cw_b, &analyst_b, &sup_b] {
        forbidden(b.list_alerts(who, NOW));
        forbidden(b.alert(who, &long_b.id, NOW));
    }
    assert_eq!(b.alert(&liaison_b, &long_b.id, NOW).unwrap(), *long_b);
    assert!(b
        .recent_audit(&admin_b, 50, NOW)
        .unwrap()
        .iter()
        .any(|e| e.action == "alert.read" && e.actor == "liaison" && e.outcome == "ok"));
    // Only the issuing node withdraws an alert.
    assert!(matches!(
        b.withdraw_alert(&liaison_b, &long_b.id, NOW),
        Err(StoreError::Conflict(_))
    ));

    // A peer that may not send alerts is refused, and nothing is applied.
    let forged: AlertItem = typed_alert("Forged", 2).check("c-1", NOW).unwrap();
    let from_c = Bundle::sign(
        Envelope {
            format: BUNDLE_FORMAT.into(),
            issuer: kc.fingerprint(),
            recipient: kb.fingerprint(),
            seq_from: 1,
            seq_to: 1,
            created: NOW,
            prev_bundle_hash: GENESIS_HASH.into(),
            items: vec![Item::AlertAdd(forged)],
        },
        &kc,
    )
    .unwrap();
    match b.import_bundle(
        &admin_b,
        &from_c.to_bytes().unwrap(),
        &kb.fingerprint(),
        NOW,
    ) {
        Err(StoreError::Refused(m)) => assert!(m.contains("C may not send alerts"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(b.list_alerts(&liaison_b, NOW).unwrap().len(), 2);

    // A withdraws one: its contents go at A, and at B with the next bundle.
    a.withdraw_alert(&liaison_a, &long.id, NOW + 60).unwrap();
    assert!(matches!(
        a.alert(&liaison_a, &long.id, NOW + 60),
        Err(StoreError::NotFound(_))
    ));
    let second = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW + 60)
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = second.envelope().items.iter().map(Item::name).collect();
    assert_eq!(kinds, ["alert_withdraw"]);
    let done = b
        .import_bundle(
            &admin_b,
            &second.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 60,
        )
        .unwrap();
    assert_eq!(done.alerts_withdrawn, 1);
    let left = b.list_alerts(&liaison_b, NOW + 60).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].family_names, "Quint");
    assert!(matches!(
        b.alert(&liaison_b, &long_b.id, NOW + 60),
        Err(StoreError::NotFound(_))
    ));

    // Past its expiry an alert is unreadable at once, and the retention
    // run (with no rules set) destroys it on every node.
    let later = NOW + 3 * DAY;
    assert!(b.list_alerts(&liaison_b, later).unwrap().is_empty());
    assert!(matches!(
        b.alert(&liaison_b, &left[0].id, later),
        Err(StoreError::NotFound(_))
    ));
    let rules = RetentionRules::default();
    let dry = b.purge(&Actor::system(), &rules, later, false).unwrap();
    assert_eq!(dry.alerts, 1);
    assert_eq!(
        b.purge(&Actor::system(), &rules, later, true)
            .unwrap()
            .alerts,
        1
    );
    assert_eq!(
        b.purge(&Actor::system(), &rules, later, true)
            .unwrap()
            .alerts,
        0
    );
    assert_eq!(
        a.purge(&Actor::system(), &rules, later, true)
            .unwrap()
            .alerts,
        1
    );
    assert!(b
        .recent_audit(&admin_b, 50, later)
        .unwrap()
        .iter()
        .any(|e| e.action == "purge" && e.target.starts_with("alert:")));
    // A's purge is sent as a withdrawal too, and B has nothing left to drop.
    let third = a
        .export_bundle(&admin_a, "B", None, None, &ka, later)
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = third.envelope().items.iter().map(Item::name).collect();
    assert_eq!(kinds, ["alert_withdraw"]);
    let done = b
        .import_bundle(
            &admin_b,
            &third.to_bytes().unwrap(),
            &kb.fingerprint(),
            later,
        )
        .unwrap();
    assert_eq!(done.alerts_withdrawn, 0);
    assert!(b.verify_audit().unwrap().is_ok());
}
