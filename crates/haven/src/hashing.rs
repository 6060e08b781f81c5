//! `haven hash` and `haven match`: PDQ hashing of files and folders, and
//! matching against a hash list file, for analysts and partner platforms.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use haven_pdq::{file_digests, hash_image_bytes, Dihedral, Hash256, MatchIndex};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Output format of `haven hash`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// `PDQ_HEX,QUALITY,PATH`, as the reference pdq-photo-hasher prints.
    Csv,
    /// One JSON object per line, with digests, dihedral hashes and size.
    Json,
}

/// Arguments of `haven hash`.
#[derive(Args)]
pub struct HashArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Also print the eight dihedral hashes (rotations and mirrors).
    #[arg(long)]
    dihedral: bool,
    /// Image files or folders (searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Arguments of `haven match`.
#[derive(Args)]
pub struct MatchArgs {
    /// Hash list: one 64-hex PDQ hash a line, or the CSV `haven hash` writes.
    #[arg(long)]
    list: PathBuf,
    /// Largest Hamming distance counted as a match.
    #[arg(long, default_value_t = 31, value_parser = clap::value_parser!(u32).range(0..=256))]
    threshold: u32,
    /// PDQ hashes (64 hex digits) or image files.
    #[arg(required = true)]
    queries: Vec<String>,
}

fn collect_files(paths: &[PathBuf], out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => match std::fs::read_dir(p) {
                Ok(entries) => {
                    let mut children: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    collect_files(&children, out, errors);
                }
                Err(e) => errors.push((p.clone(), e.to_string())),
            },
            Ok(_) => out.push(p.clone()),
            Err(e) => errors.push((p.clone(), e.to_string())),
        }
    }
}

/// One hashed file, ready to print.
struct Hashed {
    line: String,
}

fn hash_one(path: &Path, format: Format, dihedral: bool) -> Result<Hashed, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (h, img) = hash_image_bytes(&bytes).map_err(|e| e.to_string())?;
    let shown = path.display().to_string();
    let line = match format {
        Format::Csv => {
            let mut l = format!("{},{},{}", h.hash, h.quality, shown);
            if dihedral {
                for d in h.dihedrals() {
                    l.push(',');
                    l.push_str(&d.to_hex());
                }
            }
            l
        }
        Format::Json => {
            let digests = file_digests(&bytes);
            let mut v = json!({
                "path": shown, "pdq": h.hash.to_hex(), "quality": h.quality,
                "md5": digests.md5, "sha256": digests.sha256, "width": img.width, "height": img.height,
            });
            if dihedral {
                let map: serde_json::Map<String, serde_json::Value> = Dihedral::ALL
                    .iter()
                    .map(|d| (d.name().to_string(), json!(h.dihedral(*d).to_hex())))
                    .collect();
                v["dihedral"] = serde_json::Value::Object(map);
            }
            v.to_string()
        }
    };
    Ok(Hashed { line })
}

/// Hashes every file on all cores; prints results in input order.
pub fn hash_command(args: HashArgs) -> Result<i32> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    collect_files(&args.paths, &mut files, &mut errors);
    let results: Vec<Mutex<Option<Result<Hashed, String>>>> =
        files.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = std::io::stderr().is_terminal() && files.len() > 1;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let r = hash_one(path, args.format, args.dihedral);
                if let Ok(mut slot) = results[i].lock() {
                    *slot = Some(r);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if progress && (n.is_multiple_of(16) || n == files.len()) {
                    eprint!("\rhashed {n}/{} files", files.len());
                }
            });
        }
    });
    if progress {
        eprintln!();
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (path, slot) in files.iter().zip(results) {
        match slot.into_inner().ok().flatten() {
            Some(Ok(h)) => writeln!(out, "{}", h.line)?,
            Some(Err(e)) => errors.push((path.clone(), e)),
            None => errors.push((path.clone(), "not hashed".into())),
        }
    }
    out.flush()?;
    for (path, why) in &errors {
        eprintln!("haven: {}: {why}", path.display());
    }
    Ok(if errors.is_empty() { 0 } else { 1 })
}

/// Reads a hash list: each line's first field that is a 64-hex hash.
pub fn read_hash_list(path: &Path) -> Result<Vec<(usize, Hash256)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read hash list {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line
            .split(',')
            .find_map(|f| f.trim().parse::<Hash256>().ok())
        {
            Some(h) => out.push((i + 1, h)),
            None if i == 0 => {} // a CSV header
            None => bail!(
                "{}: line {}: no PDQ hash (64 hex digits) on this line",
                path.display(),
                i + 1
            ),
        }
    }
    Ok(out)
}

/// Matches each query against the list; prints `QUERY,LIST_LINE,HASH,DISTANCE`.
pub fn match_command(args: MatchArgs) -> Result<i32> {
    let list = read_hash_list(&args.list)?;
    let index = MatchIndex::from_hashes(list.iter().map(|(_, h)| *h).collect());
    let mut failed = false;
    let mut matched = 0;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for q in &args.queries {
        let hash = match q.parse::<Hash256>() {
            Ok(h) => h,
            Err(_) => match std::fs::read(q)
                .map_err(|e| e.to_string())
                .and_then(|b| hash_image_bytes(&b).map_err(|e| e.to_string()))
            {
                Ok((h, _)) => h.hash,
                Err(e) => {
                    eprintln!("haven: {q}: neither a PDQ hash nor a readable image: {e}");
                    failed = true;
                    continue;
                }
            },
        };
        for m in index.search(&hash, args.threshold) {
            let (line, h) = list[m.entry as usize];
            writeln!(out, "{q},{line},{h},{}", m.distance)?;
            matched += 1;
        }
    }
    eprintln!(
        "{matched} matches within distance {} in a list of {} hashes",
        args.threshold,
        list.len()
    );
    Ok(if failed { 1 } else { 0 })
}
