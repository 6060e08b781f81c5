//! Reports of a concern from the public (C5): what can be reported, how
//! urgent it is, the tracking code a reporter keeps, and the status words
//! they see (§91-92, §103-106).
//!
//! Validation returns message *keys*, not sentences: the public page shows
//! them in the reporter's language from the translation files.

use crate::lists::normalise_url;
use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};

api_enum!(
    /// What the concern is about.
    ReportCategory {
        /// A child at risk (not yet harmed).
        ChildAtRisk => "child_at_risk",
        /// Abuse.
        Abuse => "abuse",
        /// Sexual exploitation.
        SexualExploitation => "sexual_exploitation",
        /// Sale of or trafficking in a child.
        SaleOrTrafficking => "sale_or_trafficking",
        /// Child marriage.
        ChildMarriage => "child_marriage",
        /// Illegal adoption.
        IllegalAdoption => "illegal_adoption",
        /// Child sexual abuse material online (a URL).
        AbuseMaterialOnline => "abuse_material_online",
        /// Grooming or blackmail online.
        GroomingOnline => "grooming_online",
    }
);

api_enum!(
    /// Who is reporting.
    Reporter {
        /// The child themself.
        Child => "child",
        /// A friend of the child.
        Friend => "friend",
        /// A parent or carer.
        Parent => "parent",
        /// A professional (teacher, health worker…).
        Professional => "professional",
        /// Another adult.
        OtherAdult => "other_adult",
        /// Does not say.
        Anonymous => "anonymous",
    }
);

api_enum!(
    /// What staff decided about a report.
    Decision {
        /// A case is opened for the child.
        OpenCase => "open_case",
        /// Online material: the hotline assesses it.
        Hotline => "hotline",
        /// Referred to the police.
        Police => "police",
        /// Closed with a reason (no action needed, not enough information…).
        Close => "close",
    }
);

api_enum!(
    /// What the reporter sees about their report.
    PublicStatus {
        /// Received, waiting to be read.
        Received => "received",
        /// Someone is looking at it.
        InReview => "in_review",
        /// Passed to the people who can act (social workers, hotline, police).
        ActionTaken => "action_taken",
        /// Closed.
        Closed => "closed",
    }
);

/// The most a report's free text may hold.
pub const MAX_TEXT: usize = 5_000;

/// A report as the public form or API sends it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// Category (API spelling).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = ReportCategory))]
    pub category: String,
    /// Who is reporting (API spelling); absent means anonymous.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Reporter))]
    pub reporter: String,
    /// What happened, in the reporter's words (required unless `url` is given).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 5000,
            pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
        )
    )]
    pub description: String,
    /// The address of the material (required for `abuse_material_online`): http(s), with a host name; one typed without `https://` is kept with it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub url: String,
    /// Where (a place name, as the reporter knows it).
    #[serde(default, rename = "where")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
        )
    )]
    pub place: String,
    /// The child's age, if known.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 17))]
    pub child_age: Option<u8>,
    /// A child is in danger right now.
    #[serde(default)]
    pub danger_now: bool,
    /// How to reach the reporter, if they want to be reached (kept apart from the report).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 200,
            pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
        )
    )]
    pub contact: String,
    /// The reporter's language (`en`, `fr`, `es`; default `en`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z]{2}$"))]
    pub lang: String,
    /// Code of the district (or region) chosen from the list, if any.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{1,32}$"))]
    pub location: String,
}

/// A report that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidReport {
    /// Category.
    pub category: ReportCategory,
    /// Who reports.
    pub reporter: Reporter,
    /// Description.
    pub description: String,
    /// Normalised URL, for online material.
    pub url: Option<String>,
    /// Where.
    pub place: Option<String>,
    /// Age.
    pub child_age: Option<u8>,
    /// Danger now.
    pub danger_now: bool,
    /// Contact.
    pub contact: Option<String>,
    /// Language.
    pub lang: String,
    /// Location code chosen, if any.
    pub location: Option<String>,
    /// 1 (most urgent) to 4.
    pub priority: u8,
    /// Seconds within which staff should act.
    pub respond_within: i64,
}

fn text(e: &mut ValidationErrors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "error.too_long");
    } else if v
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        e.add(field, "error.bad_characters");
    }
    (!v.is_empty()).then(|| v.to_string())
}

