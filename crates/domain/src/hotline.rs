//! The hotline's work on reported online material (C6), as INHOPE hotlines
//! do it: assess, notify the host, refer to law enforcement, list the URL,
//! and record when the material is gone. Also the figures a hotline
//! publishes, computed from those records, never typed.

use serde::{Deserialize, Serialize};

api_enum!(
    /// An analyst's assessment of reported material.
    Assessment {
        /// Illegal under national law.
        Illegal => "illegal",
        /// Not illegal.
        NotIllegal => "not_illegal",
        /// Needs a second analyst's opinion.
        SecondOpinion => "needs_second_opinion",
    }
);

api_enum!(
    /// Where an item stands in the hotline's work: what the analyst does
    /// next, or that nothing is left to do.
    ItemStage {
        /// Not assessed yet.
        ToAssess => "to_assess",
        /// Waiting for a second analyst.
        SecondOpinion => "second_opinion",
        /// Illegal; the host has not been notified.
        SendNotice => "send_notice",
        /// Illegal; the host was notified and the material is still there.
        WaitingRemoval => "waiting_removal",
        /// The material is gone.
        Removed => "removed",
        /// Assessed as not illegal.
        NotIllegal => "not_illegal",
    }
);

impl ItemStage {
    /// The stage of an item from what its record holds.
    pub fn of(assessment: Option<Assessment>, notice_sent: bool, removed: bool) -> ItemStage {
        match assessment {
            _ if removed => ItemStage::Removed,
            None => ItemStage::ToAssess,
            Some(Assessment::SecondOpinion) => ItemStage::SecondOpinion,
            Some(Assessment::NotIllegal) => ItemStage::NotIllegal,
            Some(Assessment::Illegal) if notice_sent => ItemStage::WaitingRemoval,
            Some(Assessment::Illegal) => ItemStage::SendNotice,
        }
    }

    /// Whether an analyst still has something to do with an item here.
    pub fn is_open(self) -> bool {
        !matches!(self, ItemStage::Removed | ItemStage::NotIllegal)
    }
}

api_enum!(
    /// Apparent age of the children depicted (as hotlines classify it).
    AgeBand {
        /// Infant or toddler.
        Infant => "infant",
        /// Before puberty.
        Prepubescent => "prepubescent",
        /// Pubescent.
        Pubescent => "pubescent",
        /// Cannot tell.
        Unknown => "unknown",
    }
);

api_enum!(
    /// An action on an item after it is assessed illegal.
    HotlineAction {
        /// Notice-and-takedown sent to the host.
        NoticeSent => "notice_sent",
        /// Referred to law enforcement.
        LawEnforcement => "law_enforcement",
        /// Forwarded to the hotline of the hosting country.
        Forwarded => "forwarded",
        /// The material is gone: takedown time recorded, URL leaves the list.
        Removed => "removed",
    }
);

/// The categories of material an analyst may choose, in the order the form
/// offers them, unless the deployment sets its own list (`[hotline]
/// categories` in `haven.toml`, a subset of these). Each is a vocabulary
/// value (`hotline-category-<value>`) in every language.
pub const CATEGORIES: [&str; 8] = [
    "baseline",
    "national",
    "self_generated",
    "computer_generated",
    "grooming",
    "sextortion",
    "sale_advert",
    "other_exploitation",
];

/// Whether `value` is one of [`CATEGORIES`].
pub fn is_category(value: &str) -> bool {
    CATEGORIES.contains(&value)
}

/// ISO 3166-1 countries: alpha-2 code and the name in English, French and
/// Spanish, from the iso-codes project (`data/countries.tsv`).
const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

/// A country of ISO 3166-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    /// Two capital letters.
    pub code: &'static str,
    /// Its name in English.
    pub en: &'static str,
    /// In French.
    pub fr: &'static str,
    /// In Spanish.
    pub es: &'static str,
}

impl Country {
    /// The name in `lang` (`en`, `fr` or `es`; English otherwise).
    pub fn name(&self, lang: &str) -> &'static str {
        match lang {
            "fr" => self.fr,
            "es" => self.es,
            _ => self.en,
        }
    }
}

/// Every ISO 3166-1 country, by code.
pub fn countries() -> impl Iterator<Item = Country> {
    COUNTRIES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some(Country {
                code: f.next()?,
                en: f.next()?,
                fr: f.next()?,
                es: f.next()?,
            })
        })
}

/// The country with this ISO 3166-1 alpha-2 code (any case).
pub fn country(code: &str) -> Option<Country> {
    let code = code.trim();
    countries().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// One item's times, for the figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemTimes {
    /// When the report came in (Unix seconds).
    pub reported_at: i64,
    /// The assessment, if made.
    pub assessment: Option<Assessment>,
    /// When the material was recorded as gone.
    pub removed_at: Option<i64>,
}

