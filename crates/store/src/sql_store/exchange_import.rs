//! Importing a peer's bundle (issue 13): every check first, then the items
//! applied in short transactions.
//!
//! Nothing is written until the whole bundle has passed: its signature and
//! chain, what the peer may send, and every item's own check (a bad item
//! refuses the bundle, nothing applied). The items then go in steps of about
//! [`STEP`] each, so that a million-entry bundle does not hold the one write
//! lock for minutes: match requests, whose audit entries need it, are
//! answered between steps (the SQLite writers queue in arrival order). The
//! peer's position in the chain moves only in the last step, with the "ok"
//! audit entry. A node killed between steps keeps the entries it applied,
//! each marked with the bundle it came from and announced by a "started"
//! audit entry; its position has not moved, so the next bundle from that
//! peer carries the same items again, and applying one twice changes
//! nothing (entries are keyed by their id at the origin).

use super::audit_heads::{check_head, receive_head};
use super::exchange::{peer_by_fingerprint_in, refused, require_admin};
use super::key_rotation::{
    follow_rotation, is_own_retired, retire_peer_keys, retired_by, stored_key,
};
use super::lists::{next_change, next_xseq, url_version};
use super::{append_audit, SqlStore};
use crate::crypto::Keyring;
use crate::crypto::{ordered_ids, random_id};
use crate::error::{StoreError, StoreResult};
use crate::exchange::{ImportProgress, ImportSummary, Peer};
use crate::sql::{int, opt_blob, opt_text, text, Conn};
use haven_domain::exchange::{
    check_received_alert, check_received_statistic, parse_may_send, Bundle, HashItem, Item,
    ItemKind, UrlItem, GENESIS_HASH,
};
use haven_domain::lists::{normalise_url, NewHashEntry, UrlLevel};
use haven_domain::{Actor, ValidationErrors};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// About how long one step of an import holds the write lock.
const STEP: Duration = Duration::from_millis(50);

/// The peer whose bundle passed the checks, and the keys it retired on the
/// way when the bundle came with a rotation.
struct Checked {
    peer: Peer,
    rotated: Option<super::key_rotation::RetiredKeys>,
}

