//! Indicators: one grouped count per period, written once for both
//! backends. Only counts (and, for a median, durations) leave the query;
//! the caller's scope is part of its conditions.

use super::{append_audit, location_path, under_path, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::indicators::IndicatorQuery;
use crate::sql::{int, opt_blob, opt_int, opt_text, text, Conn, Value};
use haven_domain::indicators::cells::{median, Breakdown, NOT_RECORDED};
use haven_domain::indicators::facts::{is_whole_country, window};
use haven_domain::indicators::population::{covering, PlacedFigure, PopulationRow};
use haven_domain::indicators::{
    Dimension, Duration, Filter, Period, RecordType, Tallies, Tally, Unit, AGE_BANDS,
};
use haven_domain::{Actor, Role};
use std::collections::BTreeMap;

/// Where a record type's rows come from and which columns place and date them.
struct Source {
    from: &'static str,
    time: &'static str,
    /// The location path column; none for records with no place.
    path: Option<&'static str>,
}

fn source(r: RecordType) -> Source {
    match r {
        RecordType::Children => Source {
            from: "children x",
            time: "x.created_at",
            path: Some("x.location_path"),
        },
        RecordType::Assessments => Source {
            from: "assessments a JOIN children x ON x.id = a.child_id",
            time: "a.assessed_at",
            path: Some("x.location_path"),
        },
        RecordType::Referrals => Source {
            from: "referrals x JOIN cases k ON k.id = x.case_id",
            time: "x.sent_at",
            path: Some("x.location_path"),
        },
        RecordType::Reports => Source {
            from: "reports x",
            time: "x.received_at",
            path: Some("x.location_path"),
        },
        RecordType::HotlineItems => Source {
            from: "hotline_items x",
            time: "x.reported_at",
            path: None,
        },
        // Dated by what made them known as victims: see `VICTIM_SQL`.
        RecordType::Victims => Source {
            from: "children x",
            time: "",
            path: Some("x.location_path"),
        },
    }
}

/// A child known as a victim during `[?, ?)` (start, end, end, start):
/// assessed in it as already a victim (the tertiary layer), or with a
/// case open in it that records a form of exploitation.
const VICTIM_SQL: &str = "(EXISTS (SELECT 1 FROM assessments va WHERE va.child_id = x.id AND va.layer = 'tertiary' AND va.assessed_at >= ? AND va.assessed_at < ?) \
     OR EXISTS (SELECT 1 FROM cases vk WHERE vk.child_id = x.id AND vk.exploitation IS NOT NULL AND vk.opened_at < ? AND (vk.closed_at IS NULL OR vk.closed_at >= ?)))";

/// The form of exploitation of a child's latest case that records one.
const FORM_SQL: &str = "COALESCE((SELECT fk.exploitation FROM cases fk WHERE fk.child_id = x.id AND fk.exploitation IS NOT NULL ORDER BY fk.opened_at DESC, fk.id DESC LIMIT 1), 'not_recorded')";

/// The confirmed (else computed) risk level of assessment `alias` as a
/// number, lowest first, so that levels compare.
fn level_rank(alias: &str) -> String {
    format!(
        "(CASE COALESCE({alias}.confirmed_level, {alias}.level) WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 ELSE 3 END)"
    )
}

/// The condition keeping rows under the place at `path` (none for the
/// whole country, which also holds records made without a place).
pub(super) fn within(path: &str, col: &str, params: &mut Vec<Value>) -> String {
    if is_whole_country(path) {
        String::new()
    } else {
        under_path(col, path, params)
    }
}

/// A filter as SQL; `?` parameters are pushed onto `params`.
fn filter_sql(f: Filter, period: &Period, params: &mut Vec<Value>) -> String {
    match f {
        Filter::Under5 => {
            params.push(period.last_day().years_before(5).to_string().into());
            "x.date_of_birth > ?".into()
        }
        Filter::BirthRegistered => "x.birth_registration = 'registered'".into(),
        Filter::HighOrCritical => {
            "COALESCE(a.confirmed_level, a.level) IN ('high', 'critical')".into()
        }
        Filter::Reassessed => {
            "EXISTS (SELECT 1 FROM assessments ra WHERE ra.child_id = a.child_id AND ra.seq < a.seq)"
                .into()
        }
        Filter::LevelFell => format!(
            "{} < (SELECT {} FROM assessments fa WHERE fa.child_id = a.child_id ORDER BY fa.seq LIMIT 1)",
            level_rank("a"),
            level_rank("fa")
        ),
        Filter::Accepted => "x.status IN ('accepted', 'completed')".into(),
        Filter::Completed => "x.status = 'completed'".into(),
        Filter::TriagedInTime => "x.decided_at IS NOT NULL AND x.decided_at <= x.due_at".into(),
        Filter::Illegal => "x.assessment = 'illegal'".into(),
        Filter::Removed => "x.removed_at IS NOT NULL".into(),
    }
}

/// The grouping expression of a breakdown. Holds no parameter (the age
/// bands' dates are written from [`haven_domain::Date`], digits and dashes
/// only), so it can be repeated in `GROUP BY`.
fn key_sql(by: Dimension, r: RecordType, period: &Period) -> String {
    match by {
        Dimension::Sex => "x.sex".into(),
        Dimension::AgeBand => {
            let last = period.last_day();
            let mut s = String::from("CASE");
            for (lower, name) in AGE_BANDS.iter().skip(1).zip(AGE_BANDS.iter()) {
                // Born after the day `lower` years before: not yet that old.
                s.push_str(&format!(
                    " WHEN x.date_of_birth > '{}' THEN '{}'",
                    last.years_before(lower.0),
                    name.1
                ));
            }
            s.push_str(&format!(" ELSE '{}' END", AGE_BANDS[AGE_BANDS.len() - 1].1));
            s
        }
        Dimension::Location => "COALESCE(x.location_path, '')".into(),
        Dimension::BirthRegistration => "x.birth_registration".into(),
        Dimension::RiskLevel => "COALESCE(a.confirmed_level, a.level)".into(),
        Dimension::Agency if r == RecordType::Referrals => "x.to_agency".into(),
        Dimension::Agency => "COALESCE(x.agency, '')".into(),
        Dimension::Sector => "x.sector".into(),
        Dimension::ReportCategory => "x.category".into(),
        Dimension::ExploitationForm => FORM_SQL.into(),
        Dimension::Disability => "CASE WHEN x.disability <> 0 THEN 'yes' ELSE 'no' END".into(),
        // Sealed: opened row by row (see `tally_period`).
        Dimension::MinorityGroup => "''".into(),
    }
}

/// The place a figure is asked of, as the caller may see it.
pub(super) struct Asked<'a> {
    /// The chosen place's path.
    pub path: String,
    /// The caller's area, when limited to one (not for the monitoring
    /// officer, who sees the whole country in counts only).
    pub scope: Option<&'a str>,
    /// The places one level below, when broken down by place.
    pub below: Vec<(String, String)>,
}

