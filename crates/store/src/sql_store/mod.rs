//! The one implementation of [`Store`](crate::Store) over any [`Backend`].
//!
//! Split by subject: `children` (registry and search), `people` (users,
//! sessions, tokens, locations), `households` (households, caregivers,
//! institutions) and `audit_log`.

mod administration;
mod alerts;
mod assessments;
mod attempts;
mod audit_batch;
mod audit_heads;
mod audit_log;
mod bulk;
mod cases;
mod children;
mod exchange;
mod exchange_import;
mod field_assessments;
mod field_audit;
mod field_cases;
mod field_incoming;
mod field_laptop;
mod field_nodes;
mod field_outbox;
mod field_registrations;
mod hotline;
mod households;
mod indicator_report;
mod indicators;
mod key_rotation;
mod lists;
mod logframes;
mod people;
mod readiness;
mod referrals;
mod reports;
mod retention;
mod second_factor;
mod services;
mod startup;
mod statistics;

use crate::audit::{entry_hash, AuditChain, ChainHash, GENESIS};
use crate::audit_head::AuditHead;
use crate::crypto::{AuditKey, Keyring};
use crate::error::{StoreError, StoreResult};
use crate::sql::{text, Backend, Conn, Value};
use haven_domain::casework::DuePolicy;
use haven_domain::{Actor, Role};

/// A [`Store`](crate::Store) over a SQL backend, with the keys that seal
/// identifying fields.
pub struct SqlStore {
    backend: Box<dyn Backend>,
    /// A read replica for aggregate figures, when the deployment has one.
    replica: Option<Box<dyn Backend>>,
    pub(crate) keys: Keyring,
    audit_key: AuditKey,
    head: Option<AuditHead>,
    /// This node's public key, to check the audit heads it signed.
    node_public: Option<haven_domain::exchange::PublicKey>,
    due: DuePolicy,
    /// Audit entries that stand alone, written in groups.
    audit_batch: audit_batch::AuditBatch,
    /// A field laptop's store: each change to a child's record is also
    /// kept as an operation for the next sync.
    field_outbox: bool,
}

impl Drop for SqlStore {
    fn drop(&mut self) {
        self.flush_head();
    }
}

/// A connection inside one of the store's own transactions: it carries the
/// audit chain's key, and notes what was appended.
struct StoreConn<'a> {
    inner: &'a mut dyn Conn,
    chain: AuditChain,
}

impl Conn for StoreConn<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> StoreResult<u64> {
        self.inner.execute(sql, params)
    }
    fn query(&mut self, sql: &str, params: &[Value]) -> StoreResult<Vec<crate::sql::Row>> {
        self.inner.query(sql, params)
    }
    // Passed on, or the default would gather every row first: a report's
    // scan of three million assessments held 1.2 GB instead of streaming.
    fn for_each_row(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&[crate::sql::Cell<'_>]) -> StoreResult<()>,
    ) -> StoreResult<()> {
        self.inner.for_each_row(sql, params, f)
    }
    fn scan_pieces(
        &mut self,
        table: &str,
        alias: &str,
        parts: usize,
    ) -> StoreResult<Vec<crate::sql::ScanPiece>> {
        self.inner.scan_pieces(table, alias, parts)
    }
    fn audit_chain(&mut self) -> Option<&mut AuditChain> {
        Some(&mut self.chain)
    }
}

impl SqlStore {
    /// Wraps a migrated backend. Search tokens made by another version of
    /// the token scheme (an older Haven) are rebuilt here, from the names
    /// decrypted with `keys`, in one transaction: until then such records
    /// could not be found by name nor flagged as duplicates. A key that
    /// cannot open the names is refused before anything changes.
    ///
    /// Before that, [`SqlStore::prepare`] refuses a key file that is not the
    /// database's own and brings the audit chain and URL keys up to date.
    pub fn open(backend: Box<dyn Backend>, keys: Keyring, now: i64) -> StoreResult<SqlStore> {
        SqlStore::new(backend, keys).opened(now)
    }

    /// The checks and repairs of [`SqlStore::open`], on a store made with
    /// [`SqlStore::new`] (and, in a real installation, given its audit head
    /// file first, so that the checks can consult it).
    pub fn opened(self, now: i64) -> StoreResult<SqlStore> {
        self.prepare(now)?;
        self.rebuild_outdated_name_tokens(now)?;
        self.seal_plain_findings()?;
        Ok(self)
    }

