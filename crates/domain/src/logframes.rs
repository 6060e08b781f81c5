//! Logframes: a results chain (impact → outcomes → outputs → activities)
//! whose results are measured by indicators of the live catalogue, each
//! with a baseline, milestones and a target. This module holds the rules
//! and the arithmetic of progress; the store keeps the logframes and the
//! indicator figures come from [`crate::indicators`].
//!
//! Progress is the share of the way from baseline to target that the
//! current value has covered, which works the same for an indicator meant
//! to fall (target below baseline). A value that is hidden (suppressed) or
//! not defined gives *unknown* progress, never 0.

use crate::{Date, ValidationErrors};
use serde::{Deserialize, Serialize};

api_enum! {
    /// A result's level in the chain; each has a parent one level above.
    Level {
        /// The long-term change the programme contributes to.
        Impact => "impact",
        /// A change the programme is accountable for.
        Outcome => "outcome",
        /// What the programme delivers.
        Output => "output",
        /// What the programme does.
        Activity => "activity",
    }
}

impl Level {
    /// The level a parent must have; none for the impact.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::Impact => None,
            Level::Outcome => Some(Level::Impact),
            Level::Output => Some(Level::Outcome),
            Level::Activity => Some(Level::Output),
        }
    }
}

/// The longest title, statement or free text kept.
pub const MAX_TEXT: usize = 2000;

/// Checks a logframe's title.
pub fn check_title(title: &str) -> Result<String, ValidationErrors> {
    let t = title.trim();
    let mut e = ValidationErrors::default();
    if t.is_empty() {
        e.add("title", "logframes-error-title");
    } else if t.chars().count() > 200 {
        e.add("title", "logframes-error-title-long");
    }
    e.into_result().map(|()| t.to_string())
}

/// A new result, as given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewResult {
    /// `impact`, `outcome`, `output` or `activity`.
    pub level: String,
    /// The parent result's id (none for the impact).
    #[serde(default)]
    pub parent: Option<String>,
    /// What the result is, in words.
    pub statement: String,
    /// Where the figures come from (means of verification).
    #[serde(default)]
    pub source: String,
    /// How often it is measured.
    #[serde(default)]
    pub frequency: String,
    /// Who is responsible.
    #[serde(default)]
    pub responsible: String,
    /// What must hold for the result to lead to the one above.
    #[serde(default)]
    pub assumptions: String,
    /// What could stop it.
    #[serde(default)]
    pub risks: String,
}

impl NewResult {
    /// Checks what can be checked without the store: the level, the
    /// statement, the lengths; and that an impact has no parent and every
    /// other level has one. The store checks the parent's level.
    pub fn validate(&self) -> Result<Level, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let level = Level::parse(self.level.trim());
        match level {
            None => e.add("level", "logframes-error-level"),
            Some(l) => match (l.parent(), self.parent.as_deref().map(str::trim)) {
                (None, Some(p)) if !p.is_empty() => e.add("parent", "logframes-error-no-parent"),
                (Some(_), None) => e.add("parent", "logframes-error-parent"),
                (Some(_), Some("")) => e.add("parent", "logframes-error-parent"),
                _ => {}
            },
        }
        self.text().check(&mut e);
        match (e.into_result(), level) {
            (Ok(()), Some(l)) => Ok(l),
            (Err(e), _) => Err(e),
            (Ok(()), None) => {
                let mut e = ValidationErrors::default();
                e.add("level", "logframes-error-level");
                Err(e)
            }
        }
    }
}

impl NewResult {
    /// The result's words, without its level and place in the chain.
    pub fn text(&self) -> ResultText {
        ResultText {
            statement: self.statement.clone(),
            source: self.source.clone(),
            frequency: self.frequency.clone(),
            responsible: self.responsible.clone(),
            assumptions: self.assumptions.clone(),
            risks: self.risks.clone(),
        }
    }
}

/// A result's words as changed: its level and place in the chain stay
/// (moving a result would silently change what its parent's progress
/// means; remove it and add it again instead).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResultText {
    /// What the result is, in words.
    pub statement: String,
    /// Where the figures come from (means of verification).
    #[serde(default)]
    pub source: String,
    /// How often it is measured.
    #[serde(default)]
    pub frequency: String,
    /// Who is responsible.
    #[serde(default)]
    pub responsible: String,
    /// What must hold for the result to lead to the one above.
    #[serde(default)]
    pub assumptions: String,
    /// What could stop it.
    #[serde(default)]
    pub risks: String,
}

