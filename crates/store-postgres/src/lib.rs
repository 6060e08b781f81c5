//! PostgreSQL backend for Haven's store, for national deployments.
//!
//! Same queries as SQLite (written with `?`, numbered here), same schema
//! reached by this crate's own migrations. Write transactions take a
//! transaction-scoped advisory lock so the audit chain keeps a single head
//! across processes; path columns use the "C" collation so prefix ranges
//! compare bytewise as in SQLite.
#![deny(missing_docs)]

use haven_store::sql::{
    int, migrate, numbered_placeholders, Backend, Cell, ColumnInfo, Conn, IndexInfo, ReadTogether,
    Row, ScanPiece, Value,
};
use haven_store::{StoreError, StoreResult};
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

mod tls;

/// The migrations, in order.
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

/// Plans each execution with its values (see `connect`).
const CUSTOM_PLANS: &str = "SET plan_cache_mode = force_custom_plan";

/// The advisory lock key that serialises writers (arbitrary, fixed).
const WRITE_LOCK: i64 = 0x4841_5645_4e00;
const POOL_SIZE: usize = 16;

/// A PostgreSQL database with a small connection pool.
pub struct PostgresBackend {
    url: String,
    pool: Mutex<Vec<Pooled>>,
    /// Behind a pooler in transaction mode (`pgbouncer=true` in the URL).
    transaction_pooling: bool,
}

/// A database URL without its password, and the password (decoded), for
/// passing the password where `ps` and logs cannot see it.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(percent_decode(password)),
    )
}