/// What the hotline publishes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HotlineFigures {
    /// Reports received (all categories).
    pub reports_received: u64,
    /// Items of online material received.
    pub items: u64,
    /// Of those, assessed (illegal or not).
    pub assessed: u64,
    /// Assessed illegal.
    pub illegal: u64,
    /// Share of assessed items found illegal, in percent.
    pub percent_illegal: Option<f64>,
    /// Illegal items recorded as removed.
    pub removed: u64,
    /// Median hours from report to removal.
    pub median_hours_to_removal: Option<f64>,
    /// 90th percentile of hours from report to removal.
    pub p90_hours_to_removal: Option<f64>,
    /// Share of illegal items removed within 3 days of the report, in percent.
    pub percent_removed_within_3_days: Option<f64>,
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    Some(sorted[i] as f64)
}

fn percent(n: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| (1000.0 * n as f64 / of as f64).round() / 10.0)
}

/// Computes the published figures from the items and the report count.
pub fn figures(reports_received: u64, items: &[ItemTimes]) -> HotlineFigures {
    let assessed = items
        .iter()
        .filter(|i| {
            matches!(
                i.assessment,
                Some(Assessment::Illegal | Assessment::NotIllegal)
            )
        })
        .count() as u64;
    let illegal: Vec<&ItemTimes> = items
        .iter()
        .filter(|i| i.assessment == Some(Assessment::Illegal))
        .collect();
    let mut durations: Vec<i64> = illegal
        .iter()
        .filter_map(|i| i.removed_at.map(|r| (r - i.reported_at).max(0)))
        .collect();
    durations.sort_unstable();
    let hours = |s: Option<f64>| s.map(|x| (x / 360.0).round() / 10.0);
    let within = durations.iter().filter(|d| **d <= 3 * 86_400).count() as u64;
    HotlineFigures {
        reports_received,
        items: items.len() as u64,
        assessed,
        illegal: illegal.len() as u64,
        percent_illegal: percent(illegal.len() as u64, assessed),
        removed: durations.len() as u64,
        median_hours_to_removal: hours(percentile(&durations, 50.0)),
        p90_hours_to_removal: hours(percentile(&durations, 90.0)),
        percent_removed_within_3_days: percent(within, illegal.len() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;

    fn item(a: Option<Assessment>, removed_after_hours: Option<i64>) -> ItemTimes {
        ItemTimes {
            reported_at: 1_000_000,
            assessment: a,
            removed_at: removed_after_hours.map(|h| 1_000_000 + h * H),
        }
    }

    #[test]
    fn figures_are_computed_from_the_records() {
        use Assessment::*;
        let items = [
            item(Some(Illegal), Some(2)),
            item(Some(Illegal), Some(10)),
            item(Some(Illegal), Some(30)),
            item(Some(Illegal), Some(100)),
            item(Some(Illegal), None),
            item(Some(NotIllegal), None),
            item(Some(SecondOpinion), None),
            item(None, None),
        ];
        let f = figures(20, &items);
        assert_eq!(
            (
                f.reports_received,
                f.items,
                f.assessed,
                f.illegal,
                f.removed
            ),
            (20, 8, 6, 5, 4)
        );
        assert_eq!(f.percent_illegal, Some(83.3));
        assert_eq!(f.median_hours_to_removal, Some(10.0));
        assert_eq!(f.p90_hours_to_removal, Some(100.0));
        assert_eq!(
            f.percent_removed_within_3_days,
            Some(60.0),
            "3 of 5 illegal items within 72 h"
        );
    }

    #[test]
    fn countries_are_the_iso_list_in_three_languages() {
        let all: Vec<Country> = countries().collect();
        assert_eq!(all.len(), 249);
        assert!(all.iter().all(|c| c.code.len() == 2
            && c.code.chars().all(|x| x.is_ascii_uppercase())
            && !c.en.is_empty()
            && !c.fr.is_empty()
            && !c.es.is_empty()));
        let nl = country("nl").map(|c| (c.code, c.name("fr"), c.name("es")));
        assert_eq!(nl, Some(("NL", "Pays-Bas", "Países Bajos")));
        assert_eq!(country("XX"), None);
        assert_eq!(country("UK"), None, "the ISO code is GB");
    }

    #[test]
    fn no_data_gives_no_figure_rather_than_zero() {
        let f = figures(0, &[]);
        assert_eq!(f.percent_illegal, None);
        assert_eq!(f.median_hours_to_removal, None);
    }
}
