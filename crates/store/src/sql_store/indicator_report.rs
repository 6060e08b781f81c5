//! Many figures at once (a report, an export): the columns their
//! definitions read are fetched once, in one read transaction, and every
//! figure is counted from them by [`haven_domain::indicators::facts`].
//! Figures a caseworker limited to an agency asks for are counted one
//! query each, as [`SqlStore::do_indicator_tallies`] does.

use super::indicators::{with_population, within, Asked};
use super::SqlStore;
use crate::error::{StoreError, StoreResult};
use crate::indicators::IndicatorQuery;
use crate::sql::{int, opt_int, Cell, Conn, ScanPiece, Value};
use haven_domain::indicators::cells::NOT_RECORDED;
use haven_domain::indicators::facts::{
    level_rank, minority_key, on_every_core, tally, window, Assessed, ChildFact, ExploitationCase,
    Facts, HotlineFact, Place, ReferralFact, ReportFact, Span, Symbols,
};
use haven_domain::indicators::{Dimension, Period, RecordType, Tallies, Unit};
use haven_domain::{Actor, Date, Role};
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the figures asked of one place need read.
#[derive(Default)]
struct Needs {
    children: bool,
    assessments: Option<(i64, i64)>,
    cases: bool,
    minority_group: bool,
    referrals: Option<(i64, i64)>,
    reports: Option<(i64, i64)>,
    hotline: Option<(i64, i64)>,
}

fn widen(w: &mut Option<(i64, i64)>, (start, end): (i64, i64)) {
    *w = Some(match *w {
        None => (start, end),
        Some((s, e)) => (s.min(start), e.max(end)),
    });
}

impl Needs {
    fn add(&mut self, q: &IndicatorQuery) {
        let d = &q.definition;
        for p in &q.periods {
            let w = window(d, p);
            match d.numerator.record {
                RecordType::Children => self.children = true,
                RecordType::Assessments => {
                    self.children = true;
                    widen(&mut self.assessments, w);
                }
                RecordType::Victims => {
                    self.children = true;
                    self.cases = true;
                    widen(&mut self.assessments, w);
                }
                RecordType::Referrals => widen(&mut self.referrals, w),
                RecordType::Reports => widen(&mut self.reports, w),
                RecordType::HotlineItems => widen(&mut self.hotline, w),
            }
        }
        match q.by {
            Some(Dimension::MinorityGroup) => self.minority_group = true,
            Some(Dimension::ExploitationForm) => self.cases = true,
            _ => {}
        }
    }
}

/// A text column (NULL reads as the empty string, as the one-query path
/// reads it through `COALESCE`).
fn get_text<'a>(r: &[Cell<'a>], i: usize) -> &'a str {
    match r.get(i) {
        Some(Cell::Text(t)) => t,
        _ => "",
    }
}

/// The identifiers Haven gives are 32 lowercase hex digits, kept here as
/// the number they spell: no string is allocated or compared for each of
/// a million children and three million assessments. Any other
/// identifier is kept as it is.
fn numbered(id: &str) -> Option<u128> {
    // One pass, where checking the spelling (`is_record_id`) and then
    // reading the number took two.
    if id.len() != 32 {
        return None;
    }
    id.bytes().try_fold(0u128, |n, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(n << 4 | u128::from(digit))
    })
}

/// The children read, by identifier, to put their assessments and cases
/// with them. Rows are put with their child by sorting both sides and
/// walking them together: a hash table of a million children costs a
/// cache miss a row (0.4 s a million on the benchmark machine), a sort
/// far less.
#[derive(Default)]
struct ChildKeys {
    numbered: Vec<(u128, u32)>,
    other: FxHashMap<Box<str>, u32>,
}

/// Rows naming their child by identifier, before the children are known.
struct ByChild<T> {
    numbered: Vec<(u128, T)>,
    other: Vec<(Box<str>, T)>,
}

impl<T> Default for ByChild<T> {
    fn default() -> Self {
        ByChild {
            numbered: Vec::new(),
            other: Vec::new(),
        }
    }
}

impl<T> ByChild<T> {
    fn push(&mut self, child_id: &str, row: T) {
        match numbered(child_id) {
            Some(n) => self.numbered.push((n, row)),
            None => self.other.push((child_id.into(), row)),
        }
    }

