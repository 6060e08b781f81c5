//! Files that hold sealed data, keys or the audit head are readable by
//! their owner only (mode 0600): on a shared office machine another
//! account must not copy them.

use std::io::Write;
use std::path::Path;

/// Creates `path` (and its folder) readable by the owner only and writes
/// `bytes`; fails if the file exists.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = open_private(path, true)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Creates or truncates `path`, readable by the owner only, and writes
/// `bytes` without waiting for the disk.
pub fn write_private_fast(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = open_private(path, false)?;
    f.write_all(bytes)
}

/// Creates or truncates `path`, readable by the owner only, and writes `bytes`.
pub fn write_private_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = open_private(path, false)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Creates an empty file readable by the owner only, unless it exists
/// (whose mode is then tightened): a database engine that later opens it
/// keeps that mode, and SQLite gives its WAL and shared-memory files the
/// database file's mode.
pub fn ensure_private_file(path: &Path) -> std::io::Result<()> {
    match open_private(path, true) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => restrict(path),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn open_private(path: &Path, new: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).mode(0o600);
    if new {
        o.create_new(true);
    } else {
        o.create(true).truncate(true);
    }
    o.open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path, new: bool) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if new {
        o.create_new(true);
    } else {
        o.create(true).truncate(true);
    }
    o.open(path)
}

/// Makes an existing file readable by its owner only.
#[cfg(unix)]
pub fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

/// Makes an existing file readable by its owner only.
#[cfg(not(unix))]
pub fn restrict(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
