//! A field laptop's link to its server (issue 16), as the laptop's own
//! pages use it: what it syncs with, and a sync on request. `haven serve`
//! on a laptop's folder provides it; the sync itself (HTTP to the server,
//! the enrolment file) lives with `haven field`, which runs the same code
//! from the command line.

/// What a sync did, in numbers the page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Changes the server applied.
    pub applied: u64,
    /// Changes the server kept for a person to choose (someone else changed
    /// the same field meanwhile).
    pub conflicts: u64,
    /// Changes the server refused; the laptop keeps them to redo or discard.
    pub refused: u64,
    /// Children's records received from the server.
    pub received: u64,
    /// Children removed from the laptop: no longer in the user's area.
    pub removed: u64,
}

/// Why a sync did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncFailure {
    /// The server could not be reached, or answered with a failure: the
    /// changes stay on the laptop for the next try. The words are the
    /// technical cause, for whoever supports the laptop.
    Unreachable(String),
    /// The server revoked this laptop: its folder was destroyed, and
    /// nothing on it can be opened again.
    Revoked,
}

/// The laptop's link to its server.
pub trait FieldLink: Send + Sync {
    /// The server's address.
    fn server(&self) -> String;
    /// When the laptop last took the server's changes (Unix seconds).
    fn last_sync_at(&self) -> Option<i64>;
    /// Whether the folder was destroyed (the laptop was revoked): the
    /// laptop then serves nothing.
    fn destroyed(&self) -> bool;
    /// Sends the changes made offline, then takes the server's.
    fn sync(&self) -> Result<SyncSummary, SyncFailure>;
}
