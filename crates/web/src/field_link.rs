//! A field laptop's link to its server (issue 16), as the laptop's own
//! pages use it: what it syncs with, and a sync on request. `haven serve`
//! on a laptop's folder provides it; the sync itself (HTTP to the server,
//! the enrolment file) lives with `haven field`, which runs the same code
//! from the command line.

use std::sync::Arc;
use std::time::Duration;

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
    /// Cases received from the server (new, or changed there).
    pub cases_received: u64,
    /// Cases removed from the laptop: closed, or handed to someone else.
    pub cases_removed: u64,
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

/// Syncs every `every` for as long as the laptop serves, the first time
/// one interval after it starts (not while the caseworker is opening the
/// first page): back in reach of the server, the changes go without anyone
/// having to remember the button. Out of reach, each try costs a refused
/// connection and a line in the log; the changes wait. A revoked laptop
/// stops trying.
pub async fn sync_periodically(link: Arc<dyn FieldLink>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // An interval's first tick is at once.
    tick.tick().await;
    loop {
        tick.tick().await;
        if link.destroyed() {
            return;
        }
        let syncing = link.clone();
        // The sync blocks (files, the network): off the async threads. A
        // sync pressed on the page meanwhile waits its turn.
        match tokio::task::spawn_blocking(move || syncing.sync()).await {
            Ok(Ok(s)) => tracing::info!(
                applied = s.applied,
                conflicts = s.conflicts,
                refused = s.refused,
                received = s.received,
                removed = s.removed,
                cases_received = s.cases_received,
                cases_removed = s.cases_removed,
                "automatic sync done"
            ),
            Ok(Err(SyncFailure::Unreachable(why))) => {
                tracing::info!(cause = %why, "automatic sync: the server was not reached; the changes wait")
            }
            Ok(Err(SyncFailure::Revoked)) => {
                tracing::warn!("automatic sync: this laptop was revoked; no more syncs");
                return;
            }
            Err(e) => tracing::warn!(error = %e, "automatic sync stopped unexpectedly"),
        }
    }
}
