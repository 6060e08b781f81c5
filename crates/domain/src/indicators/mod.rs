//! Indicators: what the monitoring officer, the ministry and its donors
//! are told, computed live from the records and safe to publish.
//!
//! Definitions are data ([`Catalogue`], shipped as
//! `indicators/default.json` and versioned like the assessment
//! instrument): each names a unit, what it counts (a record type and
//! filters from a closed list), what it divides by, how a period is read
//! ("as of its end" or "during it") and the ways it may be broken down.
//! Storage turns a definition into one query and hands back [`Tallies`];
//! [`evaluate`] turns those into figures, hiding small counts with the
//! [`disclosure`] rule when the caller may not see records.

pub mod cells;
pub mod dhis2;
pub mod disclosure;
pub mod facts;
pub mod over_representation;
pub mod period;
pub mod population;

use crate::validation::{is_plain_text, ValidationErrors, LANGUAGES};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

pub use disclosure::Rule;
pub use period::{Period, PeriodError};

api_enum!(
    /// What a figure measures.
    Unit {
        /// A number of records.
        Count => "count",
        /// A share of the denominator, 0 to 100.
        Percent => "percent",
        /// Per 100,000 children of the population (needs population figures).
        RatePer100k => "rate_per_100000",
        /// The median of a duration, in days.
        MedianDays => "median_days",
        /// The median of a duration, in hours.
        MedianHours => "median_hours",
    }
);

api_enum!(
    /// The kind of record an indicator counts.
    RecordType {
        /// Children on the registry (dated by registration).
        Children => "children",
        /// Children assessed (dated by the assessment; the latest in the period counts).
        Assessments => "assessments",
        /// Referrals to services (dated by sending).
        Referrals => "referrals",
        /// Reports of a concern (dated by receipt).
        Reports => "reports",
        /// Web addresses reported to the hotline (dated by the report; no place).
        HotlineItems => "hotline_items",
        /// Children known as victims during the period: assessed in it as
        /// already victims (the tertiary layer), or with a case open in it
        /// that records a form of exploitation.
        Victims => "victims",
    }
);

api_enum!(
    /// A condition on the records counted.
    Filter {
        /// Under 5 years old on the last day of the period.
        Under5 => "under_5",
        /// Birth registered.
        BirthRegistered => "birth_registered",
        /// Latest assessment high or critical.
        HighOrCritical => "high_or_critical",
        /// The child was assessed before this, its latest assessment in
        /// the period: a reassessment.
        Reassessed => "reassessed",
        /// The level of the latest assessment is below the level of the
        /// child's first one: the outcome prevention aims at.
        LevelFell => "level_fell",
        /// Accepted by the receiving agency (or completed since).
        Accepted => "accepted",
        /// Service completed.
        Completed => "completed",
        /// Decided on before it fell due.
        TriagedInTime => "triaged_in_time",
        /// Found illegal.
        Illegal => "illegal",
        /// Removed.
        Removed => "removed",
    }
);

api_enum!(
    /// A way to break a figure down.
    Dimension {
        /// Sex.
        Sex => "sex",
        /// Age band on the last day of the period.
        AgeBand => "age_band",
        /// The places one level below the chosen one.
        Location => "location",
        /// Birth registration.
        BirthRegistration => "birth_registration",
        /// Risk level of the latest assessment.
        RiskLevel => "risk_level",
        /// Agency (for referrals, the receiving one).
        Agency => "agency",
        /// Service sector.
        Sector => "sector",
        /// Report category.
        ReportCategory => "report_category",
        /// Form of exploitation (of the child's latest case recording one).
        ExploitationForm => "exploitation_form",
        /// Disability.
        Disability => "disability",
        /// Minority group, where recorded.
        MinorityGroup => "minority_group",
    }
);

api_enum!(
    /// How a period is read.
    PeriodMeaning {
        /// Everything on record at the end of the period.
        AsOfEnd => "as_of_end",
        /// What happened during the period.
        During => "during",
    }
);

api_enum!(
    /// A duration whose median is taken.
    Duration {
        /// From the hotline report to the removal of the material.
        ReportToRemoval => "report_to_removal",
        /// From sending a referral to completing the service.
        ReferralToCompletion => "referral_to_completion",
    }
);

/// Age bands, youngest first: the lower bound of each, in years.
pub const AGE_BANDS: [(i32, &str); 5] = [
    (0, "0_4"),
    (5, "5_11"),
    (12, "12_14"),
    (15, "15_17"),
    (18, "18_plus"),
];

