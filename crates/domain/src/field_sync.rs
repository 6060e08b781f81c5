//! Offline field work (issue 16): how a change made on a laptop, without a
//! connection, meets the record as the server holds it by the time the
//! laptop syncs. Pure: the store reads the record's current fields and
//! applies what this module decides.
//!
//! A laptop records every change as an operation that names, for each field
//! it changed, the value it saw (the *base*) and the value it wrote. On the
//! server, field by field:
//! - the server still holds the base: nobody else changed it, so the new
//!   value is applied;
//! - the server already holds the new value: someone made the same change
//!   (or this operation was applied before a lost acknowledgement), so
//!   nothing is done;
//! - otherwise someone else changed it meanwhile: a **conflict**, with both
//!   values kept for a person to choose. Nothing is ever overwritten
//!   silently (unlike last-write-wins, where one edit is lost and nobody
//!   knows).
//!
//! Fields are compared by value, not by a version counter, so a change made
//! and undone on the server (A → B → A) lets the laptop's change through:
//! the field holds what the laptop saw, and that is what matters to the
//! person who made the change.
//!
//! Each laptop numbers its operations 1, 2, 3, …; the server acknowledges
//! the highest it has applied, so a sync interrupted anywhere resumes
//! without applying anything twice or skipping anything
//! ([`next_operations`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One field as an operation changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// The field's name (`given_names`, `disability`, …).
    pub field: String,
    /// The value the laptop held when the change was made (none: empty).
    pub base: Option<String>,
    /// The value written (none: cleared).
    pub value: Option<String>,
}

/// A field someone else changed since the laptop's version: both values
/// kept, for the caseworker and their supervisor to choose between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field.
    pub field: String,
    /// What the laptop saw before its change.
    pub base: Option<String>,
    /// What the laptop wrote.
    pub ours: Option<String>,
    /// What the server holds now.
    pub theirs: Option<String>,
}

/// What to do with one operation's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldMerge {
    /// Fields to write now, with their new values.
    pub apply: Vec<(String, Option<String>)>,
    /// Fields that already hold the value written: nothing to do.
    pub already: Vec<String>,
    /// Fields changed by someone else meanwhile.
    pub conflicts: Vec<FieldConflict>,
}

impl FieldMerge {
    /// Whether every field went through (applied, or already so).
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Why an operation's fields cannot be merged at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// It names a field the record does not have.
    #[error("the record has no field {0:?}")]
    UnknownField(String),
    /// It changes one field twice.
    #[error("the field {0:?} is changed twice in one operation")]
    Repeated(String),
}

/// Treats an empty text as no value: a form that clears a field and a
/// field never filled mean the same to the person reading the record.
fn norm(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// Merges one operation's field changes into the record's `current` fields
/// (every field the record has, by name, with its value now).
pub fn merge_fields(
    current: &BTreeMap<String, Option<String>>,
    changes: &[FieldChange],
) -> Result<FieldMerge, MergeError> {
    let mut out = FieldMerge::default();
    let mut seen = std::collections::BTreeSet::new();
    for c in changes {
        if !seen.insert(c.field.as_str()) {
            return Err(MergeError::Repeated(c.field.clone()));
        }
        let Some(now) = current.get(&c.field) else {
            return Err(MergeError::UnknownField(c.field.clone()));
        };
        if norm(now) == norm(&c.value) {
            out.already.push(c.field.clone());
        } else if norm(now) == norm(&c.base) {
            out.apply.push((c.field.clone(), c.value.clone()));
        } else {
            out.conflicts.push(FieldConflict {
                field: c.field.clone(),
                base: c.base.clone(),
                ours: c.value.clone(),
                theirs: now.clone(),
            });
        }
    }
    Ok(out)
}

/// Why a batch of a laptop's operations cannot be taken as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SequenceError {
    /// An operation is missing between what was acknowledged and the batch.
    #[error("operation {expected} is missing: the laptop must send from there")]
    Gap {
        /// The number the server expects next.
        expected: u64,
    },
    /// The batch is not numbered one after the other.
    #[error("operations are out of order at {0}")]
    OutOfOrder(u64),
}

