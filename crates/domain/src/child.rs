//! A child in the registry: who they are, where they live and the
//! circumstances that the report (§29-35) links to vulnerability.

use crate::date::Date;
use crate::validation::{clean_name, ValidationErrors};
use serde::{Deserialize, Serialize};

api_enum!(
    /// Sex as recorded.
    Sex {
        /// Female.
        Female => "female",
        /// Male.
        Male => "male",
        /// Other.
        Other => "other",
        /// Not known.
        Unknown => "unknown",
    }
);

api_enum!(
    /// Whether the birth is registered (§82: unregistered children are harder to protect).
    BirthRegistration {
        /// Registered with civil registration.
        Registered => "registered",
        /// Not registered.
        NotRegistered => "not_registered",
        /// Not known.
        Unknown => "unknown",
    }
);

api_enum!(
    /// Where and with whom the child lives (§30-35).
    LivingSituation {
        /// With one or both parents.
        Family => "family",
        /// With relatives other than parents.
        KinshipCare => "kinship_care",
        /// In a residential care institution.
        Institution => "institution",
        /// Living or working on the street.
        Street => "street",
        /// A migrant child without a caregiver.
        UnaccompaniedMigrant => "unaccompanied_migrant",
        /// A household headed by a child.
        ChildHeadedHousehold => "child_headed_household",
    }
);

/// The oldest age the registry accepts as a child.
pub const MAX_CHILD_AGE: i32 = 17;

/// A registered child, decrypted for someone allowed to see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// Random identifier, never sequential.
    pub id: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Sex.
    pub sex: Sex,
    /// Date of birth, or the estimate derived from an estimated age.
    pub date_of_birth: Date,
    /// Whether `date_of_birth` is an estimate.
    pub date_of_birth_estimated: bool,
    /// District code.
    pub location: String,
    /// Birth registration status.
    pub birth_registration: BirthRegistration,
    /// Has a disability.
    pub disability: bool,
    /// Minority or indigenous group, where the child or family identifies one.
    pub minority_group: Option<String>,
    /// Living situation.
    pub living_situation: LivingSituation,
    /// Enrolled in school.
    pub in_school: bool,
    /// In child labour or domestic work.
    pub child_labour: bool,
    /// The household the child belongs to, if recorded.
    pub household_id: Option<String>,
    /// The agency that registered the child.
    pub agency: Option<String>,
    /// The care institution or school the child lives in or attends, if
    /// recorded: its inspections bear on the child's safety.
    #[serde(default)]
    pub institution_id: Option<String>,
    /// When registered (Unix seconds).
    pub created_at: i64,
    /// When last changed (Unix seconds).
    pub updated_at: i64,
}

impl Child {
    /// Age in completed years on a date.
    pub fn age_on(&self, today: Date) -> i32 {
        self.date_of_birth.age_on(today)
    }

    /// Full name for display.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// Input to register a child: what a form or API client sends.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"given_name": "Amina", "family_name": "Diallo", "sex": "female", "estimated_age": 11, "location": "HV-NR-01", "birth_registration": "not_registered"})))]
#[serde(deny_unknown_fields)]
pub struct NewChild {
    /// Given name (required).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub given_name: String,
    /// Family name (may be unknown: empty).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub family_name: String,
    /// `female`, `male`, `other` or `unknown`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Sex))]
    pub sex: String,
    /// `YYYY-MM-DD`, not in the future, age 0-17; or give `estimated_age` (one of the two, not both).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"))]
    pub date_of_birth: Option<String>,
    /// Age in years when the date is not known.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 17))]
    pub estimated_age: Option<i64>,
    /// District code.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 100)
    )]
    pub location: String,
    /// `registered`, `not_registered` or `unknown` (default unknown).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BirthRegistration>))]
    pub birth_registration: Option<String>,
    /// Has a disability.
    #[serde(default)]
    pub disability: bool,
    /// Minority or indigenous group.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub minority_group: Option<String>,
    /// Living situation (default family).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<LivingSituation>))]
    pub living_situation: Option<String>,
    /// Enrolled in school.
    #[serde(default)]
    pub in_school: bool,
    /// In child labour or domestic work.
    #[serde(default)]
    pub child_labour: bool,
    /// An existing household.
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub household_id: Option<String>,
}

