//! Signed audit-chain heads between two nodes (issue 13): A signs its
//! head on the schedule and with every export, B keeps what A vouched for
//! and refuses a head that is forged, rewritten or moved back.

use super::exchange::{envelope, refused};
use super::{seed, NOW};
use crate::{NewPeer, Peer, Store, StoreError};
use haven_domain::exchange::{AuditHeadItem, Bundle, Item, KeyRotationItem, NodeKey};

fn peer(store: &dyn Store, admin: &haven_domain::Actor, name: &str) -> Peer {
    store
        .list_peers(admin, NOW)
        .unwrap()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap()
}

fn heads(bundle: &Bundle) -> Vec<AuditHeadItem> {
    bundle
        .envelope()
        .items
        .iter()
        .filter_map(|i| match i {
            Item::AuditHead(h) => Some(h.clone()),
            _ => None,
        })
        .collect()
}

/// A and B are fresh stores of the same backend.
pub fn run_audit_heads(a: &dyn Store, b: &dyn Store) {
    let [admin_a, ..] = seed(a);
    let [admin_b, ..] = seed(b);
    let ka = NodeKey::from_seed(&[1; 32]);
    let kb = NodeKey::from_seed(&[2; 32]);
    let kc = NodeKey::from_seed(&[3; 32]);
    let new_peer = |name: &str, key: &NodeKey, may_send: &str, publish: &str| NewPeer {
        name: name.into(),
        public_key: key.public_base64(),
        url: None,
        may_send: may_send.into(),
        publish: publish.into(),
    };
    a.add_peer(&admin_a, &new_peer("B", &kb, "", "audit"), NOW)
        .unwrap();
    a.add_peer(&admin_a, &new_peer("C", &kc, "", "urls"), NOW)
        .unwrap();
    b.add_peer(&admin_b, &new_peer("A", &ka, "audit", ""), NOW)
        .unwrap();
    b.add_peer(&admin_b, &new_peer("C", &kc, "urls", ""), NOW)
        .unwrap();

    // The schedule signs the head once; with nothing appended since, a
    // second turn signs nothing.
    let scheduled = a.sign_audit_head(&ka, NOW).unwrap().expect("a head");
    assert!(scheduled.signed_by(&ka.public()));
    assert!(!scheduled.signed_by(&kb.public()));
    assert!(a.sign_audit_head(&ka, NOW).unwrap().is_none());

    // It makes a bundle happen for B although no list changed, and the
    // export signs the head as it stands then.
    let first = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW + 10)
        .unwrap()
        .expect("the signed head is news for B");
    let sent = heads(&first);
    assert_eq!(sent.len(), 1, "{:?}", first.envelope().items);
    assert!(sent[0].seq >= scheduled.seq);
    assert!(sent[0].signed_by(&ka.public()));
    // C is not published the heads: its bundle carries none.
    let to_c = a
        .export_bundle(&admin_a, "C", None, None, &ka, NOW + 10)
        .unwrap()
        .expect("a bundle");
    assert!(heads(&to_c).is_empty());

    let done = b
        .import_bundle(
            &admin_b,
            &first.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 20,
        )
        .unwrap();
    assert_eq!(done.audit_head, Some(sent[0].seq));
    let a_at_b = peer(b, &admin_b, "A");
    assert_eq!(a_at_b.audit_head_seq, Some(sent[0].seq));
    assert_eq!(a_at_b.audit_head_signed_at, Some(sent[0].signed_at));

    // Forged, rewritten or moved back: refused whole, nothing kept.
    let next = |items: Vec<Item>| {
        let env = envelope(&ka, &kb, first.envelope().seq_to + 1, &first.hash, items);
        Bundle::sign(env, &ka).unwrap().to_bytes().unwrap()
    };
    let hash = sent[0].hash.clone();
    let other_hash = "0".repeat(64);
    for (items, why) in [
        (
            vec![Item::AuditHead(AuditHeadItem::sign(
                &kc,
                sent[0].seq + 1,
                &hash,
                NOW,
            ))],
            "is not signed by A's key",
        ),
        (
            vec![Item::AuditHead(AuditHeadItem::sign(
                &ka,
                sent[0].seq - 1,
                &hash,
                NOW,
            ))],
            "went back from entry",
        ),
        (
            vec![Item::AuditHead(AuditHeadItem::sign(
                &ka,
                sent[0].seq,
                &other_hash,
                NOW,
            ))],
            "its log was rewritten",
        ),
        (
            vec![Item::AuditHead(AuditHeadItem::sign(&ka, 0, &hash, NOW))],
            "does not name an entry",
        ),
    ] {
        refused(
            b.import_bundle(&admin_b, &next(items), &kb.fingerprint(), NOW + 30),
            why,
        );
        let unchanged = peer(b, &admin_b, "A");
        assert_eq!(unchanged.last_seq, first.envelope().seq_to, "{why}");
        assert_eq!(unchanged.audit_head_seq, Some(sent[0].seq), "{why}");
    }
    // A peer that may not send heads cannot.
    let from_c = Bundle::sign(
        envelope(
            &kc,
            &kb,
            1,
            haven_domain::exchange::GENESIS_HASH,
            vec![Item::AuditHead(AuditHeadItem::sign(&kc, 5, &hash, NOW))],
        ),
        &kc,
    )
    .unwrap();
    refused(
        b.import_bundle(
            &admin_b,
            &from_c.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 30,
        ),
        "C may not send audit",
    );
    assert_eq!(peer(b, &admin_b, "C").audit_head_seq, None);

    // A head further on is kept, and the same head again is no news.
    let further = AuditHeadItem::sign(&ka, sent[0].seq + 7, &other_hash, NOW + 40);
    b.import_bundle(
        &admin_b,
        &next(vec![
            Item::AuditHead(sent[0].clone()),
            Item::AuditHead(further.clone()),
        ]),
        &kb.fingerprint(),
        NOW + 40,
    )
    .unwrap();
    assert_eq!(peer(b, &admin_b, "A").audit_head_seq, Some(further.seq));
}

