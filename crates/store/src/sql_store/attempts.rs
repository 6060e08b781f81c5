//! Attempt counters (see [`crate::attempts`]), kept in `attempt_counts`
//! so that every server on the database counts together.

use super::SqlStore;
use crate::attempts::{Count, Counted, Counter, Rule};
use crate::error::StoreResult;
use crate::sql::{int, Conn};

/// The counter's stored state, if it has one.
fn read(c: &mut dyn Conn, hashed: &str) -> StoreResult<Option<Counted>> {
    let rows = c.query(
        "SELECT first_at, last_at, hits FROM attempt_counts WHERE counter = ?",
        &[hashed.into()],
    )?;
    rows.first()
        .map(|r| {
            Ok(Counted {
                started: int(r, 0)?,
                last: int(r, 1)?,
                count: u32::try_from(int(r, 2)?.max(0)).unwrap_or(u32::MAX),
            })
        })
        .transpose()
}

/// Counts one event in one statement: a fresh counter when there was
/// none or its time had passed, else one more.
fn count_one(c: &mut dyn Conn, hashed: &str, rule: Rule, now: i64) -> StoreResult<()> {
    let fresh = rule.expires(&Counted {
        started: now,
        last: now,
        count: 1,
    });
    // A run of failures is forgotten a while after the last one; a
    // window ends a fixed time after it began.
    let expires = match rule {
        Rule::Slow { .. } => "CAST(? AS BIGINT)",
        Rule::Window { .. } => {
            "CASE WHEN attempt_counts.expires_at <= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE attempt_counts.expires_at END"
        }
    };
    let sql = format!(
        "INSERT INTO attempt_counts (counter, first_at, last_at, hits, expires_at) VALUES (?, ?, ?, 1, ?) \
         ON CONFLICT (counter) DO UPDATE SET \
         hits = CASE WHEN attempt_counts.expires_at <= CAST(? AS BIGINT) THEN 1 ELSE attempt_counts.hits + 1 END, \
         first_at = CASE WHEN attempt_counts.expires_at <= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE attempt_counts.first_at END, \
         last_at = CAST(? AS BIGINT), \
         expires_at = {expires}"
    );
    let mut params = vec![
        hashed.into(),
        now.into(),
        now.into(),
        fresh.into(),
        now.into(),
        now.into(),
        now.into(),
        now.into(),
    ];
    match rule {
        Rule::Slow { .. } => params.push(fresh.into()),
        Rule::Window { .. } => {
            params.push(now.into());
            params.push(fresh.into());
        }
    }
    c.execute(&sql, &params)?;
    Ok(())
}

impl SqlStore {
    pub(crate) fn do_attempt(
        &self,
        counters: &[Counter],
        count: Count,
        now: i64,
    ) -> StoreResult<i64> {
        let hashed: Vec<(String, Rule)> = counters
            .iter()
            .map(|k| (self.keys.attempt_counter(&k.key), k.rule))
            .collect();
        // Write transactions are serialised (one at a time on SQLite, the
        // write lock on PostgreSQL): the check and the count are one step
        // for every server on the database.
        self.tx(count != Count::No, |c| {
            let mut wait = 0i64;
            for (h, rule) in &hashed {
                if let Some(k) = read(c, h)? {
                    wait = wait.max(rule.wait(&k, now));
                }
            }
            let counting = match count {
                Count::No => false,
                Count::IfAllowed => wait == 0,
                Count::Always => true,
            };
            if counting {
                c.execute(
                    "DELETE FROM attempt_counts WHERE expires_at <= ?",
                    &[now.into()],
                )?;
                for (h, rule) in &hashed {
                    count_one(c, h, *rule, now)?;
                }
            }
            Ok(wait)
        })
    }

    pub(crate) fn do_give_back_attempts(
        &self,
        lower: &[String],
        forget: &[String],
    ) -> StoreResult<()> {
        let lower: Vec<String> = lower.iter().map(|k| self.keys.attempt_counter(k)).collect();
        let forget: Vec<String> = forget
            .iter()
            .map(|k| self.keys.attempt_counter(k))
            .collect();
        self.tx(true, |c| {
            for h in &lower {
                c.execute(
                    "UPDATE attempt_counts SET hits = hits - 1 WHERE counter = ? AND hits > 0",
                    &[h.as_str().into()],
                )?;
            }
            for h in &forget {
                c.execute(
                    "DELETE FROM attempt_counts WHERE counter = ?",
                    &[h.as_str().into()],
                )?;
            }
            Ok(())
        })
    }
}