impl Filter {
    /// The record type the filter reads.
    pub fn applies_to(self, r: RecordType) -> bool {
        use RecordType as R;
        match self {
            Filter::Under5 | Filter::BirthRegistered => matches!(r, R::Children | R::Victims),
            Filter::HighOrCritical | Filter::Reassessed | Filter::LevelFell => r == R::Assessments,
            Filter::Accepted | Filter::Completed => r == R::Referrals,
            Filter::TriagedInTime => r == R::Reports,
            Filter::Illegal | Filter::Removed => r == R::HotlineItems,
        }
    }
}

impl Dimension {
    /// Whether records of type `r` carry this dimension.
    pub fn applies_to(self, r: RecordType) -> bool {
        use RecordType as R;
        match self {
            Dimension::Sex
            | Dimension::AgeBand
            | Dimension::BirthRegistration
            | Dimension::Disability
            | Dimension::MinorityGroup => {
                matches!(r, R::Children | R::Assessments | R::Victims)
            }
            Dimension::Agency => {
                matches!(r, R::Children | R::Assessments | R::Referrals | R::Victims)
            }
            Dimension::ExploitationForm => r == R::Victims,
            Dimension::Location => r != R::HotlineItems,
            Dimension::RiskLevel => r == R::Assessments,
            Dimension::Sector => r == R::Referrals,
            Dimension::ReportCategory => r == R::Reports,
        }
    }
}

impl Dimension {
    /// Whether a rate per 100,000 children can be broken down this way:
    /// population figures are kept by place, sex and age band, and a
    /// breakdown of the victims themselves (the form of exploitation)
    /// divides each group by the whole population.
    pub fn population_divides(self) -> bool {
        matches!(
            self,
            Dimension::Sex | Dimension::AgeBand | Dimension::Location | Dimension::ExploitationForm
        )
    }
}

impl Duration {
    /// The record type the duration is measured on.
    pub fn record(self) -> RecordType {
        match self {
            Duration::ReportToRemoval => RecordType::HotlineItems,
            Duration::ReferralToCompletion => RecordType::Referrals,
        }
    }
}

/// What is counted: a record type and the conditions on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// The record type.
    pub record: RecordType,
    /// All of these conditions hold.
    #[serde(default)]
    pub filter: Vec<Filter>,
}

/// One indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Stable identifier: lowercase letters, digits and `_`.
    pub id: String,
    /// Name in English, for the API and exports (pages translate by id).
    pub name: String,
    /// What it means, in English.
    pub description: String,
    /// Unit.
    pub unit: Unit,
    /// How a period is read.
    pub period: PeriodMeaning,
    /// What is counted (for a median: the records measured).
    pub numerator: Count,
    /// What a percentage divides by.
    #[serde(default)]
    pub denominator: Option<Count>,
    /// For a median: the duration measured.
    #[serde(default)]
    pub duration: Option<Duration>,
    /// The breakdowns offered.
    #[serde(default)]
    pub disaggregations: Vec<Dimension>,
    /// The name and meaning in other languages (`fr`, `es`), for an
    /// indicator a deployment adds: Haven's own have theirs in its
    /// translations, which win.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Words>,
}

/// An indicator's name and meaning in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Its name.
    pub name: String,
    /// What it means.
    pub description: String,
}

/// A versioned set of definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Version; a change is a new version, never an edit of an old one.
    pub version: u32,
    /// The indicators, in the order pages list them.
    pub indicators: Vec<Definition>,
}

/// The definitions Haven ships.
pub const DEFAULT_CATALOGUE: &str = include_str!("../../indicators/default.json");

