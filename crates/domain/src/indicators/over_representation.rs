//! Over-representation (the report's §115): whether some groups of
//! children are found among victims, or at high risk, more often than their
//! share of the registered children would suggest.
//!
//! For each group of a breakdown (sex, age band, disability, minority
//! group, district) the ratio is the group's share of the children
//! concerned divided by its share of the registered children: 1 means as
//! expected, 2 twice as often. The counts behind each ratio are published
//! with it, both hidden by the same [`disclosure`](super::disclosure)
//! rule as every other figure; a ratio built on a hidden count is hidden.

use super::disclosure::{Rule, Table};
use super::Tallies;
use serde::{Deserialize, Serialize};

api_enum!(
    /// Which children are compared with the registered ones.
    Concern {
        /// Children known as victims (assessed as such, or with a form of
        /// exploitation recorded on a case).
        Victims => "victims",
        /// Children whose latest assessment is high or critical.
        HighRisk => "high_risk",
    }
);

/// One group's comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// The group's value (a closed-list spelling or a place's code).
    pub key: String,
    /// Children concerned in the group, unless hidden.
    pub count: Option<i64>,
    /// Registered children in the group, unless hidden.
    pub registered: Option<i64>,
    /// The group's share of the children concerned, in percent.
    pub share: Option<f64>,
    /// The group's share of the registered children, in percent.
    pub registered_share: Option<f64>,
    /// Share of the concerned ÷ share of the registered (1 = as expected).
    pub ratio: Option<f64>,
    /// Hidden by disclosure control.
    pub suppressed: bool,
}

/// A breakdown's comparison, with its totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// All children concerned, unless hidden.
    pub count: Option<i64>,
    /// All registered children, unless hidden.
    pub registered: Option<i64>,
    /// Each group.
    pub groups: Vec<Group>,
}

fn hide(counts: &[i64], total: i64, rule: Option<Rule>) -> Vec<bool> {
    match rule {
        Some(rule) => {
            let mut t = Table::one_way(counts);
            if let Some(last) = t.values.last_mut() {
                *last = total;
            }
            t.suppress(rule)
        }
        None => vec![false; counts.len() + 1],
    }
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (1000.0 * part as f64 / whole as f64).round() / 10.0)
}

/// Compares the children concerned (`concerned`: numerators by group) with
/// the registered children (`registered`: numerators by group), group by
/// group in the order of `registered`'s cells (then any group only the
/// concerned have). With a `rule`, small counts are hidden along with what
/// would give them away, in both columns.
pub fn compare(concerned: &Tallies, registered: &Tallies, rule: Option<Rule>) -> Comparison {
    let mut keys: Vec<&str> = registered.cells.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in &concerned.cells {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    let get = |t: &Tallies, k: &str| {
        t.cells
            .iter()
            .find(|(key, _)| key == k)
            .map_or(0, |(_, c)| c.numerator)
    };
    let c: Vec<i64> = keys.iter().map(|k| get(concerned, k)).collect();
    let r: Vec<i64> = keys.iter().map(|k| get(registered, k)).collect();
    let (ct, rt) = (concerned.total.numerator, registered.total.numerator);
    let hc = hide(&c, ct, rule);
    let hr = hide(&r, rt, rule);
    let n = keys.len();
    let groups = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let hidden = hc[i] || hr[i] || hc[n] || hr[n];
            let share = pct(c[i], ct);
            let registered_share = pct(r[i], rt);
            let ratio = match (ct > 0 && rt > 0 && r[i] > 0).then_some(()) {
                Some(()) => {
                    let v = (c[i] as f64 / ct as f64) / (r[i] as f64 / rt as f64);
                    Some((v * 100.0).round() / 100.0)
                }
                None => None,
            };
            Group {
                key: k.to_string(),
                count: (!hidden).then_some(c[i]),
                registered: (!hidden).then_some(r[i]),
                share: if hidden { None } else { share },
                registered_share: if hidden { None } else { registered_share },
                ratio: if hidden { None } else { ratio },
                suppressed: hidden,
            }
        })
        .collect();
    Comparison {
        count: (!hc[n]).then_some(ct),
        registered: (!hr[n]).then_some(rt),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Tally;

    fn t(total: i64, cells: &[(&str, i64)]) -> Tallies {
        Tallies {
            total: Tally {
                numerator: total,
                ..Tally::default()
            },
            cells: cells
                .iter()
                .map(|(k, n)| {
                    (
                        k.to_string(),
                        Tally {
                            numerator: *n,
                            ..Tally::default()
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_group_twice_as_common_among_victims_has_a_ratio_of_two() {
        let victims = t(40, &[("female", 30), ("male", 10)]);
        let registered = t(400, &[("female", 150), ("male", 250)]);
        let c = compare(&victims, &registered, None);
        assert_eq!(c.groups[0].share, Some(75.0));
        assert_eq!(c.groups[0].registered_share, Some(37.5));
        assert_eq!(c.groups[0].ratio, Some(2.0));
        assert_eq!(c.groups[1].ratio, Some(0.4));
        assert_eq!((c.count, c.registered), (Some(40), Some(400)));
    }

    #[test]
    fn small_counts_hide_the_ratio_and_a_companion() {
        let victims = t(40, &[("D1", 3), ("D2", 17), ("D3", 20)]);
        let registered = t(400, &[("D1", 100), ("D2", 100), ("D3", 200)]);
        let c = compare(&victims, &registered, Some(Rule::default()));
        assert!(c.groups[0].suppressed && c.groups[0].ratio.is_none());
        assert_eq!(c.groups[0].count, None);
        assert!(c.groups[1].suppressed, "the companion of the small count");
        assert_eq!(c.groups[2].ratio, Some(1.0));
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains(":3,") && !json.contains(":17,"), "{json}");
    }

    #[test]
    fn nobody_registered_gives_no_ratio_not_a_division_by_zero() {
        let c = compare(&t(0, &[]), &t(0, &[("female", 0)]), None);
        assert_eq!(c.groups[0].ratio, None);
        assert_eq!(c.groups[0].share, None);
    }
}