/// A database URL as it may be shown or logged: the password hidden.
pub fn redacted(url: &str) -> String {
    match split_password(url) {
        (bare, Some(_)) => match bare.split_once('@') {
            Some((user, host)) => format!("{user}:***@{host}"),
            None => bare,
        },
        (bare, None) => bare,
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn db_err(e: postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        if db.code() == &postgres::error::SqlState::UNIQUE_VIOLATION {
            return StoreError::Conflict("the record conflicts with an existing one".into());
        }
        if server_going_away(code) {
            return StoreError::Unavailable(format!("{code}: {}", db.message()));
        }
        return StoreError::Database(format!("{code}: {}", db.message()));
    }
    let lost =
        e.is_closed() || std::error::Error::source(&e).is_some_and(|c| c.is::<std::io::Error>());
    if lost {
        // The connection broke (a server stopped, a failover under way):
        // not a fault in the request, and the next connection may succeed.
        return StoreError::Unavailable(e.to_string());
    }
    StoreError::Database(e.to_string())
}

/// SQLSTATEs that mean the server cannot serve this now rather than that
/// the statement is wrong: connection exceptions (class 08), shutdown or
/// start-up (57P01-57P03), and a standby that is still read-only (25006).
fn server_going_away(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

impl PostgresBackend {
    /// Connects to `postgres://…` and runs migrations.
    pub fn open(url: &str, now: i64) -> StoreResult<PostgresBackend> {
        let backend = PostgresBackend::new(url)?;
        let c = backend.connect()?;
        backend.give_back(Pooled {
            client: c,
            statements: HashMap::new(),
        });
        migrate(&backend, MIGRATIONS, now)?;
        Ok(backend)
    }

    /// Opens a database that already holds Haven's schema; one without it is
    /// refused (a mistyped database name must not become a new, empty Haven).
    pub fn open_existing(url: &str, now: i64) -> StoreResult<PostgresBackend> {
        let backend = PostgresBackend::new(url)?;
        let mut c = backend.connect()?;
        // One simple-protocol round trip: behind a transaction-mode pooler a
        // prepared statement outside a transaction may meet another server.
        let has_schema = c
            .simple_query("SELECT to_regclass('schema_migrations') IS NOT NULL")
            .map_err(db_err)?
            .iter()
            .any(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => r.get(0) == Some("t"),
                _ => false,
            });
        if !has_schema {
            return Err(StoreError::NotFound(
                "Haven data in this PostgreSQL database".into(),
            ));
        }
        backend.give_back(Pooled {
            client: c,
            statements: HashMap::new(),
        });
        migrate(&backend, MIGRATIONS, now)?;
        Ok(backend)
    }

    /// Opens a read replica (a hot standby) for aggregate queries: no
    /// migration is run there (it could not write), but its schema must be
    /// the one this Haven migrates to, or its figures could be wrong.
    pub fn open_replica(url: &str) -> StoreResult<PostgresBackend> {
        let backend = PostgresBackend::new(url)?;
        let mut c = backend.connect()?;
        let version = c
            .simple_query(
                "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN -1 \
                 ELSE (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) END",
            )
            .map_err(db_err)?
            .iter()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    r.get(0).and_then(|v| v.parse::<i64>().ok())
                }
                _ => None,
            })
            .unwrap_or(-1);
        let wanted = MIGRATIONS.last().map_or(0, |m| m.0);
        if version != wanted {
            return Err(StoreError::Database(format!(
                "the read replica's schema is at version {version}, this Haven needs {wanted}: point the read URL at a standby of this database"
            )));
        }
        backend.give_back(Pooled {
            client: c,
            statements: HashMap::new(),
        });
        Ok(backend)
    }

    fn new(url: &str) -> StoreResult<PostgresBackend> {
        Ok(PostgresBackend {
            url: url.to_string(),
            pool: Mutex::new(Vec::new()),
            transaction_pooling: tls::settings(url)?.transaction_pooling,
        })
    }

    fn connect(&self) -> StoreResult<Client> {
        // The URL may carry a password: never include it in the message.
        let settings = tls::settings(&self.url)?;
        let connected = match settings.mode {
            tls::Mode::Clear => Client::connect(&settings.url, NoTls),
            _ => Client::connect(&settings.url, tls::connector(&settings)?),
        };
        let mut client = connected.map_err(|e| {
            // With its causes (a certificate refused, a host not found):
            // what the operator needs, never the URL.
            let mut message = format!("cannot connect to PostgreSQL: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            StoreError::Unavailable(message)
        })?;
        // Statements are prepared once per connection, but each execution is
        // planned with its values: a generic plan for range and IN conditions
        // can scan the whole registry. (Behind a pooler each transaction
        // sets it for itself instead.)
        if !self.transaction_pooling {
            client.batch_execute(CUSTOM_PLANS).map_err(db_err)?;
        }
        Ok(client)
    }

    fn take(&self) -> StoreResult<Pooled> {
        let pooled = self
            .pool
            .lock()
            .map_err(|_| StoreError::Database("pool poisoned".into()))?
            .pop();
        match pooled {
            Some(p) if !p.client.is_closed() => Ok(p),
            broken => {
                close_apart(broken.into_iter().collect());
                Ok(Pooled {
                    client: self.connect()?,
                    statements: HashMap::new(),
                })
            }
        }
    }

    fn give_back(&self, p: Pooled) {
        let kept = match self.pool.lock() {
            Ok(mut pool) if pool.len() < POOL_SIZE && !p.client.is_closed() => {
                pool.push(p);
                None
            }
            _ => Some(p),
        };
        if let Some(p) = kept {
            close_apart(vec![p]);
        }
    }
}

/// Closes connections on a thread of their own. The synchronous driver
/// closes a connection by running a small runtime of its own, which panics
/// (and, inside a destructor, aborts the process) on a thread that already
/// drives one — a web server's worker or blocking-pool thread, where a
/// connection is dropped after a failover or when the server stops.
fn close_apart(connections: Vec<Pooled>) {
    if connections.is_empty() {
        return;
    }
    let _ = std::thread::spawn(move || drop(connections)).join();
}

