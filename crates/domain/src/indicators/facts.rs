//! A whole report counted in one pass a definition. Storage reads the few
//! columns the definitions look at, once for every figure of a report
//! ([`Facts`]); [`tally`] then counts a definition, with all its
//! breakdowns, in one walk over those rows.
//!
//! Why: a national report asks for about 160 figures. Asked one query a
//! figure, each query scans the same million children again (two minutes
//! at a million children on SQLite); read once, the report takes seconds.
//! The meaning of every record type, filter and breakdown is the same as
//! in storage's one-query-a-figure path, and the store's conformance suite
//! checks the two agree figure by figure.

use super::cells::{median, Breakdown, NOT_RECORDED};
use super::{
    Definition, Dimension, Duration, Filter, Period, PeriodMeaning, RecordType, Tallies, Tally,
    Unit, AGE_BANDS,
};
use crate::Date;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Strings that repeat over many rows (places, agencies, sexes), each
/// held once and named by a number.
#[derive(Debug, Default)]
pub struct Symbols {
    names: Vec<String>,
    ids: FxHashMap<String, u32>,
}

impl Symbols {
    /// The number naming `s`, given on first sight.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    /// The string a number names.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// Takes in `other`'s strings; gives, for each of its numbers, the
    /// number naming the same string here.
    pub fn absorb(&mut self, other: &Symbols) -> Vec<u32> {
        other.names.iter().map(|name| self.id(name)).collect()
    }
}

/// One assessment of a child, within the time the report reads.
#[derive(Clone, Copy, Debug)]
pub struct Assessed {
    /// Its place in the child's order of assessments.
    pub seq: i64,
    /// When it was made.
    pub at: i64,
    /// The confirmed (else computed) level, as a symbol.
    pub level: u32,
    /// That level as a number, lowest first (unknown spellings rank highest).
    pub rank: u8,
    /// The tertiary layer: assessed as already a victim.
    pub tertiary: bool,
}

/// A case recording a form of exploitation: when it was open.
#[derive(Clone, Copy, Debug)]
pub struct ExploitationCase {
    /// Opened.
    pub opened_at: i64,
    /// Closed, if it is.
    pub closed_at: Option<i64>,
}

/// A child, with what the definitions read of them.
#[derive(Clone, Debug)]
pub struct ChildFact {
    /// Registered.
    pub created_at: i64,
    /// The place's path, as a symbol (the empty string when none).
    pub path: u32,
    /// Sex, as a symbol.
    pub sex: u32,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Birth registration, as a symbol.
    pub birth_registration: u32,
    /// Living with a disability.
    pub disability: bool,
    /// The agency responsible, as a symbol (empty when none).
    pub agency: u32,
    /// The minority group (opened only when a breakdown asks for it;
    /// "not_recorded" otherwise), as a symbol.
    pub minority_group: u32,
    /// The form of exploitation of the latest case recording one
    /// ("not_recorded" when none), as a symbol.
    pub exploitation_form: u32,
    /// The child's first assessment ever: its order and level rank.
    pub first: Option<(i64, u8)>,
    /// Where the child's assessments within the time the report reads
    /// sit in [`Facts::assessed`].
    pub assessed: Span,
    /// Where the child's cases recording a form of exploitation sit in
    /// [`Facts::exploitation_cases`].
    pub cases: Span,
}

/// The number `sym` became when its table was taken into another
/// ([`Symbols::absorb`] gave `remap`).
fn moved(remap: &[u32], sym: u32) -> u32 {
    remap.get(sym as usize).copied().unwrap_or(sym)
}

impl ChildFact {
    /// Names its strings by the numbers of the table its own was taken
    /// into ([`Symbols::absorb`]).
    pub fn renumber(&mut self, remap: &[u32]) {
        for sym in [
            &mut self.path,
            &mut self.sex,
            &mut self.birth_registration,
            &mut self.agency,
            &mut self.minority_group,
            &mut self.exploitation_form,
        ] {
            *sym = moved(remap, *sym);
        }
    }
}

impl Assessed {
    /// As [`ChildFact::renumber`].
    pub fn renumber(&mut self, remap: &[u32]) {
        self.level = moved(remap, self.level);
    }
}

