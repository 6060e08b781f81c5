//! Households and the caregivers in them (§36-37: family circumstances are
//! where much of a child's risk and protection comes from).

use crate::validation::{clean_name, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A household, decrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// Random identifier.
    pub id: String,
    /// District code.
    pub location: String,
    /// Address or directions (encrypted at rest).
    pub address: String,
    /// The caregivers recorded for it.
    pub caregivers: Vec<Caregiver>,
    /// When recorded (Unix seconds).
    pub created_at: i64,
}

/// Input for a household.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"location": "HV-NR-01", "address": "Near the market", "caregivers": [{"given_name": "Fatou", "relationship": "mother"}]})))]
#[serde(deny_unknown_fields)]
pub struct NewHousehold {
    /// District code.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 100)
    )]
    pub location: String,
    /// Address or directions.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub address: String,
    /// Caregivers to add at once.
    #[serde(default)]
    pub caregivers: Vec<NewCaregiver>,
}

/// A caregiver, decrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caregiver {
    /// Random identifier.
    pub id: String,
    /// The household.
    pub household_id: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Relationship to the children, e.g. mother, aunt, grandfather.
    pub relationship: String,
    /// Phone or other contact (encrypted at rest).
    pub contact: String,
}

/// Input for a caregiver.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCaregiver {
    /// Given name.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub given_name: String,
    /// Family name.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub family_name: String,
    /// Relationship, e.g. mother, aunt, grandfather.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub relationship: String,
    /// Phone or other contact (encrypted at rest).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub contact: String,
}

impl NewHousehold {
    /// Checks the household and its caregivers.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.location.trim().is_empty() {
            e.add("location", "is required: the code of a district");
        }
        if self.address.chars().count() > 500 {
            e.add("address", "must be at most 500 characters");
        }
        for (i, c) in self.caregivers.iter().enumerate() {
            if let Err(ce) = c.validate() {
                for f in ce.0 {
                    e.add(&format!("caregivers[{i}].{}", f.field), f.message);
                }
            }
        }
        e.into_result()
    }
}

impl NewCaregiver {
    /// Checks a caregiver.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        clean_name(&mut e, "given_name", &self.given_name, true);
        clean_name(&mut e, "family_name", &self.family_name, false);
        clean_name(&mut e, "relationship", &self.relationship, true);
        if self.contact.chars().count() > 200 {
            e.add("contact", "must be at most 200 characters");
        }
        e.into_result()
    }
}

/// A household with its children as an import or synthetic data brings
/// them: registered together, at the time the source says.
#[derive(Clone, Debug)]
pub struct NewFamily {
    /// The household and its caregivers.
    pub household: NewHousehold,
    /// Its children.
    pub children: Vec<crate::NewChild>,
    /// When they were registered (Unix seconds); ages are checked on that day.
    pub registered_at: i64,
}
