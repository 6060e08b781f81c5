//! Statistics items: the figures of the indicators a node marks public,
//! disclosure-controlled where they were computed, as they travel.
//!
//! # What is sent
//! For each public indicator: the previous calendar year (the last complete
//! one, the year the public figures page shows) and the current year so
//! far, for the whole country and for each place one level down (the
//! regions); and, for indicators counted *during* a period, the quarters of
//! the current year that have begun, for the whole country only. Why:
//! - years are what the neighbours compare and what `/figures` already
//!   publishes; the current year and its quarters let them follow a trend
//!   as it builds up instead of waiting for January;
//! - regions, not districts: one level down keeps most figures above the
//!   threshold (districts would mostly travel as hidden);
//! - no months and no region-by-quarter table: each finer cut multiplies
//!   small counts, and figures that overlap (a year and its quarters, a
//!   country and its regions) could give a hidden figure away by
//!   subtraction. Each breakdown sent is therefore suppressed together with
//!   its total as one table ([`publishable`]), exactly as the indicator
//!   pages suppress a breakdown; a country-by-region-by-quarter table would
//!   need two-way suppression across periods, which the rule does not do.
//! - indicators read "as of the end" of a period (a registry's size) are
//!   sent by year only: their quarters do not add up to the year, and the
//!   difference between two quarter ends is a count nobody suppressed.
//!
//! Values are decimal text, so that no floating point is ever signed.

use super::bundle::StatisticItem;
use crate::indicators::{evaluate, Definition, PeriodMeaning, Rule, Tallies, Unit};
use crate::indicators::{Period, PeriodError};
use crate::validation::ValidationErrors;
use crate::Date;

/// Writes a figure as the decimal text a statistics item carries: counts
/// as whole numbers, anything else with one decimal (as computed).
pub fn figure_text(value: Option<f64>, unit: Unit) -> Option<String> {
    let v = value.filter(|v| v.is_finite())?;
    Some(if unit == Unit::Count {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    })
}

/// The periods sent on `today` for an indicator read as `meaning`: each
/// year (previous, current), and the quarters of the current year that have
/// begun (only for indicators counted during a period). The quarters come
/// with all four quarters of the current year, so that they can be
/// suppressed as one table with the year (a quarter still to come counts
/// nothing).
pub struct PublishedPeriods {
    /// The previous and the current year, in that order.
    pub years: [Period; 2],
    /// All four quarters of the current year (empty for "as of the end"
    /// indicators).
    pub quarters: Vec<Period>,
    /// How many of `quarters` have begun, and so are sent.
    pub begun: usize,
}

/// See [`PublishedPeriods`].
pub fn published_periods(
    today: Date,
    meaning: PeriodMeaning,
) -> Result<PublishedPeriods, PeriodError> {
    let year = today.year();
    let years = [
        Period::parse(&(year - 1).to_string())?,
        Period::parse(&year.to_string())?,
    ];
    let quarters = match meaning {
        PeriodMeaning::During => (1..=4)
            .map(|q| Period::parse(&format!("{year}Q{q}")))
            .collect::<Result<Vec<_>, _>>()?,
        PeriodMeaning::AsOfEnd => Vec::new(),
    };
    let begun = usize::from((today.month() - 1) / 3 + 1).min(quarters.len());
    Ok(PublishedPeriods {
        years,
        quarters,
        begun,
    })
}

/// One figure as it may leave: the value (none when hidden or undefined)
/// and whether disclosure control hid it.
#[derive(Clone, Debug, PartialEq)]
pub struct Publishable {
    /// The figure for the whole.
    pub value: Option<f64>,
    /// Whether the whole is hidden.
    pub suppressed: bool,
    /// Each part: its key, value and whether it is hidden.
    pub parts: Vec<(String, Option<f64>, bool)>,
}

/// The figures of a whole and of its parts that may travel.
///
/// The whole is `evaluate(d, whole, rule)`, exactly what the public figures
/// page shows for it. The parts (`parts.cells`, whose `parts.total` is the
/// whole) are suppressed as one table with their total. When the whole is
/// hidden, or that table hid the total although the whole alone would show
/// it, every part travels hidden: the whole published beside parts that
/// were protected by hiding it would give them away.
pub fn publishable(
    d: &Definition,
    whole: &Tallies,
    parts: Option<&Tallies>,
    rule: Rule,
) -> Publishable {
    let w = evaluate(d, whole, Some(rule));
    let parts = match parts {
        None => Vec::new(),
        Some(t) => {
            let f = evaluate(d, t, Some(rule));
            let safe = !w.suppressed && !f.suppressed;
            f.cells
                .into_iter()
                .map(|c| {
                    if safe {
                        (c.key, c.value, c.suppressed)
                    } else {
                        (c.key, None, true)
                    }
                })
                .collect()
        }
    };
    Publishable {
        value: w.value,
        suppressed: w.suppressed,
        parts,
    }
}

/// A statistics item for one figure of `d` (catalogue `version`).
pub fn item(
    d: &Definition,
    version: u32,
    period: &Period,
    location: &str,
    value: Option<f64>,
    suppressed: bool,
) -> StatisticItem {
    StatisticItem {
        indicator: d.id.clone(),
        catalogue_version: i64::from(version),
        period: period.to_string(),
        location: location.to_string(),
        unit: d.unit.as_str().to_string(),
        value: if suppressed {
            None
        } else {
            figure_text(value, d.unit)
        },
        suppressed,
        withdrawn: false,
    }
}

