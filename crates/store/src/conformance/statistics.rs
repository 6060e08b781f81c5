//! Statistics between two stores of one backend (issue 13): A records its
//! public figures; they travel only to a peer A publishes statistics to,
//! a hidden one without a number; only those that changed travel again; B
//! keeps the newest per origin, refuses them from a peer not allowed to
//! send them, and shows them to administrators and monitoring officers
//! only.

use super::{seed, NOW};
use crate::{NewPeer, Store, StoreError};
use haven_domain::exchange::{
    Bundle, Envelope, Item, NodeKey, StatisticItem, BUNDLE_FORMAT, GENESIS_HASH,
};

fn figure(indicator: &str, value: Option<&str>) -> StatisticItem {
    StatisticItem {
        indicator: indicator.into(),
        catalogue_version: 3,
        period: "2025".into(),
        location: "C".into(),
        unit: "count".into(),
        value: value.map(Into::into),
        suppressed: value.is_none(),
        withdrawn: false,
    }
}

fn statistics(b: &Bundle) -> Vec<&StatisticItem> {
    b.envelope()
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Statistic(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Runs the statistics checks on two fresh stores of one backend (A and B).
pub fn run_statistics(a: &dyn Store, b: &dyn Store) {
    let [admin_a, _, _, analyst_a, ..] = seed(a);
    let [admin_b, cw_b, _, analyst_b, monitor_b, _] = seed(b);
    let ka = NodeKey::from_seed(&[1; 32]);
    let kb = NodeKey::from_seed(&[2; 32]);
    let kc = NodeKey::from_seed(&[3; 32]);
    let kd = NodeKey::from_seed(&[4; 32]);
    // A publishes statistics to B, and only URLs to C; B takes statistics
    // from A, and only URLs from D.
    for (store, admin, name, key, may_send, publish) in [
        (a, &admin_a, "B", &kb, "", "stats"),
        (a, &admin_a, "C", &kc, "", "urls"),
        (b, &admin_b, "A", &ka, "stats", ""),
        (b, &admin_b, "D", &kd, "urls", ""),
    ] {
        store
            .add_peer(
                admin,
                &NewPeer {
                    name: name.into(),
                    public_key: key.public_base64(),
                    url: None,
                    may_send: may_send.into(),
                    publish: publish.into(),
                },
                NOW,
            )
            .unwrap();
    }
    let figures = [
        figure("children_registered", Some("1250")),
        figure("victims", None),
    ];
    assert!(matches!(
        a.publish_statistics(&analyst_a, &figures, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(a.publish_statistics(&admin_a, &figures, NOW).unwrap(), 2);
    assert_eq!(
        a.publish_statistics(&admin_a, &figures, NOW).unwrap(),
        0,
        "the same figures again change nothing"
    );

    // Not to a peer A does not publish statistics to.
    if let Some(to_c) = a
        .export_bundle(&admin_a, "C", None, None, &ka, NOW)
        .unwrap()
    {
        assert!(statistics(&to_c).is_empty(), "C is not sent figures");
    }
    let first = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    let sent = statistics(&first);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].value.as_deref(), Some("1250"));
    assert!(
        sent[1].suppressed && sent[1].value.is_none(),
        "a hidden figure travels hidden, without a number: {:?}",
        sent[1]
    );

    // A peer that may not send statistics: the whole bundle is refused,
    // audited, and nothing kept.
    let from_d = Bundle::sign(
        Envelope {
            format: BUNDLE_FORMAT.into(),
            issuer: kd.fingerprint(),
            recipient: kb.fingerprint(),
            seq_from: 1,
            seq_to: 1,
            created: NOW,
            prev_bundle_hash: GENESIS_HASH.into(),
            items: vec![Item::Statistic(figure("children_registered", Some("7")))],
        },
        &kd,
    )
    .unwrap();
    match b.import_bundle(
        &admin_b,
        &from_d.to_bytes().unwrap(),
        &kb.fingerprint(),
        NOW,
    ) {
        Err(StoreError::Refused(m)) => assert!(m.contains("D may not send stats"), "{m}"),
        other => panic!("not refused: {other:?}"),
    }
    assert!(b.received_statistics(&monitor_b, NOW).unwrap().is_empty());
    let d = b
        .list_peers(&admin_b, NOW)
        .unwrap()
        .into_iter()
        .find(|p| p.name == "D")
        .unwrap();
    assert_eq!(d.last_seq, 0, "D's chain did not move");
    assert!(b
        .recent_audit(&admin_b, 100, NOW)
        .unwrap()
        .iter()
        .any(|e| e.action == "exchange.import"
            && e.outcome == "refused"
            && e.detail.contains("may not send stats")));

    let done = b
        .import_bundle(&admin_b, &first.to_bytes().unwrap(), &kb.fingerprint(), NOW)
        .unwrap();
    assert_eq!(done.statistics_received, 2);
    for who in [&cw_b, &analyst_b] {
        assert!(matches!(
            b.received_statistics(who, NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    let got = b.received_statistics(&monitor_b, NOW).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].origin, "A");
    assert_eq!(got[0].indicator, "children_registered");
    assert_eq!(got[0].catalogue_version, 3);
    assert_eq!(got[0].location, "C");
    assert_eq!(got[0].value.as_deref(), Some("1250"));
    assert_eq!(got[0].origin_bundle, first.hash);
    assert!(got[1].suppressed && got[1].value.is_none());

    // One figure changes: only it travels, and B keeps the newest.
    let changed = [
        figure("children_registered", Some("1262")),
        figure("victims", None),
    ];
    assert_eq!(
        a.publish_statistics(&admin_a, &changed, NOW + 60).unwrap(),
        1
    );
    let second = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW + 60)
        .unwrap()
        .unwrap();
    assert_eq!(statistics(&second).len(), 1);
    b.import_bundle(
        &admin_b,
        &second.to_bytes().unwrap(),
        &kb.fingerprint(),
        NOW + 60,
    )
    .unwrap();
    let got = b.received_statistics(&admin_b, NOW + 60).unwrap();
    assert_eq!(got.len(), 2, "replaced, not added");
    assert_eq!(got[0].value.as_deref(), Some("1262"));
    assert_eq!(got[0].received_at, NOW + 60);
    assert_eq!(got[0].origin_bundle, second.hash);

    // Victims is no longer public at A: its figure is withdrawn, travels
    // as a withdrawal without a number, and B's copy goes.
    let only = [figure("children_registered", Some("1262"))];
    assert_eq!(a.publish_statistics(&admin_a, &only, NOW + 120).unwrap(), 1);
    assert_eq!(
        a.publish_statistics(&admin_a, &only, NOW + 120).unwrap(),
        0,
        "withdrawn once"
    );
    let third = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW + 120)
        .unwrap()
        .unwrap();
    let sent = statistics(&third);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].withdrawn && sent[0].value.is_none() && sent[0].indicator == "victims");
    b.import_bundle(
        &admin_b,
        &third.to_bytes().unwrap(),
        &kb.fingerprint(),
        NOW + 120,
    )
    .unwrap();
    let got = b.received_statistics(&admin_b, NOW + 120).unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].indicator, "children_registered");

    // Public again: published again, and received again.
    assert_eq!(
        a.publish_statistics(&admin_a, &changed, NOW + 180).unwrap(),
        1
    );
    let fourth = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW + 180)
        .unwrap()
        .unwrap();
    assert!(statistics(&fourth).iter().all(|s| !s.withdrawn));
    b.import_bundle(
        &admin_b,
        &fourth.to_bytes().unwrap(),
        &kb.fingerprint(),
        NOW + 180,
    )
    .unwrap();
    assert_eq!(b.received_statistics(&admin_b, NOW + 180).unwrap().len(), 2);

    // A withdrawal carries no number: one that does is refused.
    let mut bad = figure("victims", Some("3"));
    bad.withdrawn = true;
    assert!(haven_domain::exchange::check_received_statistic(&bad).is_err());
}
