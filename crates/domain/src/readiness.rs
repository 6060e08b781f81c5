//! The WHO readiness assessment for the prevention of child maltreatment
//! (RAP-CM, §117): the instrument as data, key informants' item scores,
//! and the arithmetic of a round.
//!
//! The instrument (`indicators/readiness.json`, versioned) lists ten
//! dimensions, each with its maximum raw score, and its items, each with
//! its own maximum (2, or 1 for the last item of a dimension whose maximum
//! is odd). Each item's maximum is written out rather than derived from
//! a rule, so that the file reads on its own, a later version may change
//! one item without a new rule, and loading checks that the items add up
//! to the dimension's maximum.
//!
//! A dimension's score is its raw score / maximum × 10; the total is the
//! sum of the raw scores / the sum of the maxima (177) × 100. A round's
//! figures are the mean across its informants.

use crate::validation::{is_plain_text, LANGUAGES};
use crate::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The instrument Haven ships.
pub const DEFAULT_INSTRUMENT: &str = include_str!("../indicators/readiness.json");

/// The ten dimensions of RAP-CM, whose names Haven has in every language:
/// a later version may change their items and maxima, not the dimensions.
pub const DIMENSIONS: [&str; 10] = [
    "attitudes",
    "knowledge",
    "scientific_data",
    "current_programmes",
    "legislation",
    "will",
    "institutional_links",
    "material_resources",
    "human_technical_resources",
    "informal_social_resources",
];

/// An item: one question, scored 0 to `max`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id, e.g. `knowledge_9`.
    pub id: String,
    /// The highest score (1 or 2).
    pub max: u8,
    /// The question as the ministry's questionnaire words it, by language
    /// (`en`, `fr`, `es`); the form shows "Question n" where a language
    /// has none. The shipped version has none: the questionnaire's text is
    /// the WHO's, loaded by a deployment that holds it as a new version.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text: BTreeMap<String, String>,
}

impl Item {
    /// The item's wording in `lang`, if the version has it.
    pub fn wording(&self, lang: &str) -> Option<&str> {
        self.text.get(lang).map(String::as_str)
    }
}

/// The longest wording of one question, in characters.
const MAX_WORDING: usize = 600;

/// A dimension of readiness.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Stable id, e.g. `attitudes`.
    pub id: String,
    /// The highest raw score: the sum of its items' maxima.
    pub max: u32,
    /// Its items, in the questionnaire's order.
    pub items: Vec<Item>,
}

/// One version of the instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// The instrument's name (`who_rap_cm`).
    pub instrument: String,
    /// Its version; a round keeps the version it was entered with.
    pub version: u32,
    /// What the file is, for whoever opens it.
    #[serde(default)]
    pub about: String,
    /// The ten dimensions.
    pub dimensions: Vec<Dimension>,
}

impl Instrument {
    /// Reads and checks an instrument: every item scored up to 1 or 2, the
    /// items of a dimension adding up to its maximum, ids unique.
    pub fn load(json: &str) -> Result<Instrument, String> {
        let i: Instrument = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        if i.instrument != "who_rap_cm" {
            return Err("the instrument must be who_rap_cm".into());
        }
        if i.version == 0 {
            return Err("the version must be 1 or more".into());
        }
        if i.dimensions.is_empty() {
            return Err("an instrument has dimensions".into());
        }
        for d in &i.dimensions {
            if !DIMENSIONS.contains(&d.id.as_str()) {
                return Err(format!(
                    "dimension {} is not one of RAP-CM's ten ({})",
                    d.id,
                    DIMENSIONS.join(", ")
                ));
            }
            if !seen.insert(d.id.clone()) {
                return Err(format!("dimension {} twice", d.id));
            }
            if d.items.is_empty() {
                return Err(format!("dimension {} has no item", d.id));
            }
            let sum: u32 = d.items.iter().map(|x| u32::from(x.max)).sum();
            if sum != d.max {
                return Err(format!(
                    "the items of {} add up to {sum}, not its maximum {}",
                    d.id, d.max
                ));
            }
            for it in &d.items {
                if !(1..=2).contains(&it.max) {
                    return Err(format!("item {} is scored 0-1 or 0-2", it.id));
                }
                let id_ok = !it.id.is_empty()
                    && it.id.len() <= 60
                    && it
                        .id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !id_ok {
                    return Err(format!(
                        "item id {:?}: lower-case letters, digits and _ only, up to 60",
                        it.id
                    ));
                }
                if !seen.insert(it.id.clone()) {
                    return Err(format!("item {} twice", it.id));
                }
                for (lang, words) in &it.text {
                    if !LANGUAGES.contains(&lang.as_str()) {
                        return Err(format!(
                            "item {}: wording in {lang}, which is not one of {}",
                            it.id,
                            LANGUAGES.join(", ")
                        ));
                    }
                    if !is_plain_text(words, MAX_WORDING) {
                        return Err(format!(
                            "item {}: its {lang} wording must be 1 to {MAX_WORDING} characters of plain text",
                            it.id
                        ));
                    }
                }
            }
        }
        Ok(i)
    }