/// A rotates its key: B follows the rotation signed by the key it trusts,
/// refuses what the retired key signs from then on, and a bundle still
/// addressed to B's own retired key is B's all the same.
pub fn run_key_rotation(a: &dyn Store, b: &dyn Store) {
    let [admin_a, cw_a, _, analyst_a, ..] = seed(a);
    let [admin_b, ..] = seed(b);
    let (ka, ka2) = (NodeKey::from_seed(&[1; 32]), NodeKey::from_seed(&[11; 32]));
    let (kb, kb2) = (NodeKey::from_seed(&[2; 32]), NodeKey::from_seed(&[12; 32]));
    let thief = NodeKey::from_seed(&[13; 32]);
    a.add_peer(
        &admin_a,
        &NewPeer {
            name: "B".into(),
            public_key: kb.public_base64(),
            url: None,
            may_send: String::new(),
            publish: "urls".into(),
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
            may_send: "urls".into(),
            publish: String::new(),
        },
        NOW,
    )
    .unwrap();
    let list_url = |n: u32| {
        a.add_url(
            &analyst_a,
            &format!("http://listed{n}.example/"),
            haven_domain::lists::UrlLevel::Url,
            "csam",
            NOW,
        )
        .unwrap();
    };
    list_url(1);
    let first = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    b.import_bundle(&admin_b, &first.to_bytes().unwrap(), &kb.fingerprint(), NOW)
        .unwrap();

    // Only an administrator rotates, once per key.
    let statement = KeyRotationItem::sign(&ka, &ka2, NOW + 100);
    assert!(matches!(
        a.record_key_rotation(&cw_a, &statement, NOW + 100),
        Err(StoreError::Forbidden(_))
    ));
    a.record_key_rotation(&admin_a, &statement, NOW + 100)
        .unwrap();
    assert!(matches!(
        a.record_key_rotation(&admin_a, &statement, NOW + 100),
        Err(StoreError::Conflict(_))
    ));

    // A thief holding nothing but A's public key cannot hand A over.
    let forged = KeyRotationItem {
        new_key: thief.public_base64(),
        ..statement.clone()
    };
    let from_thief = Bundle::sign(
        envelope(
            &thief,
            &kb,
            first.envelope().seq_to + 1,
            &first.hash,
            vec![Item::KeyRotation(forged)],
        ),
        &thief,
    )
    .unwrap();
    refused(
        b.import_bundle(
            &admin_b,
            &from_thief.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 150,
        ),
        "is not signed by the key it retires",
    );
    assert_eq!(peer(b, &admin_b, "A").fingerprint, ka.fingerprint());

    // The next bundle, signed by the new key, carries the rotation: B moves
    // its trust to the new key.
    list_url(2);
    let second = a
        .export_bundle(&admin_a, "B", None, None, &ka2, NOW + 200)
        .unwrap()
        .unwrap();
    let kinds: Vec<_> = second.envelope().items.iter().map(Item::name).collect();
    assert_eq!(kinds, ["key_rotation", "url_add"]);
    let done = b
        .import_bundle(
            &admin_b,
            &second.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 200,
        )
        .unwrap();
    assert_eq!(done.new_key.as_deref(), Some(ka2.fingerprint().as_str()));
    assert_eq!(done.urls_added, 1);
    let a_at_b = peer(b, &admin_b, "A");
    assert_eq!(a_at_b.fingerprint, ka2.fingerprint());
    assert_eq!(a_at_b.public_key, ka2.public_base64());

    // What the retired key signs now is refused, with that reason.
    let by_old = Bundle::sign(
        envelope(&ka, &kb, second.envelope().seq_to + 1, &second.hash, vec![]),
        &ka,
    )
    .unwrap();
    refused(
        b.import_bundle(
            &admin_b,
            &by_old.to_bytes().unwrap(),
            &kb.fingerprint(),
            NOW + 300,
        ),
        "signed with a key that A retired",
    );

    // B rotates too; A, not knowing yet, still addresses B's old key, and
    // B takes the bundle as its own.
    b.record_key_rotation(
        &admin_b,
        &KeyRotationItem::sign(&kb, &kb2, NOW + 400),
        NOW + 400,
    )
    .unwrap();
    list_url(3);
    let third = a
        .export_bundle(&admin_a, "B", None, None, &ka2, NOW + 400)
        .unwrap()
        .unwrap();
    assert_eq!(third.envelope().recipient, kb.fingerprint());
    let done = b
        .import_bundle(
            &admin_b,
            &third.to_bytes().unwrap(),
            &kb2.fingerprint(),
            NOW + 400,
        )
        .unwrap();
    assert_eq!((done.urls_added, done.new_key), (1, None));
    // A key that was never B's is still another node's.
    let elsewhere = Bundle::sign(
        envelope(
            &ka2,
            &thief,
            third.envelope().seq_to + 1,
            &third.hash,
            vec![],
        ),
        &ka2,
    )
    .unwrap();
    refused(
        b.import_bundle(
            &admin_b,
            &elsewhere.to_bytes().unwrap(),
            &kb2.fingerprint(),
            NOW + 500,
        ),
        "addressed to another node",
    );
}