    /// Done reading: sorted by child, so each child's rows come together.
    fn sorted(mut self) -> Self {
        self.numbered.sort_unstable_by_key(|r| r.0);
        self
    }
}

impl ChildKeys {
    fn insert(&mut self, id: &str, at: u32) {
        match numbered(id) {
            Some(n) => self.numbered.push((n, at)),
            None => {
                self.other.insert(id.into(), at);
            }
        }
    }

    /// Done reading: sorted, for [`ChildKeys::group`].
    fn sorted(mut self) -> Self {
        self.numbered.sort_unstable_by_key(|k| k.0);
        self
    }

    /// Puts sorted rows with their children: the rows, each child's
    /// together, and where each child's sit (by the child's place among
    /// those read). Rows of a child not read are dropped.
    fn group<T>(&self, rows: ByChild<T>) -> (Vec<T>, Vec<(u32, Span)>) {
        let mut out = Vec::with_capacity(rows.numbered.len());
        let mut spans = Vec::new();
        let mut keys = self.numbered.iter().peekable();
        let mut rows_in = rows.numbered.into_iter().peekable();
        while let Some((key, row)) = rows_in.next() {
            while keys.next_if(|k| k.0 < key).is_some() {}
            let child = keys.peek().filter(|k| k.0 == key).map(|k| k.1);
            let start = out.len();
            if child.is_some() {
                out.push(row);
            }
            while let Some((_, row)) = rows_in.next_if(|r| r.0 == key) {
                if child.is_some() {
                    out.push(row);
                }
            }
            if let Some(at) = child {
                spans.push((at, span(start, out.len())));
            }
        }
        // The few identifiers Haven did not give, by child.
        let mut other: Vec<(u32, T)> = rows
            .other
            .into_iter()
            .filter_map(|(id, row)| self.other.get(&id).map(|&at| (at, row)))
            .collect();
        other.sort_by_key(|r| r.0);
        let mut other = other.into_iter().peekable();
        while let Some((at, row)) = other.next() {
            let start = out.len();
            out.push(row);
            while let Some((_, row)) = other.next_if(|r| r.0 == at) {
                out.push(row);
            }
            spans.push((at, span(start, out.len())));
        }
        (out, spans)
    }
}

fn span(start: usize, end: usize) -> Span {
    Span {
        start: start as u32,
        len: (end - start) as u32,
    }
}

/// A report's children, with what is needed to put their rows with them.
#[derive(Default)]
struct ChildrenRead {
    symbols: Symbols,
    children: Vec<ChildFact>,
    keys: ChildKeys,
}

impl ChildrenRead {
    /// Takes in children another connection read.
    fn append(&mut self, other: ChildrenRead) {
        let remap = self.symbols.absorb(&other.symbols);
        let offset = self.children.len() as u32;
        self.children
            .extend(other.children.into_iter().map(|mut child| {
                child.renumber(&remap);
                child
            }));
        let keys = &mut self.keys;
        keys.numbered
            .extend((other.keys.numbered.into_iter()).map(|(key, at)| (key, at + offset)));
        keys.other
            .extend((other.keys.other.into_iter()).map(|(key, at)| (key, at + offset)));
    }
}

/// How many pieces the children are read in, on two connections: small
/// enough that neither waits long for the other at the end.
const CHILDREN_PIECES: usize = 16;

/// A case recording a form of exploitation, as read.
struct CaseRow {
    case: ExploitationCase,
    id: Box<str>,
    form: u32,
}

/// A report's rows other than its children: read on a second connection,
/// at the same time as the children, where the backend gives one.
#[derive(Default)]
struct EventsRead {
    symbols: Symbols,
    assessed: ByChild<Assessed>,
    cases: ByChild<CaseRow>,
    referrals: Vec<ReferralFact>,
    reports: Vec<ReportFact>,
    hotline: Vec<HotlineFact>,
}

