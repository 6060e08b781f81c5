//! A server state on a fresh SQLite database, for unit tests that need
//! the store (the attempt limits keep their counts there).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::AppState;
use std::sync::Arc;

/// Removes the database's folder when dropped.
pub(crate) struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A state over an empty, migrated SQLite database.
pub(crate) fn state() -> (AppState, Dir) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("haven-web-unit-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let backend = haven_store_sqlite::SqliteBackend::open(&dir.join("haven.db"), 0).unwrap();
    let store = haven_store::SqlStore::open(
        Box::new(backend),
        haven_store::Keyring::generate().unwrap(),
        0,
    )
    .unwrap();
    let st = AppState::new(Arc::new(store)).unwrap();
    (st, Dir(dir))
}