    /// Wraps a migrated backend without any check or repair: for tests
    /// that look at those steps one by one. Use [`SqlStore::open`].
    pub fn new(backend: Box<dyn Backend>, keys: Keyring) -> SqlStore {
        SqlStore {
            backend,
            replica: None,
            audit_key: keys.audit_key(),
            keys,
            head: None,
            node_public: None,
            due: DuePolicy::default(),
            audit_batch: Default::default(),
            field_outbox: false,
        }
    }

    /// A field laptop's store (see `field_outbox`): each change to a
    /// child's record is also kept as an operation for the next sync.
    pub fn with_field_outbox(mut self) -> SqlStore {
        self.field_outbox = true;
        self
    }

    /// Keeps the audit chain's head in `path`, outside the database (see
    /// [`crate::audit_head`]).
    pub fn with_audit_head(mut self, path: &std::path::Path) -> StoreResult<SqlStore> {
        self.head = Some(AuditHead::at(path)?);
        Ok(self)
    }

    /// Checks the audit heads this node signed against `key`, its node
    /// key's public half, when verifying the log: a signed head that does
    /// not verify was altered.
    pub fn with_node_public_key(mut self, key: haven_domain::exchange::PublicKey) -> SqlStore {
        self.node_public = Some(key);
        self
    }

    /// Uses a configured policy for when case actions and referral answers
    /// fall due, instead of the defaults.
    pub fn with_due_policy(mut self, due: DuePolicy) -> SqlStore {
        self.due = due;
        self
    }

    /// Computes aggregate figures (indicators, hotline figures) on `replica`
    /// — a streaming standby, say — so that the ministry's reports do not
    /// compete with casework on the primary. Only reads that carry no audit
    /// entry go there; everything else stays on the primary.
    pub fn with_read_replica(mut self, replica: Box<dyn Backend>) -> SqlStore {
        self.replica = Some(replica);
        self
    }

    /// Runs a read-only aggregate query: on the read replica when there is
    /// one. It must append nothing to the audit log (a replica refuses
    /// writes, so a mistake fails rather than forks the chain).
    fn aggregate_tx<R>(&self, f: impl FnMut(&mut dyn Conn) -> StoreResult<R>) -> StoreResult<R> {
        let backend = self.replica.as_deref().unwrap_or(self.backend.as_ref());
        self.tx_on(backend, false, f)
    }

    /// [`SqlStore::aggregate_tx`] with, where the backend gives one, a
    /// second connection reading the same state (see
    /// [`Backend::read_together`]). Nothing is audited from either.
    fn aggregate_together<R>(
        &self,
        mut f: impl FnMut(&mut dyn Conn, Option<&mut (dyn Conn + Send)>) -> StoreResult<R>,
    ) -> StoreResult<R> {
        let backend = self.replica.as_deref().unwrap_or(self.backend.as_ref());
        let mut out = None;
        backend.read_together(&mut |c, helper| {
            out = Some(f(c, helper)?);
            Ok(())
        })?;
        out.ok_or_else(|| StoreError::Database("transaction produced no result".into()))
    }

    /// The backend, for schema checks and tests.
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    /// Runs `f` in a transaction and returns its value.
    fn tx<R>(&self, write: bool, f: impl FnMut(&mut dyn Conn) -> StoreResult<R>) -> StoreResult<R> {
        self.tx_on(self.backend.as_ref(), write, f)
    }

    /// Runs `f` in a transaction on `backend` and returns its value.
    fn tx_on<R>(
        &self,
        backend: &dyn Backend,
        write: bool,
        mut f: impl FnMut(&mut dyn Conn) -> StoreResult<R>,
    ) -> StoreResult<R> {
        let mut out = None;
        let mut appended = None;
        backend.transaction(write, &mut |c| {
            let mut sc = StoreConn {
                inner: c,
                chain: AuditChain {
                    key: self.audit_key.clone(),
                    appended: None,
                },
            };
            out = Some(f(&mut sc)?);
            appended = sc.chain.appended.take();
            Ok(())
        })?;
        // Only after the commit: the head never names an entry that may
        // have been rolled back. The write has committed, so a failure
        // here is logged, not returned (a retry would write twice); the
        // head then lags, and `audit verify` still checks up to it.
        if let (Some(head), Some((seq, hash))) = (&self.head, appended) {
            if let Err(e) = self.advance_head(head, seq, &hash) {
                tracing::error!(error = %e, "the audit head file was not updated");
            }
        }
        out.ok_or_else(|| StoreError::Database("transaction produced no result".into()))
    }