/// A validated child ready to store (everything but identifiers and times).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidChild {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Sex.
    pub sex: Sex,
    /// Date of birth (maybe estimated).
    pub date_of_birth: Date,
    /// Whether estimated.
    pub date_of_birth_estimated: bool,
    /// District code (existence is checked by the store).
    pub location: String,
    /// Birth registration.
    pub birth_registration: BirthRegistration,
    /// Disability.
    pub disability: bool,
    /// Minority group.
    pub minority_group: Option<String>,
    /// Living situation.
    pub living_situation: LivingSituation,
    /// In school.
    pub in_school: bool,
    /// Child labour.
    pub child_labour: bool,
    /// Household.
    pub household_id: Option<String>,
}

fn parse_enum<T: Copy>(
    e: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
    default: Option<T>,
) -> Option<T> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            if default.is_none() {
                e.add(field, format!("is required: one of {}", all.join(", ")));
            }
            default
        }
        Some(v) => {
            let parsed = parse(v);
            if parsed.is_none() {
                e.add(field, format!("{v:?} is not one of {}", all.join(", ")));
            }
            parsed
        }
    }
}

fn names<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| f(*v)).collect()
}

impl NewChild {
    /// Checks every field against the rules; `today` decides what is "future".
    pub fn validate(&self, today: Date) -> Result<ValidChild, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let given_name = clean_name(&mut e, "given_name", &self.given_name, true);
        let family_name = clean_name(&mut e, "family_name", &self.family_name, false);
        let sex = parse_enum(
            &mut e,
            "sex",
            Some(&self.sex),
            Sex::parse,
            &names(Sex::ALL, Sex::as_str),
            None,
        );
        let birth_registration = parse_enum(
            &mut e,
            "birth_registration",
            self.birth_registration.as_deref(),
            BirthRegistration::parse,
            &names(BirthRegistration::ALL, BirthRegistration::as_str),
            Some(BirthRegistration::Unknown),
        );
        let living_situation = parse_enum(
            &mut e,
            "living_situation",
            self.living_situation.as_deref(),
            LivingSituation::parse,
            &names(LivingSituation::ALL, LivingSituation::as_str),
            Some(LivingSituation::Family),
        );
        let birth = birth_date(
            &mut e,
            self.date_of_birth.as_deref(),
            self.estimated_age,
            today,
        );
        let location = self.location.trim().to_string();
        if location.is_empty() {
            e.add("location", "is required: the code of a district");
        }
        let minority_group = self
            .minority_group
            .as_deref()
            .map(|g| clean_name(&mut e, "minority_group", g, false));
        e.into_result()?;
        match (sex, birth_registration, living_situation, birth) {
            (
                Some(sex),
                Some(birth_registration),
                Some(living_situation),
                Some((dob, estimated)),
            ) => Ok(ValidChild {
                given_name,
                family_name,
                sex,
                date_of_birth: dob,
                date_of_birth_estimated: estimated,
                location,
                birth_registration,
                disability: self.disability,
                minority_group: minority_group.filter(|g| !g.is_empty()),
                living_situation,
                in_school: self.in_school,
                child_labour: self.child_labour,
                household_id: self.household_id.clone().filter(|h| !h.trim().is_empty()),
            }),
            _ => {
                let mut e = ValidationErrors::default();
                e.add("child", "is incomplete");
                Err(e)
            }
        }
    }
}