impl ReferralFact {
    /// As [`ChildFact::renumber`].
    pub fn renumber(&mut self, remap: &[u32]) {
        for sym in [&mut self.path, &mut self.to_agency, &mut self.sector] {
            *sym = moved(remap, *sym);
        }
    }
}

impl ReportFact {
    /// As [`ChildFact::renumber`].
    pub fn renumber(&mut self, remap: &[u32]) {
        for sym in [&mut self.path, &mut self.category] {
            *sym = moved(remap, *sym);
        }
    }
}

/// Where one child's rows sit in a list [`Facts`] keeps for all children:
/// one list, not a list a child, so that a million children cost no
/// million allocations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// The first row.
    pub start: u32,
    /// How many.
    pub len: u32,
}

impl Span {
    /// The rows it names in `rows`.
    pub fn of<T>(self, rows: &[T]) -> &[T] {
        let start = self.start as usize;
        rows.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

/// A referral to a service.
#[derive(Clone, Copy, Debug)]
pub struct ReferralFact {
    /// Sent.
    pub sent_at: i64,
    /// The place's path, as a symbol.
    pub path: u32,
    /// The receiving agency, as a symbol.
    pub to_agency: u32,
    /// The service sector, as a symbol.
    pub sector: u32,
    /// Accepted (or completed since).
    pub accepted: bool,
    /// Completed.
    pub completed: bool,
    /// When the service was completed.
    pub completed_at: Option<i64>,
}

/// A report of a concern.
#[derive(Clone, Copy, Debug)]
pub struct ReportFact {
    /// Received.
    pub received_at: i64,
    /// The place's path, as a symbol (empty when none).
    pub path: u32,
    /// Category, as a symbol.
    pub category: u32,
    /// Decided on before it fell due.
    pub triaged_in_time: bool,
}

/// A web address reported to the hotline.
#[derive(Clone, Copy, Debug)]
pub struct HotlineFact {
    /// Reported.
    pub reported_at: i64,
    /// Found illegal.
    pub illegal: bool,
    /// Removed.
    pub removed_at: Option<i64>,
}

/// The rows one report reads.
#[derive(Debug, Default)]
pub struct Facts {
    /// The strings the rows name by number.
    pub symbols: Symbols,
    /// Children in the chosen place.
    pub children: Vec<ChildFact>,
    /// The children's assessments, each child's together.
    pub assessed: Vec<Assessed>,
    /// The children's cases recording a form of exploitation, each
    /// child's together.
    pub exploitation_cases: Vec<ExploitationCase>,
    /// Referrals in the chosen place and time.
    pub referrals: Vec<ReferralFact>,
    /// Reports in the chosen place and time.
    pub reports: Vec<ReportFact>,
    /// Hotline items in the time.
    pub hotline: Vec<HotlineFact>,
}

impl Facts {
    /// A child's assessments within the time the report reads.
    pub fn assessed_of(&self, c: &ChildFact) -> &[Assessed] {
        c.assessed.of(&self.assessed)
    }

    /// A child's cases recording a form of exploitation.
    pub fn cases_of(&self, c: &ChildFact) -> &[ExploitationCase] {
        c.cases.of(&self.exploitation_cases)
    }
}

/// Where a report is asked of: the chosen place, and the caller's area.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    /// The chosen place's path; records outside it are not counted unless
    /// it is the whole country.
    pub path: &'a str,
    /// The caller's area, when limited to one.
    pub scope: Option<&'a str>,
}

impl Place<'_> {
    /// Whether this is the whole country, which also counts records made
    /// without a place.
    pub fn whole_country(&self) -> bool {
        is_whole_country(self.path)
    }
}

/// Whether the place at `path` (`/HV/`, `/HV/NR/`, …) is the whole
/// country: the root of the location tree.
pub fn is_whole_country(path: &str) -> bool {
    path.matches('/').count() <= 2
}

/// The level of a risk as a number, lowest first, so that levels compare.
pub fn level_rank(level: &str) -> u8 {
    match level {
        "low" => 0,
        "medium" => 1,
        "high" => 2,
        _ => 3,
    }
}