    /// Moves the head file to `seq`, but only while the entry it records is
    /// still in the log as recorded: if the newest entries were deleted and
    /// the log has grown past them again, the head stays where it was, so
    /// `audit verify` reports the rewrite instead of it being papered over.
    fn advance_head(&self, head: &AuditHead, seq: i64, hash: &str) -> StoreResult<()> {
        head.advance_checked(seq, hash, |recorded| {
            // A read transaction appends nothing, so it never comes back here.
            let intact =
                self.read_alone(|c| audit_log::head_entry_intact(c, recorded.seq, &recorded.hash))?;
            if !intact {
                tracing::error!(
                    recorded = recorded.seq,
                    "the audit log no longer holds the entry its head file records: entries were removed or rewritten; the head file is left as it is for `haven audit verify`"
                );
            }
            Ok(intact)
        })
    }

    /// Writes the head that the last busy moment left unwritten (see
    /// [`AuditHead::advance_checked`]).
    fn flush_head(&self) {
        if let Some(head) = &self.head {
            let flushed = head
                .take_unwritten()
                .and_then(|h| h.map_or(Ok(()), |h| self.advance_head(head, h.seq, &h.hash)));
            if let Err(e) = flushed {
                tracing::error!(error = %e, "the audit head file was not updated");
            }
        }
    }

    /// A write transaction whose refusals (not found, forbidden) are
    /// themselves audited, in a transaction of their own since the first
    /// one rolled back.
    fn audited<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        f: impl FnMut(&mut dyn Conn) -> StoreResult<R>,
    ) -> StoreResult<R> {
        let result = self.tx(true, f);
        self.audit_refusal(actor, action, target, now, result)
    }

    /// A read audited after it, in a group with other entries (see
    /// `audit_batch`), where the backend groups them: the read runs in a
    /// read-only transaction, so readers do not take the chain's lock one
    /// by one. Elsewhere the read and its entry share one write
    /// transaction. The answer is returned only once its entry is written;
    /// refusals are audited as with [`SqlStore::audited`]. `f` returns the
    /// value and the entry's detail.
    fn audited_read<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        f: impl FnMut(&mut dyn Conn) -> StoreResult<(R, String)>,
    ) -> StoreResult<R> {
        self.audited_read_in(actor, action, target, now, false, f)
    }

    /// [`SqlStore::audited_read`] for a read of one statement, which needs
    /// no transaction around it (see [`Backend::read_alone`]).
    fn audited_lookup<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        f: impl FnMut(&mut dyn Conn) -> StoreResult<(R, String)>,
    ) -> StoreResult<R> {
        self.audited_read_in(actor, action, target, now, true, f)
    }

    /// [`SqlStore::audited_read`], the read made alone when `one_statement`.
    fn audited_read_in<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        one_statement: bool,
        mut f: impl FnMut(&mut dyn Conn) -> StoreResult<(R, String)>,
    ) -> StoreResult<R> {
        if !self.backend.groups_audit_entries() {
            return self.audited(actor, action, target, now, |c| {
                let (value, detail) = f(c)?;
                append_audit(c, now, &actor.name, action, target, "ok", &detail)?;
                Ok(value)
            });
        }
        let result = if one_statement {
            self.read_alone(f)
        } else {
            self.tx(false, f)
        };
        let (value, detail) = self.audit_refusal(actor, action, target, now, result)?;
        self.do_record_event(&actor.name, action, target, "ok", &detail, now)?;
        Ok(value)
    }

    /// Runs `f`, a read of one statement, on its own (see
    /// [`Backend::read_alone`]) and returns its value.
    fn read_alone<R>(&self, mut f: impl FnMut(&mut dyn Conn) -> StoreResult<R>) -> StoreResult<R> {
        let mut out = None;
        self.backend.read_alone(&mut |c| {
            out = Some(f(c)?);
            Ok(())
        })?;
        out.ok_or_else(|| StoreError::Database("the read produced no result".into()))
    }

    /// One read statement on its own (see [`Backend::read_alone`]).
    fn query_alone(&self, sql: &str, params: &[Value]) -> StoreResult<Vec<crate::sql::Row>> {
        self.read_alone(|c| c.query(sql, params))
    }

    /// Audits a refusal (not found, forbidden) of `action`, then returns
    /// `result` as it was.
    fn audit_refusal<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        result: StoreResult<R>,
    ) -> StoreResult<R> {
        match result {
            Err(e @ (StoreError::NotFound(_) | StoreError::Forbidden(_))) => {
                let detail = match &e {
                    StoreError::NotFound(_) => "not found or outside scope",
                    _ => "role not allowed",
                };
                self.do_record_event(&actor.name, action, target, "denied", detail, now)?;
                Err(e)
            }
            other => other,
        }
    }
}

