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

/// An answer: yes/no, an intensity from 0 to 1, or not known.
///
/// Not known is not no: the factor counts neither way in the computed level,
/// and the result names it and says how far it could move the level.
/// In JSON: `true`/`false`, a number, or `"yes"`, `"no"`, `"unknown"`
/// (read as `true`, `false` and not known; written back as `true`, `false`
/// and `"unknown"`, so answers stored before not known existed read back
/// unchanged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawAnswer", into = "RawAnswer")]
pub enum Answer {
    /// Present or not.
    Yes(bool),
    /// How strongly (0 to 1).
    Intensity(f64),
    /// The caseworker could not find out.
    Unknown,
}

/// An answer as JSON carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum RawAnswer {
    Bool(bool),
    Number(f64),
    Word(String),
}

impl TryFrom<RawAnswer> for Answer {
    type Error = String;
    fn try_from(raw: RawAnswer) -> Result<Answer, String> {
        match raw {
            RawAnswer::Bool(b) => Ok(Answer::Yes(b)),
            RawAnswer::Number(x) => Ok(Answer::Intensity(x)),
            RawAnswer::Word(w) => Answer::parse(&w).ok_or_else(|| {
                format!("{w:?} is not an answer: use true, false, a number from 0 to 1, \"yes\", \"no\" or \"unknown\"")
            }),
        }
    }
}

