//! The exchange between nodes (issue 13) on two stores of one backend: A
//! publishes, B imports; every refusal applies nothing and is audited.

use super::{seed, NOW};
use crate::{NewPeer, Store, StoreError};
use haven_domain::exchange::{
    Bundle, EntryRef, Envelope, HashItem, Item, NodeKey, StatisticItem, UrlItem, BUNDLE_FORMAT,
    GENESIS_HASH,
};
use haven_domain::lists::{NewHashEntry, UrlLevel};
use haven_domain::Actor;

const PDQ: &str = "f8f8f0cee0f4a84f06370a32038f67f0b36e2ed596623e1d33e6339c4e9c9b22";

pub(super) fn refused(r: Result<crate::ImportSummary, StoreError>, why: &str) -> String {
    match r {
        Err(StoreError::Refused(m)) => {
            assert!(m.contains(why), "refused, but for another reason: {m}");
            m
        }
        other => panic!("not refused ({why}): {other:?}"),
    }
}

pub(super) fn envelope(
    from: &NodeKey,
    to: &NodeKey,
    seq: i64,
    prev: &str,
    items: Vec<Item>,
) -> Envelope {
    Envelope {
        format: BUNDLE_FORMAT.into(),
        issuer: from.fingerprint(),
        recipient: to.fingerprint(),
        seq_from: seq,
        seq_to: seq,
        created: NOW,
        prev_bundle_hash: prev.into(),
        items,
    }
}

fn url_item(id: &str) -> Item {
    Item::UrlAdd(UrlItem {
        id: id.into(),
        url: "http://forged.example/".into(),
        level: "url".into(),
        category: "csam".into(),
    })
}

/// What B holds that came from A: (received hash entries, URL check of
/// A's listed address).
fn received(b: &dyn Store, analyst_b: &Actor) -> (Vec<crate::HashEntry>, usize) {
    let mut entries = Vec::new();
    for l in b.list_hash_lists(analyst_b, NOW).unwrap() {
        entries.extend(
            b.list_hash_entries(analyst_b, &l.id, None, 500, NOW)
                .unwrap()
                .items,
        );
    }
    let urls = b
        .check_url(analyst_b, "http://bad.example/page?x=1", NOW)
        .unwrap()
        .len();
    (entries, urls)
}

