//! What an indicator is asked for: one definition, the periods, a place,
//! and perhaps a breakdown. The store answers with counts only
//! ([`haven_domain::indicators::Tallies`]), never a record or a name;
//! [`haven_domain::indicators::evaluate`] turns them into figures.

use haven_domain::indicators::{Definition, Dimension, Period};

/// An indicator to compute.
#[derive(Clone, Debug)]
pub struct IndicatorQuery {
    /// The definition (from a catalogue version).
    pub definition: Definition,
    /// The periods, each computed on its own.
    pub periods: Vec<Period>,
    /// A location code: the place and everything under it.
    pub location: String,
    /// A breakdown, one of the definition's disaggregations.
    pub by: Option<Dimension>,
}
