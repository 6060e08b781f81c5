//! A stored assessment: the answers, the computed result, and the
//! caseworker's confirmation or override (both kept).

use haven_domain::assessment::{Answer, AssessmentResult, RiskLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest notes on one assessment, in characters.
pub const MAX_NOTES: usize = 10_000;

/// An assessment of a child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    /// Random identifier.
    pub id: String,
    /// The child.
    pub child_id: String,
    /// The answers given.
    pub answers: BTreeMap<String, Answer>,
    /// What the instrument computed.
    #[serde(flatten)]
    pub result: AssessmentResult,
    /// The level the caseworker confirmed or set.
    pub confirmed_level: Option<RiskLevel>,
    /// Why the caseworker's level differs from the computed one.
    pub override_reason: Option<String>,
    /// Who confirmed.
    pub confirmed_by: Option<String>,
    /// Who assessed.
    pub assessed_by: String,
    /// When (Unix seconds).
    pub assessed_at: i64,
    /// The caseworker's notes (sealed at rest); absent when none were written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}
