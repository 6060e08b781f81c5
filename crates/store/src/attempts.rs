//! Attempt counters shared by every server on one database: sign-in
//! failures, public reports and code lookups per address, partners'
//! matching. The rules are [`haven_domain::attempts`]; the store keeps the
//! counts, each under a keyed hash of what it counts (an account, an
//! address), never the name or address itself.

pub use haven_domain::attempts::{Counted, Rule, MAX_DELAY};

/// One counter an attempt is checked (and counted) against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    /// What is counted, e.g. `n:amina` or `a:10.0.0.1`; stored only as a
    /// keyed hash.
    pub key: String,
    /// How it limits.
    pub rule: Rule,
}

impl Counter {
    /// A counter for `key` under `rule`.
    pub fn new(key: impl Into<String>, rule: Rule) -> Counter {
        Counter {
            key: key.into(),
            rule,
        }
    }
}

/// Whether checking an attempt also counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Only says how long to wait.
    No,
    /// Counts it against every counter when none makes it wait (checked
    /// and counted in one transaction, so that attempts sent at once to
    /// any number of servers cannot all slip past the wait).
    IfAllowed,
    /// Counts it whatever the wait (a failure, an event that happened).
    Always,
}
