//! Travelling-offender alerts (in the manner of INTERPOL green notices):
//! what a liaison officer types, and the checks an alert passes before it
//! is kept, whether issued here or received from a peer.
//!
//! An alert names an adult offender, never a victim: the fields are the
//! identity the nodes agreed on, the offence, the journey and who issued
//! it. The store seals all of it at rest; only `expires` stays readable,
//! so that every node can purge it on time.

use super::bundle::AlertItem;
use crate::validation::ValidationErrors;
use crate::Date;

/// The longest free-text field (offence, issuing authority, names).
const MAX_TEXT: usize = 2000;
/// The most nationalities or documents one alert lists.
const MAX_LIST: usize = 10;

/// An alert as typed: every field as text. Lists are comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAlert {
    /// Family names.
    pub family_names: String,
    /// Given names.
    pub given_names: String,
    /// Date of birth, `YYYY-MM-DD`, or empty when not known.
    pub birth_date: String,
    /// Nationalities: ISO 3166 codes, comma-separated.
    pub nationalities: String,
    /// Travel or identity document numbers, comma-separated.
    pub documents: String,
    /// The offence and conviction.
    pub offence: String,
    /// First travel date, `YYYY-MM-DD`, or empty.
    pub travel_from: String,
    /// Last travel date, `YYYY-MM-DD`, or empty.
    pub travel_to: String,
    /// Destination country (ISO 3166 code).
    pub destination: String,
    /// Who issued it.
    pub issuing_authority: String,
    /// The day it expires and is purged everywhere, `YYYY-MM-DD`.
    pub expires: String,
}

fn country(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_uppercase();
    ((2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())).then_some(s)
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn text(e: &mut ValidationErrors, field: &str, value: &str, message: &str) -> String {
    let v = value.trim();
    if v.is_empty()
        || v.chars().count() > MAX_TEXT
        || (field != "offence" && v.chars().any(char::is_control))
    {
        e.add(field, message);
    }
    v.to_string()
}

fn day(e: &mut ValidationErrors, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match Date::parse(v) {
        Some(d) => Some(d.to_string()),
        None => {
            e.add(field, "must be a date written YYYY-MM-DD");
            None
        }
    }
}

impl NewAlert {
    /// Checks what was typed and makes the alert `id` that expires at the
    /// start (UTC) of the day given, which must be after `now`.
    pub fn check(&self, id: &str, now: i64) -> Result<AlertItem, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let family_names = text(
            &mut e,
            "family_names",
            &self.family_names,
            "give the family names",
        );
        let given_names = text(
            &mut e,
            "given_names",
            &self.given_names,
            "give the given names",
        );
        let birth_date = day(&mut e, "birth_date", &self.birth_date);
        let mut nationalities = Vec::new();
        for n in list(&self.nationalities) {
            match country(&n) {
                Some(c) => nationalities.push(c),
                None => {
                    e.add(
                        "nationalities",
                        "use country codes such as FR or ESP, separated by commas",
                    );
                    break;
                }
            }
        }
        if nationalities.len() > MAX_LIST {
            e.add("nationalities", "list at most 10 nationalities");
        }
        let documents = list(&self.documents);
        if documents.len() > MAX_LIST || documents.iter().any(|d| d.chars().count() > 100) {
            e.add(
                "documents",
                "list at most 10 document numbers of up to 100 characters",
            );
        }
        let offence = text(
            &mut e,
            "offence",
            &self.offence,
            "say what the offence and conviction were",
        );
        let travel_from = day(&mut e, "travel_from", &self.travel_from);
        let travel_to = day(&mut e, "travel_to", &self.travel_to);
        if let (Some(a), Some(b)) = (&travel_from, &travel_to) {
            if b < a {
                e.add("travel_to", "the last travel date comes before the first");
            }
        }
        let destination = match country(&self.destination) {
            Some(c) => c,
            None => {
                e.add(
                    "destination",
                    "give the destination as a country code such as FR or ESP",
                );
                String::new()
            }
        };
        let issuing_authority = text(
            &mut e,
            "issuing_authority",
            &self.issuing_authority,
            "name the authority that issues the alert",
        );
        let expires = match Date::parse(&self.expires) {
            Some(d) if d.days_since_epoch() * 86_400 > now => d.days_since_epoch() * 86_400,
            Some(_) => {
                e.add("expires", "the expiry date must be after today");
                0
            }
            None => {
                e.add("expires", "give the expiry date, written YYYY-MM-DD");
                0
            }
        };
        e.into_result()?;
        Ok(AlertItem {
            id: id.to_string(),
            family_names,
            given_names,
            birth_date,
            nationalities,
            documents,
            offence,
            travel_from,
            travel_to,
            destination,
            issuing_authority,
            expires,
        })
    }
}

