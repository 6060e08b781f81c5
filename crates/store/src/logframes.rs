//! Logframes as the store keeps them: a title and a results chain
//! (impact → outcomes → outputs → activities), each result with the
//! indicators that measure it and, per indicator, a baseline, milestones
//! and a target. No child's record is in a logframe: monitoring officers
//! and administrators keep them, supervisors read them.

use haven_domain::logframes::{Level, Mark};
use serde::Serialize;

/// A logframe in the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogframeSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// How many results its chain holds.
    pub results: i64,
    /// When it was made (Unix seconds).
    pub created_at: i64,
}

/// One logframe with its whole chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Logframe {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it was made (Unix seconds).
    pub created_at: i64,
    /// Every result, parents before their children, in the order added.
    pub results: Vec<ResultEntry>,
}

/// One result of the chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultEntry {
    /// Its id.
    pub id: String,
    /// Impact, outcome, output or activity.
    pub level: Level,
    /// The result one level above (none for the impact).
    pub parent: Option<String>,
    /// What the result is.
    pub statement: String,
    /// Where the figures come from.
    pub source: String,
    /// How often it is measured.
    pub frequency: String,
    /// Who is responsible.
    pub responsible: String,
    /// What must hold.
    pub assumptions: String,
    /// What could stop it.
    pub risks: String,
    /// The indicators that measure it.
    pub indicators: Vec<LinkedIndicator>,
}

/// An indicator linked to a result, with its baseline, milestones, target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkedIndicator {
    /// The indicator's id in the live catalogue.
    pub indicator: String,
    /// Where it started.
    pub baseline: Option<Mark>,
    /// Where it should be, by date (earliest first).
    pub milestones: Vec<Mark>,
    /// Where it should end.
    pub target: Option<Mark>,
}

/// Which value of a linked indicator is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// The starting value (one; setting it again replaces it).
    Baseline,
    /// A value due by a date (one per date; the same date replaces it).
    Milestone,
    /// The end value (one; setting it again replaces it).
    Target,
}

impl MarkKind {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Baseline => "baseline",
            MarkKind::Milestone => "milestone",
            MarkKind::Target => "target",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<MarkKind> {
        match s {
            "baseline" => Some(MarkKind::Baseline),
            "milestone" => Some(MarkKind::Milestone),
            "target" => Some(MarkKind::Target),
            _ => None,
        }
    }
}