/// The time a definition reads for a period: `[start, end)`.
pub fn window(d: &Definition, period: &Period) -> (i64, i64) {
    match d.period {
        PeriodMeaning::During => (period.start_unix(), period.end_unix()),
        PeriodMeaning::AsOfEnd => (i64::MIN / 4, period.end_unix()),
    }
}

/// What one record counted contributes besides its keys: whether it meets
/// the numerator, and the duration measured (for a median).
struct Seen {
    numerator: bool,
    duration: Option<i64>,
}

/// Counts `d` for one period with each of `bys` (`None`: no breakdown).
/// Denominators of rates (population figures) are left for storage to add.
pub fn tally(
    facts: &Facts,
    d: &Definition,
    bys: &[Option<Dimension>],
    period: &Period,
    place: Place<'_>,
    location: &str,
    below: &[(String, String)],
) -> Vec<Tallies> {
    let record = d.numerator.record;
    let (start, end) = window(d, period);
    let last = period.last_day();
    let base: &[Filter] = d.denominator.as_ref().map_or(&[], |den| &den.filter);
    let extra: Vec<Filter> = d
        .numerator
        .filter
        .iter()
        .copied()
        .filter(|f| !base.contains(f))
        .collect();
    let median_of = match d.unit {
        Unit::MedianDays | Unit::MedianHours => d.duration,
        _ => None,
    };
    let bands = Bands::on(last);
    let mut counts = Counts::new(bys, median_of.is_some());
    let whole = place.whole_country();
    let under = |p: &str| p.starts_with(place.path);
    // Which place symbols count: decided once per symbol, not per row.
    let mut place_ok: Vec<Option<bool>> = vec![None; facts.symbols.len()];
    let mut in_place = |sym: u32| -> bool {
        let slot = &mut place_ok[sym as usize];
        *slot.get_or_insert_with(|| {
            let p = facts.symbols.name(sym);
            if p.is_empty() {
                // No place: only the whole country, with no area, holds it.
                whole && place.scope.is_none()
            } else {
                (whole || under(p)) && place.scope.is_none_or(|s| p.starts_with(s))
            }
        })
    };
    let under5 = last.years_before(5);
    let child_filter = |c: &ChildFact, f: Filter| match f {
        Filter::Under5 => c.date_of_birth > under5,
        Filter::BirthRegistered => facts.symbols.name(c.birth_registration) == "registered",
        _ => false,
    };
    match record {
        RecordType::Children | RecordType::Victims => {
            for c in &facts.children {
                let counted = if record == RecordType::Children {
                    c.created_at >= start && c.created_at < end
                } else {
                    victim_in(facts, c, start, end)
                };
                if !counted || !in_place(c.path) {
                    continue;
                }
                counts.record(
                    base,
                    &extra,
                    |f| child_filter(c, f),
                    None,
                    |by| child_key(c, by, &bands),
                );
            }
        }
        RecordType::Assessments => {
            for c in &facts.children {
                if !in_place(c.path) {
                    continue;
                }
                let assessed = facts.assessed_of(c);
                let Some(latest) = assessed
                    .iter()
                    .filter(|a| a.at >= start && a.at < end)
                    .map(|a| a.seq)
                    .max()
                else {
                    continue;
                };
                // Every assessment with the latest order counts, as in the
                // one-query path (orders are unique per child in practice).
                for a in assessed
                    .iter()
                    .filter(|a| a.seq == latest && a.at >= start && a.at < end)
                {
                    let meets = |f: Filter| match f {
                        Filter::HighOrCritical => {
                            matches!(facts.symbols.name(a.level), "high" | "critical")
                        }
                        Filter::Reassessed => c.first.is_some_and(|(seq, _)| seq < a.seq),
                        Filter::LevelFell => c.first.is_some_and(|(_, rank)| a.rank < rank),
                        f => child_filter(c, f),
                    };
                    counts.record(base, &extra, meets, None, |by| match by {
                        Dimension::RiskLevel => a.level,
                        by => child_key(c, by, &bands),
                    });
                }
            }
        }
        RecordType::Referrals => {
            for r in &facts.referrals {
                if r.sent_at < start || r.sent_at >= end || !in_place(r.path) {
                    continue;
                }
                let meets = |f: Filter| match f {
                    Filter::Accepted => r.accepted,
                    Filter::Completed => r.completed,
                    _ => false,
                };
                let duration = match median_of {
                    Some(Duration::ReferralToCompletion) => r.completed_at.map(|t| t - r.sent_at),
                    _ => None,
                };
                counts.record(base, &extra, meets, duration, |by| match by {
                    Dimension::Agency => r.to_agency,
                    Dimension::Sector => r.sector,
                    _ => r.path,
                });
            }
        }
        RecordType::Reports => {
            for r in &facts.reports {
                if r.received_at < start || r.received_at >= end || !in_place(r.path) {
                    continue;
                }
                let meets = |f: Filter| f == Filter::TriagedInTime && r.triaged_in_time;
                counts.record(base, &extra, meets, None, |by| match by {
                    Dimension::ReportCategory => r.category,
                    _ => r.path,
                });
            }
        }
        RecordType::HotlineItems => {
            for h in &facts.hotline {
                if h.reported_at < start || h.reported_at >= end {
                    continue;
                }
                let meets = |f: Filter| match f {
                    Filter::Illegal => h.illegal,
                    Filter::Removed => h.removed_at.is_some(),
                    _ => false,
                };
                let duration = match median_of {
                    Some(Duration::ReportToRemoval) => h.removed_at.map(|t| t - h.reported_at),
                    _ => None,
                };
                // Hotline items have no breakdown.
                counts.record(base, &extra, meets, duration, |_| 0);
            }
        }
    }
    counts.finish(d, &facts.symbols, &bands, location, below)
}