/// A and B are fresh stores of the same backend.
pub fn run_exchange(a: &dyn Store, b: &dyn Store) {
    let [admin_a, cw_a, _, analyst_a, ..] = seed(a);
    let [admin_b, _, _, analyst_b, ..] = seed(b);
    let ka = NodeKey::from_seed(&[1; 32]);
    let kb = NodeKey::from_seed(&[2; 32]);
    let stranger = NodeKey::from_seed(&[3; 32]);
    let us = kb.fingerprint();

    // Peers: administrators only, typed keys and permissions.
    let to_b = NewPeer {
        name: "B".into(),
        public_key: kb.public_base64(),
        url: Some("http://127.0.0.1:9/".into()),
        may_send: String::new(),
        publish: "urls,hashlist:shared".into(),
    };
    assert!(matches!(
        a.add_peer(&analyst_a, &to_b, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        a.add_peer(&cw_a, &to_b, NOW),
        Err(StoreError::Forbidden(_))
    ));
    match a.add_peer(
        &admin_a,
        &NewPeer {
            public_key: "not a key".into(),
            may_send: "children".into(),
            ..to_b.clone()
        },
        NOW,
    ) {
        Err(StoreError::Invalid(v)) => {
            let fields: Vec<_> = v.0.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["public_key", "may_send"]);
        }
        other => panic!("{other:?}"),
    }
    let peer_b = a.add_peer(&admin_a, &to_b, NOW).unwrap();
    assert_eq!(peer_b.fingerprint, kb.fingerprint());
    assert_eq!(peer_b.publish, ["urls", "hashlist:shared"]);
    assert!(matches!(
        a.add_peer(&admin_a, &to_b, NOW),
        Err(StoreError::Conflict(_))
    ));
    let peer_a = b
        .add_peer(
            &admin_b,
            &NewPeer {
                name: "A".into(),
                public_key: ka.public_base64(),
                url: None,
                may_send: "urls,hashes".into(),
                publish: String::new(),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(peer_a.may_send, ["hashes", "urls"]);
    assert!(matches!(
        b.list_peers(&analyst_b, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(b.list_peers(&admin_b, NOW).unwrap().len(), 1);

    // Nothing published yet: nothing to send.
    assert!(a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .is_none());
    assert!(matches!(
        a.export_bundle(&analyst_a, "B", None, None, &ka, NOW),
        Err(StoreError::Forbidden(_))
    ));

    // A lists a URL and hashes: one list published to B, one not.
    let shared = a.create_hash_list(&analyst_a, "shared", "", NOW).unwrap();
    let private = a.create_hash_list(&analyst_a, "private", "", NOW).unwrap();
    let (_, listed) = a
        .add_hash_entries(
            &analyst_a,
            &shared.id,
            &[NewHashEntry {
                pdq: Some(PDQ.into()),
                quality: Some(90),
                source: "report 12".into(),
                category: "csam".into(),
                ..Default::default()
            }],
            None,
            NOW,
        )
        .unwrap();
    a.add_hash_entries(
        &analyst_a,
        &private.id,
        &[NewHashEntry {
            md5: Some("0123456789abcdef0123456789abcdef".into()),
            source: "x".into(),
            ..Default::default()
        }],
        None,
        NOW,
    )
    .unwrap();
    let url = a
        .add_url(
            &analyst_a,
            "http://bad.example/page?x=1",
            UrlLevel::Url,
            "csam",
            NOW,
        )
        .unwrap();
    let first = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    let env = first.envelope();
    assert_eq!(
        (env.seq_from, env.prev_bundle_hash.as_str()),
        (1, GENESIS_HASH)
    );
    assert_eq!(env.recipient, us);
    let kinds: Vec<_> = env.items.iter().map(Item::name).collect();
    assert_eq!(
        kinds,
        ["hash_add", "url_add"],
        "the private list stays home"
    );
    let good = first.to_bytes().unwrap();

    // Every refusal: nothing applied, B's chain unmoved, the reason audited.
    let before = b.recent_audit(&admin_b, 1000, NOW).unwrap().len();
    let mut tampered = good.clone();
    let at = tampered
        .windows(11)
        .position(|w| w == b"bad.example")
        .unwrap();
    tampered[at] = b'c';
    let mut child: serde_json::Value = serde_json::from_slice(&good).unwrap();
    child["envelope"]["items"][1]["url_add"]["child_name"] = "Amina".into();
    let stats = Bundle::sign(
        envelope(
            &ka,
            &kb,
            1,
            GENESIS_HASH,
            vec![Item::Statistic(StatisticItem {
                indicator: "victims".into(),
                catalogue_version: 1,
                period: "2026".into(),
                location: "C".into(),
                unit: "count".into(),
                value: Some("12".into()),
                suppressed: false,
                withdrawn: false,
            })],
        ),
        &ka,
    )
    .unwrap();
    let other_recipient = Bundle::sign(
        envelope(&ka, &stranger, 1, GENESIS_HASH, vec![url_item("u9")]),
        &ka,
    )
    .unwrap();
    let forged = Bundle::sign(
        envelope(&ka, &kb, 1, GENESIS_HASH, vec![url_item("u9")]),
        &stranger,
    )
    .unwrap();
    let unknown = Bundle::sign(
        envelope(&stranger, &kb, 1, GENESIS_HASH, vec![url_item("u9")]),
        &stranger,
    )
    .unwrap();
    let gap = Bundle::sign(
        envelope(&ka, &kb, 5, GENESIS_HASH, vec![url_item("u9")]),
        &ka,
    )
    .unwrap();
    let bad_link = Bundle::sign(
        envelope(&ka, &kb, 1, &"ab".repeat(32), vec![url_item("u9")]),
        &ka,
    )
    .unwrap();
    let mut partly_good = first.signed.envelope.clone();
    partly_good.items.push(Item::HashAdd(HashItem {
        id: "h-bad".into(),
        list: "shared".into(),
        pdq: Some("not a hash".into()),
        quality: None,
        md5: None,
        sha256: None,
        category: String::new(),
    }));
    let partly_good = Bundle::sign(partly_good, &ka).unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (tampered, "signature does not match A's key"),
        (good[..good.len() / 2].to_vec(), "cut off"),
        (
            serde_json::to_vec(&child).unwrap(),
            "unknown field `child_name`",
        ),
        (stats.to_bytes().unwrap(), "A may not send stats"),
        (
            other_recipient.to_bytes().unwrap(),
            "addressed to another node",
        ),
        (forged.to_bytes().unwrap(), "signature does not match"),
        (unknown.to_bytes().unwrap(), "not a trusted peer"),
        (gap.to_bytes().unwrap(), "a gap"),
        (
            bad_link.to_bytes().unwrap(),
            "does not follow the last bundle",
        ),
        (partly_good.to_bytes().unwrap(), "item 3 (hash_add)"),
    ];
    let n = cases.len();
    for (bytes, why) in cases {
        let msg = refused(b.import_bundle(&admin_b, &bytes, &us, NOW), why);
        assert!(msg.contains("bundle"), "the reason names the bundle: {msg}");
    }
    assert_eq!(received(b, &analyst_b), (Vec::new(), 0));
    assert_eq!(b.list_peers(&admin_b, NOW).unwrap()[0].last_seq, 0);
    let audit = b.recent_audit(&admin_b, 1000, NOW).unwrap();
    let refusals = audit[..audit.len() - before]
        .iter()
        .filter(|e| e.action == "exchange.import" && e.outcome == "refused")
        .count();
    assert_eq!(refusals, n);
    // Only administrators import.
    assert!(matches!(
        b.import_bundle(&analyst_b, &good, &us, NOW),
        Err(StoreError::Forbidden(_))
    ));

    // The good bundle: applied once, with provenance; a replay is refused.
    let sum = b.import_bundle(&admin_b, &good, &us, NOW).unwrap();
    assert_eq!((sum.hashes_added, sum.urls_added), (1, 1));
    refused(b.import_bundle(&admin_b, &good, &us, NOW), "a replay");
    let (entries, urls) = received(b, &analyst_b);
    assert_eq!((entries.len(), urls), (1, 1));
    let copy = &entries[0];
    assert_eq!(copy.list, "shared");
    assert_eq!(copy.pdq.as_deref(), Some(PDQ));
    let origin = copy.origin.clone().unwrap();
    assert_eq!(
        (origin.node.as_str(), origin.id.as_str()),
        ("A", listed[0].id.as_str())
    );
    assert_eq!(origin.bundle, first.hash);
    let hit = b
        .check_url(&analyst_b, "http://BAD.example/page?x=1", NOW)
        .unwrap();
    assert_eq!(hit[0].origin.as_ref().unwrap().id, url.id);
    let (feed, _) = b.hash_changes_since(0).unwrap();
    assert_eq!(
        feed[0].origin.as_ref().unwrap().node,
        "A",
        "the match index sees the origin"
    );

    // A takes the URL down: B's copy is tombstoned by the next bundle,
    // which follows the first in the chain.
    a.remove_url(&analyst_a, &url.id, NOW).unwrap();
    let second = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    assert_eq!(second.envelope().seq_from, first.envelope().seq_to + 1);
    assert_eq!(second.envelope().prev_bundle_hash, first.hash);
    // A third one made before the second is applied is out of order.
    a.set_hash_entry_enabled(&analyst_a, &listed[0].id, false, NOW)
        .unwrap();
    let third = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    refused(
        b.import_bundle(&admin_b, &third.to_bytes().unwrap(), &us, NOW),
        "a gap",
    );
    let sum = b
        .import_bundle(&admin_b, &second.to_bytes().unwrap(), &us, NOW)
        .unwrap();
    assert_eq!(sum.urls_removed, 1);
    assert_eq!(
        received(b, &analyst_b).1,
        0,
        "taken down at the origin, taken off here"
    );
    // An older bundle after a newer one is a replay.
    refused(b.import_bundle(&admin_b, &good, &us, NOW), "a replay");
    b.import_bundle(&admin_b, &third.to_bytes().unwrap(), &us, NOW)
        .unwrap();
    assert!(
        !received(b, &analyst_b).0[0].enabled,
        "disabled at the origin"
    );

    // A lists it again: enabled here. B disables it locally: A's next
    // sending leaves it disabled.
    a.set_hash_entry_enabled(&analyst_a, &listed[0].id, true, NOW)
        .unwrap();
    let fourth = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    b.import_bundle(&admin_b, &fourth.to_bytes().unwrap(), &us, NOW)
        .unwrap();
    assert!(received(b, &analyst_b).0[0].enabled);
    b.set_hash_entry_enabled(&analyst_b, &copy.id, false, NOW)
        .unwrap();
    a.set_hash_entry_enabled(&analyst_a, &listed[0].id, false, NOW)
        .unwrap();
    a.set_hash_entry_enabled(&analyst_a, &listed[0].id, true, NOW)
        .unwrap();
    let fifth = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap();
    assert!(matches!(&fifth.envelope().items[..], [Item::HashAdd(_)]));
    let sum = b
        .import_bundle(&admin_b, &fifth.to_bytes().unwrap(), &us, NOW)
        .unwrap();
    assert_eq!(sum.kept_disabled, 1);
    assert!(
        !received(b, &analyst_b).0[0].enabled,
        "disabled here stays disabled"
    );

    // A revoked peer's bundles are refused until it is restored.
    b.set_peer_revoked(&admin_b, "A", true, NOW).unwrap();
    a.add_url(
        &analyst_a,
        "http://bad.example/page?x=1",
        UrlLevel::Url,
        "csam",
        NOW,
    )
    .unwrap();
    let sixth = a
        .export_bundle(&admin_a, "B", None, None, &ka, NOW)
        .unwrap()
        .unwrap()
        .to_bytes()
        .unwrap();
    refused(b.import_bundle(&admin_b, &sixth, &us, NOW), "A is revoked");
    assert_eq!(received(b, &analyst_b).1, 0);
    b.set_peer_revoked(&admin_b, "A", false, NOW).unwrap();
    b.import_bundle(&admin_b, &sixth, &us, NOW).unwrap();
    assert_eq!(
        received(b, &analyst_b).1,
        1,
        "relisted at A, listed again here"
    );

    // Alerts and removals of unknown entries: a kind B does not accept yet
    // is refused whole, an unknown removal is harmless.
    let peer = &b.list_peers(&admin_b, NOW).unwrap()[0];
    let next = Bundle::sign(
        envelope(
            &ka,
            &kb,
            peer.last_seq + 1,
            peer.last_bundle_hash.as_deref().unwrap(),
            vec![Item::HashRemove(EntryRef {
                id: "nobody".into(),
            })],
        ),
        &ka,
    )
    .unwrap();
    let sum = b
        .import_bundle(&admin_b, &next.to_bytes().unwrap(), &us, NOW)
        .unwrap();
    assert_eq!(sum.hashes_removed, 0);

    // A revoked peer gets nothing from A either.
    a.set_peer_revoked(&admin_a, "B", true, NOW).unwrap();
    assert!(matches!(
        a.export_bundle(&admin_a, "B", None, None, &ka, NOW),
        Err(StoreError::Conflict(_))
    ));
    assert!(a.verify_audit().unwrap().is_ok());
    assert!(b.verify_audit().unwrap().is_ok());
}

/// `n` distinct PDQ hashes with plenty of detail (a xorshift stream).
fn pdqs(n: usize, seed: u64) -> Vec<String> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            (0..4)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    format!("{x:016x}")
                })
                .collect()
        })
        .collect()
}

