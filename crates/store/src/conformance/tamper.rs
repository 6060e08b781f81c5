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
