//! Readiness assessment rounds (WHO RAP-CM) as the store keeps them: a
//! round's name, date and instrument version, and each key informant's
//! item scores. Informants are written as a code, not a name.

use haven_domain::readiness::Scores;
use haven_domain::Date;
use serde::Serialize;

/// A round of the assessment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Round {
    /// Its id.
    pub id: String,
    /// Its name (e.g. "Baseline 2025").
    pub name: String,
    /// When it was held.
    pub held_on: Date,
    /// The instrument version its scores follow.
    pub instrument_version: u32,
    /// How many informants' scores it holds.
    pub informants: i64,
}

/// One key informant's scores in a round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InformantScores {
    /// The informant's code.
    pub informant: String,
    /// Item id → score.
    pub scores: Scores,
}