fn hash_add(id: &str, pdq: &str, category: &str) -> Item {
    Item::HashAdd(HashItem {
        id: id.into(),
        list: "bulk".into(),
        pdq: Some(pdq.into()),
        quality: Some(100),
        md5: None,
        sha256: None,
        category: category.into(),
    })
}

/// A's key and B's, and B's fingerprint, once B trusts A to send hashes.
fn trust_a_for_hashes(b: &dyn Store, admin_b: &Actor) -> (NodeKey, NodeKey, String) {
    let ka = NodeKey::from_seed(&[1; 32]);
    let kb = NodeKey::from_seed(&[2; 32]);
    b.add_peer(
        admin_b,
        &NewPeer {
            name: "A".into(),
            public_key: ka.public_base64(),
            url: None,
            may_send: "hashes".into(),
            publish: String::new(),
        },
        NOW,
    )
    .unwrap();
    let us = kb.fingerprint();
    (ka, kb, us)
}

/// Large bundles are applied in bulk (issue 13's import speed) with the
/// outcome of applying their items one by one, in order: an entry sent
/// twice in one bundle is one entry with the later state, a removal after
/// an addition in the same bundle removes it, entries disabled here stay
/// disabled whether B reads A's entries at once or one by one, and an
/// invalid item late in a bundle leaves nothing of it applied. `b` is fresh.
pub fn run_exchange_in_bulk(b: &dyn Store) {
    let [admin_b, _, _, analyst_b, ..] = seed(b);
    let (ka, kb, us) = trust_a_for_hashes(b, &admin_b);
    let pdq = pdqs(300, 11);
    let send = |items: Vec<Item>| {
        let peer = &b.list_peers(&admin_b, NOW).unwrap()[0];
        let prev = peer
            .last_bundle_hash
            .clone()
            .unwrap_or_else(|| GENESIS_HASH.to_string());
        let bundle = Bundle::sign(envelope(&ka, &kb, peer.last_seq + 1, &prev, items), &ka)
            .unwrap()
            .to_bytes()
            .unwrap();
        b.import_bundle(&admin_b, &bundle, &us, NOW)
    };
    // What B holds from A, in the order it listed them: (origin id,
    // category, enabled).
    let held = || -> Vec<(String, String, bool)> {
        let list = b
            .list_hash_lists(&analyst_b, NOW)
            .unwrap()
            .into_iter()
            .find(|l| l.name == "bulk")
            .unwrap();
        b.list_hash_entries(&analyst_b, &list.id, None, 500, NOW)
            .unwrap()
            .items
            .into_iter()
            .map(|e| (e.origin.unwrap().id, e.category, e.enabled))
            .collect()
    };

    let mut items: Vec<Item> = (0..150)
        .map(|i| hash_add(&format!("h{i}"), &pdq[i], "csam"))
        .collect();
    items.push(hash_add("h140", &pdq[140], "other")); // not yet written
    items.push(hash_add("h5", &pdq[5], "other")); // written already
    items.push(Item::HashRemove(EntryRef { id: "h7".into() }));
    items.extend((150..200).map(|i| hash_add(&format!("h{i}"), &pdq[i], "csam")));
    let sum = send(items).unwrap();
    assert_eq!((sum.hashes_added, sum.hashes_removed), (202, 1));
    let got = held();
    let ids: Vec<String> = got.iter().map(|(id, ..)| id.clone()).collect();
    let expected: Vec<String> = (0..200).map(|i| format!("h{i}")).collect();
    assert_eq!(ids, expected, "each entry once, in the order sent");
    for (id, category, enabled) in &got {
        let want = if id == "h140" || id == "h5" {
            "other"
        } else {
            "csam"
        };
        assert_eq!(category, want, "{id}");
        assert_eq!(*enabled, id != "h7", "{id}");
    }

    // B disables h3. A small bundle (entries looked up one by one) and a
    // larger one (read at once) both leave it disabled.
    let copy = b
        .hash_changes_since(0)
        .unwrap()
        .0
        .into_iter()
        .find(|e| e.origin.as_ref().is_some_and(|o| o.id == "h3"))
        .unwrap();
    b.set_hash_entry_enabled(&analyst_b, &copy.id, false, NOW)
        .unwrap();
    let sum = send(vec![
        hash_add("h3", &pdq[3], "csam"),
        hash_add("h200", &pdq[200], "csam"),
    ])
    .unwrap();
    assert_eq!((sum.hashes_added, sum.kept_disabled), (1, 1));
    let sum = send(
        (0..100)
            .map(|i| hash_add(&format!("h{i}"), &pdq[i], "csam"))
            .collect(),
    )
    .unwrap();
    assert_eq!((sum.hashes_added, sum.kept_disabled), (99, 1));
    let got = held();
    assert_eq!(got.len(), 201);
    assert!(got.iter().all(|(id, _, enabled)| *enabled == (id != "h3")));

    // An invalid item after many good ones: nothing of the bundle is kept.
    let before = b.list_peers(&admin_b, NOW).unwrap()[0].last_seq;
    let mut items: Vec<Item> = (201..300)
        .map(|i| hash_add(&format!("h{i}"), &pdq[i], "csam"))
        .collect();
    items.push(hash_add("bad", "not a hash", "csam"));
    let why = refused(send(items), "item 100 (hash_add)");
    assert!(why.contains("pdq"), "{why}");
    assert_eq!(held().len(), 201);
    assert_eq!(b.list_peers(&admin_b, NOW).unwrap()[0].last_seq, before);
    assert!(b.verify_audit().unwrap().is_ok());
}