impl ResultText {
    /// A statement, and no text over [`MAX_TEXT`] characters.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        self.check(&mut e);
        e.into_result()
    }

    fn check(&self, e: &mut ValidationErrors) {
        if self.statement.trim().is_empty() {
            e.add("statement", "logframes-error-statement");
        }
        for (field, v) in [
            ("statement", &self.statement),
            ("source", &self.source),
            ("frequency", &self.frequency),
            ("responsible", &self.responsible),
            ("assumptions", &self.assumptions),
            ("risks", &self.risks),
        ] {
            if v.chars().count() > MAX_TEXT {
                e.add(field, "logframes-error-long");
            }
        }
    }
}

/// A value at a date: a baseline, a milestone or a target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// The value (in the indicator's unit).
    pub value: f64,
    /// When: measured (baseline) or due (milestone, target).
    pub date: Date,
}

/// Reads a value as typed (`12`, `12.5`, `12,5`); finite only.
pub fn parse_value(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Where a measure stands against its latest due milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// At or beyond the latest due milestone, in the target's direction.
    OnTrack,
    /// Short of it.
    Behind,
    /// No milestone is due yet.
    NothingDue,
    /// The current value is hidden or undefined, or no direction is known.
    Unknown,
}

impl Track {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::OnTrack => "on_track",
            Track::Behind => "behind",
            Track::NothingDue => "nothing_due",
            Track::Unknown => "unknown",
        }
    }
}

/// The share of the way from `baseline` to `target` that `current` has
/// covered (0.62 = 62 %); may be below 0 (worse than the baseline) or
/// above 1 (beyond the target). `None` when the current value is unknown
/// (hidden or undefined) or the target equals the baseline.
pub fn progress(baseline: f64, target: f64, current: Option<f64>) -> Option<f64> {
    let current = current.filter(|v| v.is_finite())?;
    let span = target - baseline;
    if span == 0.0 || !span.is_finite() {
        return None;
    }
    Some((current - baseline) / span)
}

/// The latest milestone due on or before `today`.
pub fn latest_due(milestones: &[Mark], today: Date) -> Option<Mark> {
    milestones
        .iter()
        .filter(|m| m.date <= today)
        .max_by_key(|m| m.date)
        .copied()
}

/// Whether `current` is on track against the latest milestone due by
/// `today`. The direction (rising or falling) is the target's against the
/// baseline, or, without both, the milestone's against the baseline.
pub fn track(
    baseline: Option<Mark>,
    target: Option<Mark>,
    milestones: &[Mark],
    today: Date,
    current: Option<f64>,
) -> Track {
    let Some(due) = latest_due(milestones, today) else {
        return Track::NothingDue;
    };
    let Some(current) = current.filter(|v| v.is_finite()) else {
        return Track::Unknown;
    };
    let direction = match (baseline, target) {
        (Some(b), Some(t)) if t.value != b.value => (t.value - b.value).signum(),
        (Some(b), _) if due.value != b.value => (due.value - b.value).signum(),
        _ => return Track::Unknown,
    };
    if (current - due.value) * direction >= 0.0 {
        Track::OnTrack
    } else {
        Track::Behind
    }
}