    /// The shipped instrument.
    pub fn default_instrument() -> Result<Instrument, String> {
        Instrument::load(DEFAULT_INSTRUMENT)
    }

    /// The sum of the dimensions' maxima (177 for RAP-CM).
    pub fn total_max(&self) -> u32 {
        self.dimensions.iter().map(|d| d.max).sum()
    }

    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.dimensions.iter().flat_map(|d| d.items.iter())
    }

    /// Reads one informant's scores as typed (item id → text): each item
    /// must be a whole number from 0 to its maximum. Errors name the item.
    pub fn check_scores(
        &self,
        typed: &BTreeMap<String, String>,
    ) -> Result<Scores, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut out = Scores::new();
        for it in self.items() {
            match typed.get(&it.id).map(|s| s.trim()).unwrap_or("") {
                "" => e.add(&it.id, "readiness-error-missing"),
                s => match s.parse::<u8>() {
                    Ok(n) if n <= it.max => {
                        out.insert(it.id.clone(), n);
                    }
                    _ if it.max == 1 => e.add(&it.id, "readiness-error-range-1"),
                    _ => e.add(&it.id, "readiness-error-range-2"),
                },
            }
        }
        if let Some(k) = typed.keys().find(|k| !self.items().any(|it| &it.id == *k)) {
            e.add(k, "readiness-error-unknown");
        }
        e.into_result().map(|()| out)
    }
}

/// One informant's item scores: item id → score.
pub type Scores = BTreeMap<String, u8>;

/// A dimension's figures: raw (mean across informants), out of 10.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimensionResult {
    /// The dimension's id.
    pub id: String,
    /// The raw score (a mean, so perhaps not whole).
    pub raw: f64,
    /// The highest raw score.
    pub max: u32,
    /// raw / max × 10.
    pub score: f64,
}

/// A round's (or one informant's) figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// How many informants the means are over.
    pub informants: usize,
    /// Per dimension, in the instrument's order.
    pub dimensions: Vec<DimensionResult>,
    /// Sum of raw scores / total maximum × 100.
    pub total: f64,
}

/// The mean across informants; `None` without any informant.
pub fn results(inst: &Instrument, informants: &[Scores]) -> Option<Results> {
    if informants.is_empty() {
        return None;
    }
    let n = informants.len() as f64;
    let dimensions: Vec<DimensionResult> = inst
        .dimensions
        .iter()
        .map(|d| {
            let sum: u32 = informants
                .iter()
                .map(|s| {
                    d.items
                        .iter()
                        .map(|it| u32::from(s.get(&it.id).copied().unwrap_or(0).min(it.max)))
                        .sum::<u32>()
                })
                .sum();
            let raw = f64::from(sum) / n;
            DimensionResult {
                id: d.id.clone(),
                raw,
                max: d.max,
                score: if d.max == 0 {
                    0.0
                } else {
                    raw / f64::from(d.max) * 10.0
                },
            }
        })
        .collect();
    let total_max = inst.total_max();
    let raw: f64 = dimensions.iter().map(|d| d.raw).sum();
    Some(Results {
        informants: informants.len(),
        total: if total_max == 0 {
            0.0
        } else {
            raw / f64::from(total_max) * 100.0
        },
        dimensions,
    })
}

