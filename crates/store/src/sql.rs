//! The small interface each database backend implements: connections that
//! execute parameterised SQL inside transactions. Queries are written once
//! with `?` placeholders; a backend rewrites them for its driver.

use crate::error::{StoreError, StoreResult};
use std::path::Path;

/// A parameter or column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (also booleans, as 0 and 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes (encrypted fields, blind-index tokens).
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v as i64)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A result row.
pub type Row = Vec<Value>;

/// A column value borrowed from the row a scan is on: a scan of millions
/// of rows reads its text without copying each cell into a new string
/// (at a million children, the copies and their freeing were a quarter of
/// a national report's time).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// SQL NULL.
    Null,
    /// An integer (also booleans, as 0 and 1).
    Int(i64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl Value {
    /// This value, borrowed.
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Value::Null => Cell::Null,
            Value::Int(v) => Cell::Int(*v),
            Value::Text(t) => Cell::Text(t),
            Value::Blob(b) => Cell::Blob(b),
        }
    }
}

impl Cell<'_> {
    /// This value, owned.
    pub fn to_value(&self) -> Value {
        match *self {
            Cell::Null => Value::Null,
            Cell::Int(v) => Value::Int(v),
            Cell::Text(t) => Value::Text(t.to_string()),
            Cell::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

/// A column of a row, read owned ([`Value`]) or borrowed ([`Cell`]), so
/// that the row readers below serve both.
pub trait Column {
    /// The column, borrowed.
    fn cell(&self) -> Cell<'_>;
}

impl Column for Value {
    fn cell(&self) -> Cell<'_> {
        Value::cell(self)
    }
}

impl Column for Cell<'_> {
    fn cell(&self) -> Cell<'_> {
        *self
    }
}

/// One database connection inside a transaction.
pub trait Conn {
    /// Runs a statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> StoreResult<u64>;
    /// Runs a query and returns all rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> StoreResult<Vec<Row>>;
    /// Runs a query and hands each row to `f` as it comes, so that a scan
    /// of a million rows is never held whole in memory.
    fn for_each_row(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&[Cell<'_>]) -> StoreResult<()>,
    ) -> StoreResult<()> {
        for r in self.query(sql, params)? {
            let cells: Vec<Cell<'_>> = r.iter().map(Value::cell).collect();
            f(&cells)?;
        }
        Ok(())
    }
    /// Conditions that cut a scan of `table` (named `alias` in the query)
    /// into about `parts` pieces of neighbouring rows, each as cheap to
    /// read alone as its share of the whole scan, with their parameters:
    /// for reading one table on several connections at once. None where
    /// the backend has no such cut. `table` and `alias` are names from
    /// Haven's own queries, never input.
    fn scan_pieces(
        &mut self,
        table: &str,
        alias: &str,
        parts: usize,
    ) -> StoreResult<Vec<ScanPiece>> {
        let _ = (table, alias, parts);
        Ok(Vec::new())
    }
    /// The keyed audit chain this transaction appends to. Only the store's
    /// own transactions carry one, so an audit entry cannot be written
    /// without the key (it fails instead).
    fn audit_chain(&mut self) -> Option<&mut crate::audit::AuditChain> {
        None
    }
}

/// A table's column as both backends must have it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    /// Table name.
    pub table: String,
    /// Column name.
    pub column: String,
    /// `integer`, `text` or `blob`.
    pub kind: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
}

/// An index as both backends must have it (its name aside).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    /// Table name.
    pub table: String,
    /// The indexed columns, in order, comma-separated.
    pub columns: String,
    /// Whether it is unique.
    pub unique: bool,
}

/// A condition keeping a piece of a table's rows, with its parameters
/// (see [`Conn::scan_pieces`]).
pub type ScanPiece = (String, Vec<Value>);

/// What reads with two connections at once (see
/// [`Backend::read_together`]): the first, and the second for another
/// thread when the backend gives one.
pub type ReadTogether<'a> =
    dyn FnMut(&mut dyn Conn, Option<&mut (dyn Conn + Send)>) -> StoreResult<()> + 'a;

