//! SQLite backend for Haven's store: the embedded default, one file on an
//! office laptop.
//!
//! WAL journal so readers never wait for the writer (the log copied back
//! and bounded by a thread of its own), a busy handler so concurrent
//! writers queue instead of failing, `synchronous=NORMAL` (durable
//! at checkpoints, safe against corruption), foreign keys on. Writes use
//! `BEGIN IMMEDIATE`, which serialises writers up front, so the audit chain
//! always has a single head. Connections are pooled.
#![deny(missing_docs)]

use haven_store::sql::{
    migrate, Backend, Cell, ColumnInfo, Conn, IndexInfo, ReadTogether, Row, ScanPiece, Value,
};
use haven_store::{StoreError, StoreResult};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::borrow::Borrow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod checkpointer;
mod writer_queue;
use writer_queue::WriterQueue;

/// The migrations, in order; the PostgreSQL backend reaches the same schema.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_registry.sql")),
    (2, include_str!("../migrations/0002_lists.sql")),
    (3, include_str!("../migrations/0003_assessments.sql")),
    (4, include_str!("../migrations/0004_casework.sql")),
    (5, include_str!("../migrations/0005_reports.sql")),
    (6, include_str!("../migrations/0006_hardening.sql")),
    (7, include_str!("../migrations/0007_index_versions.sql")),
    (8, include_str!("../migrations/0008_hash_changes.sql")),
    (9, include_str!("../migrations/0009_user_language.sql")),
    (10, include_str!("../migrations/0010_second_factor.sql")),
    (11, include_str!("../migrations/0011_administration.sql")),
    (
        12,
        include_str!("../migrations/0012_hotline_recipients.sql"),
    ),
    (13, include_str!("../migrations/0013_report_actions.sql")),
    (14, include_str!("../migrations/0014_assessment_notes.sql")),
    (15, include_str!("../migrations/0015_user_contact.sql")),
    (16, include_str!("../migrations/0016_assessment_order.sql")),
    (
        17,
        include_str!("../migrations/0017_shared_limits_and_request_ids.sql"),
    ),
    (19, include_str!("../migrations/0019_sealed_findings.sql")),
    (20, include_str!("../migrations/0020_exchange.sql")),
    (
        25,
        include_str!("../migrations/0025_exploitation_and_population.sql"),
    ),
    (26, include_str!("../migrations/0026_public_indicators.sql")),
    (27, include_str!("../migrations/0027_logframes.sql")),
    (28, include_str!("../migrations/0028_readiness.sql")),
    (29, include_str!("../migrations/0029_alerts.sql")),
    (30, include_str!("../migrations/0030_statistics.sql")),
    (
        32,
        include_str!("../migrations/0032_audit_heads_and_key_rotation.sql"),
    ),
    (33, include_str!("../migrations/0033_field_nodes.sql")),
    (
        34,
        include_str!("../migrations/0034_readiness_instruments.sql"),
    ),
    (
        35,
        include_str!("../migrations/0035_statistics_withdrawn.sql"),
    ),
    (
        36,
        include_str!("../migrations/0036_identifier_collation.sql"),
    ),
    (
        37,
        include_str!("../migrations/0037_laptop_credentials.sql"),
    ),
    (38, include_str!("../migrations/0038_field_outbox.sql")),
    (
        39,
        include_str!("../migrations/0039_field_outbox_numbers.sql"),
    ),
    (40, include_str!("../migrations/0040_field_audit.sql")),
    (
        41,
        include_str!("../migrations/0041_child_reference_collation.sql"),
    ),
    (
        42,
        include_str!("../migrations/0042_assessment_order_in_time.sql"),
    ),
    (43, include_str!("../migrations/0043_refusal_codes.sql")),
    (
        44,
        include_str!("../migrations/0044_field_incoming_referrals.sql"),
    ),
    (45, include_str!("../migrations/0045_first_assessment.sql")),
    (46, include_str!("../migrations/0046_checkout_deltas.sql")),
    (
        47,
        include_str!("../migrations/0047_plain_minority_groups.sql"),
    ),
    (48, include_str!("../migrations/0048_report_reads.sql")),
];