impl Drop for PostgresBackend {
    fn drop(&mut self) {
        let pooled = match self.pool.get_mut() {
            Ok(pool) => std::mem::take(pool),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        close_apart(pooled);
    }
}

/// A pooled connection with the statements it has prepared, so each query
/// costs one round trip instead of two.
struct Pooled {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// Most statements kept per connection (queries with IN lists vary).
const STATEMENT_CACHE: usize = 256;

/// A parameter that adapts to whatever type PostgreSQL infers for it.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => (*i as i16).to_sql(ty, out),
                Type::INT4 => (*i as i32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Statements on a transaction or, for one statement alone, on the client.
struct PgConn<'a, C: postgres::GenericClient> {
    tx: &'a mut C,
    statements: &'a mut HashMap<String, Statement>,
}

impl<C: postgres::GenericClient> PgConn<'_, C> {
    fn statement(&mut self, sql: &str) -> StoreResult<Statement> {
        let sql = numbered_placeholders(sql);
        if let Some(s) = self.statements.get(&sql) {
            return Ok(s.clone());
        }
        let stmt = self.tx.prepare(&sql).map_err(db_err)?;
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        self.statements.insert(sql, stmt.clone());
        Ok(stmt)
    }
}

fn run_params(params: &[Value]) -> Vec<Param<'_>> {
    params.iter().map(Param).collect()
}

impl<C: postgres::GenericClient> Conn for PgConn<'_, C> {
    /// Ranges of a table's pages (`ctid`), each read alone by a TID range
    /// scan (PostgreSQL 14 and later; before, each piece would scan the
    /// whole table, and none is given).
    fn scan_pieces(
        &mut self,
        table: &str,
        alias: &str,
        parts: usize,
    ) -> StoreResult<Vec<ScanPiece>> {
        let rows = self.query(
            &format!(
                "SELECT current_setting('server_version_num')::bigint, \
                 pg_relation_size('{table}') / current_setting('block_size')::bigint"
            ),
            &[],
        )?;
        let Some(row) = rows.first() else {
            return Ok(Vec::new());
        };
        let (version, pages) = (int(row, 0)?, int(row, 1)?);
        if version < 140_000 {
            return Ok(Vec::new());
        }
        let page = |n: i64| Value::from(format!("({n},0)"));
        let step = pages / parts.max(1) as i64 + 1;
        let mut pieces = Vec::new();
        let mut start = 0;
        while start < pages {
            let end = start + step;
            // The last piece is open: no row lies beyond it.
            pieces.push(if end >= pages {
                (format!("{alias}.ctid >= ?::text::tid"), vec![page(start)])
            } else {
                (
                    format!("{alias}.ctid >= ?::text::tid AND {alias}.ctid < ?::text::tid"),
                    vec![page(start), page(end)],
                )
            });
            start = end;
        }
        Ok(pieces)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> StoreResult<u64> {
        refuse_nul(params)?;
        let stmt = self.statement(sql)?;
        let ps = run_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.tx.execute(&stmt, &refs).map_err(db_err)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> StoreResult<Vec<Row>> {
        refuse_nul(params)?;
        let stmt = self.statement(sql)?;
        let ps = run_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.tx.query(&stmt, &refs).map_err(db_err)?;
        rows.iter().map(convert_row).collect()
    }

    fn for_each_row(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&[Cell<'_>]) -> StoreResult<()>,
    ) -> StoreResult<()> {
        use postgres::fallible_iterator::FallibleIterator;
        refuse_nul(params)?;
        let stmt = self.statement(sql)?;
        let ps = run_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let mut rows = self.tx.query_raw(&stmt, refs).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            f(&borrow_row(&r)?)?;
        }
        Ok(())
    }
}

/// A row's columns, borrowed: its text is not copied.
fn borrow_row(r: &postgres::Row) -> StoreResult<Vec<Cell<'_>>> {
    let mut cells = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let v = match *col.type_() {
            Type::INT8 => r
                .try_get::<_, Option<i64>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Int)),
            Type::INT4 => r
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map_or(Cell::Null, |x| Cell::Int(x as i64))),
            Type::INT2 => r
                .try_get::<_, Option<i16>>(i)
                .map(|v| v.map_or(Cell::Null, |x| Cell::Int(x as i64))),
            Type::BOOL => r
                .try_get::<_, Option<bool>>(i)
                .map(|v| v.map_or(Cell::Null, |x| Cell::Int(x as i64))),
            Type::BYTEA => r
                .try_get::<_, Option<&[u8]>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Blob)),
            _ => r
                .try_get::<_, Option<&str>>(i)
                .map(|v| v.map_or(Cell::Null, Cell::Text)),
        };
        cells.push(v.map_err(db_err)?);
    }
    Ok(cells)
}

