//! Attempt counters on every backend: the store, not a process, keeps the
//! count, so servers sharing a database slow guessing together.

use crate::attempts::{Count, Counter, Rule, MAX_DELAY};
use crate::sql::text;
use crate::{SqlStore, Store};

const SLOW: Rule = Rule::Slow {
    free: 3,
    forget: 900,
};
const WINDOW: Rule = Rule::Window {
    limit: 2,
    window: 60,
};

fn slow(key: &str) -> Vec<Counter> {
    vec![Counter::new(key, SLOW)]
}

/// Runs on a store of its own or after the others: it only adds counters.
pub fn attempt_counters(store: &SqlStore) {
    let t = 1_000_000;
    // Free failures, then a doubling wait, never a lockout.
    for _ in 0..3 {
        assert_eq!(
            store.attempt(&slow("n:amina"), Count::Always, t).unwrap(),
            0
        );
    }
    assert_eq!(store.attempt(&slow("n:amina"), Count::No, t).unwrap(), 0);
    store.attempt(&slow("n:amina"), Count::Always, t).unwrap();
    assert_eq!(store.attempt(&slow("n:amina"), Count::No, t).unwrap(), 2);
    assert_eq!(
        store.attempt(&slow("n:amina"), Count::No, t + 2).unwrap(),
        0
    );
    for _ in 0..30 {
        store
            .attempt(&slow("n:amina"), Count::Always, t + 10)
            .unwrap();
    }
    assert_eq!(
        store.attempt(&slow("n:amina"), Count::No, t + 10).unwrap(),
        MAX_DELAY
    );
    assert_eq!(
        store.attempt(&slow("n:other"), Count::No, t + 10).unwrap(),
        0
    );
    // Forgotten a while after the last one, and counted afresh.
    assert_eq!(
        store.attempt(&slow("n:amina"), Count::No, t + 910).unwrap(),
        0
    );
    for _ in 0..4 {
        store
            .attempt(&slow("n:amina"), Count::Always, t + 910)
            .unwrap();
    }
    assert_eq!(
        store.attempt(&slow("n:amina"), Count::No, t + 910).unwrap(),
        2
    );
    // A success forgets the account; giving back lowers a count by one.
    store.give_back_attempts(&[], &["n:amina".into()]).unwrap();
    assert_eq!(
        store.attempt(&slow("n:amina"), Count::No, t + 910).unwrap(),
        0
    );
    for _ in 0..4 {
        store
            .attempt(&slow("a:10.0.0.1"), Count::Always, t)
            .unwrap();
    }
    assert!(store.attempt(&slow("a:10.0.0.1"), Count::No, t).unwrap() > 0);
    store
        .give_back_attempts(&["a:10.0.0.1".into()], &[])
        .unwrap();
    assert_eq!(store.attempt(&slow("a:10.0.0.1"), Count::No, t).unwrap(), 0);

    // Checked and counted in one step: the attempt that must wait counts
    // nothing, and any counter making it wait holds back all of them.
    let both = vec![
        Counter::new("n:bintu", SLOW),
        Counter::new("a:10.0.0.2", SLOW),
    ];
    let waits: Vec<i64> = (0..6)
        .map(|_| store.attempt(&both, Count::IfAllowed, t).unwrap())
        .collect();
    assert_eq!(waits, [0, 0, 0, 0, 2, 2]);
    assert_eq!(store.attempt(&slow("a:10.0.0.2"), Count::No, t).unwrap(), 2);
    assert_eq!(
        store
            .attempt(&slow("a:10.0.0.2"), Count::No, t + 2)
            .unwrap(),
        0,
        "the refused ones were not counted"
    );

    // Fixed windows: the limit, then a wait until the window ends.
    let w = vec![Counter::new("submit:10.0.0.3", WINDOW)];
    assert_eq!(store.attempt(&w, Count::Always, t).unwrap(), 0);
    assert_eq!(store.attempt(&w, Count::Always, t + 10).unwrap(), 0);
    assert_eq!(store.attempt(&w, Count::Always, t + 20).unwrap(), 40);
    assert_eq!(store.attempt(&w, Count::Always, t + 59).unwrap(), 1);
    assert_eq!(
        store.attempt(&w, Count::Always, t + 60).unwrap(),
        0,
        "a new window"
    );
    assert_eq!(store.attempt(&w, Count::No, t + 61).unwrap(), 0);

    // Attempts sent at once, from many threads as from many servers:
    // exactly the free ones and the first over them get through.
    let many = slow("n:chidi");
    let through = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..2 {
                    if store.attempt(&many, Count::IfAllowed, t).unwrap() == 0 {
                        through.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            });
        }
    });
    assert_eq!(through.into_inner(), 4);

    // The table names no account and no address, and keeps nothing past
    // its time: counting prunes what expired.
    let rows = counters(store);
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(
            !r.contains("amina") && !r.contains("10.0.0") && !r.contains(':'),
            "{r}"
        );
        assert_eq!(r.len(), 32, "{r}");
    }
    store
        .attempt(&slow("n:late"), Count::Always, t + 100_000)
        .unwrap();
    assert_eq!(counters(store).len(), 1, "expired counters are deleted");
    store.give_back_attempts(&[], &["n:late".into()]).unwrap();
    assert!(counters(store).is_empty());
}

fn counters(store: &SqlStore) -> Vec<String> {
    let mut out = Vec::new();
    store
        .backend()
        .transaction(false, &mut |c| {
            out = c
                .query("SELECT counter FROM attempt_counts", &[])?
                .iter()
                .map(|r| text(r, 0))
                .collect::<Result<_, _>>()?;
            Ok(())
        })
        .unwrap();
    out
}