impl<'a> Asked<'a> {
    /// Checks the place: it exists, the figures are tied to places (or it
    /// is the whole country), and it meets the caller's area.
    pub fn of(c: &mut dyn Conn, actor: &'a Actor, q: &IndicatorQuery) -> StoreResult<Asked<'a>> {
        let (path, _) = location_path(c, &q.location)?.ok_or_else(|| {
            StoreError::field(
                "location",
                format!("there is no location with code {:?}", q.location),
            )
        })?;
        if source(q.definition.numerator.record).path.is_none() && !is_whole_country(&path) {
            return Err(StoreError::field(
                "location",
                "these figures are not tied to a place: choose the whole country",
            ));
        }
        let scope = (actor.role != Role::Monitor)
            .then_some(actor.scope_path.as_deref())
            .flatten();
        if let Some(s) = scope {
            if !path.starts_with(s) && !s.starts_with(path.as_str()) {
                return Err(StoreError::Forbidden(format!(
                    "{} is outside your area",
                    q.location
                )));
            }
        }
        let below = match q.by {
            Some(Dimension::Location) => places_below(c, &q.location)?,
            _ => Vec::new(),
        };
        Ok(Asked { path, scope, below })
    }
}

/// The places one level below the chosen one: (code, path).
fn places_below(c: &mut dyn Conn, code: &str) -> StoreResult<Vec<(String, String)>> {
    c.query(
        "SELECT code, path FROM locations WHERE parent = ? ORDER BY code",
        &[code.into()],
    )?
    .iter()
    .map(|r| Ok((text(r, 0)?, text(r, 1)?)))
    .collect()
}

impl SqlStore {
    pub(crate) fn do_indicator_tallies(
        &self,
        actor: &Actor,
        q: &IndicatorQuery,
        now: i64,
    ) -> StoreResult<Vec<Tallies>> {
        self.check_indicator(actor, q, now)?;
        self.aggregate_tx(|c| {
            let asked = Asked::of(c, actor, q)?;
            self.tally_periods(c, actor, q, &asked)
        })
    }