impl SqlStore {
    pub(crate) fn do_import_bundle(
        &self,
        actor: &Actor,
        bytes: &[u8],
        us: &str,
        now: i64,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> StoreResult<ImportSummary> {
        self.authorise(require_admin(actor), actor, "exchange.import", now)?;
        let started = Instant::now();
        let bundle = match Bundle::parse(bytes) {
            Ok(b) => b,
            Err(e) => {
                let digest = Sha256::digest(bytes);
                let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                let reason = format!("bundle file {name} ({} bytes) refused: {e}", bytes.len());
                self.do_record_event(
                    &actor.name,
                    "exchange.import",
                    &format!("bundle:{name}"),
                    "refused",
                    &reason,
                    now,
                )?;
                return Err(refused(reason));
            }
        };
        let label = bundle.label();
        let read = started.elapsed();
        let reason = match self.apply_bundle(actor, &bundle, us, now, read, progress) {
            Ok(summary) => return Ok(summary),
            Err(StoreError::Refused(why)) => format!("{label} refused: {why}"),
            Err(StoreError::Invalid(v)) => {
                format!("{label} refused: an item is not valid: {}", v.summary())
            }
            Err(e) => return Err(e),
        };
        self.do_record_event(
            &actor.name,
            "exchange.import",
            &format!("bundle:{}", bundle.hash),
            "refused",
            &reason,
            now,
        )?;
        Err(refused(reason))
    }

    /// Checks the bundle, then applies it step by step (see the module).
    fn apply_bundle(
        &self,
        actor: &Actor,
        bundle: &Bundle,
        us: &str,
        now: i64,
        read: Duration,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> StoreResult<ImportSummary> {
        let checking = Instant::now();
        let env = bundle.envelope();
        let hash_adds = env
            .items
            .iter()
            .filter(|i| matches!(i, Item::HashAdd(_)))
            .count();
        let (checked, known, prepared) = self.tx(false, |c| {
            let checked = check(c, bundle, us)?;
            let prepared = check_items(c, &checked.peer, &env.items, hash_adds)?;
            let known = known_entries(c, &checked.peer, hash_adds)?;
            Ok((checked, known, prepared))
        })?;
        let Checked { peer, rotated } = checked;
        let mut sum = ImportSummary {
            bundle: bundle.label(),
            hash: bundle.hash.clone(),
            peer: peer.name.clone(),
            seq_from: env.seq_from,
            seq_to: env.seq_to,
            ..ImportSummary::default()
        };
        let by = format!("peer:{}", peer.name);
        let total = env.items.len();
        progress(&ImportProgress::Applying {
            bundle: bundle.label(),
            items: total,
            read,
            check: checking.elapsed(),
        });
        let applying = Instant::now();
        let every = (total / 10).max(10_000);
        let mut hashes = HashWriter::new(&peer, &by, &bundle.hash, now, known, prepared);
        let mut next = 0;
        let mut counters: Option<Counters> = None;
        let mut announced = false;
        loop {
            let finished = self.tx(true, |c| {
                still_where_it_was(c, &peer)?;
                let mut cx = Counters::resume(c, counters.take())?;
                let (step, first) = (Instant::now(), next);
                while next < total {
                    // At least one item a step; the clock read now and then.
                    if next > first && next % 256 == 0 && step.elapsed() >= STEP {
                        break;
                    }
                    apply_item(
                        c,
                        &self.keys,
                        &mut cx,
                        &mut hashes,
                        &peer,
                        bundle,
                        next,
                        now,
                        &mut sum,
                    )?;
                    next += 1;
                    if next % every == 0 && next < total {
                        progress(&ImportProgress::Applied {
                            done: next,
                            items: total,
                        });
                    }
                }
                hashes.flush(c)?;
                if next < total {
                    if !announced {
                        announce(c, actor, bundle, total, now)?;
                        announced = true;
                    }
                    counters = Some(cx);
                    return Ok(false);
                }
                progress(&ImportProgress::Committing {
                    apply: applying.elapsed(),
                });
                finish(c, actor, bundle, &peer, rotated.as_ref(), now, &mut sum)?;
                Ok(true)
            })?;
            if finished {
                return Ok(sum);
            }
        }
    }
}

/// The bundle's envelope against what this node knows of its signer: who
/// signed it, for whom, and where it sits in that peer's chain. Reads only.
fn check(c: &mut dyn Conn, bundle: &Bundle, us: &str) -> StoreResult<Checked> {
    let env = bundle.envelope();
    // The signer is a trusted peer, or one that rotated its key since: a
    // chain of rotations in the bundle, from the key we trust to the one
    // that signed it.
    let (peer, rotated) = match peer_by_fingerprint_in(c, &env.issuer)? {
        Some(p) => (p, None),
        None => match follow_rotation(c, env)
            .map_err(|why| refused(format!("its key rotation: {why}")))?
        {
            Some((p, retired)) => (p, Some(retired)),
            None => {
                if let Some((name, at)) = retired_by(c, &env.issuer)? {
                    return Err(refused(format!(
                        "it is signed with a key that {name} retired (we learnt of it on {}): bundles signed by a retired key are no longer accepted",
                        haven_domain::Date::from_unix(at)
                    )));
                }
                return Err(refused(format!(
                    "it is signed as {}, a node that is not a trusted peer here",
                    env.issuer
                )));
            }
        },
    };
    let key = stored_key(&peer)?;
    if !bundle.signed_by(&key) {
        return Err(refused(format!(
            "the signature does not match {}'s key: the bundle was altered, or is not from {}",
            peer.name, peer.name
        )));
    }
    // Every rotation it carries must hold, even old ones we passed.
    for item in &env.items {
        if let Item::KeyRotation(r) = item {
            r.verified()
                .map_err(|why| refused(format!("its key rotation: {why}")))?;
        }
    }
    if peer.revoked {
        return Err(refused(format!(
            "{} is revoked: nothing is accepted from it",
            peer.name
        )));
    }
    // A peer that has not heard of our own rotation yet addresses the old key.
    if env.recipient != us && !is_own_retired(c, &env.recipient)? {
        return Err(refused(format!(
            "it is addressed to another node ({}), not this one ({us})",
            env.recipient
        )));
    }
    let expected = peer.last_seq + 1;
    if env.seq_to <= peer.last_seq {
        return Err(refused(format!(
            "a replay: {} already sent up to sequence {} and it was applied",
            peer.name, peer.last_seq
        )));
    }
    if env.seq_from > expected {
        return Err(refused(format!(
            "a gap: the next bundle from {} must start at sequence {expected}, this one starts at {}",
            peer.name, env.seq_from
        )));
    }
    if env.seq_from < expected {
        return Err(refused(format!(
            "out of order: it starts at sequence {} but {} was already applied up to {}",
            env.seq_from, peer.name, peer.last_seq
        )));
    }
    let last = peer
        .last_bundle_hash
        .clone()
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    if env.prev_bundle_hash != last {
        return Err(refused(format!(
            "out of order: it does not follow the last bundle accepted from {} (its previous-bundle hash differs)",
            peer.name
        )));
    }
    let allowed = parse_may_send(&peer.may_send.join(",")).unwrap_or_default();
    for item in &env.items {
        let kind = item.kind();
        if kind != ItemKind::Identity && !allowed.contains(&kind) {
            return Err(refused(format!(
                "it holds {} items, and {} may not send {}",
                item.name(),
                peer.name,
                kind.as_str()
            )));
        }
    }
    Ok(Checked { peer, rotated })
}

/// The bundle's hash entries as the checks left them, for applying: each
/// checked once (a million of them take a noticeable time to check).
struct Prepared {
    /// The `hash_add` items as this node keeps them, in the bundle's order.
    hash_entries: std::vec::IntoIter<NewHashEntry>,
    /// Whether no two `hash_add` items share an origin id: then no entry
    /// written by this import needs finding again within it.
    unique: bool,
}

/// Refuses the bundle for its first item that cannot be applied, before
/// any is. Reads only.
fn check_items(
    c: &mut dyn Conn,
    peer: &Peer,
    items: &[Item],
    hash_adds: usize,
) -> StoreResult<Prepared> {
    let mut entries = Vec::with_capacity(hash_adds);
    let mut ids = Vec::with_capacity(hash_adds);
    for (i, item) in items.iter().enumerate() {
        let problem = match item {
            Item::HashAdd(h) => match hash_entry(h) {
                Ok(n) => {
                    entries.push(n);
                    ids.push(h.id.as_str());
                    None
                }
                Err(v) => Some(v.summary()),
            },
            Item::UrlAdd(u) => url_entry(u).err().map(|v| v.summary()),
            Item::AlertAdd(a) => check_received_alert(a).err().map(|v| v.summary()),
            Item::Statistic(s) => check_received_statistic(s).err().map(|v| v.summary()),
            Item::AuditHead(h) => check_head(c, peer, h).err(),
            Item::HashRemove(_)
            | Item::UrlTombstone(_)
            | Item::AlertWithdraw(_)
            | Item::KeyRotation(_) => None,
        };
        if let Some(m) = problem {
            return Err(at(i, item, m));
        }
    }
    Ok(Prepared {
        hash_entries: entries.into_iter(),
        unique: all_different(&mut ids),
    })
}

/// Whether no two of `ids` are the same. A node's ids are time-ordered, so
/// a bundle's usually come in increasing order, which tells at once.
fn all_different(ids: &mut [&str]) -> bool {
    if ids.windows(2).all(|w| w[0] < w[1]) {
        return true;
    }
    ids.sort_unstable();
    ids.windows(2).all(|w| w[0] != w[1])
}

fn at(i: usize, item: &Item, m: String) -> StoreError {
    refused(format!("item {} ({}): {m}", i + 1, item.name()))
}

/// A received hash entry as this node keeps it (but for its source, which
/// names the peer when written), checked like one listed here.
fn hash_entry(h: &HashItem) -> Result<NewHashEntry, ValidationErrors> {
    let mut n = NewHashEntry {
        pdq: h.pdq.clone(),
        quality: h.quality,
        md5: h.md5.clone(),
        sha256: h.sha256.clone(),
        source: String::new(),
        category: h.category.clone(),
    };
    let mut e = ValidationErrors::default();
    n.validate(&mut e, "");
    if h.id.is_empty() || h.id.chars().count() > 100 {
        e.add("id", "must be an identifier of 1 to 100 characters");
    }
    e.into_result()?;
    Ok(n)
}

/// A received URL entry's level, key and category, checked like one
/// listed here.
fn url_entry(u: &UrlItem) -> Result<(UrlLevel, String, String), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let level = UrlLevel::parse(&u.level);
    if level.is_none() {
        e.add("level", "must be url, prefix or domain");
    }
    let normal = match normalise_url(&u.url) {
        Ok(n) => Some(n),
        Err(m) => {
            e.add("url", m);
            None
        }
    };
    let category = haven_domain::validation::clean_name(&mut e, "category", &u.category, false);
    if u.id.is_empty() || u.id.chars().count() > 100 {
        e.add("id", "must be an identifier of 1 to 100 characters");
    }
    e.into_result()?;
    match (level, normal) {
        (Some(level), Some(normal)) => Ok((level, normal.key(level), category)),
        // Both were checked just above.
        _ => Err(ValidationErrors::default()),
    }
}

/// Stops an import whose peer moved on without it: another import of the
/// same peer's items finished first, or the peer was revoked or removed.
fn still_where_it_was(c: &mut dyn Conn, peer: &Peer) -> StoreResult<()> {
    let rows = c.query(
        "SELECT last_seq, last_bundle_hash, revoked FROM peers WHERE id = ?",
        &[peer.id.clone().into()],
    )?;
    let Some(r) = rows.first() else {
        return Err(refused(format!(
            "{} was removed while its bundle was being applied",
            peer.name
        )));
    };
    if int(r, 2)? != 0 {
        return Err(refused(format!(
            "{} was revoked while its bundle was being applied: the rest of it is not applied",
            peer.name
        )));
    }
    if int(r, 0)? != peer.last_seq || opt_text(r, 1)? != peer.last_bundle_hash {
        return Err(refused(format!(
            "another bundle from {} was applied while this one was: this one stops, and its items come again with the next bundle",
            peer.name
        )));
    }
    Ok(())
}

/// Applies item `i` of the bundle.
#[allow(clippy::too_many_arguments)]
fn apply_item(
    c: &mut dyn Conn,
    keys: &Keyring,
    cx: &mut Counters,
    hashes: &mut HashWriter,
    peer: &Peer,
    bundle: &Bundle,
    i: usize,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    let item = &bundle.envelope().items[i];
    if !matches!(item, Item::HashAdd(_)) {
        // What follows may concern a row still waiting to be written.
        hashes.flush(c)?;
    }
    let origin = |id: &str| -> [crate::sql::Value; 2] { [peer.id.clone().into(), id.into()] };
    match item {
        Item::HashAdd(h) => hashes.add(c, cx, h, sum).map_err(|e| match e {
            StoreError::Invalid(v) => at(i, item, v.summary()),
            other => other,
        })?,
        Item::HashRemove(r) => {
            let [p, o] = origin(&r.id);
            let n = c.execute(
                "UPDATE hash_entries SET enabled = 0, changed = ?, xseq = ?, received_at = ?, origin_bundle = ? \
                 WHERE origin_peer = ? AND origin_id = ? AND enabled = 1",
                &[(cx.changed + 1).into(), (cx.xseq + 1).into(), now.into(), bundle.hash.clone().into(), p, o],
            )?;
            // Numbers are taken only when written, so that the next step
            // can tell whether anyone else wrote between (Counters::resume).
            if n > 0 {
                cx.changed += 1;
                cx.xseq += 1;
            }
            sum.hashes_removed += n;
        }
        Item::UrlAdd(u) => {
            add_url(c, cx, peer, u, hashes.by, &bundle.hash, now, sum).map_err(|e| match e {
                StoreError::Invalid(v) => at(i, item, v.summary()),
                other => other,
            })?
        }
        Item::UrlTombstone(r) => {
            let [p, o] = origin(&r.id);
            let n = c.execute(
                "UPDATE url_entries SET removed_version = ?, removed_at = ?, xseq = ?, received_at = ?, origin_bundle = ? \
                 WHERE origin_peer = ? AND origin_id = ? AND removed_version IS NULL",
                &[(cx.version + 1).into(), now.into(), (cx.xseq + 1).into(), now.into(), bundle.hash.clone().into(), p, o],
            )?;
            if n > 0 {
                cx.version += 1;
                cx.xseq += 1;
            }
            sum.urls_removed += n;
        }
        Item::AlertAdd(a) => {
            check_received_alert(a).map_err(|v| at(i, item, v.summary()))?;
            add_alert(c, keys, peer, a, hashes.by, &bundle.hash, now, sum)?;
        }
        Item::AlertWithdraw(r) => {
            let [p, o] = origin(&r.id);
            let n = c.execute(
                "UPDATE alerts SET sealed = NULL, withdrawn_at = ?, withdrawn_by = ? \
                 WHERE origin_peer = ? AND origin_id = ? AND sealed IS NOT NULL",
                &[now.into(), hashes.by.into(), p, o],
            )?;
            sum.alerts_withdrawn += n;
        }
        Item::Statistic(s) => {
            check_received_statistic(s).map_err(|v| at(i, item, v.summary()))?;
            super::statistics::receive(c, &peer.id, s, &bundle.hash, now)?;
            sum.statistics_received += 1;
        }
        // Followed in the checks, before the signature was.
        Item::KeyRotation(_) => {}
        Item::AuditHead(h) => {
            receive_head(c, peer, h, &bundle.hash, now).map_err(|m| at(i, item, m))?;
            sum.audit_head = Some(h.seq);
        }
    }
    Ok(())
}

/// The audit entry of a bundle applied in more than one step, written with
/// its first: should the node stop before the last, the entries already
/// applied are accounted for.
fn announce(
    c: &mut dyn Conn,
    actor: &Actor,
    bundle: &Bundle,
    items: usize,
    now: i64,
) -> StoreResult<()> {
    append_audit(
        c,
        now,
        &actor.name,
        "exchange.import",
        &format!("bundle:{}", bundle.hash),
        "started",
        &format!(
            "{}: {items} items, applied in steps so that other work goes on; until the last step the peer's position does not move",
            bundle.label()
        ),
    )
}

/// The last step: the peer's new key and position, and the audit entry.
fn finish(
    c: &mut dyn Conn,
    actor: &Actor,
    bundle: &Bundle,
    peer: &Peer,
    rotated: Option<&super::key_rotation::RetiredKeys>,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    if let Some(retired) = rotated {
        retire_peer_keys(c, peer, retired, &bundle.hash, now)?;
        sum.new_key = Some(peer.fingerprint.clone());
    }
    c.execute(
        "UPDATE peers SET last_seq = ?, last_bundle_hash = ?, last_import_at = ? WHERE id = ?",
        &[
            bundle.envelope().seq_to.into(),
            bundle.hash.clone().into(),
            now.into(),
            peer.id.clone().into(),
        ],
    )?;
    append_audit(
        c,
        now,
        &actor.name,
        "exchange.import",
        &format!("bundle:{}", bundle.hash),
        "ok",
        &(format!(
            "{}: {} hashes listed, {} removed, {} kept disabled here; {} URLs listed, {} taken off, {} already listed; {} alerts received, {} withdrawn; {} figures received",
            sum.bundle,
            sum.hashes_added,
            sum.hashes_removed,
            sum.kept_disabled,
            sum.urls_added,
            sum.urls_removed,
            sum.urls_already_listed,
            sum.alerts_added,
            sum.alerts_withdrawn,
            sum.statistics_received
        ) + &sum
            .audit_head
            .map(|seq| format!("; audit head signed at entry {seq}"))
            .unwrap_or_default()
            + &sum
                .new_key
                .as_ref()
                .map(|fp| format!("; {} rotated its key to {fp}", sum.peer))
                .unwrap_or_default()),
    )
}

/// The lists' counters, advanced locally while a step holds the write lock.
struct Counters {
    seq: i64,
    changed: i64,
    xseq: i64,
    version: i64,
}

impl Counters {
    fn read(c: &mut dyn Conn) -> StoreResult<Counters> {
        let rows = c.query(
            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM hash_entries",
            &[],
        )?;
        let seq = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
        Ok(Counters {
            seq,
            changed: next_change(c)?,
            xseq: next_xseq(c)? - 1,
            version: url_version(c)?,
        })
    }