/// A progress share as a whole percentage for a bar: 0 to 100.
pub fn bar_percent(share: f64) -> i64 {
    (share * 100.0).round().clamp(0.0, 100.0) as i64
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn mark(value: f64, date: &str) -> Mark {
        Mark {
            value,
            date: d(date),
        }
    }

    #[test]
    fn progress_is_the_share_of_the_way_from_baseline_to_target() {
        let p = progress(20.0, 70.0, Some(51.0)).unwrap();
        assert!((p - 0.62).abs() < 1e-9, "{p}");
        assert_eq!(progress(20.0, 70.0, Some(20.0)), Some(0.0));
        assert_eq!(progress(20.0, 70.0, Some(70.0)), Some(1.0));
        // Beyond the target, and worse than the baseline, are said as such.
        assert_eq!(progress(20.0, 70.0, Some(95.0)), Some(1.5));
        assert_eq!(progress(20.0, 70.0, Some(10.0)), Some(-0.2));
        assert_eq!(bar_percent(1.5), 100);
        assert_eq!(bar_percent(-0.2), 0);
        assert_eq!(bar_percent(0.62), 62);
    }

    #[test]
    fn a_falling_indicator_progresses_as_it_falls() {
        // Median days to a first service: baseline 40, target 10.
        let p = progress(40.0, 10.0, Some(25.0)).unwrap();
        assert!((p - 0.5).abs() < 1e-9, "{p}");
        assert_eq!(
            progress(40.0, 10.0, Some(50.0)).map(|p| p < 0.0),
            Some(true)
        );
        let ms = [mark(30.0, "2025-12-31"), mark(20.0, "2026-12-31")];
        let (b, t) = (
            Some(mark(40.0, "2024-12-31")),
            Some(mark(10.0, "2027-12-31")),
        );
        assert_eq!(
            track(b, t, &ms, d("2026-03-01"), Some(29.0)),
            Track::OnTrack
        );
        assert_eq!(track(b, t, &ms, d("2026-03-01"), Some(31.0)), Track::Behind);
        // The 2026 milestone is due from its day on.
        assert_eq!(track(b, t, &ms, d("2026-12-31"), Some(29.0)), Track::Behind);
    }

    #[test]
    fn a_hidden_current_value_gives_unknown_progress_not_zero() {
        assert_eq!(progress(20.0, 70.0, None), None);
        assert_eq!(progress(20.0, 70.0, Some(f64::NAN)), None);
        let ms = [mark(30.0, "2025-12-31")];
        let (b, t) = (
            Some(mark(20.0, "2024-12-31")),
            Some(mark(70.0, "2027-12-31")),
        );
        assert_eq!(track(b, t, &ms, d("2026-01-01"), None), Track::Unknown);
    }

    #[test]
    fn a_target_equal_to_the_baseline_has_no_share_and_nothing_due_is_said() {
        assert_eq!(progress(5.0, 5.0, Some(7.0)), None);
        let (b, t) = (
            Some(mark(20.0, "2024-12-31")),
            Some(mark(70.0, "2027-12-31")),
        );
        let ms = [mark(30.0, "2026-12-31")];
        assert_eq!(
            track(b, t, &ms, d("2026-01-01"), Some(1.0)),
            Track::NothingDue
        );
        assert_eq!(
            track(b, t, &[], d("2026-01-01"), Some(1.0)),
            Track::NothingDue
        );
        // Without a target, the milestone gives the direction.
        assert_eq!(
            track(b, None, &ms, d("2027-01-01"), Some(31.0)),
            Track::OnTrack
        );
        assert_eq!(
            track(None, None, &ms, d("2027-01-01"), Some(31.0)),
            Track::Unknown
        );
    }

    #[test]
    fn values_are_read_as_people_type_them() {
        assert_eq!(parse_value(" 12,5 "), Some(12.5));
        assert_eq!(parse_value("70"), Some(70.0));
        assert_eq!(parse_value("inf"), None);
        assert_eq!(parse_value("lots"), None);
    }

    #[test]
    fn each_level_has_a_parent_one_level_above_and_the_impact_none() {
        let mut r = NewResult {
            level: "outcome".into(),
            parent: None,
            statement: "Fewer children are sold".into(),
            ..NewResult::default()
        };
        let e = r.validate().unwrap_err();
        assert_eq!(e.0[0].field, "parent");
        r.parent = Some("r1".into());
        assert_eq!(r.validate().unwrap(), Level::Outcome);
        r.level = "impact".into();
        assert_eq!(r.validate().unwrap_err().0[0].field, "parent");
        r.parent = None;
        assert_eq!(r.validate().unwrap(), Level::Impact);
        r.level = "goal".into();
        assert_eq!(r.validate().unwrap_err().0[0].field, "level");
        r.level = "activity".into();
        r.parent = Some("x".into());
        r.statement = " ".into();
        assert_eq!(r.validate().unwrap_err().0[0].field, "statement");
        assert_eq!(Level::Activity.parent(), Some(Level::Output));
        assert!(check_title("  ").is_err());
        assert_eq!(check_title(" Plan ").unwrap(), "Plan");
    }
}
