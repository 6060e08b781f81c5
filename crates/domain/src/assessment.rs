//! Vulnerability assessment (C2, §21-66): an instrument that is data, and a
//! scoring that weighs risk against resilience (§22), treats poverty as
//! "poverty plus" (§56), lets any immediate safety concern make the result
//! critical and urgent, and explains itself factor by factor. It recommends;
//! a caseworker decides.

use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The level of the child's world a factor belongs to (§28).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorLevel {
    /// The child's own profile.
    Child,
    /// Family and caregivers.
    Family,
    /// Community and social norms.
    Community,
    /// Legal and institutional access.
    Institutional,
    /// Socio-economic situation.
    Socioeconomic,
    /// Environmental shocks.
    Environmental,
    /// Online and demand exposure.
    Online,
}

/// Whether a factor pushes or pulls a child towards harm, or protects them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// Pushes the child out of safety (e.g. violence at home).
    Push,
    /// Pulls the child towards harm (e.g. recruitment offers).
    Pull,
    /// Protects the child (resilience).
    Protective,
}

/// One factor of an instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// Stable identifier, e.g. `poverty`.
    pub id: String,
    /// Level.
    pub level: FactorLevel,
    /// Push, pull or protective.
    pub kind: FactorKind,
    /// Weight (0 < w <= 10).
    pub weight: f64,
    /// Plain-language description a caseworker can check.
    pub description: String,
    /// Present means an immediate safety concern: critical and urgent.
    #[serde(default)]
    pub safety: bool,
    /// An environmental or economic shock (counts for "poverty plus").
    #[serde(default)]
    pub shock: bool,
    /// Present means the child is already a victim: tertiary prevention.
    #[serde(default)]
    pub victim: bool,
    /// Service sectors that answer this factor.
    #[serde(default)]
    pub services: Vec<String>,
}

/// Score thresholds between levels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// From this score: medium.
    pub medium: f64,
    /// From this score: high.
    pub high: f64,
    /// From this score: critical.
    pub critical: f64,
}

/// A versioned instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Version; a change is a new version, never an edit of an old one.
    pub version: u32,
    /// Name.
    pub name: String,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// Factors.
    pub factors: Vec<Factor>,
}

/// The instrument Haven ships, built from the report.
pub const DEFAULT_INSTRUMENT: &str = include_str!("../instruments/default.json");

/// How much poverty alone counts (a fraction of its weight), and how much
/// together with another risk factor or a shock.
const POVERTY_ALONE: f64 = 0.25;
const POVERTY_PLUS: f64 = 1.5;
/// How much resilience offsets risk: protective weight counts at this rate.
const RESILIENCE_RATE: f64 = 0.6;

impl Instrument {
    /// Parses and checks an instrument.
    pub fn from_json(text: &str) -> Result<Instrument, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let inst: Instrument = match serde_json::from_str(text) {
            Ok(i) => i,
            Err(err) => {
                e.add("instrument", format!("not a valid instrument: {err}"));
                return Err(e);
            }
        };
        let mut ids = HashSet::new();
        for f in &inst.factors {
            if f.id.is_empty()
                || !f
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                e.add(
                    "factors",
                    format!(
                        "factor id {:?} must be lowercase letters, digits and '_'",
                        f.id
                    ),
                );
            }
            if !ids.insert(f.id.as_str()) {
                e.add("factors", format!("factor {:?} appears twice", f.id));
            }
            if !(f.weight > 0.0 && f.weight <= 10.0) {
                e.add(
                    "factors",
                    format!("factor {:?}: weight must be above 0 and at most 10", f.id),
                );
            }
            if f.description.trim().is_empty() {
                e.add("factors", format!("factor {:?} needs a description", f.id));
            }
        }
        let t = &inst.thresholds;
        if !(0.0 < t.medium && t.medium < t.high && t.high < t.critical) {
            e.add("thresholds", "must rise: 0 < medium < high < critical");
        }
        e.into_result()?;
        Ok(inst)
    }

    /// The shipped instrument.
    pub fn default_instrument() -> Result<Instrument, ValidationErrors> {
        Instrument::from_json(DEFAULT_INSTRUMENT)
    }
}

