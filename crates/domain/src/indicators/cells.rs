//! How a breakdown's groups are named and ordered. Shared by every way
//! storage counts (one query a figure, or one pass over a report's
//! rows), so that the same records always give the same table.

use super::{Dimension, Tallies, Tally, AGE_BANDS};
use crate::assessment::RiskLevel;
use crate::casework::{ExploitationForm, Sector};
use crate::report::ReportCategory;
use crate::{BirthRegistration, Sex};
use std::collections::BTreeMap;

/// The breakdown asked for, and the place it is asked of.
#[derive(Clone, Copy, Debug)]
pub struct Breakdown<'a> {
    /// The breakdown, if any.
    pub by: Option<Dimension>,
    /// The chosen place's code.
    pub location: &'a str,
    /// The places one level below it: (code, path).
    pub below: &'a [(String, String)],
}

impl Breakdown<'_> {
    /// The group a record's key falls in: for places, the place one level
    /// below the chosen one that holds it; an empty place is "unknown",
    /// an empty agency "none".
    pub fn group(&self, key: &str) -> String {
        match self.by {
            Some(Dimension::Location) => {
                if key.is_empty() {
                    return "unknown".into();
                }
                self.below
                    .iter()
                    .find(|(_, p)| key.starts_with(p.as_str()))
                    .map_or_else(|| self.location.to_string(), |(code, _)| code.clone())
            }
            Some(Dimension::Agency) if key.is_empty() => "none".into(),
            _ => key.to_string(),
        }
    }

    /// Orders the groups: every value of a closed list (empty ones as 0),
    /// every place below, then anything else found.
    pub fn finish(&self, total: Tally, mut groups: BTreeMap<String, Tally>) -> Tallies {
        let Some(by) = self.by else {
            return Tallies {
                total,
                cells: Vec::new(),
            };
        };
        let order = match by {
            Dimension::Location => self.below.iter().map(|(code, _)| code.clone()).collect(),
            _ => closed_keys(by),
        };
        let mut cells: Vec<(String, Tally)> = order
            .into_iter()
            .map(|k| {
                let t = groups.remove(&k).unwrap_or_default();
                (k, t)
            })
            .collect();
        cells.extend(groups);
        Tallies { total, cells }
    }
}

/// Every value a closed breakdown can take, in display order, so that
/// empty groups show as 0.
pub fn closed_keys(by: Dimension) -> Vec<String> {
    let own = |v: Vec<&str>| v.into_iter().map(str::to_string).collect();
    match by {
        Dimension::Sex => own(Sex::ALL.iter().map(|s| s.as_str()).collect()),
        Dimension::AgeBand => own(AGE_BANDS.iter().map(|b| b.1).collect()),
        Dimension::BirthRegistration => {
            own(BirthRegistration::ALL.iter().map(|s| s.as_str()).collect())
        }
        Dimension::RiskLevel => own([
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
            RiskLevel::Critical,
        ]
        .iter()
        .map(|l| l.as_str())
        .collect()),
        Dimension::Sector => own(Sector::ALL.iter().map(|s| s.as_str()).collect()),
        Dimension::ReportCategory => own(ReportCategory::ALL.iter().map(|s| s.as_str()).collect()),
        Dimension::ExploitationForm => {
            let mut v: Vec<&str> = ExploitationForm::ALL.iter().map(|s| s.as_str()).collect();
            v.push(NOT_RECORDED);
            own(v)
        }
        Dimension::Disability => own(vec!["yes", "no"]),
        Dimension::Location | Dimension::Agency | Dimension::MinorityGroup => Vec::new(),
    }
}

/// The group of children with no minority group or form of exploitation
/// on record.
pub const NOT_RECORDED: &str = "not_recorded";

/// The median of durations (an even count takes the mean of the middle two).
pub fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_fall_in_the_place_below_that_holds_them() {
        let below = vec![
            ("N".to_string(), "/HV/N/".to_string()),
            ("S".to_string(), "/HV/S/".to_string()),
        ];
        let b = Breakdown {
            by: Some(Dimension::Location),
            location: "HV",
            below: &below,
        };
        assert_eq!(b.group("/HV/S/D1/"), "S");
        assert_eq!(b.group(""), "unknown");
        assert_eq!(b.group("/HV/"), "HV");
        let mut groups = BTreeMap::new();
        groups.insert(
            "unknown".to_string(),
            Tally {
                numerator: 2,
                ..Tally::default()
            },
        );
        let t = b.finish(Tally::default(), groups);
        let keys: Vec<&str> = t.cells.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["N", "S", "unknown"]);
    }

    #[test]
    fn medians_of_even_counts_take_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3.5));
    }
}