/// The change from `before` to `after`, per dimension (score out of 10)
/// and in total (out of 100); dimensions matched by id, those in only one
/// round left out.
pub fn change(before: &Results, after: &Results) -> (Vec<(String, f64)>, f64) {
    let per = after
        .dimensions
        .iter()
        .filter_map(|a| {
            before
                .dimensions
                .iter()
                .find(|b| b.id == a.id)
                .map(|b| (a.id.clone(), a.score - b.score))
        })
        .collect();
    (per, after.total - before.total)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn all(inst: &Instrument, f: impl Fn(&Item) -> u8) -> Scores {
        inst.items().map(|it| (it.id.clone(), f(it))).collect()
    }

    #[test]
    fn the_shipped_instrument_has_ten_dimensions_adding_up_to_177() {
        let i = Instrument::default_instrument().unwrap();
        let maxima: Vec<(&str, u32)> = i
            .dimensions
            .iter()
            .map(|d| (d.id.as_str(), d.max))
            .collect();
        assert_eq!(
            maxima,
            [
                ("attitudes", 16),
                ("knowledge", 17),
                ("scientific_data", 24),
                ("current_programmes", 30),
                ("legislation", 12),
                ("will", 24),
                ("institutional_links", 19),
                ("material_resources", 13),
                ("human_technical_resources", 12),
                ("informal_social_resources", 10),
            ]
        );
        assert_eq!(i.total_max(), 177);
        for d in &i.dimensions {
            assert_eq!(d.items.len() as u32, d.max.div_ceil(2), "{}", d.id);
        }
        // An odd maximum: its last item is scored 0-1.
        let k = &i.dimensions[1];
        assert_eq!(k.items.last().unwrap().max, 1);
        assert_eq!(i.items().count(), 90);
    }

    #[test]
    fn a_file_whose_items_do_not_add_up_is_refused() {
        let bad = r#"{"instrument":"who_rap_cm","version":1,"dimensions":[{"id":"will","max":5,"items":[{"id":"a_1","max":2},{"id":"a_2","max":2}]}]}"#;
        assert!(Instrument::load(bad).unwrap_err().contains("add up"));
        let three = r#"{"instrument":"who_rap_cm","version":1,"dimensions":[{"id":"will","max":3,"items":[{"id":"a_1","max":3}]}]}"#;
        assert!(Instrument::load(three).is_err());
    }

    #[test]
    fn a_later_version_may_word_its_questions_but_keeps_the_ten_dimensions() {
        let worded = r#"{"instrument":"who_rap_cm","version":2,"dimensions":[{"id":"will","max":3,"items":[
            {"id":"will_1","max":2,"text":{"en":"Do leaders speak of prevention?","fr":"Les dirigeants parlent-ils de prévention ?"}},
            {"id":"will_2","max":1}]}]}"#;
        let i = Instrument::load(worded).unwrap();
        let first = i.items().next().unwrap();
        assert_eq!(
            first.wording("fr"),
            Some("Les dirigeants parlent-ils de prévention ?")
        );
        assert_eq!(first.wording("es"), None);
        for (bad, why) in [
            (
                worded.replace("\"will\",\"max\"", "\"wishes\",\"max\""),
                "not one of RAP-CM",
            ),
            (
                worded.replace("\"fr\":", "\"de\":"),
                "not one of en, fr, es",
            ),
            (
                worded.replace("Do leaders speak of prevention?", ""),
                "plain text",
            ),
            (
                worded.replace("Do leaders", "Do \u{202e}leaders"),
                "plain text",
            ),
            (worded.replace("who_rap_cm", "other"), "who_rap_cm"),
            (
                worded.replace("\"version\":2", "\"version\":0"),
                "1 or more",
            ),
            (worded.replace("will_2", "Will 2"), "lower-case"),
        ] {
            let e = Instrument::load(&bad).unwrap_err();
            assert!(e.contains(why), "{e} for {bad}");
        }
    }

    #[test]
    fn dimension_scores_are_out_of_ten_and_the_total_out_of_a_hundred() {
        let i = Instrument::default_instrument().unwrap();
        let full = all(&i, |it| it.max);
        let r = results(&i, &[full]).unwrap();
        assert!(r.dimensions.iter().all(|d| (d.score - 10.0).abs() < 1e-9));
        assert!((r.total - 100.0).abs() < 1e-9);
        // One point on every item: knowledge 9 of 17, attitudes 8 of 16.
        let ones = all(&i, |_| 1);
        let r = results(&i, &[ones]).unwrap();
        assert_eq!(r.dimensions[0].raw, 8.0);
        assert!((r.dimensions[0].score - 5.0).abs() < 1e-9);
        assert_eq!(r.dimensions[1].raw, 9.0);
        assert!((r.dimensions[1].score - 90.0 / 17.0).abs() < 1e-9);
        assert!((r.total - 90.0 / 177.0 * 100.0).abs() < 1e-9);
    }

    #[test]
    fn a_round_is_the_mean_across_informants_and_rounds_are_compared() {
        let i = Instrument::default_instrument().unwrap();
        let zero = all(&i, |_| 0);
        let full = all(&i, |it| it.max);
        let r = results(&i, &[zero.clone(), full.clone()]).unwrap();
        assert_eq!(r.informants, 2);
        assert_eq!(r.dimensions[1].raw, 8.5);
        assert!((r.dimensions[1].score - 5.0).abs() < 1e-9);
        assert!((r.total - 50.0).abs() < 1e-9);
        assert!(results(&i, &[]).is_none());
        let before = results(&i, &[zero]).unwrap();
        let (per, total) = change(&before, &r);
        assert_eq!(per.len(), 10);
        assert!(per.iter().all(|(_, d)| (d - 5.0).abs() < 1e-9));
        assert!((total - 50.0).abs() < 1e-9);
    }

    #[test]
    fn scores_are_checked_item_by_item() {
        let i = Instrument::default_instrument().unwrap();
        let mut typed: BTreeMap<String, String> = i
            .items()
            .map(|it| (it.id.clone(), "1".to_string()))
            .collect();
        assert!(i.check_scores(&typed).is_ok());
        typed.insert("attitudes_1".into(), "3".into());
        typed.insert("knowledge_9".into(), "2".into());
        typed.insert("will_1".into(), " ".into());
        let e = i.check_scores(&typed).unwrap_err();
        let got: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.message.as_str()))
                .collect();
        assert!(
            got.contains(&("attitudes_1", "readiness-error-range-2")),
            "{got:?}"
        );
        assert!(
            got.contains(&("knowledge_9", "readiness-error-range-1")),
            "{got:?}"
        );
        assert!(
            got.contains(&("will_1", "readiness-error-missing")),
            "{got:?}"
        );
        typed.insert("attitudes_1".into(), "2".into());
        typed.insert("knowledge_9".into(), "1".into());
        typed.insert("will_1".into(), "0".into());
        typed.insert("made_up".into(), "0".into());
        assert_eq!(i.check_scores(&typed).unwrap_err().0[0].field, "made_up");
    }
}
