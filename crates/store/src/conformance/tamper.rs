//! Someone who can write to the database, but holds neither the key file
//! nor the audit head file, tries to rewrite history. Every attempt must
//! show in `verify_audit`, on every backend.

use crate::audit::{entry_hash, ChainHash, GENESIS};
use crate::sql::{int, text, Value};
use crate::{Keyring, SqlStore, Store};

/// The raw audit rows, to put back after each attempt.
fn snapshot(store: &SqlStore) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    store
        .backend()
        .transaction(false, &mut |c| {
            rows = c.query(
                "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id FROM audit_log ORDER BY seq",
                &[],
            )?;
            Ok(())
        })
        .unwrap();
    rows
}

fn restore(store: &SqlStore, rows: &[Vec<Value>]) {
    raw(store, &["DELETE FROM audit_log"]);
    store
        .backend()
        .transaction(true, &mut |c| {
            for r in rows {
                c.execute("INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r)?;
            }
            Ok(())
        })
        .unwrap();
    assert!(store.verify_audit().unwrap().is_ok(), "restored");
}

fn raw(store: &SqlStore, statements: &[&str]) {
    store
        .backend()
        .transaction(true, &mut |c| {
            for s in statements {
                c.execute(s, &[])?;
            }
            Ok(())
        })
        .unwrap();
}

/// Rewrites every entry's hashes as an attacker would, with `how`.
fn recompute_chain(store: &SqlStore, how: ChainHash<'_>, rows: &[Vec<Value>]) {
    store
        .backend()
        .transaction(true, &mut |c| {
            let mut prev = GENESIS.to_string();
            for r in rows {
                let seq = int(r, 0)?;
                let h = entry_hash(
                    how,
                    &prev,
                    seq,
                    int(r, 1)?,
                    &text(r, 2)?,
                    &text(r, 3)?,
                    &text(r, 4)?,
                    &text(r, 5)?,
                    &text(r, 6)?,
                    crate::sql::opt_text(r, 9)?.as_deref(),
                );
                c.execute(
                    "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                    &[prev.clone().into(), h.clone().into(), seq.into()],
                )?;
                prev = h;
            }
            Ok(())
        })
        .unwrap();
}

/// Runs every tampering on a seeded store that keeps its audit head file.
pub fn audit_tampering(store: &SqlStore) {
    super::seed(store);
    let rows = snapshot(store);
    let n = rows.len() as i64;
    assert!(n >= 10);
    assert_eq!(store.verify_audit().unwrap().unwrap(), n as u64);

    // An entry's content changed.
    raw(
        store,
        &["UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4"],
    );
    let p = store.verify_audit().unwrap().unwrap_err();
    assert_eq!(p.seq, 4, "{p}");
    assert!(p.reason.contains("altered"), "{p}");
    restore(store, &rows);

    // An entry deleted in the middle.
    raw(store, &["DELETE FROM audit_log WHERE seq = 5"]);
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 5);
    restore(store, &rows);

    // The newest entries deleted: the chain left is intact, the head is not.
    let cut = format!("DELETE FROM audit_log WHERE seq > {}", n - 3);
    raw(store, &[&cut]);
    let p = store.verify_audit().unwrap().unwrap_err();
    assert!(p.reason.contains("newest entries were removed"), "{p}");
    restore(store, &rows);

    // The newest entries deleted, then the log left to grow past where it
    // reached: the head file does not follow over the gap.
    raw(store, &[&cut]);
    for i in 0..6 {
        store
            .record_event(
                "system",
                "test.event",
                "x",
                "ok",
                &i.to_string(),
                super::NOW,
            )
            .unwrap();
    }
    assert!(store.verify_audit().unwrap().is_err(), "regrown log passed");
    restore(store, &rows);

    // Two entries swapped.
    raw(
        store,
        &[
            "UPDATE audit_log SET seq = -1 WHERE seq = 6",
            "UPDATE audit_log SET seq = 6 WHERE seq = 7",
            "UPDATE audit_log SET seq = 7 WHERE seq = -1",
        ],
    );
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 6);
    restore(store, &rows);

    // An entry changed and the whole chain recomputed, with the plain hash
    // the log once used, then with a key of the attacker's own.
    raw(
        store,
        &["UPDATE audit_log SET outcome = 'ok' WHERE seq = 3"],
    );
    let mut changed = snapshot(store);
    recompute_chain(store, ChainHash::Legacy, &changed);
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 1);
    let theirs = Keyring::generate().unwrap().audit_key();
    recompute_chain(store, ChainHash::Keyed(&theirs), &changed);
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 1);
    // And once more after deleting the newest entries: still caught.
    changed.truncate(changed.len() - 2);
    let cut = format!("DELETE FROM audit_log WHERE seq > {}", n - 2);
    raw(store, &[&cut]);
    recompute_chain(store, ChainHash::Keyed(&theirs), &changed);
    assert!(store.verify_audit().unwrap().is_err());
    restore(store, &rows);

    // Marking the log as written before the chain was keyed does not let a
    // plain recomputation pass either: the head file holds the keyed MAC.
    raw(
        store,
        &["UPDATE haven_meta SET value = '1000000' WHERE name = 'audit_legacy_upto'"],
    );
    let all = snapshot(store);
    recompute_chain(store, ChainHash::Legacy, &all);
    let p = store.verify_audit().unwrap().unwrap_err();
    assert!(p.reason.contains("marker was changed"), "{p}");
    // Nor does a start re-chain such a log with the real key.
    store.prepare(super::NOW).unwrap();
    assert!(store.verify_audit().unwrap().is_err());
    raw(
        store,
        &["UPDATE haven_meta SET value = '0' WHERE name = 'audit_legacy_upto'"],
    );
    restore(store, &rows);
}

