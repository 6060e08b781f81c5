//! What a backend promises a report read on two connections at once
//! ([`Backend::read_together`], [`Conn::scan_pieces`]).

use crate::sql::{Backend, Conn, Value};

fn count(c: &mut dyn Conn) -> i64 {
    match c
        .query("SELECT count(*) FROM locations", &[])
        .expect("count")
        .first()
        .and_then(|r| r.first())
    {
        Some(Value::Int(n)) => *n,
        other => panic!("{other:?}"),
    }
}

fn add_place(backend: &dyn Backend, code: &str) {
    backend
        .transaction(true, &mut |w| {
            w.execute(
                "INSERT INTO locations (code, name, parent, level, path) VALUES (?, 'Added', NULL, 'country', ?)",
                &[code.into(), format!("/{code}/").into()],
            )?;
            Ok(())
        })
        .expect("insert");
}

/// Runs the checks on a fresh database's backend.
pub fn run_reading_together(backend: &dyn Backend) {
    the_two_readers_see_one_state(backend);
    a_table_read_in_pieces_gives_every_row_once(backend);
}

/// A report reads its children on one connection and its other rows on
/// a second, on another core: the two must see one and the same state,
/// even when a write commits while they read.
fn the_two_readers_see_one_state(backend: &dyn Backend) {
    let mut before = 0;
    backend
        .transaction(false, &mut |c| {
            before = count(c);
            Ok(())
        })
        .expect("read");
    let mut seen = Vec::new();
    backend
        .read_together(&mut |first, second| {
            let second = second.expect("the backend gives a second connection");
            // Committed after both began, before either read a row.
            add_place(backend, "ZZ");
            let (a, b) = std::thread::scope(|s| {
                let b = s.spawn(move || count(second));
                (count(first), b.join().expect("second reader"))
            });
            seen = vec![a, b];
            Ok(())
        })
        .expect("read together");
    assert_eq!(seen, [before, before]);
    // The write itself committed, and later reads see it.
    backend
        .read_together(&mut |first, second| {
            seen = vec![count(first), count(second.expect("second"))];
            Ok(())
        })
        .expect("read together");
    assert_eq!(seen, [before + 1, before + 1]);
}

/// The pieces a table is read in hold every row once, whatever gaps
/// deleted rows left.
fn a_table_read_in_pieces_gives_every_row_once(backend: &dyn Backend) {
    backend
        .transaction(true, &mut |c| {
            c.execute("DELETE FROM locations", &[])?;
            Ok(())
        })
        .expect("empty");
    // An empty table has no pieces: it is read whole.
    backend
        .transaction(false, &mut |c| {
            assert!(c.scan_pieces("children", "x", 16)?.is_empty());
            Ok(())
        })
        .expect("pieces");
    for n in 0..300 {
        add_place(backend, &format!("P{n}"));
    }
    backend
        .transaction(true, &mut |c| {
            c.execute(
                "DELETE FROM locations WHERE code IN ('P0', 'P7', 'P8', 'P9', 'P299') OR code LIKE 'P1__'",
                &[],
            )?;
            Ok(())
        })
        .expect("delete");
    let mut expected: Vec<String> = (1..299)
        .filter(|n| ![7, 8, 9].contains(n) && !(100..200).contains(n))
        .map(|n| format!("P{n}"))
        .collect();
    expected.sort();
    for parts in [1, 3, 16, 1000] {
        let mut read: Vec<String> = Vec::new();
        backend
            .transaction(false, &mut |c| {
                let pieces = c.scan_pieces("locations", "l", parts)?;
                // SQLite cuts by row, PostgreSQL by page: a few pieces
                // at most either way, or one read of the whole table.
                assert!(pieces.len() <= parts + 1, "{parts}: {}", pieces.len());
                let pieces = if pieces.is_empty() {
                    vec![("1 = 1".to_string(), Vec::new())]
                } else {
                    pieces
                };
                for (condition, params) in pieces {
                    for r in c.query(
                        &format!("SELECT l.code FROM locations l WHERE {condition}"),
                        &params,
                    )? {
                        match r.first() {
                            Some(Value::Text(code)) => read.push(code.clone()),
                            other => panic!("{other:?}"),
                        }
                    }
                }
                Ok(())
            })
            .expect("read in pieces");
        read.sort();
        assert_eq!(read, expected, "{parts} pieces");
    }
}