/// The two reads made one: the rows put with their children, and every
/// symbol renumbered into the children's table.
fn join(children: ChildrenRead, events: EventsRead) -> Facts {
    let ChildrenRead {
        mut symbols,
        children,
        keys,
    } = children;
    let keys = keys.sorted();
    let remap = symbols.absorb(&events.symbols);
    let mut f = Facts {
        symbols,
        children,
        ..Facts::default()
    };
    let (mut assessed, spans) = keys.group(events.assessed);
    for a in &mut assessed {
        a.renumber(&remap);
    }
    for (at, span) in spans {
        f.children[at as usize].assessed = span;
    }
    f.assessed = assessed;
    let (cases, spans) = keys.group(events.cases);
    for (at, span) in spans {
        let child = &mut f.children[at as usize];
        child.cases = span;
        // The form of the child's latest case recording one (latest by
        // opening, then by id).
        let rows = span.of(&cases);
        if let Some(latest) = rows
            .iter()
            .max_by(|a, b| (a.case.opened_at, &a.id).cmp(&(b.case.opened_at, &b.id)))
        {
            if let Some(&form) = remap.get(latest.form as usize) {
                child.exploitation_form = form;
            }
        }
    }
    f.exploitation_cases = cases.into_iter().map(|r| r.case).collect();
    f.referrals = events.referrals;
    for r in &mut f.referrals {
        r.renumber(&remap);
    }
    f.reports = events.reports;
    for r in &mut f.reports {
        r.renumber(&remap);
    }
    f.hotline = events.hotline;
    f
}