/// Runs `work` on each of `jobs`, on as many threads as there are cores
/// (a national report's passes over a million children are independent
/// of each other); the results come in the jobs' order.
pub fn on_every_core<J: Sync, R: Send>(jobs: &[J], work: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return mine;
                        };
                        mine.push((i, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|d| d.0);
    done.into_iter().map(|d| d.1).collect()
}

/// A child known as a victim during `[start, end)`: assessed in it as
/// already a victim, or with a case recording a form of exploitation open
/// at some time in it.
fn victim_in(facts: &Facts, c: &ChildFact, start: i64, end: i64) -> bool {
    facts
        .assessed_of(c)
        .iter()
        .any(|a| a.tertiary && a.at >= start && a.at < end)
        || facts
            .cases_of(c)
            .iter()
            .any(|k| k.opened_at < end && k.closed_at.is_none_or(|t| t >= start))
}

/// A child's key for a breakdown, as a symbol.
fn child_key(c: &ChildFact, by: Dimension, bands: &Bands) -> u32 {
    match by {
        Dimension::Sex => c.sex,
        Dimension::AgeBand => bands.of(c.date_of_birth),
        Dimension::BirthRegistration => c.birth_registration,
        Dimension::Disability => {
            if c.disability {
                bands.yes
            } else {
                bands.no
            }
        }
        Dimension::Agency => c.agency,
        Dimension::MinorityGroup => c.minority_group,
        Dimension::ExploitationForm => c.exploitation_form,
        // Location, and anything a child does not carry (refused when the
        // catalogue is read).
        _ => c.path,
    }
}

/// The age bands on a period's last day, and the few spellings a child's
/// key needs that are not in the rows: all as symbols of their own table.
struct Bands {
    /// The day before which a child is not yet each band's lower age.
    limits: Vec<(Date, u32)>,
    oldest: u32,
    yes: u32,
    no: u32,
    names: Symbols,
}

impl Bands {
    fn on(last: Date) -> Bands {
        let mut names = Symbols::default();
        let mut limits = Vec::new();
        for (older, band) in AGE_BANDS.iter().skip(1).zip(AGE_BANDS.iter()) {
            // Born after the day `older` years before: not yet that old.
            limits.push((last.years_before(older.0), OWN | names.id(band.1)));
        }
        let oldest = OWN | names.id(AGE_BANDS[AGE_BANDS.len() - 1].1);
        let yes = OWN | names.id("yes");
        let no = OWN | names.id("no");
        Bands {
            limits,
            oldest,
            yes,
            no,
            names,
        }
    }

