//! The audit chain's newest entry (its number and MAC), kept in a small
//! file outside the database, beside the key file.
//!
//! The keyed chain already stops anyone without the key from changing or
//! recomputing entries, but deleting the newest entries leaves a shorter
//! chain that is still intact. The head file remembers how far the chain
//! reached, so `haven audit verify` notices. It is written after every
//! write transaction that appended to the chain (a small write and an
//! atomic rename); losing the last update in a crash only makes the
//! recorded head older, never wrong. With several servers on one
//! PostgreSQL database, each keeps the newest head it saw: a lower bound,
//! which is what verification needs.

use crate::error::{StoreError, StoreResult};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &str = "HVNHEAD1";

/// The newest audit entry this installation has recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedHead {
    /// Its sequence number.
    pub seq: i64,
    /// Its MAC.
    pub hash: String,
}

/// The head file, and a lock so that this process's writers never move it
/// back between reading and writing it.
///
/// Under load, many transactions commit while one request writes the file:
/// each leaves its head in `wanted` and goes on, and the request holding the
/// file writes the newest of them (a few rounds at most, so no request is
/// kept writing for others for long). One file write then serves many
/// commits instead of each commit waiting for its own.
#[derive(Debug)]
pub struct AuditHead {
    path: PathBuf,
    lock: Mutex<()>,
    wanted: Mutex<Option<RecordedHead>>,
}

/// How many heads one request writes for others before it lets go.
const ROUNDS: usize = 4;

impl AuditHead {
    /// The head file at `path`; it need not exist yet. It is read when
    /// needed, so a damaged file is reported by `audit verify` rather than
    /// stopping the server from starting.
    pub fn at(path: &Path) -> StoreResult<AuditHead> {
        Ok(AuditHead {
            path: path.to_path_buf(),
            lock: Mutex::new(()),
            wanted: Mutex::new(None),
        })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The head recorded in the file now (another process may have moved it).
    pub fn recorded(&self) -> StoreResult<Option<RecordedHead>> {
        read_head(&self.path)
    }

    /// Records a newer head; an older or equal one changes nothing.
    pub fn advance(&self, seq: i64, hash: &str) -> StoreResult<()> {
        self.advance_checked(seq, hash, |_| Ok(true))
    }

    /// Records a newer head only if `intact` confirms that the head
    /// recorded now is still in the log as recorded; an older or equal one
    /// changes nothing (another process may have moved the file further).
    /// When another thread is writing the file, the head is left for it to
    /// write and this returns at once; a head left over after its last
    /// round is written by the next call (or [`AuditHead::flush`]).
    pub fn advance_checked(
        &self,
        seq: i64,
        hash: &str,
        mut intact: impl FnMut(&RecordedHead) -> StoreResult<bool>,
    ) -> StoreResult<()> {
        {
            let mut wanted = self.wanted()?;
            if wanted.as_ref().is_none_or(|w| w.seq < seq) {
                *wanted = Some(RecordedHead {
                    seq,
                    hash: hash.to_string(),
                });
            }
        }
        let mut rounds = 0;
        while rounds < ROUNDS {
            let _only_writer = match self.lock.try_lock() {
                Ok(g) => g,
                // The thread holding it looks at `wanted` again before it lets go.
                Err(std::sync::TryLockError::WouldBlock) => return Ok(()),
                Err(std::sync::TryLockError::Poisoned(_)) => {
                    return Err(StoreError::Database("audit head lock poisoned".into()))
                }
            };
            while rounds < ROUNDS {
                let Some(next) = self.wanted()?.take() else {
                    break;
                };
                rounds += 1;
                self.write_if_newer(&next, &mut intact)?;
            }
            drop(_only_writer);
            // A head left while this thread held the lock, after its last look.
            if self.wanted()?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// Takes the head that [`AuditHead::advance_checked`] left for a later
    /// call and no call has written yet, to write it at shutdown.
    pub fn take_unwritten(&self) -> StoreResult<Option<RecordedHead>> {
        Ok(self.wanted()?.take())
    }

    fn wanted(&self) -> StoreResult<std::sync::MutexGuard<'_, Option<RecordedHead>>> {
        self.wanted
            .lock()
            .map_err(|_| StoreError::Database("audit head lock poisoned".into()))
    }

    /// Writes `next` unless the file already records it or a newer one, or
    /// `intact` says the recorded head is no longer in the log.
    fn write_if_newer(
        &self,
        next: &RecordedHead,
        intact: &mut impl FnMut(&RecordedHead) -> StoreResult<bool>,
    ) -> StoreResult<()> {
        if let Some(recorded) = read_head(&self.path)? {
            if recorded.seq >= next.seq || !intact(&recorded)? {
                return Ok(());
            }
        }
        write_head(&self.path, next.seq, &next.hash)
    }

    /// Records `seq` as the head whatever was there: only when the file is
    /// started for a log that already has entries.
    pub fn reset(&self, seq: i64, hash: &str) -> StoreResult<()> {
        let _only_writer = self
            .lock
            .lock()
            .map_err(|_| StoreError::Database("audit head lock poisoned".into()))?;
        write_head(&self.path, seq, hash)
    }
}

fn read_head(path: &Path) -> StoreResult<Option<RecordedHead>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StoreError::Database(format!(
                "cannot read the audit head file {}: {e}",
                path.display()
            )))
        }
    };
    let bad = || {
        StoreError::Database(format!(
            "{} is not an audit head file (it may have been altered)",
            path.display()
        ))
    };
    let mut parts = text.split_whitespace();
    if parts.next() != Some(MAGIC) {
        return Err(bad());
    }
    let seq = parts
        .next()
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|s| *s >= 0)
        .ok_or_else(bad)?;
    let hash = parts
        .next()
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(bad)?;
    Ok(Some(RecordedHead {
        seq,
        hash: hash.to_string(),
    }))
}