fn birth_date(
    e: &mut ValidationErrors,
    dob: Option<&str>,
    age: Option<i64>,
    today: Date,
) -> Option<(Date, bool)> {
    match (dob.map(str::trim).filter(|d| !d.is_empty()), age) {
        (Some(_), Some(_)) => {
            e.add(
                "estimated_age",
                "give either date_of_birth or estimated_age, not both",
            );
            None
        }
        (None, None) => {
            e.add("date_of_birth", "is required (or give estimated_age)");
            None
        }
        (Some(text), None) => {
            let Some(d) = Date::parse(text) else {
                e.add(
                    "date_of_birth",
                    format!("{text:?} is not a date in the form YYYY-MM-DD"),
                );
                return None;
            };
            if d > today {
                e.add("date_of_birth", "must not be in the future");
                return None;
            }
            if d.age_on(today) > MAX_CHILD_AGE {
                e.add(
                    "date_of_birth",
                    format!(
                        "a child is aged 0-{MAX_CHILD_AGE}; this date gives {}",
                        d.age_on(today)
                    ),
                );
                return None;
            }
            Some((d, false))
        }
        (None, Some(a)) => {
            if !(0..=MAX_CHILD_AGE as i64).contains(&a) {
                e.add(
                    "estimated_age",
                    format!("must be between 0 and {MAX_CHILD_AGE}"),
                );
                return None;
            }
            // Born on today's date `a` years ago: the age reads back exactly.
            Some((today.years_before(a as i32), true))
        }
    }
}

/// A change to a child's record: only the fields given are changed.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildPatch {
    /// New given name.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub given_name: Option<String>,
    /// New family name.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub family_name: Option<String>,
    /// New sex.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Sex>))]
    pub sex: Option<String>,
    /// New date of birth (`YYYY-MM-DD`; not with `estimated_age`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([0-9]{4}-[0-9]{2}-[0-9]{2})?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"))]
    pub date_of_birth: Option<String>,
    /// New estimated age.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 17))]
    pub estimated_age: Option<i64>,
    /// New district.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub location: Option<String>,
    /// New birth registration status.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BirthRegistration>))]
    pub birth_registration: Option<String>,
    /// Disability.
    pub disability: Option<bool>,
    /// Minority group (empty string clears it).
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub minority_group: Option<String>,
    /// Living situation.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<LivingSituation>))]
    pub living_situation: Option<String>,
    /// In school.
    pub in_school: Option<bool>,
    /// Child labour.
    pub child_labour: Option<bool>,
    /// Household (empty string clears it).
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub household_id: Option<String>,
}

impl ChildPatch {
    /// Applies the patch to a child and re-validates the whole record.
    pub fn apply(&self, c: &Child, today: Date) -> Result<ValidChild, ValidationErrors> {
        let (dob, age) = match (&self.date_of_birth, self.estimated_age) {
            (None, None) if c.date_of_birth_estimated => {
                (None, Some(c.date_of_birth.age_on(today) as i64))
            }
            (None, None) => (Some(c.date_of_birth.to_string()), None),
            (d, a) => (d.clone(), a),
        };
        let input = NewChild {
            given_name: self
                .given_name
                .clone()
                .unwrap_or_else(|| c.given_name.clone()),
            family_name: self
                .family_name
                .clone()
                .unwrap_or_else(|| c.family_name.clone()),
            sex: self.sex.clone().unwrap_or_else(|| c.sex.as_str().into()),
            date_of_birth: dob,
            estimated_age: age,
            location: self.location.clone().unwrap_or_else(|| c.location.clone()),
            birth_registration: Some(
                self.birth_registration
                    .clone()
                    .unwrap_or_else(|| c.birth_registration.as_str().into()),
            ),
            disability: self.disability.unwrap_or(c.disability),
            minority_group: self
                .minority_group
                .clone()
                .or_else(|| c.minority_group.clone()),
            living_situation: Some(
                self.living_situation
                    .clone()
                    .unwrap_or_else(|| c.living_situation.as_str().into()),
            ),
            in_school: self.in_school.unwrap_or(c.in_school),
            child_labour: self.child_labour.unwrap_or(c.child_labour),
            household_id: self.household_id.clone().or_else(|| c.household_id.clone()),
        };
        let mut valid = input.validate(today)?;
        // An unchanged estimated birth date keeps its original day.
        if self.date_of_birth.is_none() && self.estimated_age.is_none() {
            valid.date_of_birth = c.date_of_birth;
            valid.date_of_birth_estimated = c.date_of_birth_estimated;
        }
        Ok(valid)
    }
}