impl SqlStore {
    /// Refuses, and audits the refusal, unless the caller's role may do
    /// this at all (`allowed`); `why` is what the caller is told.
    fn require_role(
        &self,
        allowed: bool,
        actor: &Actor,
        action: &str,
        target: &str,
        why: &str,
        now: i64,
    ) -> StoreResult<()> {
        if allowed {
            return Ok(());
        }
        self.do_record_event(
            &actor.name,
            action,
            target,
            "denied",
            "role not allowed",
            now,
        )?;
        Err(StoreError::Forbidden(why.to_string()))
    }

    /// The one way a role check refuses: the refusal is audited, whatever
    /// the check.
    fn authorise(
        &self,
        check: StoreResult<()>,
        actor: &Actor,
        action: &str,
        now: i64,
    ) -> StoreResult<()> {
        match check {
            Err(e @ StoreError::Forbidden(_)) => {
                self.do_record_event(&actor.name, action, "", "denied", "role not allowed", now)?;
                Err(e)
            }
            other => other,
        }
    }

    /// Refuses, and audits the refusal, when the role may not touch
    /// children's records at all.
    fn child_access(&self, actor: &Actor, now: i64) -> StoreResult<()> {
        match require_child_access(actor) {
            Err(e) => {
                let detail = format!(
                    "the {} role has no access to children's records",
                    actor.role
                );
                self.do_record_event(
                    &actor.name,
                    "child.access",
                    "children",
                    "denied",
                    &detail,
                    now,
                )?;
                Err(e)
            }
            ok => ok,
        }
    }
}

/// Appends an entry to the audit chain. Must run in a write transaction,
/// which backends serialise, so the chain has a single head.
pub(crate) fn append_audit(
    c: &mut dyn Conn,
    now: i64,
    actor: &str,
    action: &str,
    target: &str,
    outcome: &str,
    detail: &str,
) -> StoreResult<()> {
    append_audit_event(
        c,
        &audit_batch::AuditEvent::new(now, actor, action, target, outcome, detail),
    )
}

/// Appends `e` to the audit chain (see [`append_audit`]).
fn append_audit_event(c: &mut dyn Conn, e: &audit_batch::AuditEvent) -> StoreResult<()> {
    append_audit_events(c, std::slice::from_ref(e))
}

/// Appends `events` to the audit chain, in order, each chained to the one
/// before, many entries per statement. Must run in a write
/// transaction (see [`append_audit`]).
pub(super) fn append_audit_events(
    c: &mut dyn Conn,
    events: &[audit_batch::AuditEvent],
) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let last = c.query(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
    )?;
    let (mut seq, mut prev) = match last.first() {
        Some(row) => (crate::sql::int(row, 0)?, text(row, 1)?),
        // Empty: a new log, or one whose every entry the retention rule
        // purged, which goes on from the last one removed.
        None => match audit_log::audit_anchor(c)? {
            Some((seq, hash)) => (seq, hash),
            None => (0, GENESIS.to_string()),
        },
    };
    let Some(chain) = c.audit_chain() else {
        return Err(StoreError::Database(
            "an audit entry was written outside the store's transactions".into(),
        ));
    };
    let mut rows = bulk::Rows::new(
        "audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id)",
        10,
    );
    for e in events {
        seq += 1;
        let hash = entry_hash(
            ChainHash::Keyed(&chain.key),
            &prev,
            seq,
            e.at,
            &e.actor,
            &e.action,
            &e.target,
            &e.outcome,
            &e.detail,
            e.request_id.as_deref(),
        );
        rows.push(vec![
            seq.into(),
            e.at.into(),
            e.actor.as_str().into(),
            e.action.as_str().into(),
            e.target.as_str().into(),
            e.outcome.as_str().into(),
            e.detail.as_str().into(),
            std::mem::replace(&mut prev, hash.clone()).into(),
            hash.into(),
            e.request_id.as_deref().into(),
        ])?;
    }
    chain.appended = Some((seq, prev));
    rows.write(c)?;
    Ok(())
}