    /// The counters for the next step: the last step's, when nobody else
    /// wrote to the lists between (each of its numbers is still the
    /// newest), else read again. `MAX(seq)` reads the whole table, which
    /// every step of a million-entry import cannot afford.
    fn resume(c: &mut dyn Conn, last: Option<Counters>) -> StoreResult<Counters> {
        let Some(last) = last else {
            return Counters::read(c);
        };
        if next_change(c)? == last.changed
            && next_xseq(c)? - 1 == last.xseq
            && url_version(c)? == last.version
        {
            return Ok(last);
        }
        Counters::read(c)
    }
}

/// The peer's entries here, by their id at the origin, when there are few
/// enough beside the bundle's `adds` to read at once (reading them all
/// costs about what looking up this many does); `None` otherwise.
fn known_entries(
    c: &mut dyn Conn,
    peer: &Peer,
    adds: usize,
) -> StoreResult<Option<HashMap<String, (String, bool)>>> {
    if adds == 0 {
        return Ok(None);
    }
    let rows = c.query(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM hash_entries WHERE origin_peer = ?",
        &[peer.id.clone().into()],
    )?;
    let here = rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
    if here > 4 * adds as i64 {
        return Ok(None);
    }
    let rows = c.query(
        "SELECT origin_id, id, held_off FROM hash_entries WHERE origin_peer = ?",
        &[peer.id.clone().into()],
    )?;
    let mut map = HashMap::with_capacity(rows.len() + adds);
    for r in &rows {
        map.insert(text(r, 0)?, (text(r, 1)?, int(r, 2)? != 0));
    }
    Ok(Some(map))
}

/// Rows of `hash_entries` written per INSERT statement.
const HASH_ROWS_PER_INSERT: usize = 64;
const HASH_INSERT_COLUMNS: &str = "id, list_id, pdq, quality, md5, sha256, source, category, added_by, added_at, enabled, import_id, seq, changed, xseq, origin_peer, origin_id, received_at, origin_bundle";
const HASH_INSERT_VALUES: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, ?)";
const HASH_INSERT_PARAMS: usize = 17;