/// A large bundle is applied in steps, so that other writers (every match
/// request writes its audit entry) go between them instead of waiting for
/// the whole import: a hash list made while B imports is audited between
/// the import's "started" and "ok" entries, and the import still applies
/// every entry once. `b` is fresh.
pub fn run_exchange_in_steps(b: &dyn Store) {
    let [admin_b, _, _, analyst_b, ..] = seed(b);
    let (ka, kb, us) = trust_a_for_hashes(b, &admin_b);
    // Progress is told at 10,000 items; 30,000 more take several steps of
    // about 50 ms, even in a fast build.
    let n = 40_000;
    let pdq = pdqs(n, 13);
    let items = (0..n)
        .map(|i| hash_add(&format!("s{i}"), &pdq[i], "csam"))
        .collect();
    let bundle = Bundle::sign(envelope(&ka, &kb, 1, GENESIS_HASH, items), &ka)
        .unwrap()
        .to_bytes()
        .unwrap();
    let (applying, started) = std::sync::mpsc::channel();
    let sum = std::thread::scope(|s| {
        let import = s.spawn(|| {
            b.import_bundle_with_progress(&admin_b, &bundle, &us, NOW, &mut |p| {
                if matches!(p, crate::ImportProgress::Applied { done: 10_000, .. }) {
                    let _ = applying.send(());
                }
            })
        });
        started.recv().unwrap();
        b.create_hash_list(&analyst_b, "made meanwhile", "", NOW)
            .unwrap();
        import.join().unwrap()
    })
    .unwrap();
    assert_eq!(sum.hashes_added, n as u64);

    let audit = b.recent_audit(&admin_b, 50, NOW).unwrap();
    let seq_of = |action: &str, outcome: &str| {
        audit
            .iter()
            .find(|e| e.action == action && e.outcome == outcome)
            .unwrap_or_else(|| panic!("no {action} {outcome} in {audit:#?}"))
            .seq
    };
    let (started, made, ok) = (
        seq_of("exchange.import", "started"),
        seq_of("hashlist.create", "ok"),
        seq_of("exchange.import", "ok"),
    );
    assert!(
        started < made && made < ok,
        "the list was made during the import: started {started}, made {made}, ok {ok}"
    );
    let held: i64 = b
        .list_hash_lists(&analyst_b, NOW)
        .unwrap()
        .iter()
        .map(|l| l.entries)
        .sum();
    assert_eq!(held, n as i64, "each entry once");
    assert_eq!(b.list_peers(&admin_b, NOW).unwrap()[0].last_seq, 1);
    assert!(b.verify_audit().unwrap().is_ok());
}