/// The write-ahead log is restarted once it grows past this (bytes).
pub const DEFAULT_WAL_LIMIT: u64 = 64 * 1024 * 1024;

/// Each connection's page cache, in KiB, unless a bulk command asks for
/// more: bounded for an old laptop that serves all day.
pub const DEFAULT_CACHE_KIB: i64 = 8_000;

/// Most idle connections kept.
const POOL_SIZE: usize = 64;

/// A SQLite database file with a small connection pool.
pub struct SqliteBackend {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    /// Writers in this process queue here, in arrival order, rather than in
    /// SQLite's busy handler, whose sleeps and retries make latency spiky
    /// under load.
    writer: WriterQueue,
    /// The thread that copies the log back and keeps it bounded.
    checkpointing: std::sync::Arc<checkpointer::Checkpointing>,
    /// See [`DEFAULT_CACHE_KIB`].
    cache_kib: i64,
}

impl Drop for SqliteBackend {
    fn drop(&mut self) {
        self.checkpointing.stop();
        // Leave a small WAL behind, so the next start opens quickly.
        if let Ok(c) = self.take() {
            let _ = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

/// How long a connection waits for a lock another one holds (another
/// process's writer, or the checkpoint that bounds the log) before the
/// request fails as busy.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// SQLite's busy handler when the database is locked: waits in steps of a
/// fraction of a millisecond, growing to 2 ms. SQLite's own `busy_timeout`
/// sleeps 1, 2, 5, 10... up to 100 ms at a time, so a lock held for 3 ms
/// (a checkpoint waiting for the readers of the moment) could keep a
/// writer waiting 20 ms and every writer queued behind it longer still:
/// that was the slowest percent of registrations under load.
pub(crate) fn wait_briefly(attempt: i32) -> bool {
    let step_us = (50u64 << attempt.clamp(0, 6)).min(2_000);
    // Steps after the first few are 2 ms: the attempt count bounds the wait.
    if attempt as u64 * 2_000 > BUSY_WAIT.as_micros() as u64 {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_micros(step_us));
    true
}

/// [`wait_briefly`] for a tenth of a second at most: for what can do
/// without the lock (a report, which then reads on one connection).
fn wait_a_moment(attempt: i32) -> bool {
    attempt < 50 && wait_briefly(attempt)
}

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl SqliteBackend {
    /// Opens (creating if needed) the database file and runs migrations.
    pub fn open(path: &Path, now: i64) -> StoreResult<SqliteBackend> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        // Owner-only before SQLite opens it: its WAL and shared-memory files
        // take the database file's mode.
        haven_store::files::ensure_private_file(path)
            .map_err(|e| StoreError::Database(format!("cannot create {}: {e}", path.display())))?;
        let backend = SqliteBackend {
            path: path.to_path_buf(),
            pool: Mutex::new(Vec::new()),
            writer: WriterQueue::default(),
            checkpointing: checkpointer::Checkpointing::new(DEFAULT_WAL_LIMIT),
            cache_kib: DEFAULT_CACHE_KIB,
        };
        let first = backend.connect()?;
        first
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(db_err)?;
        backend.give_back(first);
        migrate(&backend, MIGRATIONS, now)?;
        backend.checkpointing.start(path.to_path_buf());
        Ok(backend)
    }

    /// Gives each connection `mib` MiB of page cache instead of
    /// [`DEFAULT_CACHE_KIB`]: for a command that writes hundreds of
    /// thousands of rows with random keys at once (`haven demo`). Random
    /// keys (name tokens, ids) touch every page of an index in each
    /// transaction; with a small cache each page is spilled to the log and
    /// written again many times (measured: 100,000 children in 23 s with 8
    /// MB, 16 s with 256 MB).
    pub fn with_page_cache_mib(mut self, mib: i64) -> SqliteBackend {
        self.cache_kib = mib.max(1) * 1024;
        // Pooled connections were opened with the old size.
        if let Ok(mut pool) = self.pool.lock() {
            pool.clear();
        }
        self
    }

    /// Keeps the write-ahead log under `bytes` (plus one transaction)
    /// instead of [`DEFAULT_WAL_LIMIT`].
    pub fn with_wal_limit(self, bytes: u64) -> SqliteBackend {
        self.checkpointing.set_limit(bytes);
        self
    }

    fn connect(&self) -> StoreResult<Connection> {
        let c = Connection::open(&self.path).map_err(|e| {
            StoreError::Database(format!("cannot open {}: {e}", self.path.display()))
        })?;
        c.busy_handler(Some(wait_briefly)).map_err(db_err)?;
        c.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        // Purged and replaced records leave no readable bytes in free pages.
        c.pragma_update(None, "secure_delete", "ON")
            .map_err(db_err)?;
        c.pragma_update(None, "foreign_keys", "ON")
            .map_err(db_err)?;
        // 8 MB of page cache by default (an old laptop serving all day);
        // bulk commands ask for more (`with_page_cache_mib`).
        c.pragma_update(None, "cache_size", -self.cache_kib)
            .map_err(db_err)?;
        // Checkpoints run in the background thread, not in committing writers.
        c.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(db_err)?;
        c.set_prepared_statement_cache_capacity(64);
        Ok(c)
    }

    fn take(&self) -> StoreResult<Connection> {
        let pooled = self
            .pool
            .lock()
            .map_err(|_| StoreError::Database("pool poisoned".into()))?
            .pop();
        match pooled {
            Some(c) => Ok(c),
            None => self.connect(),
        }
    }

    /// Two connections, each in a read transaction over one and the same
    /// state; `None` when the write lock that makes sure of it cannot be
    /// had (a file opened read-only, a long write from another process).
    fn two_readers_at_one_state(&self) -> StoreResult<Option<(Connection, Connection)>> {
        // Each reader's state is fixed by its first read. No write can
        // commit between the two first reads while the write lock is
        // held, and it is held for that moment only. In this process the
        // lock is had in turn with the writers (polling for it could lose
        // to a stream of short writes for the whole busy wait); held by
        // another process, it is waited for a moment only, and past that
        // the report reads on one connection.
        let Some(_turn) = self.writer.turn() else {
            return Ok(None);
        };
        let lock = self.take()?;
        lock.busy_handler(Some(wait_a_moment)).map_err(db_err)?;
        let locked = lock.execute_batch("BEGIN IMMEDIATE").is_ok();
        // A connection left with the short wait is not pooled.
        let restored = lock.busy_handler(Some(wait_briefly)).is_ok();
        if !locked {
            if restored && lock.is_autocommit() {
                self.give_back(lock);
            }
            return Ok(None);
        }
        let start_reading = || -> StoreResult<Connection> {
            let c = self.take()?;
            c.execute_batch("BEGIN").map_err(db_err)?;
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                .map_err(db_err)?;
            Ok(c)
        };
        let readers = start_reading().and_then(|a| Ok((a, start_reading()?)));
        // Nothing was written under the lock.
        if lock.execute_batch("ROLLBACK").is_ok() && restored {
            self.give_back(lock);
        }
        readers.map(Some)
    }

    fn give_back(&self, c: Connection) {
        if let Ok(mut pool) = self.pool.lock() {
            if pool.len() < POOL_SIZE {
                pool.push(c);
            }
        }
    }
}

/// A connection as the store's code uses it: borrowed, for a transaction
/// on this thread, or owned, for a report's second reader on another (a
/// borrowed rusqlite connection cannot cross threads).
struct SqliteConn<C: Borrow<Connection>>(C);

/// A parameter bound by reference: text and blobs go to SQLite without a
/// copy (a million-entry import binds tens of millions of them).
struct Param<'a>(&'a Value);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput;
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn bind(params: &[Value]) -> impl Iterator<Item = Param<'_>> {
    params.iter().map(Param)
}