    fn of(&self, born: Date) -> u32 {
        self.limits
            .iter()
            .find(|(limit, _)| born > *limit)
            .map_or(self.oldest, |&(_, sym)| sym)
    }
}

/// Keys above this number name a spelling of [`Bands`], not of the rows.
const OWN: u32 = 1 << 31;

/// The counts a pass keeps: for each breakdown, per key symbol.
struct Counts {
    bys: Vec<Option<Dimension>>,
    total: (i64, i64),
    durations: Vec<i64>,
    /// Per breakdown: key symbol → its counts.
    groups: Vec<FxHashMap<u32, Group>>,
    keep_durations: bool,
}

#[derive(Default)]
struct Group {
    numerator: i64,
    denominator: i64,
    durations: Vec<i64>,
}

impl Counts {
    fn new(bys: &[Option<Dimension>], keep_durations: bool) -> Counts {
        Counts {
            bys: bys.to_vec(),
            total: (0, 0),
            durations: Vec::new(),
            groups: bys.iter().map(|_| FxHashMap::default()).collect(),
            keep_durations,
        }
    }

    /// Counts a record that meets every filter of `base`, and notes
    /// whether it meets the numerator's `extra` ones too.
    fn record(
        &mut self,
        base: &[Filter],
        extra: &[Filter],
        meets: impl Fn(Filter) -> bool,
        duration: Option<i64>,
        key: impl Fn(Dimension) -> u32,
    ) {
        if !base.iter().all(|&f| meets(f)) {
            return;
        }
        let seen = Seen {
            numerator: extra.iter().all(|&f| meets(f)),
            duration,
        };
        self.add(&seen, key);
    }

    fn add(&mut self, seen: &Seen, key: impl Fn(Dimension) -> u32) {
        if self.keep_durations {
            // A median measures the records that meet the numerator and
            // have the duration.
            let Some(v) = seen.duration.filter(|_| seen.numerator) else {
                return;
            };
            self.durations.push(v);
            for (by, groups) in self.bys.iter().zip(self.groups.iter_mut()) {
                if let Some(by) = by {
                    let g = groups.entry(key(*by)).or_default();
                    g.numerator += 1;
                    g.durations.push(v);
                }
            }
            return;
        }
        let n = i64::from(seen.numerator);
        self.total.0 += n;
        self.total.1 += 1;
        for (by, groups) in self.bys.iter().zip(self.groups.iter_mut()) {
            if let Some(by) = by {
                let g = groups.entry(key(*by)).or_default();
                g.numerator += n;
                g.denominator += 1;
            }
        }
    }

    fn finish(
        self,
        d: &Definition,
        symbols: &Symbols,
        bands: &Bands,
        location: &str,
        below: &[(String, String)],
    ) -> Vec<Tallies> {
        let scale = if d.unit == Unit::MedianDays {
            86_400.0
        } else {
            3_600.0
        };
        let has_den = d.denominator.is_some();
        let name = |sym: u32| -> &str {
            if sym & OWN != 0 {
                bands.names.name(sym & !OWN)
            } else {
                symbols.name(sym)
            }
        };
        let mut out = Vec::with_capacity(self.bys.len());
        for (by, groups) in self.bys.iter().zip(self.groups) {
            let b = Breakdown {
                by: *by,
                location,
                below,
            };
            let total = if self.keep_durations {
                Tally {
                    numerator: self.durations.len() as i64,
                    denominator: 0,
                    median: median(self.durations.clone()).map(|m| m / scale),
                }
            } else {
                Tally {
                    numerator: self.total.0,
                    denominator: if has_den { self.total.1 } else { 0 },
                    median: None,
                }
            };
            let mut cells: BTreeMap<String, Tally> = BTreeMap::new();
            let mut durations: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for (sym, g) in groups {
                let key = b.group(name(sym));
                let t = cells.entry(key.clone()).or_default();
                t.numerator += g.numerator;
                if has_den {
                    t.denominator += g.denominator;
                }
                if self.keep_durations {
                    durations.entry(key).or_default().extend(g.durations);
                }
            }
            for (key, v) in durations {
                if let Some(t) = cells.get_mut(&key) {
                    t.median = median(v).map(|m| m / scale);
                }
            }
            out.push(b.finish(total, cells));
        }
        out
    }
}