/// An answer: yes/no, or an intensity from 0 to 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Answer {
    /// Present or not.
    Yes(bool),
    /// How strongly (0 to 1).
    Intensity(f64),
}

impl RiskLevel {
    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<RiskLevel> {
        [
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
            RiskLevel::Critical,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

impl PreventionLayer {
    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PreventionLayer::Primary => "primary",
            PreventionLayer::Secondary => "secondary",
            PreventionLayer::Tertiary => "tertiary",
        }
    }
}

impl Answer {
    fn intensity(&self) -> f64 {
        match self {
            Answer::Yes(true) => 1.0,
            Answer::Yes(false) => 0.0,
            Answer::Intensity(x) => *x,
        }
    }
}

/// Risk level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// Prevention layer (§17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreventionLayer {
    /// For all children.
    Primary,
    /// For children at risk.
    Secondary,
    /// For victims, and against re-victimisation or reoffending.
    Tertiary,
}

/// One factor's part in the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// Factor id.
    pub factor: String,
    /// Share of the total risk (negative for protective factors: share of risk offset).
    pub share: f64,
    /// In words.
    pub text: String,
}

/// A recommended service sector and the factors it answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Sector, e.g. `civil_registration`.
    pub sector: String,
    /// Factor ids it answers.
    pub answers: Vec<String>,
    /// Services in the directory, covering the child's place, that answer them.
    #[serde(default)]
    pub services: Vec<ServiceMatch>,
}

/// A service from the directory recommended by an assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceMatch {
    /// Service id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: String,
    /// Factor ids of this assessment it answers.
    pub answers: Vec<String>,
}

/// The outcome of an assessment, before a caseworker confirms or overrides it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentResult {
    /// Instrument version used.
    pub instrument_version: u32,
    /// Risk weighed against resilience.
    pub score: f64,
    /// Level.
    pub level: RiskLevel,
    /// Prevention layer.
    pub layer: PreventionLayer,
    /// An immediate safety concern was flagged.
    pub urgent: bool,
    /// Factors that drove the result, largest first.
    pub drivers: Vec<Driver>,
    /// Sectors to refer to.
    pub recommended_services: Vec<Recommendation>,
}