impl<C: Borrow<Connection>> Conn for SqliteConn<C> {
    /// Ranges of rowids: a table is stored in rowid order, so each range
    /// is read as a stretch of its pages.
    fn scan_pieces(
        &mut self,
        table: &str,
        alias: &str,
        parts: usize,
    ) -> StoreResult<Vec<ScanPiece>> {
        let (low, high): (Option<i64>, Option<i64>) = self
            .0
            .borrow()
            .query_row(
                &format!("SELECT min(rowid), max(rowid) FROM {table}"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(db_err)?;
        let (Some(low), Some(high)) = (low, high) else {
            return Ok(Vec::new());
        };
        // In i128: rowids may span the whole of i64. The last piece is
        // open, so that no row lies beyond it.
        let (low, high) = (i128::from(low), i128::from(high));
        let step = (high - low) / parts.max(1) as i128 + 1;
        let rowid = |n: i128| Value::Int(n as i64);
        let mut pieces = Vec::new();
        let mut start = low;
        while start <= high {
            let end = start + step;
            if end > high {
                pieces.push((format!("{alias}.rowid >= ?"), vec![rowid(start)]));
                break;
            }
            pieces.push((
                format!("{alias}.rowid >= ? AND {alias}.rowid < ?"),
                vec![rowid(start), rowid(end)],
            ));
            start = end;
        }
        Ok(pieces)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> StoreResult<u64> {
        let mut stmt = self.0.borrow().prepare_cached(sql).map_err(db_err)?;
        let n = stmt
            .execute(rusqlite::params_from_iter(bind(params)))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Conflict("the record conflicts with an existing one".into())
                }
                other => db_err(other),
            })?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> StoreResult<Vec<Row>> {
        let mut out = Vec::new();
        self.for_each_row(sql, params, &mut |r| {
            out.push(r.iter().map(Cell::to_value).collect());
            Ok(())
        })?;
        Ok(out)
    }

    fn for_each_row(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&[Cell<'_>]) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut stmt = self.0.borrow().prepare_cached(sql).map_err(db_err)?;
        let ncols = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(bind(params)))
            .map_err(db_err)?;
        // The cells of a row sit on the stack: no allocation a row.
        const ON_STACK: usize = 16;
        while let Some(r) = rows.next().map_err(db_err)? {
            let mut cells = [Cell::Null; ON_STACK];
            let mut wide;
            let row: &mut [Cell<'_>] = if ncols <= ON_STACK {
                &mut cells[..ncols]
            } else {
                wide = vec![Cell::Null; ncols];
                &mut wide
            };
            for (i, cell) in row.iter_mut().enumerate() {
                *cell = match r.get_ref(i).map_err(db_err)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(f) => Cell::Int(f as i64),
                    ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|_| {
                        StoreError::Database(format!("column {i} holds text that is not UTF-8"))
                    })?),
                    ValueRef::Blob(b) => Cell::Blob(b),
                };
            }
            f(row)?;
        }
        Ok(())
    }
}