impl Catalogue {
    /// Parses and checks a catalogue.
    pub fn from_json(text: &str) -> Result<Catalogue, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let cat: Catalogue = match serde_json::from_str(text) {
            Ok(c) => c,
            Err(err) => {
                e.add("indicators", format!("not a valid catalogue: {err}"));
                return Err(e);
            }
        };
        let mut ids = HashSet::new();
        for d in &cat.indicators {
            let mut bad = |m: String| e.add("indicators", format!("{:?}: {m}", d.id));
            if d.id.is_empty()
                || !d
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                bad("the id must be lowercase letters, digits and '_'".into());
            }
            if !ids.insert(d.id.as_str()) {
                bad("appears twice".into());
            }
            if d.name.trim().is_empty() || d.description.trim().is_empty() {
                bad("needs a name and a description".into());
            }
            for (lang, w) in &d.words {
                if !LANGUAGES.contains(&lang.as_str()) {
                    bad(format!(
                        "words in {lang}, which is not one of {}",
                        LANGUAGES.join(", ")
                    ));
                }
                if !is_plain_text(&w.name, 200) || !is_plain_text(&w.description, 2000) {
                    bad(format!(
                        "its {lang} name (up to 200 characters) and description (up to 2,000) must be plain text"
                    ));
                }
            }
            let r = d.numerator.record;
            for f in d
                .numerator
                .filter
                .iter()
                .chain(d.denominator.iter().flat_map(|c| c.filter.iter()))
            {
                if !f.applies_to(r) {
                    bad(format!(
                        "the filter {} does not apply to {}",
                        f.as_str(),
                        r.as_str()
                    ));
                }
            }
            for x in &d.disaggregations {
                if !x.applies_to(r) {
                    bad(format!("{} records have no {}", r.as_str(), x.as_str()));
                }
            }
            match (d.unit, &d.denominator, d.duration) {
                (Unit::Count, None, None) => {}
                (Unit::Percent, Some(den), None) => {
                    if den.record != r {
                        bad("a percentage divides records of the same type".into());
                    }
                    if !den.filter.iter().all(|f| d.numerator.filter.contains(f)) {
                        bad("the numerator must be part of the denominator".into());
                    }
                }
                (Unit::RatePer100k, None, None) => {
                    for x in &d.disaggregations {
                        if !x.population_divides() {
                            bad(format!(
                                "a rate per 100,000 children cannot be broken down by {}: population figures are kept by place, sex and age band",
                                x.as_str()
                            ));
                        }
                    }
                }
                (Unit::MedianDays | Unit::MedianHours, None, Some(du)) => {
                    if du.record() != r {
                        bad(format!("{} is not measured on {}", du.as_str(), r.as_str()));
                    }
                }
                _ => bad(
                    "a count has neither denominator nor duration, a percentage a denominator, a median a duration".into(),
                ),
            }
        }
        e.into_result()?;
        Ok(cat)
    }

    /// The shipped catalogue.
    pub fn default_catalogue() -> Result<Catalogue, ValidationErrors> {
        Catalogue::from_json(DEFAULT_CATALOGUE)
    }

    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&Definition> {
        self.indicators.iter().find(|d| d.id == id)
    }
}

/// What storage counted for one group (or for everything).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Records meeting the numerator (for a median: records measured).
    pub numerator: i64,
    /// Records meeting the denominator (0 when there is none); for a rate,
    /// the children living in the place (population figures).
    pub denominator: i64,
    /// The median duration, in the unit's terms, when there is one.
    pub median: Option<f64>,
}

/// What storage counted: everything, and each group of a breakdown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tallies {
    /// Everything in the place and period.
    pub total: Tally,
    /// Each group, keyed by its value (a code or a closed-list spelling).
    pub cells: Vec<(String, Tally)>,
}

/// One published group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The group's value.
    pub key: String,
    /// The figure, or none when hidden or undefined.
    pub value: Option<f64>,
    /// Hidden by disclosure control.
    pub suppressed: bool,
}

/// The figures that may leave.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figures {
    /// The figure for everything; none when hidden or undefined (an empty denominator).
    pub value: Option<f64>,
    /// The count behind it, unless hidden.
    pub numerator: Option<i64>,
    /// What it divides by, unless hidden or there is none.
    pub denominator: Option<i64>,
    /// Whether the figure for everything is hidden.
    pub suppressed: bool,
    /// The breakdown.
    pub cells: Vec<Cell>,
}

fn ratio(d: &Definition, t: &Tally) -> Option<f64> {
    match d.unit {
        Unit::Count => Some(t.numerator as f64),
        Unit::Percent => (t.denominator > 0)
            .then(|| (1000.0 * t.numerator as f64 / t.denominator as f64).round() / 10.0),
        Unit::MedianDays | Unit::MedianHours => t.median.map(|m| (m * 10.0).round() / 10.0),
        Unit::RatePer100k => (t.denominator > 0)
            .then(|| (1_000_000.0 * t.numerator as f64 / t.denominator as f64).round() / 10.0),
    }
}

