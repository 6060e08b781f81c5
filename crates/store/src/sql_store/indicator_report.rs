//! Many figures at once (a report, an export): the columns their
//! definitions read are fetched once, in one read transaction, and every
//! figure is counted from them by [`haven_domain::indicators::facts`].
//! Figures a caseworker limited to an agency asks for are counted one
//! query each, as [`SqlStore::do_indicator_tallies`] does.

use super::indicators::{with_population, Asked};
use super::{under_path, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::indicators::IndicatorQuery;
use crate::sql::{int, opt_int, Cell, Conn, Value};
use haven_domain::indicators::cells::NOT_RECORDED;
use haven_domain::indicators::facts::{
    level_rank, minority_key, tally, window, Assessed, ChildFact, ExploitationCase, Facts,
    HotlineFact, Place, ReferralFact, ReportFact,
};
use haven_domain::indicators::{Dimension, RecordType, Tallies, Unit};
use haven_domain::{Actor, Date, Role};
use rustc_hash::FxHashMap;

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

/// Where each child read sits in [`Facts::children`], by identifier, for
/// joining their assessments and cases to them. The identifiers Haven
/// gives are 32 lowercase hex digits, kept here as the number they spell:
/// no string is allocated or compared for each of a million children and
/// three million assessments. Any other identifier is kept as it is.
#[derive(Default)]
struct ChildIndex {
    numbered: FxHashMap<u128, u32>,
    other: FxHashMap<Box<str>, u32>,
}

impl ChildIndex {
    fn number(id: &str) -> Option<u128> {
        if haven_domain::field_ops::is_record_id(id) {
            u128::from_str_radix(id, 16).ok()
        } else {
            None
        }
    }

    fn insert(&mut self, id: &str, at: u32) {
        match Self::number(id) {
            Some(n) => self.numbered.insert(n, at),
            None => self.other.insert(id.into(), at),
        };
    }

    fn get(&self, id: &str) -> Option<u32> {
        match Self::number(id) {
            Some(n) => self.numbered.get(&n),
            None => self.other.get(id),
        }
        .copied()
    }
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
        let counted = self.aggregate_tx(|c| {
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
                let facts = self.read_facts(c, path, &needs)?;
                // Figures of the same definition and periods share a pass.
                let mut done = vec![false; list.len()];
                for k in 0..list.len() {
                    if done[k] {
                        continue;
                    }
                    let (i, asked) = &list[k];
                    let q = &queries[*i];
                    let same: Vec<usize> = (k..list.len())
                        .filter(|&m| {
                            let o = &queries[list[m].0];
                            !done[m]
                                && o.definition == q.definition
                                && o.periods == q.periods
                                && o.location == q.location
                        })
                        .collect();
                    let bys: Vec<Option<Dimension>> =
                        same.iter().map(|&m| queries[list[m].0].by).collect();
                    let place = Place {
                        path,
                        scope: asked.scope,
                    };
                    let below = places_below_any(&same, list);
                    let mut per_by: Vec<Vec<Tallies>> = vec![Vec::new(); same.len()];
                    for p in &q.periods {
                        let counted =
                            tally(&facts, &q.definition, &bys, p, place, &q.location, below);
                        for (slot, (mut t, by)) in
                            per_by.iter_mut().zip(counted.into_iter().zip(&bys))
                        {
                            if q.definition.unit == Unit::RatePer100k {
                                with_population(c, path, p, *by, below, &mut t)?;
                            }
                            slot.push(t);
                        }
                    }
                    for (&m, t) in same.iter().zip(per_by) {
                        done[m] = true;
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
    fn read_facts(&self, c: &mut dyn Conn, path: &str, needs: &Needs) -> StoreResult<Facts> {
        let whole = path.matches('/').count() <= 2;
        let within = |col: &str, params: &mut Vec<Value>| {
            if whole {
                String::new()
            } else {
                under_path(col, path, params)
            }
        };
        let mut f = Facts::default();
        let not_recorded = f.symbols.id(NOT_RECORDED);
        let mut index = ChildIndex::default();
        if needs.children {
            let mut params = Vec::new();
            let sealed = if needs.minority_group {
                ", x.minority_group_enc"
            } else {
                ""
            };
            let sql = format!(
                "SELECT x.id, x.created_at, x.location_path, x.sex, x.date_of_birth, x.birth_registration, x.disability, x.agency, \
                 x.first_assessment_seq, x.first_assessment_level{sealed} FROM children x WHERE 1 = 1{}",
                within("x.location_path", &mut params)
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
                        f.symbols.id(minority_key(Some(&opened)))
                    }
                    _ => not_recorded,
                };
                if keep_ids {
                    index.insert(get_text(r, 0), f.children.len() as u32);
                }
                f.children.push(ChildFact {
                    created_at: int(r, 1)?,
                    path: f.symbols.id(get_text(r, 2)),
                    sex: f.symbols.id(get_text(r, 3)),
                    date_of_birth,
                    birth_registration: f.symbols.id(get_text(r, 5)),
                    disability: int(r, 6)? != 0,
                    agency: f.symbols.id(get_text(r, 7)),
                    minority_group,
                    exploitation_form: not_recorded,
                    first: opt_int(r, 8)?.map(|seq| (seq, level_rank(get_text(r, 9)))),
                    assessed: Vec::new(),
                    cases: Vec::new(),
                });
                Ok(())
            })?;
        }
        if let Some((start, end)) = needs.assessments {
            // The period's assessments only (through the index that holds
            // what is read here): a child's first one, which "reassessed"
            // and "the level fell" compare with, is on the child's row.
            c.for_each_row(
                "SELECT a.child_id, a.seq, a.assessed_at, COALESCE(a.confirmed_level, a.level), a.layer FROM assessments a \
                 WHERE a.assessed_at >= ? AND a.assessed_at < ?",
                &[start.into(), end.into()],
                &mut |r| {
                    let Some(at_child) = index.get(get_text(r, 0)) else {
                        return Ok(());
                    };
                    let level = get_text(r, 3);
                    let assessed = Assessed {
                        seq: int(r, 1)?,
                        at: int(r, 2)?,
                        level: f.symbols.id(level),
                        rank: level_rank(level),
                        tertiary: get_text(r, 4) == "tertiary",
                    };
                    f.children[at_child as usize].assessed.push(assessed);
                    Ok(())
                },
            )?;
        }
        if needs.cases {
            // The form of a child's latest case recording one (latest by
            // opening, then by id).
            let mut latest: FxHashMap<u32, (i64, String)> = FxHashMap::default();
            c.for_each_row(
                "SELECT k.child_id, k.id, k.opened_at, k.closed_at, k.exploitation FROM cases k WHERE k.exploitation IS NOT NULL",
                &[],
                &mut |r| {
                    let Some(at_child) = index.get(get_text(r, 0)) else {
                        return Ok(());
                    };
                    let opened_at = int(r, 2)?;
                    let id = get_text(r, 1);
                    let newer = latest
                        .get(&at_child)
                        .is_none_or(|(o, i)| (opened_at, id) > (*o, i.as_str()));
                    let form = f.symbols.id(get_text(r, 4));
                    let child = &mut f.children[at_child as usize];
                    if newer {
                        latest.insert(at_child, (opened_at, id.to_string()));
                        child.exploitation_form = form;
                    }
                    child.cases.push(ExploitationCase {
                        opened_at,
                        closed_at: opt_int(r, 3)?,
                    });
                    Ok(())
                },
            )?;
        }
        if let Some((start, end)) = needs.referrals {
            let mut params: Vec<Value> = vec![start.into(), end.into()];
            let sql = format!(
                "SELECT x.sent_at, x.location_path, x.to_agency, x.sector, x.status, x.completed_at FROM referrals x JOIN cases k ON k.id = x.case_id WHERE x.sent_at >= ? AND x.sent_at < ?{}",
                within("x.location_path", &mut params)
            );
            c.for_each_row(&sql, &params, &mut |r| {
                let status = get_text(r, 4);
                f.referrals.push(ReferralFact {
                    sent_at: int(r, 0)?,
                    path: f.symbols.id(get_text(r, 1)),
                    to_agency: f.symbols.id(get_text(r, 2)),
                    sector: f.symbols.id(get_text(r, 3)),
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
                within("x.location_path", &mut params)
            );
            c.for_each_row(&sql, &params, &mut |r| {
                let (decided, due) = (opt_int(r, 3)?, opt_int(r, 4)?);
                f.reports.push(ReportFact {
                    received_at: int(r, 0)?,
                    path: f.symbols.id(get_text(r, 1)),
                    category: f.symbols.id(get_text(r, 2)),
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
                    f.hotline.push(HotlineFact {
                        reported_at: int(r, 0)?,
                        illegal: get_text(r, 1) == "illegal",
                        removed_at: opt_int(r, 2)?,
                    });
                    Ok(())
                },
            )?;
        }
        Ok(f)
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
    use super::ChildIndex;

    #[test]
    fn child_index_finds_every_identifier_and_confuses_none() {
        let mut index = ChildIndex::default();
        let given = "0123456789abcdef0123456789abcdef";
        // Spellings that parse to the same number as `given` but are not
        // the same identifier, and identifiers Haven does not give.
        let upper = "0123456789ABCDEF0123456789abcdef";
        let signed = "+123456789abcdef0123456789abcdef";
        let short = "123456789abcdef0123456789abcdef";
        for (at, id) in [given, upper, signed, short, "child-7", ""]
            .iter()
            .enumerate()
        {
            index.insert(id, at as u32);
        }
        assert_eq!(index.get(given), Some(0));
        assert_eq!(index.get(upper), Some(1));
        assert_eq!(index.get(signed), Some(2));
        assert_eq!(index.get(short), Some(3));
        assert_eq!(index.get("child-7"), Some(4));
        assert_eq!(index.get(""), Some(5));
        assert_eq!(index.get("0123456789abcdef0123456789abcdee"), None);
        assert_eq!(index.numbered.len(), 1);
    }
}