/// Scores answers (`factor id -> answer`) with an instrument.
pub fn assess(
    inst: &Instrument,
    answers: &BTreeMap<String, Answer>,
) -> Result<AssessmentResult, ValidationErrors> {
    let mut e = ValidationErrors::default();
    for (id, a) in answers {
        if !inst.factors.iter().any(|f| &f.id == id) {
            e.add(
                &format!("answers.{id}"),
                "is not a factor of this instrument",
            );
        }
        let x = a.intensity();
        if !(0.0..=1.0).contains(&x) {
            e.add(
                &format!("answers.{id}"),
                "must be true, false or a number from 0 to 1",
            );
        }
    }
    e.into_result()?;
    let present = |f: &Factor| answers.get(&f.id).map_or(0.0, Answer::intensity);
    let risks: Vec<(&Factor, f64)> = inst
        .factors
        .iter()
        .filter(|f| f.kind != FactorKind::Protective)
        .map(|f| (f, present(f)))
        .filter(|(_, x)| *x > 0.0)
        .collect();
    let protective: Vec<(&Factor, f64)> = inst
        .factors
        .iter()
        .filter(|f| f.kind == FactorKind::Protective)
        .map(|f| (f, present(f)))
        .filter(|(_, x)| *x > 0.0)
        .collect();
    let poverty_present = risks.iter().any(|(f, _)| f.id == "poverty");
    let other_risk = risks.iter().any(|(f, _)| f.id != "poverty" && !f.shock);
    let shock = risks.iter().any(|(f, _)| f.shock);
    let poverty_rate = if poverty_present && (other_risk || shock) {
        POVERTY_PLUS
    } else {
        POVERTY_ALONE
    };
    let contributions: Vec<(&Factor, f64)> = risks
        .iter()
        .map(|(f, x)| {
            (
                *f,
                f.weight * x * if f.id == "poverty" { poverty_rate } else { 1.0 },
            )
        })
        .collect();
    let risk: f64 = contributions.iter().map(|(_, c)| c).sum();
    let resilience: f64 = protective
        .iter()
        .map(|(f, x)| f.weight * x * RESILIENCE_RATE)
        .sum();
    let offset = resilience.min(risk * 0.75); // resilience never cancels risk entirely
    let score = ((risk - offset) * 100.0).round() / 100.0;
    let t = &inst.thresholds;
    let mut level = if score >= t.critical {
        RiskLevel::Critical
    } else if score >= t.high {
        RiskLevel::High
    } else if score >= t.medium {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    };
    let urgent = risks.iter().any(|(f, _)| f.safety);
    if urgent {
        level = RiskLevel::Critical;
    }
    let layer = if risks.iter().any(|(f, _)| f.victim) {
        PreventionLayer::Tertiary
    } else if level >= RiskLevel::Medium {
        PreventionLayer::Secondary
    } else {
        PreventionLayer::Primary
    };
    let mut drivers: Vec<Driver> = contributions
        .iter()
        .map(|(f, c)| {
            let mut text = f.description.clone();
            if f.id == "poverty" {
                text.push_str(if poverty_rate > 1.0 {
                    " — counts more because it comes with another risk or a shock"
                } else {
                    " — counts little on its own"
                });
            }
            if f.safety {
                text.push_str(" — immediate safety concern: act now");
            }
            Driver {
                factor: f.id.clone(),
                share: round2(if risk > 0.0 { c / risk } else { 0.0 }),
                text,
            }
        })
        .collect();
    drivers.sort_by(|a, b| b.share.total_cmp(&a.share));
    let total_protection: f64 = protective.iter().map(|(f, x)| f.weight * x).sum();
    for (f, x) in &protective {
        let share = if risk > 0.0 {
            -(offset * (f.weight * x) / total_protection.max(f64::EPSILON)) / risk
        } else {
            0.0
        };
        drivers.push(Driver {
            factor: f.id.clone(),
            share: round2(share),
            text: format!("{} — protects the child", f.description),
        });
    }
    let mut sectors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, _) in &risks {
        for s in &f.services {
            sectors.entry(s.clone()).or_default().push(f.id.clone());
        }
    }
    let mut recommended_services: Vec<Recommendation> = sectors
        .into_iter()
        .map(|(sector, answers)| Recommendation {
            sector,
            answers,
            services: Vec::new(),
        })
        .collect();
    recommended_services.sort_by(|a, b| {
        b.answers
            .len()
            .cmp(&a.answers.len())
            .then(a.sector.cmp(&b.sector))
    });
    Ok(AssessmentResult {
        instrument_version: inst.version,
        score,
        level,
        layer,
        urgent,
        drivers,
        recommended_services,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(yes: &[&str]) -> BTreeMap<String, Answer> {
        yes.iter()
            .map(|id| (id.to_string(), Answer::Yes(true)))
            .collect()
    }

    fn inst() -> Instrument {
        Instrument::default_instrument().unwrap()
    }

    #[test]
    fn default_instrument_covers_every_level_and_kind() {
        let i = inst();
        for level in [
            FactorLevel::Child,
            FactorLevel::Family,
            FactorLevel::Community,
            FactorLevel::Institutional,
            FactorLevel::Socioeconomic,
            FactorLevel::Environmental,
            FactorLevel::Online,
        ] {
            assert!(i.factors.iter().any(|f| f.level == level), "{level:?}");
        }
        for kind in [FactorKind::Push, FactorKind::Pull, FactorKind::Protective] {
            assert!(i.factors.iter().any(|f| f.kind == kind), "{kind:?}");
        }
        assert!(i.factors.iter().any(|f| f.id == "poverty"));
        assert!(i.factors.iter().any(|f| f.safety));
    }

    #[test]
    fn poverty_alone_counts_little_but_poverty_plus_a_shock_counts_markedly() {
        let alone = assess(&inst(), &answers(&["poverty"])).unwrap();
        assert_eq!(alone.level, RiskLevel::Low);
        let shock_alone = assess(&inst(), &answers(&["environmental_shock"])).unwrap();
        let both = assess(&inst(), &answers(&["poverty", "environmental_shock"])).unwrap();
        assert!(
            both.score > alone.score + shock_alone.score,
            "more than the sum: {} vs {} + {}",
            both.score,
            alone.score,
            shock_alone.score
        );
        assert!(both.level >= RiskLevel::Medium);
        let with_risk = assess(&inst(), &answers(&["poverty", "not_in_school"])).unwrap();
        assert!(with_risk
            .drivers
            .iter()
            .any(|d| d.factor == "poverty" && d.text.contains("counts more")));
    }

    #[test]
    fn a_safety_flag_forces_critical_and_urgent() {
        let r = assess(
            &inst(),
            &answers(&[
                "immediate_danger",
                "attends_school",
                "supportive_caregiver",
                "community_support",
            ]),
        )
        .unwrap();
        assert_eq!(r.level, RiskLevel::Critical);
        assert!(r.urgent);
        assert!(!assess(&inst(), &answers(&["street_child"])).unwrap().urgent);
    }

    #[test]
    fn protective_factors_lower_the_level() {
        let risky = [
            "street_child",
            "child_labour",
            "not_in_school",
            "domestic_violence",
        ];
        let without = assess(&inst(), &answers(&risky)).unwrap();
        let mut with: Vec<&str> = risky.to_vec();
        with.extend([
            "supportive_caregiver",
            "community_support",
            "knows_how_to_report",
            "protective_norms",
        ]);
        let with = assess(&inst(), &answers(&with)).unwrap();
        assert!(with.score < without.score);
        assert!(
            with.level < without.level,
            "{:?} vs {:?}",
            with.level,
            without.level
        );
        assert!(with
            .drivers
            .iter()
            .any(|d| d.factor == "supportive_caregiver" && d.share < 0.0));
    }

    #[test]
    fn the_explanation_names_the_drivers_and_services() {
        let r = assess(
            &inst(),
            &answers(&["no_birth_registration", "online_grooming_contact"]),
        )
        .unwrap();
        assert_eq!(r.drivers[0].factor, "online_grooming_contact");
        let total: f64 = r
            .drivers
            .iter()
            .filter(|d| d.share > 0.0)
            .map(|d| d.share)
            .sum();
        assert!((total - 1.0).abs() < 0.02);
        assert!(r
            .recommended_services
            .iter()
            .any(|s| s.sector == "civil_registration"));
        assert_eq!(r.layer, PreventionLayer::Secondary);
        assert_eq!(
            assess(&inst(), &answers(&["already_victim"]))
                .unwrap()
                .layer,
            PreventionLayer::Tertiary
        );
        assert_eq!(
            assess(&inst(), &answers(&[])).unwrap().layer,
            PreventionLayer::Primary
        );
    }

    #[test]
    fn bad_answers_and_instruments_are_refused() {
        assert!(assess(&inst(), &answers(&["no_such_factor"])).is_err());
        let mut a = BTreeMap::new();
        a.insert("poverty".to_string(), Answer::Intensity(3.0));
        assert!(assess(&inst(), &a).is_err());
        assert!(Instrument::from_json("{}").is_err());
        let mut bad = inst();
        bad.thresholds.high = 1.0;
        assert!(Instrument::from_json(&serde_json::to_string(&bad).unwrap()).is_err());
    }
}