/// Reads a value from `haven_meta`.
fn meta_get(c: &mut dyn Conn, name: &str) -> StoreResult<Option<String>> {
    let rows = c.query(
        "SELECT value FROM haven_meta WHERE name = ?",
        &[name.into()],
    )?;
    rows.first().map(|r| text(r, 0)).transpose()
}

/// Writes a value to `haven_meta`.
fn meta_set(c: &mut dyn Conn, name: &str, value: &str) -> StoreResult<()> {
    if c.execute(
        "UPDATE haven_meta SET value = ? WHERE name = ?",
        &[value.into(), name.into()],
    )? == 0
    {
        c.execute(
            "INSERT INTO haven_meta (name, value) VALUES (?, ?)",
            &[name.into(), value.into()],
        )?;
    }
    Ok(())
}

/// Refuses roles that may not touch child records at all.
fn require_child_access(actor: &Actor) -> StoreResult<()> {
    if actor.role.handles_children() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "the {} role has no access to children's records",
            actor.role
        )))
    }
}

fn require_admin(actor: &Actor) -> StoreResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "only an administrator may do this".into(),
        ))
    }
}

/// The upper bound of a materialised-path prefix range: every path under
/// `p` (which ends in `/`) sorts in `[p, upper)`. Paths are ASCII and
/// compared bytewise (PostgreSQL columns use the "C" collation).
fn prefix_upper(p: &str) -> String {
    let mut s = p.trim_end_matches('/').to_string();
    s.push('0');
    s
}

/// ` AND column >= ? AND column < ?`, with its two parameters: `column`
/// (a location path) lies at or under the path `p`.
fn under_path(column: &str, p: &str, params: &mut Vec<Value>) -> String {
    params.push(p.into());
    params.push(prefix_upper(p).into());
    format!(" AND {column} >= ? AND {column} < ?")
}

/// SQL conditions limiting `alias` (a table with `location_path` and
/// `agency`) to the actor's scope.
fn scope_sql(actor: &Actor, alias: &str, params: &mut Vec<Value>) -> String {
    let mut s = String::new();
    if let Some(p) = &actor.scope_path {
        s.push_str(&under_path(&format!("{alias}.location_path"), p, params));
    }
    if let Some(a) = actor.agency_filter() {
        s.push_str(&format!(" AND {alias}.agency = ?"));
        params.push(a.into());
    }
    s
}

/// The condition keeping `column` (a location path) within the place
/// `code` and everything under it; an unknown code is the `place` field's error.
fn within_place(
    c: &mut dyn Conn,
    column: &str,
    code: &str,
    params: &mut Vec<Value>,
) -> StoreResult<String> {
    let (path, _) = location_path(c, code)?.ok_or_else(|| {
        StoreError::field("place", format!("there is no location with code {code:?}"))
    })?;
    Ok(under_path(column, &path, params))
}

/// Looks up a location's path and level.
fn location_path(c: &mut dyn Conn, code: &str) -> StoreResult<Option<(String, String)>> {
    let rows = c.query(
        "SELECT path, level FROM locations WHERE code = ?",
        &[code.into()],
    )?;
    match rows.first() {
        Some(r) => Ok(Some((text(r, 0)?, text(r, 1)?))),
        None => Ok(None),
    }
}

/// Checks that a district exists and lies in the actor's scope; returns its path.
fn district_in_scope(c: &mut dyn Conn, actor: &Actor, code: &str) -> StoreResult<String> {
    match location_path(c, code)? {
        None => Err(StoreError::field(
            "location",
            format!("there is no location with code {code:?}"),
        )),
        Some((_, level)) if level != "district" => Err(StoreError::field(
            "location",
            format!("{code:?} is a {level}; children are registered in a district"),
        )),
        Some((path, _)) => {
            if actor
                .scope_path
                .as_deref()
                .is_some_and(|s| !path.starts_with(s))
            {
                return Err(StoreError::Forbidden(format!(
                    "{code} is outside your area"
                )));
            }
            Ok(path)
        }
    }
}

mod store_impl;
pub use field_outbox::RefusedOperation;
pub use retention::PurgeReport;