/// PostgreSQL text cannot hold a NUL character (SQLite's can): such input
/// is the caller's mistake, answered as one, never a server error.
fn refuse_nul(params: &[Value]) -> StoreResult<()> {
    if params
        .iter()
        .any(|p| matches!(p, Value::Text(s) if s.contains('\0')))
    {
        return Err(StoreError::field(
            "input",
            "must not contain a NUL character",
        ));
    }
    Ok(())
}

fn convert_row(r: &postgres::Row) -> StoreResult<Row> {
    Ok(borrow_row(r)?.iter().map(Cell::to_value).collect())
}

impl Backend for PostgresBackend {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn transaction(
        &self,
        write: bool,
        f: &mut dyn FnMut(&mut dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut pooled = self.take()?;
        let result = (|| {
            let Pooled { client, statements } = &mut pooled;
            let mut tx = client.transaction().map_err(db_err)?;
            if self.transaction_pooling {
                tx.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")
                    .map_err(db_err)?;
            }
            if write {
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                    .map_err(db_err)?;
            }
            let r = {
                let mut conn = PgConn {
                    tx: &mut tx,
                    statements,
                };
                f(&mut conn)
            };
            if self.transaction_pooling {
                // Closed before COMMIT hands the server connection on: the
                // next transaction on it may be another Haven server's.
                statements.clear();
            }
            match r {
                Ok(()) => tx.commit().map_err(db_err),
                Err(e) => {
                    let _ = tx.rollback();
                    Err(e)
                }
            }
        })();
        self.give_back(pooled);
        result
    }

    /// Both read at REPEATABLE READ, the second in the snapshot the first
    /// exports (PostgreSQL's own way of sharing one state between
    /// sessions, as parallel `pg_dump` does).
    fn read_together(&self, f: &mut ReadTogether<'_>) -> StoreResult<()> {
        use postgres::IsolationLevel::RepeatableRead;
        let mut first = self.take()?;
        let mut second = match self.take() {
            Ok(c) => c,
            Err(e) => {
                self.give_back(first);
                return Err(e);
            }
        };
        // `None`: the snapshot could not be shared (a server or pooler
        // that refuses it), and the report reads on one connection.
        let result = (|| -> StoreResult<Option<StoreResult<()>>> {
            let Pooled {
                client: one,
                statements: one_statements,
            } = &mut first;
            let Pooled {
                client: two,
                statements: two_statements,
            } = &mut second;
            let mut one = one
                .build_transaction()
                .isolation_level(RepeatableRead)
                .read_only(true)
                .start()
                .map_err(db_err)?;
            let Ok(snapshot) = one
                .query_one("SELECT pg_export_snapshot()", &[])
                .and_then(|r| r.try_get::<_, String>(0))
            else {
                return Ok(None);
            };
            // A name the server made, checked before it is spelled into SQL.
            if !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                return Ok(None);
            }
            let mut two = two
                .build_transaction()
                .isolation_level(RepeatableRead)
                .read_only(true)
                .start()
                .map_err(db_err)?;
            if two
                .batch_execute(&format!("SET TRANSACTION SNAPSHOT '{snapshot}'"))
                .is_err()
            {
                return Ok(None);
            }
            if self.transaction_pooling {
                for tx in [&mut one, &mut two] {
                    tx.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")
                        .map_err(db_err)?;
                }
            }
            let r = f(
                &mut PgConn {
                    tx: &mut one,
                    statements: one_statements,
                },
                Some(&mut PgConn {
                    tx: &mut two,
                    statements: two_statements,
                }),
            );
            if self.transaction_pooling {
                one_statements.clear();
                two_statements.clear();
            }
            // Only read: the second ends first, while the snapshot it
            // took is still exported.
            two.commit().map_err(db_err)?;
            one.commit().map_err(db_err)?;
            Ok(Some(r))
        })();
        self.give_back(first);
        self.give_back(second);
        match result {
            Ok(Some(r)) => r,
            Ok(None) => self.transaction(false, &mut |c| f(c, None)),
            Err(e) => Err(e),
        }
    }