/// Applies a bundle's `hash_add` items with the same outcome as one
/// SELECT and one INSERT or UPDATE each, only faster (issue 13's import of
/// a million entries): the peer's entries already here are read once when
/// there are few of them beside the bundle, list names are looked up once,
/// identifiers are drawn in bulk, and new rows are written
/// [`HASH_ROWS_PER_INSERT`] to a statement. Rows not yet written are
/// written before anything else touches the table ([`HashWriter::flush`]).
struct HashWriter<'a> {
    peer: &'a Peer,
    by: &'a str,
    bundle: &'a str,
    source: String,
    now: i64,
    /// The peer's entries here, by their id at the origin: `(id here,
    /// held off here)`; `None` when there were too many to read at once
    /// (each is then looked up as it comes).
    known: Option<HashMap<String, (String, bool)>>,
    /// List name → id here.
    lists: HashMap<String, String>,
    /// Origin ids of the rows waiting in `pending`, unless the bundle's
    /// are all different.
    waiting: HashSet<String>,
    prepared: Prepared,
    pending: Vec<crate::sql::Value>,
    ids: Vec<String>,
    full_insert: String,
}

impl<'a> HashWriter<'a> {
    fn new(
        peer: &'a Peer,
        by: &'a str,
        bundle: &'a str,
        now: i64,
        known: Option<HashMap<String, (String, bool)>>,
        prepared: Prepared,
    ) -> HashWriter<'a> {
        HashWriter {
            peer,
            by,
            bundle,
            source: format!("peer {}", peer.name),
            now,
            known,
            lists: HashMap::new(),
            waiting: HashSet::new(),
            prepared,
            pending: Vec::with_capacity(HASH_ROWS_PER_INSERT * HASH_INSERT_PARAMS),
            ids: Vec::new(),
            full_insert: insert_hashes_sql(HASH_ROWS_PER_INSERT),
        }
    }

    /// The entry here that came from the peer as `origin_id`, if any.
    fn existing(
        &mut self,
        c: &mut dyn Conn,
        origin_id: &str,
    ) -> StoreResult<Option<(String, bool)>> {
        if let Some(map) = &self.known {
            return Ok(map.get(origin_id).cloned());
        }
        let rows = c.query(
            "SELECT id, held_off FROM hash_entries WHERE origin_peer = ? AND origin_id = ?",
            &[self.peer.id.clone().into(), origin_id.into()],
        )?;
        rows.first()
            .map(|r| Ok((text(r, 0)?, int(r, 1)? != 0)))
            .transpose()
    }

    /// The list of that name here, made for the peer's entries when missing.
    fn list_id(&mut self, c: &mut dyn Conn, name: &str) -> StoreResult<String> {
        if let Some(id) = self.lists.get(name) {
            return Ok(id.clone());
        }
        let list = c.query("SELECT id FROM hash_lists WHERE name = ?", &[name.into()])?;
        let id = match list.first() {
            Some(r) => text(r, 0)?,
            None => {
                let mut e = ValidationErrors::default();
                let clean = haven_domain::validation::clean_name(&mut e, "list", name, true);
                e.into_result()?;
                let id = random_id()?;
                c.execute(
                    "INSERT INTO hash_lists (id, name, description, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    &[id.clone().into(), clean.into(), format!("Received from peer {}", self.peer.name).into(), self.by.into(), self.now.into()],
                )?;
                id
            }
        };
        self.lists.insert(name.to_string(), id.clone());
        Ok(id)
    }

    fn add(
        &mut self,
        c: &mut dyn Conn,
        cx: &mut Counters,
        h: &HashItem,
        sum: &mut ImportSummary,
    ) -> StoreResult<()> {
        // Checked before anything was written; the same entry, in order.
        let n =
            self.prepared.hash_entries.next().ok_or_else(|| {
                StoreError::Database("fewer checked hash entries than items".into())
            })?;
        cx.changed += 1;
        cx.xseq += 1;
        if self.waiting.contains(&h.id) {
            // The same entry twice in one bundle: the second updates the first.
            self.flush(c)?;
        }
        if let Some((id, held_off)) = self.existing(c, &h.id)? {
            if held_off {
                sum.kept_disabled += 1;
            } else {
                sum.hashes_added += 1;
            }
            c.execute(
                // An entry held off here stays off, even when held off
                // while this import was under way.
                "UPDATE hash_entries SET pdq = ?, quality = ?, md5 = ?, sha256 = ?, category = ?, enabled = 1 - held_off, changed = ?, xseq = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
                &[n.pdq.into(), n.quality.into(), n.md5.into(), n.sha256.into(), n.category.into(), cx.changed.into(), cx.xseq.into(), self.now.into(), self.bundle.into(), id.into()],
            )?;
            return Ok(());
        }
        let list_id = self.list_id(c, &h.list)?;
        cx.seq += 1;
        if self.ids.is_empty() {
            self.ids = ordered_ids(4096)?;
            // Handed out from the end: smallest first.
            self.ids.reverse();
        }
        let id = self
            .ids
            .pop()
            .ok_or_else(|| StoreError::Crypto("no identifiers were drawn".into()))?;
        if !self.prepared.unique {
            if let Some(map) = &mut self.known {
                map.insert(h.id.clone(), (id.clone(), false));
            }
            self.waiting.insert(h.id.clone());
        }
        self.pending.extend([
            id.into(),
            list_id.into(),
            n.pdq.into(),
            n.quality.into(),
            n.md5.into(),
            n.sha256.into(),
            self.source.clone().into(),
            n.category.into(),
            self.by.into(),
            self.now.into(),
            cx.seq.into(),
            cx.changed.into(),
            cx.xseq.into(),
            self.peer.id.clone().into(),
            h.id.clone().into(),
            self.now.into(),
            self.bundle.into(),
        ]);
        sum.hashes_added += 1;
        if self.pending.len() == HASH_ROWS_PER_INSERT * HASH_INSERT_PARAMS {
            self.flush(c)?;
        }
        Ok(())
    }

    /// Writes the rows waiting to be written.
    fn flush(&mut self, c: &mut dyn Conn) -> StoreResult<()> {
        let rows = self.pending.len() / HASH_INSERT_PARAMS;
        if rows == 0 {
            return Ok(());
        }
        if rows == HASH_ROWS_PER_INSERT {
            c.execute(&self.full_insert, &self.pending)?;
        } else {
            c.execute(&insert_hashes_sql(rows), &self.pending)?;
        }
        self.pending.clear();
        self.waiting.clear();
        Ok(())
    }
}

