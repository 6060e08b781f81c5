//! Audit entries that stand alone (a read, a refusal) are written in
//! groups: one write transaction, one commit and one flush to disk for
//! every entry waiting at that moment, each still chained to the one before.
//!
//! Every audited read used to be a write transaction of its own, and the
//! chain's single head makes those one at a time: on PostgreSQL each waited
//! for the commit before it (with its flush to disk) while holding the
//! chain's lock, so reads stopped at about 1,500 a second whatever the
//! hardware. Now the first caller to find no group being written writes
//! every entry queued at that moment, its own among them; those who queue
//! meanwhile wait for the next group, written by one of them. No caller
//! gets its answer before its entry is committed: a read whose entry cannot
//! be written fails, and returns nothing.

use super::SqlStore;
use crate::error::{StoreError, StoreResult};
use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

/// One entry to append, with what a chained entry records.
#[derive(Clone, Debug)]
pub(crate) struct AuditEvent {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub detail: String,
    /// The request being served when the entry was made.
    pub request_id: Option<String>,
}

impl AuditEvent {
    /// An entry made now, for the request being served (the web server
    /// says which around each store call): an entry leads to its log lines.
    pub(crate) fn new(
        at: i64,
        actor: &str,
        action: &str,
        target: &str,
        outcome: &str,
        detail: &str,
    ) -> AuditEvent {
        AuditEvent {
            at,
            actor: actor.into(),
            action: action.into(),
            target: target.into(),
            outcome: outcome.into(),
            detail: detail.into(),
            request_id: crate::audit::current_request_id(),
        }
    }
}

/// The queue of entries waiting to be written, and who writes them.
#[derive(Default)]
pub(crate) struct AuditBatch {
    state: Mutex<Queue>,
    written: Condvar,
}

#[derive(Default)]
struct Queue {
    next_ticket: u64,
    waiting: Vec<(u64, AuditEvent)>,
    /// Whether a caller is writing a group now.
    writing: bool,
    /// The outcome for each ticket whose group was written (or failed),
    /// until its caller takes it.
    outcomes: HashMap<u64, Result<(), String>>,
}

impl AuditBatch {
    /// Appends `event` to the chain, grouped with others waiting, and
    /// returns once it is committed.
    pub(crate) fn record(&self, store: &SqlStore, event: AuditEvent) -> StoreResult<()> {
        let poisoned = || StoreError::Database("audit queue lock poisoned".into());
        let mut q = self.state.lock().map_err(|_| poisoned())?;
        let mine = q.next_ticket;
        q.next_ticket += 1;
        q.waiting.push((mine, event));
        loop {
            if let Some(outcome) = q.outcomes.remove(&mine) {
                return outcome.map_err(StoreError::Database);
            }
            if !q.writing {
                // Write every entry waiting now, this caller's among them.
                q.writing = true;
                let group = std::mem::take(&mut q.waiting);
                drop(q);
                let mut writing = Writing {
                    batch: self,
                    tickets: group.iter().map(|(t, _)| *t).collect(),
                    outcome: Err("the audit entries' writer stopped".into()),
                };
                let events: Vec<AuditEvent> = group.into_iter().map(|(_, e)| e).collect();
                writing.outcome = store.append_events(&events).map_err(|e| e.to_string());
                if let Err(e) = &writing.outcome {
                    tracing::error!(error = %e, entries = events.len(), "audit entries were not written");
                }
                drop(writing);
                q = self.state.lock().map_err(|_| poisoned())?;
                continue;
            }
            q = self.written.wait(q).map_err(|_| poisoned())?;
        }
    }
}

/// The group being written: when it ends, however it ends, each of its
/// callers gets the outcome and the next group may start.
struct Writing<'a> {
    batch: &'a AuditBatch,
    tickets: Vec<u64>,
    outcome: Result<(), String>,
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        // Each change under this lock is whole, so a poisoned lock is still
        // used: the callers waiting must hear the outcome.
        let mut q = match self.batch.state.lock() {
            Ok(q) => q,
            Err(p) => p.into_inner(),
        };
        for t in &self.tickets {
            q.outcomes.insert(*t, self.outcome.clone());
        }
        q.writing = false;
        drop(q);
        self.batch.written.notify_all();
    }
}

impl SqlStore {
    /// Appends `events` to the chain in one write transaction.
    fn append_events(&self, events: &[AuditEvent]) -> StoreResult<()> {
        self.tx(true, |c| super::append_audit_events(c, events))
    }
}