/// Checks an alert received from a peer with the same rules as one typed
/// here (an expired one is not an error: the importer drops it).
pub fn check_received(a: &AlertItem) -> Result<(), ValidationErrors> {
    let typed = NewAlert {
        family_names: a.family_names.clone(),
        given_names: a.given_names.clone(),
        birth_date: a.birth_date.clone().unwrap_or_default(),
        nationalities: a.nationalities.join(","),
        documents: a.documents.join(","),
        offence: a.offence.clone(),
        travel_from: a.travel_from.clone().unwrap_or_default(),
        travel_to: a.travel_to.clone().unwrap_or_default(),
        destination: a.destination.clone(),
        issuing_authority: a.issuing_authority.clone(),
        expires: String::from("9999-12-31"),
    };
    let mut e = match typed.check(&a.id, 0) {
        Ok(_) => ValidationErrors::default(),
        Err(e) => e,
    };
    if a.id.is_empty() || a.id.chars().count() > 100 {
        e.add("id", "must be an identifier of 1 to 100 characters");
    }
    if a.nationalities.iter().any(|n| n.contains(','))
        || a.documents.iter().any(|d| d.contains(','))
    {
        e.add("documents", "a list item holds a comma");
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600; // 2026-01-01

    fn typed() -> NewAlert {
        NewAlert {
            family_names: "Doe".into(),
            given_names: "John Q".into(),
            birth_date: "1970-02-03".into(),
            nationalities: "gb, fr".into(),
            documents: "P123, ID-9".into(),
            offence: "Convicted of child sexual abuse, 2019".into(),
            travel_from: "2026-03-01".into(),
            travel_to: "2026-03-15".into(),
            destination: "tha".into(),
            issuing_authority: "National Crime Agency".into(),
            expires: "2026-06-30".into(),
        }
    }

    #[test]
    fn a_typed_alert_is_cleaned_and_expires_at_the_start_of_its_day() {
        let a = typed().check("a1", NOW).unwrap();
        assert_eq!(a.nationalities, vec!["GB", "FR"]);
        assert_eq!(a.documents, vec!["P123", "ID-9"]);
        assert_eq!(a.destination, "THA");
        assert_eq!(
            Date::from_unix(a.expires).to_string(),
            "2026-06-30",
            "midnight UTC of the day given"
        );
        assert!(check_received(&a).is_ok());
    }

    #[test]
    fn each_wrong_field_is_named() {
        let mut t = typed();
        t.family_names = " ".into();
        t.birth_date = "3 Feb 1970".into();
        t.nationalities = "France".into();
        t.travel_to = "2026-02-01".into();
        t.destination = String::new();
        t.expires = "2025-12-31".into();
        let e = t.check("a1", NOW).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "family_names",
                "birth_date",
                "nationalities",
                "travel_to",
                "destination",
                "expires"
            ]
        );
    }

    #[test]
    fn a_received_alert_is_held_to_the_same_rules() {
        let mut a = typed().check("a1", NOW).unwrap();
        a.destination = "somewhere".into();
        assert!(check_received(&a).is_err());
        a.destination = "THA".into();
        a.id = String::new();
        assert!(check_received(&a).is_err());
    }
}