/// Age bands used in lists, filters and (later) indicators.
pub const AGE_BANDS: [(&str, i32, i32); 4] = [
    ("0-4", 0, 4),
    ("5-9", 5, 9),
    ("10-14", 10, 14),
    ("15-17", 15, 17),
];

/// What to list: every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChildFilter {
    /// Fuzzy name search.
    pub name: Option<String>,
    /// A location code: the child's district or any ancestor.
    pub location: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Age band label, e.g. `10-14`.
    pub age_band: Option<(i32, i32)>,
    /// Birth registration status.
    pub birth_registration: Option<BirthRegistration>,
}

impl ChildFilter {
    /// Parses an age band label.
    pub fn parse_age_band(s: &str) -> Option<(i32, i32)> {
        AGE_BANDS.iter().find(|b| b.0 == s).map(|b| (b.1, b.2))
    }

    /// The range of birth dates (inclusive) for the age band on `today`.
    pub fn birth_range(band: (i32, i32), today: Date) -> (Date, Date) {
        let youngest = today.years_before(band.0);
        // Born one day after `today - (max+1) years` is still `max` years old.
        let oldest =
            Date::from_unix((today.years_before(band.1 + 1).days_since_epoch() + 1) * 86_400);
        (oldest, youngest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-28").unwrap()
    }

    fn amina() -> NewChild {
        NewChild {
            given_name: "Amina".into(),
            family_name: "Diallo".into(),
            sex: "female".into(),
            date_of_birth: Some("2014-03-02".into()),
            location: "D1".into(),
            birth_registration: Some("not_registered".into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_child_passes() {
        let v = amina().validate(today()).unwrap();
        assert_eq!(v.birth_registration, BirthRegistration::NotRegistered);
        assert_eq!(v.date_of_birth.age_on(today()), 12);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut c = amina();
        c.date_of_birth = Some("2030-01-01".into());
        assert_eq!(c.validate(today()).unwrap_err().0[0].field, "date_of_birth");
        c.date_of_birth = Some("1990-01-01".into());
        assert_eq!(c.validate(today()).unwrap_err().0[0].field, "date_of_birth");
        let mut c = amina();
        c.sex = "x".into();
        assert_eq!(c.validate(today()).unwrap_err().0[0].field, "sex");
        let mut c = amina();
        c.date_of_birth = None;
        c.estimated_age = Some(18);
        assert_eq!(c.validate(today()).unwrap_err().0[0].field, "estimated_age");
        let mut c = amina();
        c.given_name = "  ".into();
        assert_eq!(c.validate(today()).unwrap_err().0[0].field, "given_name");
    }

    #[test]
    fn estimated_age_gives_estimated_birth_date() {
        let mut c = amina();
        c.date_of_birth = None;
        c.estimated_age = Some(9);
        let v = c.validate(today()).unwrap();
        assert!(v.date_of_birth_estimated);
        assert_eq!(v.date_of_birth.age_on(today()), 9);
    }

    #[test]
    fn age_band_birth_range_is_inclusive() {
        let (oldest, youngest) = ChildFilter::birth_range((10, 14), today());
        assert_eq!(oldest.age_on(today()), 14);
        assert_eq!(
            Date::from_unix((oldest.days_since_epoch() - 1) * 86_400).age_on(today()),
            15
        );
        assert_eq!(youngest.age_on(today()), 10);
    }
}
