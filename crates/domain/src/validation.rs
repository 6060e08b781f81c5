//! Field-level validation errors, so that a form or an API client can point
//! at exactly the field that needs fixing.

use serde::Serialize;

/// One field that is wrong, and why, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the API spells it.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// All the field errors found in one input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records an error for a field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// One sentence naming every field.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims a name and checks it is present and of reasonable length.
pub fn clean_name(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
) -> String {
    let v = value.trim().to_string();
    if v.is_empty() {
        if required {
            errors.add(field, "is required");
        }
    } else if v.chars().count() > 100 {
        errors.add(field, "must be at most 100 characters");
    } else if v.chars().any(|c| c.is_control()) {
        errors.add(field, "must not contain control characters");
    } else if v.chars().any(is_bidi_control) {
        errors.add(
            field,
            "must not contain invisible characters that reverse or reorder the text",
        );
    }
    v
}

/// Explicit embeddings, overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069) make a name display as something other than what is
/// stored (a spoofed name in a list); right-to-left scripts do not need
/// them, since the text's own letters carry their direction.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The languages Haven is read in: its pages' and the words a deployment
/// supplies for them (a question's wording, an added indicator's name).
pub const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

/// Whether `text` is 1 to `max` characters once trimmed, with no control
/// characters and none that reorder the text: words a deployment supplies
/// for pages (see [`is_bidi_control`]).
pub fn is_plain_text(text: &str, max: usize) -> bool {
    let n = text.trim().chars().count();
    n > 0 && n <= max && !text.chars().any(|c| c.is_control() || is_bidi_control(c))
}

/// The longest free text (a note, a reason, a plan) Haven keeps, in
/// characters: pages of writing, far below what could fill a disk.
pub const MAX_TEXT_CHARS: usize = 20_000;

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn names_with_reordering_characters_are_refused() {
        let mut e = ValidationErrors::default();
        clean_name(&mut e, "given_name", "Amina\u{202E}ollaiD", true);
        assert_eq!(e.0.len(), 1);
        let mut e = ValidationErrors::default();
        clean_name(&mut e, "given_name", "فاطمة", true);
        assert!(e.0.is_empty());
    }
}
