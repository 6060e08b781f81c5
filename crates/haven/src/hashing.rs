//! `haven hash` and `haven match` (filled in with the hash-list work).

use anyhow::Result;
use clap::Args;

/// Arguments of `haven hash`.
#[derive(Args)]
pub struct HashArgs {
    /// Files or folders.
    paths: Vec<std::path::PathBuf>,
}

/// Arguments of `haven match`.
#[derive(Args)]
pub struct MatchArgs {
    /// Hashes or image files.
    queries: Vec<String>,
}

pub fn hash_command(_args: HashArgs) -> Result<i32> {
    anyhow::bail!("not yet available")
}

pub fn match_command(_args: MatchArgs) -> Result<i32> {
    anyhow::bail!("not yet available")
}