impl From<Answer> for RawAnswer {
    fn from(a: Answer) -> RawAnswer {
        match a {
            Answer::Yes(b) => RawAnswer::Bool(b),
            Answer::Intensity(x) => RawAnswer::Number(x),
            Answer::Unknown => RawAnswer::Word("unknown".into()),
        }
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Answer {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Number)
                    .minimum(Some(0.0))
                    .maximum(Some(1.0)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["yes", "no", "unknown"])),
            )
            .description(Some(
                "Present (true or \"yes\"), absent (false or \"no\"), an intensity from 0 to 1, or \"unknown\": not known, which is not no",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Answer {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Answer")
    }
}

impl Answer {
    /// Reads a form's or the API's word: `yes`, `no` or `unknown`.
    pub fn parse(word: &str) -> Option<Answer> {
        match word {
            "yes" => Some(Answer::Yes(true)),
            "no" => Some(Answer::Yes(false)),
            "unknown" => Some(Answer::Unknown),
            _ => None,
        }
    }

    /// The form's word for this answer (an intensity above 0 is yes).
    pub fn word(&self) -> &'static str {
        match self {
            Answer::Unknown => "unknown",
            a if a.intensity() > 0.0 => "yes",
            _ => "no",
        }
    }
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
    /// How present the factor is; not known counts as 0 here, and
    /// [`assess`] works out separately what it could change.
    fn intensity(&self) -> f64 {
        match self {
            Answer::Yes(true) => 1.0,
            Answer::Yes(false) | Answer::Unknown => 0.0,
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
    /// Factors answered "not known", in the instrument's order (empty for
    /// assessments made before not known could be answered).
    #[serde(default)]
    pub unknown_factors: Vec<String>,
    /// The unknown factors could move the level once they are known.
    #[serde(default)]
    pub provisional: bool,
    /// With unknowns: the level if every unknown risk is absent and every
    /// unknown protective factor present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest_level: Option<RiskLevel>,
    /// With unknowns: the level if every unknown risk is present and every
    /// unknown protective factor absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highest_level: Option<RiskLevel>,
}

impl AssessmentResult {
    /// The level is a floor: unknowns could only raise it (none of them
    /// could lower it), so it reads "at least" this level.
    pub fn at_least(&self) -> bool {
        self.provisional
            && self.lowest_level == Some(self.level)
            && self.highest_level.is_some_and(|h| h > self.level)
    }
}

/// Scores answers (`factor id -> answer`) with an instrument.
///
/// A factor answered not known counts neither as present nor as absent in
/// the level: a risk nobody confirmed is not added, a protection nobody
/// confirmed is not credited (so the level never rests on a guess either
/// way). The result then names the unknown factors and gives the lowest
/// and highest levels they allow; it is provisional when those differ from
/// the level, and "at least" the level when unknowns could only raise it.
pub fn assess(
    inst: &Instrument,
    answers: &BTreeMap<String, Answer>,
) -> Result<AssessmentResult, ValidationErrors> {
    let mut result = score(inst, answers)?;
    let unknown: Vec<&Factor> = inst
        .factors
        .iter()
        .filter(|f| matches!(answers.get(&f.id), Some(Answer::Unknown)))
        .collect();
    if unknown.is_empty() {
        return Ok(result);
    }
    let resolved = |risks_present: bool| {
        let mut a = answers.clone();
        for f in &unknown {
            let present = (f.kind != FactorKind::Protective) == risks_present;
            a.insert(f.id.clone(), Answer::Yes(present));
        }
        score(inst, &a).map(|r| r.level)
    };
    let lowest = resolved(false)?.min(result.level);
    let highest = resolved(true)?.max(result.level);
    result.unknown_factors = unknown.iter().map(|f| f.id.clone()).collect();
    result.provisional = lowest != result.level || highest != result.level;
    result.lowest_level = Some(lowest);
    result.highest_level = Some(highest);
    Ok(result)
}

/// Scores answers, not known counting as absent.
fn score(
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
        unknown_factors: Vec::new(),
        provisional: false,
        lowest_level: None,
        highest_level: None,
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

    fn with(yes: &[&str], unknown: &[&str]) -> BTreeMap<String, Answer> {
        let mut a = answers(yes);
        for id in unknown {
            a.insert(id.to_string(), Answer::Unknown);
        }
        a
    }

    #[test]
    fn unknown_is_not_no_the_result_names_it_and_how_far_it_could_go() {
        let no = {
            let mut a = answers(&["street_child", "child_labour"]);
            a.insert("domestic_violence".into(), Answer::Yes(false));
            assess(&inst(), &a).unwrap()
        };
        assert!(no.unknown_factors.is_empty());
        assert!(!no.provisional);
        assert_eq!(no.highest_level, None);
        let unknown = assess(
            &inst(),
            &with(&["street_child", "child_labour"], &["domestic_violence"]),
        )
        .unwrap();
        // The same level as far as anyone knows, but not the same result.
        assert_eq!(unknown.level, no.level);
        assert_eq!(unknown.score, no.score);
        assert_eq!(unknown.unknown_factors, vec!["domestic_violence"]);
        assert!(unknown.provisional);
        assert!(unknown.highest_level.unwrap() > unknown.level);
        assert_eq!(unknown.lowest_level, Some(unknown.level));
        assert!(unknown.at_least(), "unknown risks only: a floor");
        assert!(!no.at_least());
    }

    #[test]
    fn an_unknown_protection_could_lower_the_level_so_it_is_no_floor() {
        let r = assess(
            &inst(),
            &with(
                &["street_child", "child_labour", "not_in_school"],
                &[
                    "supportive_caregiver",
                    "community_support",
                    "attends_school",
                ],
            ),
        )
        .unwrap();
        assert!(r.provisional);
        assert!(r.lowest_level.unwrap() < r.level, "{r:?}");
        assert_eq!(r.highest_level, Some(r.level));
        assert!(!r.at_least());
    }

    #[test]
    fn an_unknown_that_cannot_move_the_level_leaves_it_firm() {
        let r = assess(&inst(), &with(&["immediate_danger"], &["poverty"])).unwrap();
        assert_eq!(r.level, RiskLevel::Critical);
        assert_eq!(r.unknown_factors, vec!["poverty"]);
        assert!(!r.provisional);
        let danger = assess(&inst(), &with(&[], &["immediate_danger"])).unwrap();
        assert_eq!(danger.level, RiskLevel::Low);
        assert!(!danger.urgent, "not known is not a recorded danger");
        assert_eq!(danger.highest_level, Some(RiskLevel::Critical));
    }

    #[test]
    fn answers_read_as_booleans_numbers_or_words_and_old_ones_read_back_unchanged() {
        let a: BTreeMap<String, Answer> = serde_json::from_str(
            r#"{"a": true, "b": false, "c": 0.5, "d": "yes", "e": "no", "f": "unknown"}"#,
        )
        .unwrap();
        assert_eq!(a["a"], Answer::Yes(true));
        assert_eq!(a["c"], Answer::Intensity(0.5));
        assert_eq!(a["d"], Answer::Yes(true));
        assert_eq!(a["e"], Answer::Yes(false));
        assert_eq!(a["f"], Answer::Unknown);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"a":true,"b":false,"c":0.5,"d":true,"e":false,"f":"unknown"}"#
        );
        let err = serde_json::from_str::<Answer>(r#""maybe""#).unwrap_err();
        assert!(err.to_string().contains("unknown"), "{err}");
        let old = r#"{"instrument_version":1,"score":2.0,"level":"low","layer":"primary","urgent":false,"drivers":[],"recommended_services":[]}"#;
        let r: AssessmentResult = serde_json::from_str(old).unwrap();
        assert!(r.unknown_factors.is_empty() && !r.provisional);
    }

    #[test]
    fn no_factor_description_carries_a_paragraph_number() {
        for f in inst().factors {
            assert!(
                !f.description.contains('§') && !f.description.contains("para."),
                "{}",
                f.description
            );
        }
    }
}