impl Backend for SqliteBackend {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn transaction(
        &self,
        write: bool,
        f: &mut dyn FnMut(&mut dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let conn = self.take()?;
        let _writer = if write {
            Some(
                self.writer
                    .turn()
                    .ok_or_else(|| StoreError::Database("writer queue poisoned".into()))?,
            )
        } else {
            None
        };
        let begin = if write { "BEGIN IMMEDIATE" } else { "BEGIN" };
        let result = conn.execute_batch(begin).map_err(db_err).and_then(|_| {
            let r = f(&mut SqliteConn(&conn));
            match r {
                Ok(()) => conn.execute_batch("COMMIT").map_err(db_err).map(|()| {
                    if write {
                        self.checkpointing.wake();
                    }
                }),
                Err(e) => {
                    // The rollback's own failure would hide the real error.
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        });
        if conn.is_autocommit() {
            self.give_back(conn);
        }
        result
    }

    fn read_together(&self, f: &mut ReadTogether<'_>) -> StoreResult<()> {
        let Some((first, second)) = self.two_readers_at_one_state()? else {
            return self.transaction(false, &mut |c| f(c, None));
        };
        let mut second = SqliteConn(second);
        let result = f(&mut SqliteConn(&first), Some(&mut second));
        for c in [first, second.0] {
            // Only read: ending the transactions loses nothing.
            if c.execute_batch("COMMIT").is_ok() && c.is_autocommit() {
                self.give_back(c);
            }
        }
        result
    }

    fn backup(&self, path: &Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists; choose a new file",
                path.display()
            )));
        }
        // An empty owner-only file, which VACUUM INTO fills and keeps private.
        haven_store::files::write_private_new(path, b"")
            .map_err(|e| StoreError::Database(format!("cannot create {}: {e}", path.display())))?;
        let conn = self.take()?;
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Database("backup path is not valid UTF-8".into()))?;
        // VACUUM INTO writes a consistent, compacted copy while others keep working.
        let r = conn
            .execute("VACUUM INTO ?1", [target])
            .map(|_| ())
            .map_err(db_err);
        self.give_back(conn);
        if r.is_err() {
            let _ = std::fs::remove_file(path);
        }
        r
    }

    fn indexes(&self) -> StoreResult<Vec<IndexInfo>> {
        let conn = self.take()?;
        let result = (|| {
            let mut out = Vec::new();
            let tables: Vec<String> = {
                let mut stmt = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .map_err(db_err)?;
                let names = stmt.query_map([], |r| r.get(0)).map_err(db_err)?;
                names.collect::<Result<_, _>>().map_err(db_err)?
            };
            for t in tables {
                let list: Vec<(String, i64, String)> = {
                    let mut stmt = conn
                        .prepare(&format!("PRAGMA index_list({t})"))
                        .map_err(db_err)?;
                    let rows = stmt
                        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))
                        .map_err(db_err)?;
                    rows.collect::<Result<_, _>>().map_err(db_err)?
                };
                for (name, unique, origin) in list {
                    if origin == "pk" {
                        continue;
                    }
                    let mut stmt = conn
                        .prepare(&format!("PRAGMA index_info({name})"))
                        .map_err(db_err)?;
                    let cols: Vec<(i64, String)> = stmt
                        .query_map([], |r| Ok((r.get(0)?, r.get(2)?)))
                        .map_err(db_err)?
                        .collect::<Result<_, _>>()
                        .map_err(db_err)?;
                    let mut cols = cols;
                    cols.sort();
                    out.push(IndexInfo {
                        table: t.clone(),
                        columns: cols
                            .into_iter()
                            .map(|(_, c)| c)
                            .collect::<Vec<_>>()
                            .join(","),
                        unique: unique != 0,
                    });
                }
            }
            out.sort();
            Ok(out)
        })();
        self.give_back(conn);
        result
    }

    fn columns(&self) -> StoreResult<Vec<ColumnInfo>> {
        let conn = self.take()?;
        let mut out = Vec::new();
        let tables: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .map_err(db_err)?;
            let names = stmt.query_map([], |r| r.get(0)).map_err(db_err)?;
            names.collect::<Result<_, _>>().map_err(db_err)?
        };
        for t in tables {
            let mut stmt = conn
                .prepare(&format!("PRAGMA table_info({t})"))
                .map_err(db_err)?;
            let cols = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(5)?,
                    ))
                })
                .map_err(db_err)?;
            for c in cols {
                let (name, ty, notnull, pk) = c.map_err(db_err)?;
                let kind = match ty.to_ascii_uppercase().as_str() {
                    "INTEGER" | "BIGINT" => "integer",
                    "BLOB" => "blob",
                    _ => "text",
                };
                out.push(ColumnInfo {
                    table: t.clone(),
                    column: name,
                    kind: kind.into(),
                    nullable: notnull == 0 && pk == 0,
                });
            }
        }
        self.give_back(conn);
        out.sort();
        Ok(out)
    }
}