fn short(e: &mut ValidationErrors, field: &str, v: &str, max: usize) {
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        e.add(field, format!("must be 1 to {max} characters"));
    }
}

/// Checks a statistics item received from a peer: short plain texts, a
/// catalogue version, and a value only when not suppressed, written as a
/// decimal number.
pub fn check_received(s: &StatisticItem) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    short(&mut e, "indicator", &s.indicator, 100);
    short(&mut e, "period", &s.period, 40);
    short(&mut e, "location", &s.location, 40);
    short(&mut e, "unit", &s.unit, 40);
    if s.catalogue_version < 1 {
        e.add("catalogue_version", "must be 1 or more");
    }
    match &s.value {
        Some(_) if s.withdrawn => {
            e.add("value", "a withdrawn figure carries no value");
        }
        Some(_) if s.suppressed => {
            e.add("value", "a suppressed figure carries no value");
        }
        Some(v)
            if v.is_empty()
                || v.len() > 30
                || !v
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
                || !v.parse::<f64>().is_ok_and(f64::is_finite) =>
        {
            e.add("value", "must be a number written in decimal");
        }
        _ => {}
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Catalogue, Tally};

    fn received() -> StatisticItem {
        StatisticItem {
            indicator: "children_registered".into(),
            catalogue_version: 1,
            period: "2025".into(),
            location: "HV".into(),
            unit: "count".into(),
            value: figure_text(Some(42.0), Unit::Count),
            suppressed: false,
            withdrawn: false,
        }
    }

    fn count_definition() -> Definition {
        let cat = Catalogue::default_catalogue().unwrap();
        cat.indicators
            .iter()
            .find(|d| d.unit == Unit::Count)
            .unwrap()
            .clone()
    }

    fn tallies(total: i64, cells: &[i64]) -> Tallies {
        Tallies {
            total: Tally {
                numerator: total,
                ..Tally::default()
            },
            cells: cells
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    (
                        format!("R{i}"),
                        Tally {
                            numerator: n,
                            ..Tally::default()
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn figures_are_decimal_text_and_suppressed_ones_carry_none() {
        assert_eq!(figure_text(Some(42.0), Unit::Count).as_deref(), Some("42"));
        assert_eq!(
            figure_text(Some(12.3), Unit::Percent).as_deref(),
            Some("12.3")
        );
        assert_eq!(figure_text(Some(f64::NAN), Unit::Percent), None);
        assert_eq!(figure_text(None, Unit::Count), None);
        assert!(check_received(&received()).is_ok());
        let mut s = received();
        s.suppressed = true;
        assert!(check_received(&s).is_err(), "suppressed yet a value");
        s.value = None;
        assert!(check_received(&s).is_ok());
        for bad in ["lots", "1e9", "inf", ""] {
            let mut s = received();
            s.value = Some(bad.into());
            assert!(check_received(&s).is_err(), "{bad}");
        }
        let mut s = received();
        s.location = "x".repeat(41);
        assert!(check_received(&s).is_err());
    }

    #[test]
    fn the_years_and_the_begun_quarters_are_sent() {
        let may = Date::new(2026, 5, 10).unwrap();
        let p = published_periods(may, PeriodMeaning::During).unwrap();
        assert_eq!(p.years.map(|y| y.to_string()), ["2025", "2026"]);
        assert_eq!(p.quarters.len(), 4);
        assert_eq!(p.begun, 2);
        assert_eq!(p.quarters[1].to_string(), "2026Q2");
        let p = published_periods(may, PeriodMeaning::AsOfEnd).unwrap();
        assert!(p.quarters.is_empty());
        assert_eq!(p.begun, 0);
        let dec = Date::new(2026, 12, 31).unwrap();
        assert_eq!(
            published_periods(dec, PeriodMeaning::During).unwrap().begun,
            4
        );
    }

    #[test]
    fn a_small_part_is_hidden_with_another_and_never_given_away_by_the_whole() {
        let d = count_definition();
        let rule = Rule::default();
        // 40 = 30 + 8 + 2: the 2 is hidden, and the 8 with it, so that the
        // whole (shown, as on the public page) cannot be subtracted.
        let p = publishable(&d, &tallies(40, &[]), Some(&tallies(40, &[30, 8, 2])), rule);
        assert_eq!((p.value, p.suppressed), (Some(40.0), false));
        assert_eq!(p.parts[0], ("R0".into(), Some(30.0), false));
        assert!(p.parts[1].2 && p.parts[1].1.is_none());
        assert!(p.parts[2].2 && p.parts[2].1.is_none());
        // A small whole is hidden, and every part with it.
        let p = publishable(&d, &tallies(3, &[]), Some(&tallies(3, &[0, 3])), rule);
        assert!(p.suppressed && p.value.is_none());
        assert!(p.parts.iter().all(|(_, v, h)| *h && v.is_none()));
        // Nothing small: everything travels.
        let p = publishable(&d, &tallies(20, &[]), Some(&tallies(20, &[10, 10])), rule);
        assert!(p.parts.iter().all(|(_, v, h)| !*h && v.is_some()));
    }
}