    /// Each period of `q`, one grouped query each, at the place checked.
    pub(super) fn tally_periods(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        q: &IndicatorQuery,
        asked: &Asked,
    ) -> StoreResult<Vec<Tallies>> {
        q.periods
            .iter()
            .map(|period| {
                self.tally_period(c, actor, q, &asked.path, asked.scope, &asked.below, period)
            })
            .collect()
    }

    /// Whether the caller's role sees these figures (a refusal is
    /// audited), and whether the breakdown is one the definition offers.
    pub(super) fn check_indicator(
        &self,
        actor: &Actor,
        q: &IndicatorQuery,
        now: i64,
    ) -> StoreResult<()> {
        let d = &q.definition;
        let record = d.numerator.record;
        let national = actor.scope_path.is_none() && actor.agency_filter().is_none();
        let allowed = match (actor.role, record) {
            (Role::Monitor, _) => true,
            (Role::Analyst, RecordType::HotlineItems) => true,
            (Role::Admin | Role::Supervisor, RecordType::HotlineItems) => national,
            (Role::Caseworker, RecordType::HotlineItems) => false,
            (Role::Admin | Role::Supervisor | Role::Caseworker, _) => true,
            _ => false,
        };
        self.require_role(
            allowed,
            actor,
            "indicator.read",
            &d.id,
            "your role does not see these figures",
            now,
        )?;
        if let Some(by) = q.by {
            if !d.disaggregations.contains(&by) {
                return Err(StoreError::field(
                    "by",
                    format!("{} cannot be broken down by {}", d.id, by.as_str()),
                ));
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn tally_period(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        q: &IndicatorQuery,
        path: &str,
        scope: Option<&str>,
        below: &[(String, String)],
        period: &Period,
    ) -> StoreResult<Tallies> {
        let d = &q.definition;
        let record = d.numerator.record;
        let src = source(record);
        let (start, end) = window(d, period);
        let breakdown = Breakdown {
            by: q.by,
            location: &q.location,
            below,
        };
        let key = q.by.map(|by| key_sql(by, record, period));
        let median_of = match d.unit {
            Unit::MedianDays | Unit::MedianHours => d.duration,
            _ => None,
        };
        // What the numerator adds to the rows counted (the denominator's,
        // or every row of the type when there is none).
        let base_filters: &[Filter] = d.denominator.as_ref().map_or(&[], |den| &den.filter);
        let mut select_params = Vec::new();
        let extra: Vec<String> = d
            .numerator
            .filter
            .iter()
            .filter(|f| !base_filters.contains(f))
            .map(|&f| filter_sql(f, period, &mut select_params))
            .collect();
        let num = if extra.is_empty() {
            "1 = 1".to_string()
        } else {
            extra.join(" AND ")
        };
        let mut params = Vec::new();
        let mut wh = if record == RecordType::Victims {
            params.extend([start.into(), end.into(), end.into(), start.into()]);
            VICTIM_SQL.to_string()
        } else {
            params.push(start.into());
            params.push(end.into());
            format!("{t} >= ? AND {t} < ?", t = src.time)
        };
        if record == RecordType::Assessments {
            // The latest assessment of each child within the period.
            wh.push_str(" AND a.seq = (SELECT MAX(a2.seq) FROM assessments a2 WHERE a2.child_id = a.child_id AND a2.assessed_at >= ? AND a2.assessed_at < ?)");
            params.push(start.into());
            params.push(end.into());
        }
        for &f in base_filters {
            wh.push_str(" AND ");
            wh.push_str(&filter_sql(f, period, &mut params));
        }
        if let Some(col) = src.path {
            wh.push_str(&within(path, col, &mut params));
            if let Some(s) = scope {
                wh.push_str(&under_path(col, s, &mut params));
            }
        }
        if actor.role == Role::Caseworker {
            if let Some(agency) = actor.agency_filter() {
                match record {
                    RecordType::Children | RecordType::Assessments | RecordType::Victims => {
                        wh.push_str(" AND x.agency = ?");
                        params.push(agency.into());
                    }
                    RecordType::Referrals => {
                        wh.push_str(" AND k.agency = ?");
                        params.push(agency.into());
                    }
                    RecordType::Reports | RecordType::HotlineItems => {}
                }
            }
        }
        let key_col = key.as_deref().unwrap_or("''");
        let group = if key.is_some() { " GROUP BY 1" } else { "" };
        let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
        if let Some(du) = median_of {
            let dur = match du {
                Duration::ReportToRemoval => "x.removed_at - x.reported_at",
                Duration::ReferralToCompletion => "x.completed_at - x.sent_at",
            };
            let sql = format!(
                "SELECT {key_col}, {dur} FROM {} WHERE {wh} AND {num} AND {dur} IS NOT NULL",
                src.from
            );
            let mut all = select_params;
            all.extend(params);
            let scale = if d.unit == Unit::MedianDays {
                86_400.0
            } else {
                3_600.0
            };
            let mut by_key: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for r in c.query(&sql, &all)? {
                let k = opt_text(&r, 0)?.unwrap_or_default();
                if let Some(v) = opt_int(&r, 1)? {
                    by_key.entry(breakdown.group(&k)).or_default().push(v);
                }
            }
            let mut every = Vec::new();
            for (k, v) in by_key {
                every.extend(v.iter().copied());
                groups.insert(
                    k,
                    Tally {
                        numerator: v.len() as i64,
                        denominator: 0,
                        median: median(v).map(|m| m / scale),
                    },
                );
            }
            let total = Tally {
                numerator: every.len() as i64,
                denominator: 0,
                median: median(every).map(|m| m / scale),
            };
            return Ok(breakdown.finish(total, groups));
        }
        // The minority group is sealed: each row's is opened here, and only
        // the counts leave.
        let sealed = q.by == Some(Dimension::MinorityGroup);
        let sql = if sealed {
            format!(
                "SELECT x.minority_group_enc, CASE WHEN {num} THEN 1 ELSE 0 END, 1 FROM {} WHERE {wh}",
                src.from
            )
        } else {
            format!(
                "SELECT {key_col}, CAST(COALESCE(SUM(CASE WHEN {num} THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM {} WHERE {wh}{group}",
                src.from
            )
        };
        let mut all = select_params;
        all.extend(params);
        let mut total = Tally::default();
        for r in c.query(&sql, &all)? {
            let k = if sealed {
                opt_blob(&r, 0)?
                    .map(|b| self.keys.open("minority_group", &b))
                    .transpose()?
                    .map(|g| g.trim().to_string())
                    .filter(|g| !g.is_empty())
                    .unwrap_or_else(|| NOT_RECORDED.into())
            } else {
                opt_text(&r, 0)?.unwrap_or_default()
            };
            let (n, den) = (int(&r, 1)?, int(&r, 2)?);
            total.numerator += n;
            total.denominator += den;
            let t = groups.entry(breakdown.group(&k)).or_default();
            t.numerator += n;
            t.denominator += den;
        }
        if d.denominator.is_none() {
            total.denominator = 0;
            for t in groups.values_mut() {
                t.denominator = 0;
            }
        }
        if d.unit == Unit::RatePer100k {
            let mut out = breakdown.finish(total, groups);
            with_population(c, path, period, q.by, below, &mut out)?;
            return Ok(out);
        }
        Ok(breakdown.finish(total, groups))
    }

    pub(crate) fn do_import_populations(
        &self,
        actor: &Actor,
        rows: &[PopulationRow],
        now: i64,
    ) -> StoreResult<usize> {
        self.require_role(
            matches!(actor.role, Role::Admin | Role::Monitor),
            actor,
            "population.import",
            "populations",
            "only administrators and monitoring officers load population figures",
            now,
        )?;
        self.tx(true, |c| {
            let mut e = haven_domain::ValidationErrors::default();
            let mut known = std::collections::HashMap::new();
            for r in rows {
                let exists = match known.get(&r.location) {
                    Some(&b) => b,
                    None => {
                        let b = location_path(c, &r.location)?.is_some();
                        known.insert(r.location.clone(), b);
                        b
                    }
                };
                if !exists {
                    e.add(
                        "file",
                        format!("line {}: there is no location with code {:?}", r.line, r.location),
                    );
                }
            }
            e.into_result()?;
            for r in rows {
                let key: [Value; 4] = [
                    r.location.as_str().into(),
                    i64::from(r.year).into(),
                    r.sex.as_str().into(),
                    r.age_band.into(),
                ];
                c.execute(
                    "DELETE FROM child_populations WHERE location = ? AND year = ? AND sex = ? AND age_band = ?",
                    &key,
                )?;
                let mut v = key.to_vec();
                v.extend([r.count.into(), actor.name.as_str().into(), now.into()]);
                c.execute(
                    "INSERT INTO child_populations (location, year, sex, age_band, children, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &v,
                )?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "population.import",
                "populations",
                "ok",
                &format!("{} figures", rows.len()),
            )?;
            Ok(rows.len())
        })
    }

    pub(crate) fn do_public_indicators(&self) -> StoreResult<Vec<String>> {
        self.tx(false, |c| {
            c.query(
                "SELECT indicator FROM public_indicators ORDER BY indicator",
                &[],
            )?
            .iter()
            .map(|r| text(r, 0))
            .collect()
        })
    }

    pub(crate) fn do_set_indicator_public(
        &self,
        actor: &Actor,
        indicator: &str,
        public: bool,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("indicator:{indicator}");
        self.require_role(
            actor.role == Role::Admin,
            actor,
            "indicator.public",
            &target,
            "only administrators choose the public figures",
            now,
        )?;
        let id = indicator.trim();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::field(
                "indicator",
                "an indicator id is lowercase letters, digits and '_'",
            ));
        }
        self.tx(true, |c| {
            c.execute(
                "DELETE FROM public_indicators WHERE indicator = ?",
                &[id.into()],
            )?;
            if public {
                c.execute(
                    "INSERT INTO public_indicators (indicator, marked_by, marked_at) VALUES (?, ?, ?)",
                    &[id.into(), actor.name.as_str().into(), now.into()],
                )?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "indicator.public",
                &target,
                "ok",
                if public { "public" } else { "not public" },
            )
        })
    }
}

/// Fills a rate's denominators: the children living in the place, in
/// all and group by group (a breakdown of the victims themselves, by form
/// of exploitation, divides each group by them all).
pub(super) fn with_population(
    c: &mut dyn Conn,
    path: &str,
    period: &Period,
    by: Option<Dimension>,
    below: &[(String, String)],
    out: &mut Tallies,
) -> StoreResult<()> {
    let pop = population(c, path, period.last_day().year(), by, below)?;
    out.total.denominator = pop.total;
    for (k, t) in out.cells.iter_mut() {
        t.denominator = match by {
            Some(Dimension::ExploitationForm) | None => pop.total,
            _ => pop.groups.get(k.as_str()).copied().unwrap_or(0),
        };
    }
    Ok(())
}

/// Children living in a place: the whole, and by the breakdown asked for.
#[derive(Default)]
struct Population {
    total: i64,
    groups: BTreeMap<String, i64>,
}

/// The population figures for the place at `path` (and under it) of
/// `year`, or of the latest year before it that has any; none at all when
/// no figures are held (a rate then has no value).
fn population(
    c: &mut dyn Conn,
    path: &str,
    year: i32,
    by: Option<Dimension>,
    below: &[(String, String)],
) -> StoreResult<Population> {
    let mut params: Vec<Value> = vec![i64::from(year).into()];
    let within = under_path("l.path", path, &mut params);
    let latest = c.query(
        &format!(
            "SELECT CAST(MAX(p.year) AS BIGINT) FROM child_populations p JOIN locations l ON l.code = p.location WHERE p.year <= ?{within}"
        ),
        &params,
    )?;
    let Some(y) = latest.first().map(|r| opt_int(r, 0)).transpose()?.flatten() else {
        return Ok(Population::default());
    };
    let mut params: Vec<Value> = vec![y.into()];
    let within = under_path("l.path", path, &mut params);
    let figures: Vec<PlacedFigure> = c
        .query(
            &format!(
                "SELECT l.path, p.sex, p.age_band, CAST(p.children AS BIGINT) FROM child_populations p JOIN locations l ON l.code = p.location WHERE p.year = ?{within}"
            ),
            &params,
        )?
        .iter()
        .map(|r| {
            Ok(PlacedFigure {
                path: text(r, 0)?,
                sex: text(r, 1)?,
                age_band: text(r, 2)?,
                count: int(r, 3)?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let counted = covering(&figures);
    let mut out = Population {
        total: counted.iter().map(|f| f.count).sum(),
        groups: BTreeMap::new(),
    };
    for f in &counted {
        let key = match by {
            Some(Dimension::Sex) => Some(f.sex.clone()),
            Some(Dimension::AgeBand) => Some(f.age_band.clone()),
            _ => None,
        };
        if let Some(k) = key {
            *out.groups.entry(k).or_default() += f.count;
        }
    }
    if by == Some(Dimension::Location) {
        for (code, place) in below {
            let inside: Vec<PlacedFigure> = figures
                .iter()
                .filter(|f| f.path.starts_with(place.as_str()))
                .cloned()
                .collect();
            out.groups.insert(
                code.clone(),
                covering(&inside).iter().map(|f| f.count).sum(),
            );
        }
    }
    Ok(out)
}