/// The retention rule for the audit log: the oldest entries go, whole, and
/// the log still verifies from where it now begins; removing more from its
/// start, even with the start marker moved to match, is caught.
pub fn audit_retention(store: &SqlStore) {
    use haven_domain::retention::RetentionRules;
    let old = super::NOW - 8 * 365 * 86_400;
    for i in 0..3 {
        store
            .record_event("system", "sign_in", &format!("old-{i}"), "ok", "", old)
            .unwrap();
    }
    super::seed(store);
    let sys = haven_domain::Actor::system();
    let rules = RetentionRules {
        audit_years: Some(5),
        ..Default::default()
    };
    let before = snapshot(store);
    let last = before.len() as u64;
    assert_eq!(store.verify_audit().unwrap().unwrap(), last);

    // A dry run counts and removes nothing.
    let dry = store.purge(&sys, &rules, super::NOW, false).unwrap();
    assert_eq!(dry.audit_entries, 3);
    assert_eq!(snapshot(store).len() as u64, last);

    let done = store.purge(&sys, &rules, super::NOW, true).unwrap();
    assert_eq!(done.audit_entries, 3);
    let after = snapshot(store);
    assert_eq!(int(&after[0], 0).unwrap(), 4, "the three old entries went");
    let purge = after.last().unwrap();
    assert_eq!(
        (text(purge, 3).unwrap(), text(purge, 4).unwrap()),
        ("purge".to_string(), "audit".to_string())
    );
    assert_eq!(store.verify_audit().unwrap().unwrap(), last + 1);
    // Nothing more is due.
    assert_eq!(
        store
            .purge(&sys, &rules, super::NOW, true)
            .unwrap()
            .audit_entries,
        0
    );

    // An attacker removes the next entry and moves the start marker to it.
    let anchor = |seq: i64, hash: &str| {
        format!("UPDATE haven_meta SET value = '{seq}:{hash}' WHERE name = 'audit_begins_after'")
    };
    let hash4 = text(&after[0], 8).unwrap();
    let hash3 = text(&after[0], 7).unwrap();
    raw(
        store,
        &["DELETE FROM audit_log WHERE seq = 4", &anchor(4, &hash4)],
    );
    let p = store.verify_audit().unwrap().unwrap_err();
    assert!(p.reason.contains("removed from its start"), "{p}");
    raw(store, &[&anchor(3, &hash3)]);
    restore(store, &after);
    // Without moving the marker: the gap shows.
    raw(store, &["DELETE FROM audit_log WHERE seq = 4"]);
    assert_eq!(store.verify_audit().unwrap().unwrap_err().seq, 4);
    restore(store, &after);

    // Years later every entry is past the rule: the log goes on from the
    // last one removed, and still verifies.
    let later = super::NOW + 10 * 365 * 86_400;
    let all = store.purge(&sys, &rules, later, true).unwrap();
    assert_eq!(all.audit_entries, after.len() as u64);
    let left = snapshot(store);
    assert_eq!(left.len(), 1);
    assert_eq!(store.verify_audit().unwrap().unwrap(), last + 2);
}