impl NewReport {
    /// Checks a report; field errors carry translation keys.
    pub fn validate(&self) -> Result<ValidReport, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let category = ReportCategory::parse(self.category.trim());
        if category.is_none() {
            e.add("category", "error.category");
        }
        let reporter = match self.reporter.trim() {
            "" => Some(Reporter::Anonymous),
            r => Reporter::parse(r),
        };
        if reporter.is_none() {
            e.add("reporter", "error.reporter");
        }
        let description = text(&mut e, "description", &self.description, MAX_TEXT);
        let url = match text(&mut e, "url", &self.url, 2_000) {
            None => None,
            Some(u) => match normalise_url(&u) {
                Ok(_) => Some(with_scheme(&u)),
                Err(_) => {
                    e.add("url", "error.url");
                    None
                }
            },
        };
        if category == Some(ReportCategory::AbuseMaterialOnline)
            && url.is_none()
            && !e.0.iter().any(|f| f.field == "url")
        {
            e.add("url", "error.url_required");
        }
        if description.is_none() && url.is_none() && !e.0.iter().any(|f| f.field == "description") {
            e.add("description", "error.description_required");
        }
        if self.child_age.is_some_and(|a| a > 17) {
            e.add("child_age", "error.child_age");
        }
        let place = text(&mut e, "where", &self.place, 200);
        let contact = text(&mut e, "contact", &self.contact, 200);
        let lang = match self.lang.trim() {
            "" => "en".to_string(),
            l if l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()) => l.to_string(),
            _ => {
                e.add("lang", "error.lang");
                String::new()
            }
        };
        let location = match self.location.trim() {
            "" => None,
            l if crate::location::valid_code(l) => Some(l.to_string()),
            _ => {
                e.add("location", "error.location");
                None
            }
        };
        e.into_result()?;
        let (Some(category), Some(reporter)) = (category, reporter) else {
            return Err(ValidationErrors::default());
        };
        let (priority, respond_within) = urgency(category, self.danger_now);
        Ok(ValidReport {
            category,
            reporter,
            description: description.unwrap_or_default(),
            url,
            place,
            child_age: self.child_age,
            danger_now: self.danger_now,
            contact,
            lang,
            location,
            priority,
            respond_within,
        })
    }
}

/// A web address as people type it, made whole: `bad.example/x` is kept
/// as `https://bad.example/x`, so that staff and the hotline get an address
/// they can open and copy as it is (people copy links from apps and chats
/// that hide the scheme). An address that names its own scheme is kept as
/// typed.
pub fn with_scheme(url: &str) -> String {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if u.contains("://") || lower.starts_with("http:") || lower.starts_with("https:") {
        u.to_string()
    } else {
        format!("https://{}", u.trim_start_matches(['/', '\\']))
    }
}

/// Priority (1 first) and the seconds within which staff should act: a
/// child in danger now within the hour; exploitation, trafficking, abuse and
/// online material within a day (material spreads while it stays up);
/// marriage, adoption and risk within three days.
pub fn urgency(category: ReportCategory, danger_now: bool) -> (u8, i64) {
    use ReportCategory as C;
    if danger_now {
        return (1, 3_600);
    }
    match category {
        C::SexualExploitation | C::SaleOrTrafficking | C::Abuse => (2, 86_400),
        C::AbuseMaterialOnline | C::GroomingOnline => (2, 86_400),
        C::ChildMarriage | C::IllegalAdoption => (3, 3 * 86_400),
        C::ChildAtRisk => (3, 3 * 86_400),
    }
}

/// Letters for tracking codes: capitals that cannot be mistaken for each
/// other or for digits when read aloud or copied by hand (no B/8, I/1/L,
/// O/0/Q, S/5, U/V, Z/2).
pub const CODE_LETTERS: &[u8] = b"ACDEFGHJKMNPRTWXY";

/// Formats 16 random bytes as a code of four groups of four letters
/// (17^16, about 2^65 possibilities).
pub fn tracking_code(random: &[u8; 16]) -> String {
    let mut out = String::with_capacity(19);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 255 is not a multiple of 17: the bias is under 1 in 15 and
        // costs well under a bit of the code's strength.
        out.push(CODE_LETTERS[usize::from(*b) % CODE_LETTERS.len()] as char);
    }
    out
}