fn write_head(path: &Path, seq: i64, hash: &str) -> StoreResult<()> {
    let err = |e: std::io::Error| {
        StoreError::Database(format!(
            "cannot write the audit head file {}: {e}",
            path.display()
        ))
    };
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    // Written whole, then renamed over the old one, so readers see the old
    // head or the new. Not synced: this runs after most audited requests,
    // and a sync each time would cost more than the request; after a crash
    // the file may be older than the log (a lower bound, still right) or,
    // rarely, damaged, which the next start reports in the log and
    // replaces (see `SqlStore::start_audit_head`).
    crate::files::write_private_fast(&tmp, format!("{MAGIC} {seq} {hash}\n").as_bytes())
        .map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_only_moves_forward_and_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("haven-head-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("audit.head");
        let head = AuditHead::at(&path).unwrap();
        assert_eq!(head.recorded().unwrap(), None);
        head.advance(5, &"a".repeat(64)).unwrap();
        head.advance(3, &"b".repeat(64)).unwrap();
        let again = AuditHead::at(&path).unwrap();
        assert_eq!(again.recorded().unwrap().unwrap().seq, 5);
        std::fs::write(&path, "garbage").unwrap();
        assert!(again.recorded().is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A commit while another thread writes the file does not wait for it:
    /// its head is left for that thread, which writes it before letting go.
    #[test]
    fn a_head_left_while_the_file_is_busy_is_written_by_the_busy_writer() {
        use std::sync::{mpsc, Arc, Barrier};
        let dir = std::env::temp_dir().join(format!("haven-head-busy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("audit.head");
        let head = Arc::new(AuditHead::at(&path).unwrap());
        head.advance(1, &"a".repeat(64)).unwrap();
        let (holding, release) = (Arc::new(Barrier::new(2)), Arc::new(Barrier::new(2)));
        let busy = {
            let (head, holding, release) = (head.clone(), holding.clone(), release.clone());
            std::thread::spawn(move || {
                let mut first = true;
                head.advance_checked(5, &"b".repeat(64), |_| {
                    if std::mem::take(&mut first) {
                        holding.wait();
                        release.wait();
                    }
                    Ok(true)
                })
            })
        };
        holding.wait();
        let (done, returned) = mpsc::channel();
        let other = {
            let head = head.clone();
            std::thread::spawn(move || {
                let r = head.advance_checked(7, &"c".repeat(64), |_| Ok(true));
                let _ = done.send(());
                r
            })
        };
        let waited = returned.recv_timeout(std::time::Duration::from_secs(10));
        release.wait();
        assert!(waited.is_ok(), "the second commit waited for the file");
        other.join().unwrap().unwrap();
        busy.join().unwrap().unwrap();
        assert_eq!(head.recorded().unwrap().unwrap().seq, 7);
        assert_eq!(head.take_unwritten().unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
