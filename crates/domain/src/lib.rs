//! Haven's domain: the children a child-protection authority registers, their
//! households and caregivers, the places they live, who may see them, and how
//! possible duplicates are recognised.
//!
//! This crate does no I/O. Time is passed in as a [`Date`] or Unix seconds and
//! randomness as a generator, so every rule can be tested directly. Storage,
//! encryption and HTTP live in other crates and call into this one.
#![deny(missing_docs)]

/// Declares a closed set of values with its API spelling.
macro_rules! api_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant),+
        }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The API spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the API spelling.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        // Written out rather than derived: utoipa's derive does not see a
        // `serde(rename)` whose value arrives through a macro fragment.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

pub mod access;
pub mod assessment;
pub mod assessment_prefill;
pub mod attempts;
pub mod casework;
pub mod child;
pub mod date;
pub mod duplicates;
pub mod exchange;
pub mod field_ops;
pub mod field_sync;
pub mod hotline;
pub mod household;
pub mod indicators;
pub mod institution;
pub mod lists;
pub mod location;
pub mod logframes;
pub mod readiness;
pub mod report;
pub mod retention;
pub mod second_factor;
pub mod synthetic;
pub mod validation;

pub use access::{Actor, Role};
pub use child::{
    BirthRegistration, Child, ChildFilter, ChildPatch, LivingSituation, NewChild, Sex,
};
pub use date::Date;
pub use household::{Caregiver, Household, NewCaregiver, NewFamily, NewHousehold};
pub use institution::{inspection_overdue, Inspection, Institution, InstitutionKind};
pub use location::{Location, LocationLevel};
pub use validation::{FieldError, ValidationErrors};