/// The spelling of a child's minority group as a breakdown shows it.
pub fn minority_key(opened: Option<&str>) -> &str {
    opened
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(NOT_RECORDED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Catalogue;

    fn child(f: &mut Facts, path: &str, born: &str, assessed: &[(i64, i64, &str)]) {
        let sym = |f: &mut Facts, s: &str| f.symbols.id(s);
        let assessed = assessed
            .iter()
            .map(|&(seq, at, level)| Assessed {
                seq,
                at,
                level: sym(f, level),
                rank: level_rank(level),
                tertiary: false,
            })
            .collect::<Vec<_>>();
        let first = assessed
            .iter()
            .min_by_key(|a| a.seq)
            .map(|a| (a.seq, a.rank));
        let span = Span {
            start: f.assessed.len() as u32,
            len: assessed.len() as u32,
        };
        f.assessed.extend(assessed);
        let c = ChildFact {
            created_at: 0,
            path: sym(f, path),
            sex: sym(f, "female"),
            date_of_birth: Date::parse(born).unwrap(),
            birth_registration: sym(f, "registered"),
            disability: false,
            agency: sym(f, ""),
            minority_group: sym(f, NOT_RECORDED),
            exploitation_form: sym(f, NOT_RECORDED),
            first,
            assessed: span,
            cases: Span::default(),
        };
        f.children.push(c);
    }

    #[test]
    fn the_latest_assessment_in_the_period_is_compared_with_the_first() {
        let cat = Catalogue::default_catalogue().unwrap();
        let fell = cat.get("risk_fell_on_reassessment").unwrap();
        let day = 86_400;
        let jan_2025 = Date::new(2025, 1, 1).unwrap().days_since_epoch() * day;
        let mut f = Facts::default();
        // Fell: high first, low later in 2025 (then high again in 2026).
        child(
            &mut f,
            "/HV/N/",
            "2015-01-01",
            &[
                (1, jan_2025 - day, "high"),
                (2, jan_2025 + day, "medium"),
                (3, jan_2025 + 100 * day, "low"),
                (4, jan_2025 + 400 * day, "high"),
            ],
        );
        // Rose: low first, high in 2025.
        child(
            &mut f,
            "/HV/S/",
            "2015-01-01",
            &[(1, jan_2025 - day, "low"), (2, jan_2025 + day, "high")],
        );
        // Assessed once only in 2025: not a reassessment.
        child(
            &mut f,
            "/HV/S/",
            "2015-01-01",
            &[(1, jan_2025 + day, "low")],
        );
        let below = vec![
            ("N".to_string(), "/HV/N/".to_string()),
            ("S".to_string(), "/HV/S/".to_string()),
        ];
        let country = Place {
            path: "/HV/",
            scope: None,
        };
        let p = Period::parse("2025").unwrap();
        let t = tally(
            &f,
            fell,
            &[None, Some(Dimension::Location)],
            &p,
            country,
            "HV",
            &below,
        );
        assert_eq!((t[0].total.numerator, t[0].total.denominator), (1, 2));
        let cells: Vec<(&str, i64, i64)> = t[1]
            .cells
            .iter()
            .map(|(k, c)| (k.as_str(), c.numerator, c.denominator))
            .collect();
        assert_eq!(cells, [("N", 1, 1), ("S", 0, 1)]);
        // A supervisor of the south sees the south only.
        let south = Place {
            path: "/HV/",
            scope: Some("/HV/S/"),
        };
        let t = tally(&f, fell, &[None], &p, south, "HV", &below);
        assert_eq!((t[0].total.numerator, t[0].total.denominator), (0, 1));
        // In 2026 the first child's latest (high) is not below its first.
        let t = tally(
            &f,
            fell,
            &[None],
            &Period::parse("2026").unwrap(),
            country,
            "HV",
            &below,
        );
        assert_eq!((t[0].total.numerator, t[0].total.denominator), (0, 1));
    }
}
