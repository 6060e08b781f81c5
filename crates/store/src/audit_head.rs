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
#[derive(Debug)]
pub struct AuditHead {
    path: PathBuf,
    lock: Mutex<()>,
}

impl AuditHead {
    /// The head file at `path`; it need not exist yet. It is read when
    /// needed, so a damaged file is reported by `audit verify` rather than
    /// stopping the server from starting.
    pub fn at(path: &Path) -> StoreResult<AuditHead> {
        Ok(AuditHead {
            path: path.to_path_buf(),
            lock: Mutex::new(()),
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
    pub fn advance_checked(
        &self,
        seq: i64,
        hash: &str,
        intact: impl FnOnce(&RecordedHead) -> StoreResult<bool>,
    ) -> StoreResult<()> {
        let _only_writer = self
            .lock
            .lock()
            .map_err(|_| StoreError::Database("audit head lock poisoned".into()))?;
        if let Some(recorded) = read_head(&self.path)? {
            if recorded.seq >= seq || !intact(&recorded)? {
                return Ok(());
            }
        }
        write_head(&self.path, seq, hash)
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
    // head or the new. Not synced: this runs after every audited request,
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
}