/// Of a batch of operation numbers sent by a laptop whose operations were
/// acknowledged up to `acknowledged`, the positions of those still to
/// apply: the ones already applied (a batch sent again after a lost
/// answer) are skipped, a gap is refused, and the batch must count up by
/// one.
pub fn next_operations(acknowledged: u64, batch: &[u64]) -> Result<Vec<usize>, SequenceError> {
    for pair in batch.windows(2) {
        if pair[0].checked_add(1) != Some(pair[1]) {
            return Err(SequenceError::OutOfOrder(pair[1]));
        }
    }
    let expected = acknowledged.saturating_add(1);
    match batch.first() {
        Some(first) if *first > expected => Err(SequenceError::Gap { expected }),
        _ => Ok(batch
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > acknowledged)
            .map(|(i, _)| i)
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect()
    }

    fn change(field: &str, base: Option<&str>, value: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            base: base.map(str::to_string),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn different_fields_merge_and_the_same_field_changed_twice_is_a_conflict() {
        // The server changed the village meanwhile; the laptop changed the
        // school and, from the old village, the village too.
        let server = record(&[
            ("village", Some("Kolda")),
            ("school", Some("None")),
            ("disability", None),
        ]);
        let merged = merge_fields(
            &server,
            &[
                change("school", Some("None"), Some("Ecole de Kolda")),
                change("village", Some("Sedhiou"), Some("Tanaff")),
                change("disability", None, Some("")),
            ],
        )
        .unwrap();
        assert_eq!(
            merged.apply,
            [("school".to_string(), Some("Ecole de Kolda".to_string()))]
        );
        assert_eq!(
            merged.already,
            ["disability"],
            "cleared is the same as empty"
        );
        assert_eq!(
            merged.conflicts,
            [FieldConflict {
                field: "village".into(),
                base: Some("Sedhiou".into()),
                ours: Some("Tanaff".into()),
                theirs: Some("Kolda".into()),
            }]
        );
        assert!(!merged.is_clean());
    }

    #[test]
    fn the_same_change_made_twice_or_applied_again_is_no_news() {
        let server = record(&[("village", Some("Tanaff"))]);
        let merged = merge_fields(
            &server,
            &[change("village", Some("Sedhiou"), Some("Tanaff"))],
        )
        .unwrap();
        assert!(merged.apply.is_empty() && merged.is_clean());
        assert_eq!(merged.already, ["village"]);
    }

    #[test]
    fn an_operation_that_names_no_such_field_or_one_field_twice_is_refused() {
        let server = record(&[("village", None)]);
        assert_eq!(
            merge_fields(&server, &[change("password", None, Some("x"))]),
            Err(MergeError::UnknownField("password".into()))
        );
        assert_eq!(
            merge_fields(
                &server,
                &[
                    change("village", None, Some("a")),
                    change("village", None, Some("b"))
                ]
            ),
            Err(MergeError::Repeated("village".into()))
        );
    }

    #[test]
    fn an_interrupted_sync_resumes_without_repeats_or_gaps() {
        // Nothing acknowledged: all of 1..=3.
        assert_eq!(next_operations(0, &[1, 2, 3]), Ok(vec![0, 1, 2]));
        // The answer to 1..=3 was lost; the laptop sends 1..=5 again.
        assert_eq!(next_operations(3, &[1, 2, 3, 4, 5]), Ok(vec![3, 4]));
        // All applied already.
        assert_eq!(next_operations(5, &[4, 5]), Ok(vec![]));
        assert_eq!(next_operations(5, &[]), Ok(vec![]));
        // 4 never arrived.
        assert_eq!(
            next_operations(3, &[5, 6]),
            Err(SequenceError::Gap { expected: 4 })
        );
        assert_eq!(
            next_operations(0, &[1, 3]),
            Err(SequenceError::OutOfOrder(3))
        );
        assert_eq!(
            next_operations(0, &[2, 1]),
            Err(SequenceError::OutOfOrder(1))
        );
        // Numbers at the edge of the range are refused, never a panic.
        assert_eq!(
            next_operations(0, &[u64::MAX, 0]),
            Err(SequenceError::OutOfOrder(0))
        );
        assert_eq!(next_operations(u64::MAX, &[u64::MAX]), Ok(vec![]));
    }
}
