//! `haven hash` and `haven match`: PDQ hashing of files and folders, and
//! matching against a hash list file, for analysts and partner platforms.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use haven_pdq::{
    file_digests, hash_image_bytes_with, DecodeError, DecodeLimits, Dihedral, Hash256, ImageFormat,
    MatchIndex, PdqHashes,
};
use serde_json::json;
use std::io::{IsTerminal, Read, Write};
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

/// Limits on the image files `hash` and `match` read: a file over a limit is
/// refused (named on standard error) before it is read whole or decoded.
#[derive(Args, Clone, Copy)]
pub struct LimitArgs {
    /// Refuse images whose header declares more pixels than this many million.
    #[arg(long, default_value_t = DecodeLimits::DEFAULT_MAX_PIXELS / 1_000_000,
          value_parser = clap::value_parser!(u64).range(1..=4_295))]
    max_megapixels: u64,
    /// Refuse files larger than this many MiB.
    #[arg(long, default_value_t = DecodeLimits::DEFAULT_MAX_FILE_BYTES >> 20,
          value_parser = clap::value_parser!(u64).range(1..=4_096))]
    max_file_mib: u64,
}

impl LimitArgs {
    fn limits(&self) -> DecodeLimits {
        DecodeLimits {
            max_pixels: self.max_megapixels * 1_000_000,
            max_file_bytes: self.max_file_mib << 20,
        }
    }
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
    /// Report an image whose PDQ quality is below this as an error instead of
    /// printing its hash (50 is ThreatExchange's advice; the default, 0,
    /// prints every hash as the reference hasher does).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    min_quality: u32,
    #[command(flatten)]
    limits: LimitArgs,
    /// Image files or folders. Folders are searched recursively; inside them,
    /// symbolic links to files are hashed and symbolic links to folders are
    /// not followed (a path given here is followed even if it is a link).
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
    #[command(flatten)]
    limits: LimitArgs,
    /// PDQ hashes (64 hex digits) or image files.
    #[arg(required = true)]
    queries: Vec<String>,
}

/// The files to hash under `paths`, in order: a path named on the command
/// line is followed even if it is a symbolic link; inside folders, links to
/// folders are skipped (so no walk can loop or leave the tree) and links to
/// files are taken like files. Anything else that is not a regular file is
/// still listed, and refused when hashed.
fn collect_files(paths: &[PathBuf], out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_folder(p, out, errors),
            Ok(_) => out.push(p.clone()),
            Err(e) => errors.push((p.clone(), e.to_string())),
        }
    }
}

fn walk_folder(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push((dir.to_path_buf(), e.to_string())),
    };
    // The entry's own type: a symbolic link is reported as a link.
    let mut children: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok().and_then(|e| Some((e.path(), e.file_type().ok()?))))
        .collect();
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, kind) in children {
        if kind.is_dir() {
            walk_folder(&path, out, errors);
        } else if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) if target.is_dir() => {}
                Ok(_) => out.push(path),
                Err(e) => errors.push((path, e.to_string())),
            }
        } else {
            out.push(path);
        }
    }
}

/// Reads an image file for hashing, refusing before reading it whole what is
/// not a regular file, is over the size limit, or does not start like an
/// image in a format Haven reads.
fn read_image_file(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>, String> {
    // Checked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let too_big = |e: DecodeError| format!("{e} (see --max-file-mib)");
    limits.check_file_size(meta.len()).map_err(too_big)?;
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    let mut read = |n: u64, bytes: &mut Vec<u8>| {
        (&mut file)
            .take(n)
            .read_to_end(bytes)
            .map_err(|e| e.to_string())
    };
    read(ImageFormat::SNIFF_LEN as u64, &mut bytes)?;
    if bytes.is_empty() {
        return Err(DecodeError::Empty.to_string());
    }
    if ImageFormat::sniff(&bytes).is_none() {
        return Err(DecodeError::UnknownFormat.to_string());
    }
    // The file may have grown since its size was read: read one byte past
    // the limit at most, to tell.
    let rest = limits
        .max_file_bytes
        .saturating_add(1)
        .saturating_sub(bytes.len() as u64);
    read(rest, &mut bytes)?;
    limits
        .check_file_size(bytes.len() as u64)
        .map_err(too_big)?;
    Ok(bytes)
}

/// Reads and hashes one image file, as `hash` and `match` do.
fn hash_file(
    path: &Path,
    limits: &DecodeLimits,
) -> Result<(Vec<u8>, PdqHashes, usize, usize), String> {
    let bytes = read_image_file(path, limits)?;
    let (h, img) = hash_image_bytes_with(&bytes, limits).map_err(|e| e.to_string())?;
    Ok((bytes, h, img.width, img.height))
}

/// One hashed file, ready to print.
struct Hashed {
    line: String,
}

fn hash_one(path: &Path, args: &HashArgs, limits: &DecodeLimits) -> Result<Hashed, String> {
    let (format, dihedral) = (args.format, args.dihedral);
    let (bytes, h, width, height) = hash_file(path, limits)?;
    h.check_quality(args.min_quality)
        .map_err(|e| e.to_string())?;
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
                "md5": digests.md5, "sha256": digests.sha256, "width": width, "height": height,
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
    let limits = args.limits.limits();
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
                let r = hash_one(path, &args, &limits);
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
    let limits = args.limits.limits();
    let list = read_hash_list(&args.list)?;
    let index = MatchIndex::from_hashes(list.iter().map(|(_, h)| *h).collect());
    let mut failed = false;
    let mut matched = 0;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for q in &args.queries {
        let hash = match q.parse::<Hash256>() {
            Ok(h) => h,
            Err(_) => match hash_file(Path::new(q), &limits) {
                Ok((_, h, _, _)) => h.hash,
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
