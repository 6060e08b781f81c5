//! Households and the caregivers in them (§36-37: family circumstances are
//! where much of a child's risk and protection comes from).

use crate::validation::{clean_name, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A household, decrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[serde(deny_unknown_fields)]
pub struct NewHousehold {
    /// District code.
    #[serde(default)]
    pub location: String,
    /// Address or directions.
    #[serde(default)]
    pub address: String,
    /// Caregivers to add at once.
    #[serde(default)]
    pub caregivers: Vec<NewCaregiver>,
}

/// A caregiver, decrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[serde(deny_unknown_fields)]
pub struct NewCaregiver {
    /// Given name.
    #[serde(default)]
    pub given_name: String,
    /// Family name.
    #[serde(default)]
    pub family_name: String,
    /// Relationship.
    #[serde(default)]
    pub relationship: String,
    /// Contact.
    #[serde(default)]
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