/// The code as typed, made canonical (case, spaces and dashes forgiven),
/// or `None` if it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.len() != 16 || !letters.bytes().all(|b| CODE_LETTERS.contains(&b)) {
        return None;
    }
    let mut out = String::with_capacity(19);
    for (i, c) in letters.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    Some(out)
}

/// A six-digit PIN from random bytes.
pub fn pin(random: &[u8; 4]) -> String {
    format!("{:06}", u32::from_le_bytes(*random) % 1_000_000)
}

/// The status the reporter sees, from what staff have done.
pub fn public_status(opened: bool, decision: Option<Decision>) -> PublicStatus {
    match decision {
        Some(Decision::Close) => PublicStatus::Closed,
        Some(_) => PublicStatus::ActionTaken,
        None if opened => PublicStatus::InReview,
        None => PublicStatus::Received,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(category: &str) -> NewReport {
        NewReport {
            category: category.into(),
            description: "A girl of 13 is kept from school and made to work at night".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_child_in_danger_now_comes_first() {
        let mut r = report("child_marriage");
        assert_eq!(r.validate().unwrap().priority, 3);
        r.danger_now = true;
        let v = r.validate().unwrap();
        assert_eq!((v.priority, v.respond_within), (1, 3600));
        assert_eq!(
            report("sale_or_trafficking").validate().unwrap().priority,
            2
        );
    }

    #[test]
    fn bad_reports_name_the_field_with_a_translation_key() {
        let fields = |r: NewReport| -> Vec<(String, String)> {
            r.validate()
                .unwrap_err()
                .0
                .into_iter()
                .map(|f| (f.field, f.message))
                .collect()
        };
        assert_eq!(
            fields(report("gossip")),
            vec![("category".into(), "error.category".into())]
        );
        let mut r = report("abuse_material_online");
        assert!(fields(r.clone()).contains(&("url".into(), "error.url_required".into())));
        r.url = "not a url".into();
        assert!(fields(r.clone()).contains(&("url".into(), "error.url".into())));
        r.url = "http://example.org/a".into();
        assert!(r.validate().is_ok());
        r.url = "javascript:alert(1)".into();
        assert!(fields(r.clone()).contains(&("url".into(), "error.url".into())));
        let mut r = report("abuse");
        r.description = "x".repeat(MAX_TEXT + 1);
        assert_eq!(
            fields(r),
            vec![("description".into(), "error.too_long".into())]
        );
        let mut r = report("abuse");
        r.description = "  ".into();
        assert_eq!(
            fields(r),
            vec![("description".into(), "error.description_required".into())]
        );
        let mut r = report("abuse");
        r.child_age = Some(30);
        r.reporter = "alien".into();
        assert_eq!(fields(r).len(), 2);
    }

    #[test]
    fn an_address_without_its_scheme_is_kept_whole() {
        let mut r = report("abuse_material_online");
        r.url = " bad.example/x ".into();
        assert_eq!(
            r.validate().unwrap().url.as_deref(),
            Some("https://bad.example/x")
        );
        r.url = "//bad.example/x".into();
        assert_eq!(
            r.validate().unwrap().url.as_deref(),
            Some("https://bad.example/x")
        );
        r.url = "HTTP://bad.example/x".into();
        assert_eq!(
            r.validate().unwrap().url.as_deref(),
            Some("HTTP://bad.example/x")
        );
    }

    #[test]
    fn codes_are_easy_to_read_and_forgiving_to_type() {
        let code = tracking_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255]);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(code
            .bytes()
            .filter(|b| *b != b'-')
            .all(|b| CODE_LETTERS.contains(&b)));
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        assert_eq!(
            normalise_code("ACDE-FGHJ-KMNP-RTWO"),
            None,
            "O is not a code letter"
        );
        assert_eq!(normalise_code("ACDE"), None);
        assert_eq!(pin(&[255, 255, 255, 255]).len(), 6);
    }

    #[test]
    fn the_reporter_sees_plain_progress() {
        assert_eq!(public_status(false, None), PublicStatus::Received);
        assert_eq!(public_status(true, None), PublicStatus::InReview);
        assert_eq!(
            public_status(true, Some(Decision::Hotline)),
            PublicStatus::ActionTaken
        );
        assert_eq!(
            public_status(true, Some(Decision::Close)),
            PublicStatus::Closed
        );
    }
}