/// Turns what storage counted into figures. With a `rule`, small counts and
/// whatever would give them away are hidden: counts by primary and
/// complementary suppression over the breakdown and its total; a
/// percentage when its numerator or its denominator is hidden; a median
/// when fewer than k records lie behind it.
pub fn evaluate(d: &Definition, t: &Tallies, rule: Option<Rule>) -> Figures {
    let n = t.cells.len();
    let mut hidden = vec![false; n + 1];
    if let Some(rule) = rule {
        match d.unit {
            Unit::Count | Unit::Percent | Unit::RatePer100k => {
                let nums: Vec<i64> = t.cells.iter().map(|(_, c)| c.numerator).collect();
                let mut table = disclosure::Table::one_way(&nums);
                table.values[n] = t.total.numerator;
                hidden = table.suppress(rule);
                if d.denominator.is_some() {
                    let dens: Vec<i64> = t.cells.iter().map(|(_, c)| c.denominator).collect();
                    let mut table = disclosure::Table::one_way(&dens);
                    table.values[n] = t.total.denominator;
                    for (h, hd) in hidden.iter_mut().zip(table.suppress(rule)) {
                        *h |= hd;
                    }
                }
            }
            Unit::MedianDays | Unit::MedianHours => {
                for (i, (_, c)) in t.cells.iter().enumerate() {
                    hidden[i] = rule.too_small(c.numerator);
                }
                hidden[n] = rule.too_small(t.total.numerator);
            }
        }
    }
    let has_den = d.denominator.is_some() || d.unit == Unit::RatePer100k;
    Figures {
        value: if hidden[n] { None } else { ratio(d, &t.total) },
        numerator: (!hidden[n]).then_some(t.total.numerator),
        denominator: (has_den && !hidden[n]).then_some(t.total.denominator),
        suppressed: hidden[n],
        cells: t
            .cells
            .iter()
            .zip(&hidden)
            .map(|((key, c), &h)| Cell {
                key: key.clone(),
                value: if h { None } else { ratio(d, c) },
                suppressed: h,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_indicator_may_bring_its_words_in_french_and_spanish_only_as_plain_text() {
        let mut v: serde_json::Value = serde_json::from_str(DEFAULT_CATALOGUE).unwrap();
        let mut added = v["indicators"][0].clone();
        added["id"] = serde_json::json!("girls_registered");
        added["words"] = serde_json::json!({"es": {"name": "Niñas inscritas", "description": "Niñas en el registro."}});
        v["indicators"].as_array_mut().unwrap().push(added);
        let cat = Catalogue::from_json(&v.to_string()).unwrap();
        let d = cat.get("girls_registered").unwrap();
        assert_eq!(d.words["es"].name, "Niñas inscritas");
        for (lang, name) in [("de", "Mädchen"), ("fr", ""), ("fr", "Filles\u{202e}")] {
            let mut bad = v.clone();
            let last = bad["indicators"].as_array().unwrap().len() - 1;
            bad["indicators"][last]["words"] =
                serde_json::json!({lang: {"name": name, "description": "Texte."}});
            let e = Catalogue::from_json(&bad.to_string()).unwrap_err();
            assert!(e.summary().contains("girls_registered"), "{}", e.summary());
        }
    }

    fn cat() -> Catalogue {
        Catalogue::default_catalogue().unwrap()
    }

    fn tally(numerator: i64, denominator: i64) -> Tally {
        Tally {
            numerator,
            denominator,
            median: None,
        }
    }

    #[test]
    fn the_shipped_catalogue_is_valid_and_versioned() {
        let c = cat();
        assert_eq!(c.version, 3);
        for id in [
            "children_registered",
            "birth_registration_under_5",
            "birth_registration_all",
            "children_assessed",
            "assessed_high_or_critical",
            "risk_fell_on_reassessment",
            "referrals_sent",
            "referrals_accepted",
            "referrals_completed",
            "reports_received",
            "reports_triaged_in_time",
            "hotline_reports",
            "hotline_illegal",
            "hotline_hours_to_removal",
            "victims_identified",
            "victims_per_100k",
        ] {
            assert!(c.get(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn inconsistent_definitions_are_refused_with_reasons() {
        let bad = r#"{"version":2,"indicators":[
          {"id":"X","name":"x","description":"x","unit":"count","period":"during","numerator":{"record":"children"}},
          {"id":"a","name":"a","description":"a","unit":"percent","period":"during","numerator":{"record":"children","filter":["illegal"]},"denominator":{"record":"reports"}},
          {"id":"b","name":"b","description":"b","unit":"count","period":"during","numerator":{"record":"reports"},"disaggregations":["sex"]},
          {"id":"c","name":"c","description":"c","unit":"median_days","period":"during","numerator":{"record":"reports"}},
          {"id":"c","name":"c","description":"c","unit":"rate_per_100000","period":"during","numerator":{"record":"victims"},"disaggregations":["disability"]}
        ]}"#;
        let e = Catalogue::from_json(bad).unwrap_err().to_string();
        for part in [
            "lowercase",
            "illegal does not apply to children",
            "same type",
            "reports records have no sex",
            "a median a duration",
            "appears twice",
            "population figures are kept by place",
        ] {
            assert!(e.contains(part), "{part:?} not in {e}");
        }
        assert!(Catalogue::from_json("{").is_err());
    }

    #[test]
    fn an_empty_denominator_gives_no_value_not_a_division_by_zero() {
        let d = cat().get("birth_registration_under_5").unwrap().clone();
        let f = evaluate(&d, &Tallies::default(), None);
        assert_eq!(f.value, None);
        assert_eq!(f.numerator, Some(0));
        assert_eq!(f.denominator, Some(0));
        assert!(!f.suppressed);
    }

    #[test]
    fn small_counts_are_hidden_with_a_companion_and_never_sent() {
        let d = cat().get("children_registered").unwrap().clone();
        let t = Tallies {
            total: tally(60, 0),
            cells: vec![
                ("female".into(), tally(3, 0)),
                ("male".into(), tally(50, 0)),
                ("other".into(), tally(7, 0)),
                ("unknown".into(), tally(0, 0)),
            ],
        };
        let open = evaluate(&d, &t, None);
        assert_eq!(open.cells[0].value, Some(3.0));
        let f = evaluate(&d, &t, Some(Rule::default()));
        assert_eq!(f.value, Some(60.0));
        let shown: Vec<(Option<f64>, bool)> =
            f.cells.iter().map(|c| (c.value, c.suppressed)).collect();
        assert_eq!(
            shown,
            [
                (None, true),
                (Some(50.0), false),
                (None, true),
                (Some(0.0), false)
            ]
        );
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains(":3") && !json.contains(":7"), "{json}");
    }

    #[test]
    fn a_percentage_on_a_small_group_or_a_hidden_count_is_hidden() {
        let d = cat().get("assessed_high_or_critical").unwrap().clone();
        let t = Tallies {
            total: tally(22, 44),
            cells: vec![
                ("D1".into(), tally(2, 20)),
                ("D2".into(), tally(10, 20)),
                ("D3".into(), tally(10, 4)),
            ],
        };
        let f = evaluate(&d, &t, Some(Rule::default()));
        assert_eq!(f.value, Some(50.0));
        assert!(f.cells[0].suppressed, "2 of 20: the count is small");
        assert!(f.cells[2].suppressed, "a group of 4 is too small");
        assert!(f.cells[1].suppressed, "the companion of the small count");
        // Nothing in the total is small: it is published.
        assert_eq!((f.numerator, f.denominator), (Some(22), Some(44)));
    }

    #[test]
    fn a_median_over_few_records_is_hidden() {
        let d = cat().get("hotline_hours_to_removal").unwrap().clone();
        let t = Tallies {
            total: Tally {
                numerator: 4,
                denominator: 0,
                median: Some(30.0),
            },
            cells: vec![],
        };
        let f = evaluate(&d, &t, Some(Rule::default()));
        assert_eq!((f.value, f.suppressed), (None, true));
        assert_eq!(evaluate(&d, &t, None).value, Some(30.0));
    }

    #[test]
    fn a_rate_divides_by_the_population_and_hides_small_counts() {
        let d = cat().get("victims_per_100k").unwrap().clone();
        let t = Tallies {
            total: tally(30, 200_000),
            cells: vec![
                ("female".into(), tally(27, 100_000)),
                ("male".into(), tally(3, 100_000)),
            ],
        };
        let f = evaluate(&d, &t, None);
        assert_eq!(f.value, Some(15.0));
        assert_eq!(f.cells[0].value, Some(27.0));
        let f = evaluate(&d, &t, Some(Rule::default()));
        assert_eq!(f.value, Some(15.0));
        assert!(f.cells.iter().all(|c| c.suppressed && c.value.is_none()));
        // No population figures: no rate, and no division by zero.
        let f = evaluate(
            &d,
            &Tallies {
                total: tally(6, 0),
                cells: vec![],
            },
            None,
        );
        assert_eq!((f.value, f.numerator), (None, Some(6)));
    }

    #[test]
    fn age_bands_start_at_zero_and_rise() {
        assert_eq!(AGE_BANDS[0].0, 0);
        assert!(AGE_BANDS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