fn insert_hashes_sql(rows: usize) -> String {
    let values = vec![HASH_INSERT_VALUES; rows].join(", ");
    format!("INSERT INTO hash_entries ({HASH_INSERT_COLUMNS}) VALUES {values}")
}

#[allow(clippy::too_many_arguments)]
fn add_url(
    c: &mut dyn Conn,
    cx: &mut Counters,
    peer: &Peer,
    u: &UrlItem,
    by: &str,
    bundle: &str,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    let (level, key, category) = url_entry(u).map_err(StoreError::Invalid)?;
    let existing = c.query(
        "SELECT id FROM url_entries WHERE origin_peer = ? AND origin_id = ?",
        &[peer.id.clone().into(), u.id.clone().into()],
    )?;
    if let Some(r) = existing.first() {
        // Sent again: its classification may have changed; a copy taken off
        // here stays off.
        c.execute(
            "UPDATE url_entries SET category = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
            &[
                category.into(),
                now.into(),
                bundle.into(),
                text(r, 0)?.into(),
            ],
        )?;
        return Ok(());
    }
    let live = c.query(
        "SELECT id FROM url_entries WHERE url_key = ? AND level = ? AND removed_version IS NULL",
        &[key.clone().into(), level.as_str().into()],
    )?;
    if !live.is_empty() {
        sum.urls_already_listed += 1;
        return Ok(());
    }
    cx.version += 1;
    cx.xseq += 1;
    c.execute(
        "INSERT INTO url_entries (id, url_key, level, original, category, added_by, added_at, version, xseq, origin_peer, origin_id, received_at, origin_bundle) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            random_id()?.into(),
            key.into(),
            level.as_str().into(),
            u.url.trim().into(),
            category.into(),
            by.into(),
            now.into(),
            cx.version.into(),
            cx.xseq.into(),
            peer.id.clone().into(),
            u.id.clone().into(),
            now.into(),
            bundle.into(),
        ],
    )?;
    sum.urls_added += 1;
    Ok(())
}