impl SqlStore {
    pub(crate) fn do_indicator_report(
        &self,
        actor: &Actor,
        queries: &[IndicatorQuery],
        now: i64,
    ) -> StoreResult<Vec<StoreResult<Vec<Tallies>>>> {
        let mut refused: Vec<Option<StoreError>> = queries
            .iter()
            .map(|q| self.check_indicator(actor, q, now).err())
            .collect();
        // A caseworker limited to an agency has figures of their agency's
        // cases only, which the rows read here do not carry.
        let one_pass = !(actor.role == Role::Caseworker && actor.agency_filter().is_some());
        let counted = self.aggregate_together(|c, mut helper| {
            let mut out: Vec<Option<StoreResult<Vec<Tallies>>>> =
                (0..queries.len()).map(|_| None).collect();
            // The place each figure is asked of, checked; grouped by place.
            let mut places: Vec<(String, Vec<(usize, Asked)>)> = Vec::new();
            for (i, q) in queries.iter().enumerate() {
                if refused[i].is_some() {
                    continue;
                }
                let asked = match Asked::of(c, actor, q) {
                    Ok(a) => a,
                    Err(e @ (StoreError::Forbidden(_) | StoreError::Invalid(_))) => {
                        out[i] = Some(Err(e));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                if !one_pass {
                    out[i] = Some(self.tally_periods(c, actor, q, &asked));
                    continue;
                }
                match places.iter_mut().find(|(path, _)| *path == asked.path) {
                    Some((_, list)) => list.push((i, asked)),
                    None => places.push((asked.path.clone(), vec![(i, asked)])),
                }
            }
            for (path, list) in &places {
                let mut needs = Needs::default();
                for (i, _) in list {
                    needs.add(&queries[*i]);
                }
                let facts = self.read_facts(c, helper.as_deref_mut(), path, &needs)?;
                // Figures of the same definition and periods share a pass.
                let mut passes: Vec<Vec<usize>> = Vec::new();
                let mut done = vec![false; list.len()];
                for k in 0..list.len() {
                    if done[k] {
                        continue;
                    }
                    let q = &queries[list[k].0];
                    let same: Vec<usize> = (k..list.len())
                        .filter(|&m| {
                            let o = &queries[list[m].0];
                            !done[m]
                                && o.definition == q.definition
                                && o.periods == q.periods
                                && o.location == q.location
                        })
                        .collect();
                    for &m in &same {
                        done[m] = true;
                    }
                    passes.push(same);
                }
                // Each pass and period is counted apart, on every core.
                let jobs: Vec<(usize, &Period)> = passes
                    .iter()
                    .enumerate()
                    .flat_map(|(n, same)| {
                        queries[list[same[0]].0].periods.iter().map(move |p| (n, p))
                    })
                    .collect();
                let bys_of = |same: &[usize]| -> Vec<Option<Dimension>> {
                    same.iter().map(|&m| queries[list[m].0].by).collect()
                };
                let counted = on_every_core(&jobs, |&(n, period)| {
                    let same = &passes[n];
                    let (i, asked) = &list[same[0]];
                    let q = &queries[*i];
                    let place = Place {
                        path,
                        scope: asked.scope,
                    };
                    let below = places_below_any(same, list);
                    tally(
                        &facts,
                        &q.definition,
                        &bys_of(same),
                        period,
                        place,
                        &q.location,
                        below,
                    )
                });
                let mut per_pass: Vec<Vec<Vec<Tallies>>> = passes
                    .iter()
                    .map(|same| vec![Vec::new(); same.len()])
                    .collect();
                for (&(n, period), tallies) in jobs.iter().zip(counted) {
                    let same = &passes[n];
                    let q = &queries[list[same[0]].0];
                    let below = places_below_any(same, list);
                    for ((slot, mut t), by) in per_pass[n].iter_mut().zip(tallies).zip(bys_of(same))
                    {
                        if q.definition.unit == Unit::RatePer100k {
                            with_population(c, path, period, by, below, &mut t)?;
                        }
                        slot.push(t);
                    }
                }
                for (same, per_by) in passes.iter().zip(per_pass) {
                    for (&m, t) in same.iter().zip(per_by) {
                        out[list[m].0] = Some(Ok(t));
                    }
                }
            }
            Ok(out)
        })?;
        Ok(counted
            .into_iter()
            .enumerate()
            .map(|(i, t)| match (refused[i].take(), t) {
                (Some(e), _) => Err(e),
                (None, Some(t)) => t,
                (None, None) => Err(StoreError::Database("a figure was not counted".into())),
            })
            .collect())
    }

    /// Reads the columns the figures asked of the place at `path` need.
    /// Given a second connection reading the same state, the children
    /// are read in pieces by whichever connection is free: `c` starts on
    /// them, `helper` once it has read everything else.
    fn read_facts<'h>(
        &self,
        c: &mut dyn Conn,
        helper: Option<&mut (dyn Conn + Send + 'h)>,
        path: &str,
        needs: &Needs,
    ) -> StoreResult<Facts> {
        let mut pieces: Vec<Option<ScanPiece>> = match (&helper, needs.children) {
            (Some(_), true) => c
                .scan_pieces("children", "x", CHILDREN_PIECES)?
                .into_iter()
                .map(Some)
                .collect(),
            _ => Vec::new(),
        };
        if pieces.is_empty() && needs.children {
            pieces.push(None);
        }
        let next = AtomicUsize::new(0);
        // After a failure, neither reader takes another piece.
        let stop = |e: StoreError| {
            next.store(pieces.len(), Ordering::Relaxed);
            e
        };
        let take_pieces = |c: &mut dyn Conn| -> StoreResult<ChildrenRead> {
            let mut read = ChildrenRead::default();
            while let Some(piece) = pieces.get(next.fetch_add(1, Ordering::Relaxed)) {
                self.read_children(c, path, needs, piece.as_ref(), &mut read)
                    .map_err(stop)?;
            }
            Ok(read)
        };
        let Some(h) = helper else {
            let children = take_pieces(c)?;
            return Ok(join(children, self.read_events(c, path, needs)?));
        };
        std::thread::scope(|s| {
            let second = s.spawn(|| {
                let events = self.read_events(h, path, needs).map_err(stop)?;
                Ok::<_, StoreError>((events, take_pieces(h)?))
            });
            let first = take_pieces(c);
            let second = second.join().unwrap_or_else(|_| {
                Err(StoreError::Database(
                    "the report's second reader stopped".into(),
                ))
            });
            let mut children = first?;
            let (events, more) = second?;
            children.append(more);
            Ok(join(children, events))
        })
    }

    /// Reads the children (those of `piece` when given) into `read`.
    fn read_children(
        &self,
        c: &mut dyn Conn,
        path: &str,
        needs: &Needs,
        piece: Option<&ScanPiece>,
        read: &mut ChildrenRead,
    ) -> StoreResult<()> {
        let symbols = &mut read.symbols;
        let not_recorded = symbols.id(NOT_RECORDED);
        let mut params = Vec::new();
        let sealed = if needs.minority_group {
            ", x.minority_group_enc"
        } else {
            ""
        };
        let mut wh = within(path, "x.location_path", &mut params);
        if let Some((condition, values)) = piece {
            wh.push_str(" AND ");
            wh.push_str(condition);
            params.extend(values.iter().cloned());
        }
        let sql = format!(
            "SELECT x.id, x.created_at, x.location_path, x.sex, x.date_of_birth, x.birth_registration, x.disability, x.agency, \
             x.first_assessment_seq, x.first_assessment_level{sealed} FROM children x WHERE 1 = 1{wh}"
        );
        let keep_ids = needs.assessments.is_some() || needs.cases;
        c.for_each_row(&sql, &params, &mut |r| {
            let born = get_text(r, 4);
            let date_of_birth = Date::parse(born).ok_or_else(|| {
                StoreError::Database(format!("a child's date of birth {born:?} is not a date"))
            })?;
            let minority_group = match r.get(10) {
                Some(Cell::Blob(b)) if needs.minority_group => {
                    let opened = self.keys.open("minority_group", b)?;
                    symbols.id(minority_key(Some(&opened)))
                }
                _ => not_recorded,
            };
            if keep_ids {
                read.keys.insert(get_text(r, 0), read.children.len() as u32);
            }
            read.children.push(ChildFact {
                created_at: int(r, 1)?,
                path: symbols.id(get_text(r, 2)),
                sex: symbols.id(get_text(r, 3)),
                date_of_birth,
                birth_registration: symbols.id(get_text(r, 5)),
                disability: int(r, 6)? != 0,
                agency: symbols.id(get_text(r, 7)),
                minority_group,
                exploitation_form: not_recorded,
                first: opt_int(r, 8)?.map(|seq| (seq, level_rank(get_text(r, 9)))),
                assessed: Span::default(),
                cases: Span::default(),
            });
            Ok(())
        })
    }

    fn read_events(
        &self,
        c: &mut (dyn Conn + '_),
        path: &str,
        needs: &Needs,
    ) -> StoreResult<EventsRead> {
        let mut read = EventsRead::default();
        let symbols = &mut read.symbols;
        if let Some((start, end)) = needs.assessments {
            // The period's assessments only (through the index that holds
            // what is read here): a child's first one, which "reassessed"
            // and "the level fell" compare with, is on the child's row.
            c.for_each_row(
                "SELECT a.child_id, a.seq, a.assessed_at, COALESCE(a.confirmed_level, a.level), a.layer FROM assessments a \
                 WHERE a.assessed_at >= ? AND a.assessed_at < ?",
                &[start.into(), end.into()],
                &mut |r| {
                    let level = get_text(r, 3);
                    let assessed = Assessed {
                        seq: int(r, 1)?,
                        at: int(r, 2)?,
                        level: symbols.id(level),
                        rank: level_rank(level),
                        tertiary: get_text(r, 4) == "tertiary",
                    };
                    read.assessed.push(get_text(r, 0), assessed);
                    Ok(())
                },
            )?;
            read.assessed = std::mem::take(&mut read.assessed).sorted();
        }
        if needs.cases {
            c.for_each_row(
                "SELECT k.child_id, k.id, k.opened_at, k.closed_at, k.exploitation FROM cases k WHERE k.exploitation IS NOT NULL",
                &[],
                &mut |r| {
                    let row = CaseRow {
                        case: ExploitationCase {
                            opened_at: int(r, 2)?,
                            closed_at: opt_int(r, 3)?,
                        },
                        id: get_text(r, 1).into(),
                        form: symbols.id(get_text(r, 4)),
                    };
                    read.cases.push(get_text(r, 0), row);
                    Ok(())
                },
            )?;
            read.cases = std::mem::take(&mut read.cases).sorted();
        }
        if let Some((start, end)) = needs.referrals {
            let mut params: Vec<Value> = vec![start.into(), end.into()];
            // Every referral has its case (a foreign key, and a case's
            // referrals are deleted before it): the one-query path's join
            // to cases, there for a caseworker limited to an agency, would
            // only cost a lookup a row here.
            let sql = format!(
                "SELECT x.sent_at, x.location_path, x.to_agency, x.sector, x.status, x.completed_at FROM referrals x WHERE x.sent_at >= ? AND x.sent_at < ?{}",
                within(path, "x.location_path", &mut params)
            );
            c.for_each_row(&sql, &params, &mut |r| {
                let status = get_text(r, 4);
                read.referrals.push(ReferralFact {
                    sent_at: int(r, 0)?,
                    path: symbols.id(get_text(r, 1)),
                    to_agency: symbols.id(get_text(r, 2)),
                    sector: symbols.id(get_text(r, 3)),
                    accepted: matches!(status, "accepted" | "completed"),
                    completed: status == "completed",
                    completed_at: opt_int(r, 5)?,
                });
                Ok(())
            })?;
        }
        if let Some((start, end)) = needs.reports {
            let mut params: Vec<Value> = vec![start.into(), end.into()];
            let sql = format!(
                "SELECT x.received_at, x.location_path, x.category, x.decided_at, x.due_at FROM reports x WHERE x.received_at >= ? AND x.received_at < ?{}",
                within(path, "x.location_path", &mut params)
            );
            c.for_each_row(&sql, &params, &mut |r| {
                let (decided, due) = (opt_int(r, 3)?, opt_int(r, 4)?);
                read.reports.push(ReportFact {
                    received_at: int(r, 0)?,
                    path: symbols.id(get_text(r, 1)),
                    category: symbols.id(get_text(r, 2)),
                    triaged_in_time: matches!((decided, due), (Some(d), Some(u)) if d <= u),
                });
                Ok(())
            })?;
        }
        if let Some((start, end)) = needs.hotline {
            c.for_each_row(
                "SELECT x.reported_at, x.assessment, x.removed_at FROM hotline_items x WHERE x.reported_at >= ? AND x.reported_at < ?",
                &[start.into(), end.into()],
                &mut |r| {
                    read.hotline.push(HotlineFact {
                        reported_at: int(r, 0)?,
                        illegal: get_text(r, 1) == "illegal",
                        removed_at: opt_int(r, 2)?,
                    });
                    Ok(())
                },
            )?;
        }
        Ok(read)
    }
}

/// The places below, from whichever of the figures sharing a pass was
/// broken down by place (they are asked of the same place).
fn places_below_any<'a>(same: &[usize], list: &'a [(usize, Asked)]) -> &'a [(String, String)] {
    same.iter()
        .map(|&m| list[m].1.below.as_slice())
        .find(|b| !b.is_empty())
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::{numbered, ByChild, ChildKeys, Span};

    #[test]
    fn rows_go_with_their_child_and_no_other() {
        let given = "0123456789abcdef0123456789abcdef";
        let next = "0123456789abcdef0123456789abcdf0";
        // Spellings that parse to the same number as `given` but are not
        // the same identifier, and identifiers Haven does not give.
        let upper = "0123456789ABCDEF0123456789abcdef";
        let signed = "+123456789abcdef0123456789abcdef";
        let short = "123456789abcdef0123456789abcdef";
        let children = [next, given, upper, signed, short, "child-7", ""];
        let mut keys = ChildKeys::default();
        for (at, id) in children.iter().enumerate() {
            keys.insert(id, at as u32);
        }
        let keys = keys.sorted();
        assert_eq!(keys.numbered.len(), 2);
        let mut rows = ByChild::default();
        // Each child's rows, out of order, and rows of children not read.
        for (n, id) in [
            given,
            "child-7",
            next,
            "ffffffffffffffffffffffffffffffff",
            short,
            given,
            upper,
            "",
            signed,
            "child-8",
            given,
            "0000000000000000000000000000000a",
        ]
        .iter()
        .enumerate()
        {
            rows.push(id, (n, *id));
        }
        let (grouped, spans) = keys.group(rows.sorted());
        let mut by_child: Vec<(usize, Vec<usize>)> = spans
            .iter()
            .map(|&(at, span): &(u32, Span)| {
                let rows = span.of(&grouped);
                assert!(rows.iter().all(|(_, id)| *id == children[at as usize]));
                let mut n: Vec<usize> = rows.iter().map(|r| r.0).collect();
                n.sort_unstable();
                (at as usize, n)
            })
            .collect();
        by_child.sort_unstable();
        assert_eq!(
            by_child,
            [
                (0, vec![2]),
                (1, vec![0, 5, 10]),
                (2, vec![6]),
                (3, vec![8]),
                (4, vec![4]),
                (5, vec![1]),
                (6, vec![7]),
            ]
        );
    }

    #[test]
    fn only_identifiers_haven_gives_are_read_as_numbers() {
        assert_eq!(numbered("0000000000000000000000000000000f"), Some(15));
        assert_eq!(
            numbered("ffffffffffffffffffffffffffffffff"),
            Some(u128::MAX)
        );
        for other in [
            "0000000000000000000000000000000F",
            "+000000000000000000000000000000f",
            "000000000000000000000000000000f",
            "0000000000000000000000000000000g",
            "",
        ] {
            assert_eq!(numbered(other), None, "{other}");
        }
    }
}