/// A database backend.
pub trait Backend: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn name(&self) -> &'static str;
    /// Runs `f` in one transaction. Write transactions are serialised with
    /// each other (so the audit chain has one head) and committed only if
    /// `f` succeeds.
    fn transaction(
        &self,
        write: bool,
        f: &mut dyn FnMut(&mut dyn Conn) -> StoreResult<()>,
    ) -> StoreResult<()>;
    /// Runs `f`, which reads with one statement, on its own: a single
    /// statement sees one consistent state by itself, so a backend reached
    /// over the network may skip the round trips of BEGIN and COMMIT (the
    /// lookups made on every request: the caller's token, the record read).
    fn read_alone(&self, f: &mut dyn FnMut(&mut dyn Conn) -> StoreResult<()>) -> StoreResult<()> {
        self.transaction(false, f)
    }
    /// Runs `f` in a read transaction, with a second connection reading
    /// the very same state in its own, for another thread: a report over
    /// a million children reads them on one core while its other rows
    /// are read on another. A backend that cannot give two connections
    /// one state gives no second one, and `f` reads on one.
    fn read_together(&self, f: &mut ReadTogether<'_>) -> StoreResult<()> {
        self.transaction(false, &mut |c| f(c, None))
    }
    /// Whether audit entries that stand alone (a read, a refusal) are
    /// written in groups, one commit for all those waiting: worth it where
    /// each commit waits for the network and the server's disk. On an
    /// embedded file a commit costs less than gathering a group (measured
    /// on SQLite: 4,300 audited reads a second in one transaction each,
    /// 3,150 grouped).
    fn groups_audit_entries(&self) -> bool {
        false
    }
    /// Brings the query planner's statistics up to date after many rows
    /// were written at once (a bulk load). PostgreSQL's autovacuum would do
    /// it within a minute or so; until then its plans for the new rows are
    /// guesses (measured: registrations at p99 0.9-1.8 s after loading
    /// 100,000 children in 40 s, 95-99 ms once analysed). SQLite keeps no
    /// statistics unless asked, and Haven does not ask: nothing to do.
    fn refresh_statistics(&self) -> StoreResult<()> {
        Ok(())
    }
    /// Writes a consistent online copy of the database to `path`.
    fn backup(&self, path: &Path) -> StoreResult<()>;
    /// The schema as reached by the migrations, for the same-schema check.
    fn columns(&self) -> StoreResult<Vec<ColumnInfo>>;
    /// The indexes and unique constraints (primary keys aside), for the
    /// same-schema check: a query fast on one backend must not scan on the
    /// other, and a rule kept by a unique index must hold on both.
    fn indexes(&self) -> StoreResult<Vec<IndexInfo>>;
}

/// Reads a column as text.
pub fn text<C: Column>(row: &[C], i: usize) -> StoreResult<String> {
    text_ref(row, i).map(str::to_string)
}

/// Reads a column as text, borrowed.
pub fn text_ref<C: Column>(row: &[C], i: usize) -> StoreResult<&str> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Text(s)) => Ok(s),
        other => Err(StoreError::Database(format!(
            "column {i}: expected text, got {other:?}"
        ))),
    }
}

/// Reads a column as optional text.
pub fn opt_text<C: Column>(row: &[C], i: usize) -> StoreResult<Option<String>> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Null) => Ok(None),
        _ => text(row, i).map(Some),
    }
}

/// Reads a column as an integer.
pub fn int<C: Column>(row: &[C], i: usize) -> StoreResult<i64> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Int(v)) => Ok(v),
        other => Err(StoreError::Database(format!(
            "column {i}: expected integer, got {other:?}"
        ))),
    }
}

/// Reads a column as an optional integer.
pub fn opt_int<C: Column>(row: &[C], i: usize) -> StoreResult<Option<i64>> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Null) => Ok(None),
        _ => int(row, i).map(Some),
    }
}

/// Reads a column as bytes.
pub fn blob<C: Column>(row: &[C], i: usize) -> StoreResult<Vec<u8>> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Blob(b)) => Ok(b.to_vec()),
        other => Err(StoreError::Database(format!(
            "column {i}: expected bytes, got {other:?}"
        ))),
    }
}

/// Reads a column as optional bytes.
pub fn opt_blob<C: Column>(row: &[C], i: usize) -> StoreResult<Option<Vec<u8>>> {
    match row.get(i).map(Column::cell) {
        Some(Cell::Null) => Ok(None),
        _ => blob(row, i).map(Some),
    }
}

/// `?, ?, ?` for `n` parameters.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Rewrites `?` placeholders to `$1, $2, …` (PostgreSQL). Queries in Haven
/// never contain `?` inside string literals.
pub fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies migrations not yet recorded in `schema_migrations`, each in its
/// own transaction. `migrations` are `(version, sql)` in order.
pub fn migrate(backend: &dyn Backend, migrations: &[(i64, &str)], now: i64) -> StoreResult<()> {
    backend.transaction(true, &mut |c| {
        c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", &[])?;
        Ok(())
    })?;
    for (version, sql) in migrations {
        backend.transaction(true, &mut |c| {
            let done = c.query(
                "SELECT version FROM schema_migrations WHERE version = ?",
                &[Value::Int(*version)],
            )?;
            if done.is_empty() {
                for stmt in statements(sql) {
                    c.execute(&stmt, &[])?;
                }
                c.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    &[Value::Int(*version), Value::Int(now)],
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// A migration's statements: split at `;`, once its comment lines are
/// gone (a `;` in a comment would otherwise cut a statement in two).
fn statements(sql: &str) -> Vec<String> {
    let code: Vec<&str> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    code.join("\n")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_migrations_comments_may_hold_semicolons() {
        let sql =
            "-- Why; and how.\nCREATE TABLE t (a INT);\n-- Then; this.\nINSERT INTO t VALUES (1)";
        assert_eq!(
            super::statements(sql),
            ["CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"]
        );
    }

    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(
            super::numbered_placeholders("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
    }
}