/// A received alert, sealed with this node's key. One already withdrawn
/// here stays withdrawn; one already expired is not kept.
#[allow(clippy::too_many_arguments)]
fn add_alert(
    c: &mut dyn Conn,
    keys: &Keyring,
    peer: &Peer,
    a: &haven_domain::exchange::AlertItem,
    by: &str,
    bundle: &str,
    now: i64,
    sum: &mut ImportSummary,
) -> StoreResult<()> {
    if a.expires <= now {
        return Ok(());
    }
    let json = serde_json::to_string(a)
        .map_err(|e| StoreError::Database(format!("an alert's contents: {e}")))?;
    let sealed = keys.seal(super::alerts::SEALED, &json)?;
    let existing = c.query(
        "SELECT id, sealed FROM alerts WHERE origin_peer = ? AND origin_id = ?",
        &[peer.id.clone().into(), a.id.clone().into()],
    )?;
    if let Some(r) = existing.first() {
        if opt_blob(r, 1)?.is_some() {
            c.execute(
                "UPDATE alerts SET sealed = ?, expires = ?, received_at = ?, origin_bundle = ? WHERE id = ?",
                &[sealed.into(), a.expires.into(), now.into(), bundle.into(), text(r, 0)?.into()],
            )?;
            sum.alerts_added += 1;
        }
        return Ok(());
    }
    c.execute(
        "INSERT INTO alerts (id, origin_peer, origin_id, sealed, expires, issued_by, issued_at, received_at, origin_bundle) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            random_id()?.into(),
            peer.id.clone().into(),
            a.id.clone().into(),
            sealed.into(),
            a.expires.into(),
            by.into(),
            now.into(),
            now.into(),
            bundle.into(),
        ],
    )?;
    sum.alerts_added += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::all_different;

    #[test]
    fn repeated_origin_ids_are_found_in_any_order() {
        assert!(all_different(&mut []));
        assert!(all_different(&mut ["a", "b", "c"]));
        assert!(all_different(&mut ["h9", "h10", "h1"]));
        assert!(!all_different(&mut ["a", "b", "a"]));
        assert!(!all_different(&mut ["b", "b"]));
        assert!(!all_different(&mut ["c", "a", "b", "a"]));
    }
}
