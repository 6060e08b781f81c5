//! Haven's domain: the children a child-protection authority registers, their
//! households and caregivers, the places they live, who may see them, and how
//! possible duplicates are recognised.
//!
//! This crate does no I/O. Time is passed in as a [`Date`] or Unix seconds and
//! randomness as a generator, so every rule can be tested directly. Storage,
//! encryption and HTTP live in other crates and call into this one.
#![deny(missing_docs)]

pub mod access;
pub mod assessment;
pub mod child;
pub mod date;
pub mod duplicates;
pub mod household;
pub mod institution;
pub mod lists;
pub mod location;
pub mod synthetic;
pub mod validation;

pub use access::{Actor, Role};
pub use child::{
    BirthRegistration, Child, ChildFilter, ChildPatch, LivingSituation, NewChild, Sex,
};
pub use date::Date;
pub use household::{Caregiver, Household, NewCaregiver, NewHousehold};
pub use institution::{Institution, InstitutionKind};
pub use location::{Location, LocationLevel};
pub use validation::{FieldError, ValidationErrors};