    fn groups_audit_entries(&self) -> bool {
        true
    }

    fn refresh_statistics(&self) -> StoreResult<()> {
        let mut pooled = self.take()?;
        let result = pooled.client.batch_execute("ANALYZE").map_err(db_err);
        self.give_back(pooled);
        result
    }

    fn read_alone(&self, f: &mut dyn FnMut(&mut dyn Conn) -> StoreResult<()>) -> StoreResult<()> {
        // Through a transaction pooler each statement may meet another
        // server connection; the statement cache is only safe in a transaction.
        if self.transaction_pooling {
            return self.transaction(false, f);
        }
        let mut pooled = self.take()?;
        let result = {
            let Pooled { client, statements } = &mut pooled;
            f(&mut PgConn {
                tx: client,
                statements,
            })
        };
        self.give_back(pooled);
        result
    }

    fn backup(&self, path: &Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists; choose a new file",
                path.display()
            )));
        }
        // Owner-only before pg_dump writes into it.
        haven_store::files::write_private_new(path, b"")
            .map_err(|e| StoreError::Database(format!("cannot create {}: {e}", path.display())))?;
        // pg_dump takes a consistent snapshot without stopping the server.
        // The password goes in its environment, never on its command line
        // (which every user of the machine can read in `ps`).
        let (url, password) = split_password(&tls::for_libpq(&self.url));
        let mut cmd = std::process::Command::new("pg_dump");
        cmd.arg("--format=custom")
            .arg("--file")
            .arg(path)
            .arg("--dbname")
            .arg(&url);
        if let Some(p) = password {
            cmd.env("PGPASSWORD", p);
        }
        let status = cmd.status().map_err(|e| {
            StoreError::Database(format!(
                "cannot run pg_dump (install postgresql-client): {e}"
            ))
        })?;
        if status.success() {
            Ok(())
        } else {
            Err(StoreError::Database(format!(
                "pg_dump failed with {status}"
            )))
        }
    }

    fn indexes(&self) -> StoreResult<Vec<IndexInfo>> {
        let mut pooled = self.take()?;
        let rows = pooled
            .client
            .query(
                "SELECT t.relname::text, ix.indisunique, \
                 array_to_string(array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') \
                 FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
                 WHERE n.nspname = current_schema() AND NOT ix.indisprimary",
                &[],
            )
            .map_err(db_err);
        self.give_back(pooled);
        let mut out = Vec::new();
        for r in rows? {
            out.push(IndexInfo {
                table: r.try_get(0).map_err(db_err)?,
                unique: r.try_get(1).map_err(db_err)?,
                columns: r.try_get(2).map_err(db_err)?,
            });
        }
        out.sort();
        Ok(out)
    }

    fn columns(&self) -> StoreResult<Vec<ColumnInfo>> {
        let mut pooled = self.take()?;
        let rows = pooled
            .client
            .query(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                &[],
            )
            .map_err(db_err);
        self.give_back(pooled);
        let mut out = Vec::new();
        for r in rows? {
            let ty: String = r.try_get(2).map_err(db_err)?;
            let kind = match ty.as_str() {
                "bigint" | "integer" | "smallint" => "integer",
                "bytea" => "blob",
                _ => "text",
            };
            let nullable: String = r.try_get(3).map_err(db_err)?;
            out.push(ColumnInfo {
                table: r.try_get(0).map_err(db_err)?,
                column: r.try_get(1).map_err(db_err)?,
                kind: kind.into(),
                nullable: nullable == "YES",
            });
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        let (url, pw) =
            split_password("postgres://haven:s%40cret:x@db.example:5432/haven?sslmode=require");
        assert_eq!(
            url,
            "postgres://haven@db.example:5432/haven?sslmode=require"
        );
        assert_eq!(pw.as_deref(), Some("s@cret:x"));
        assert_eq!(
            split_password("postgres://haven@db/h"),
            ("postgres://haven@db/h".to_string(), None)
        );
        assert_eq!(
            redacted("postgres://haven:s3cret@db/h"),
            "postgres://haven:***@db/h"
        );
        assert!(!redacted("postgresql://u:pw@h/d").contains("pw"));
    }
}
