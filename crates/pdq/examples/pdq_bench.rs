//! Benchmark driver for `bench/pdq` (not a test): prints one JSON object.
//!
//!   pdq_bench hash DIR THREADS      hashing from files and from decoded pixels
//!   pdq_bench match N QUERIES THREADS   matching at radius 31 over N random hashes
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark driver, not product code

use haven_pdq::{decode_rgb, hash_image_bytes, hash_rgb, Hash256, MatchIndex};
use std::time::Instant;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds this process has used (user + system). The one-core figures
/// are timed by CPU time, not wall time, so that on a shared, loaded machine
/// they measure the work rather than the neighbours; the peer does the same.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0))
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here; in ticks of 1/100 s.
    (f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)) as f64 / 100.0
}

/// Runs `f` over `items` on `threads` threads, handing out one item at a
/// time (images differ in size, so fixed chunks would leave a core idle).
fn parallel<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

fn hash_bench(dir: &str, threads: usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let bytes: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let decoded: Vec<_> = bytes.iter().map(|b| decode_rgb(b).unwrap()).collect();
    // Warm up once.
    let _ = hash_image_bytes(&bytes[0]);
    let rounds = 2000usize.div_ceil(bytes.len()).clamp(1, 20);
    let t = cpu_s();
    let mut h1 = Vec::new();
    for _ in 0..rounds {
        h1 = bytes
            .iter()
            .map(|b| hash_image_bytes(b).unwrap().0.hash)
            .collect();
    }
    let files_1 = (rounds * bytes.len()) as f64 / (cpu_s() - t);
    let t = Instant::now();
    let hn = parallel(&bytes, threads, |b| hash_image_bytes(b).unwrap().0.hash);
    let files_n = bytes.len() as f64 / t.elapsed().as_secs_f64();
    assert_eq!(h1, hn);
    let t = cpu_s();
    let mut p1 = Vec::new();
    for _ in 0..rounds {
        p1 = decoded
            .iter()
            .map(|d| hash_rgb(&d.rgb, d.width, d.height).hash)
            .collect();
    }
    let pixels_1 = (rounds * decoded.len()) as f64 / (cpu_s() - t);
    let t = Instant::now();
    let _ = parallel(&decoded, threads, |d| {
        hash_rgb(&d.rgb, d.width, d.height).hash
    });
    let pixels_n = decoded.len() as f64 / t.elapsed().as_secs_f64();
    assert_eq!(h1, p1);
    println!(
        "{{\"images\": {}, \"files_per_s_1\": {files_1:.1}, \"files_per_s_n\": {files_n:.1}, \"pixels_per_s_1\": {pixels_1:.1}, \"pixels_per_s_n\": {pixels_n:.1}, \"first\": \"{}\"}}",
        bytes.len(),
        h1[0]
    );
}

/// Hashes decoded pixels only, `rounds` times over: the from-pixels path
/// alone, for `perf record`.
fn pixels_only(dir: &str, rounds: usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let decoded: Vec<_> = files
        .iter()
        .map(|p| decode_rgb(&std::fs::read(p).unwrap()).unwrap())
        .collect();
    let t = cpu_s();
    let mut n = 0usize;
    for _ in 0..rounds {
        for d in &decoded {
            n += hash_rgb(&d.rgb, d.width, d.height).quality as usize;
        }
    }
    let per_s = (rounds * decoded.len()) as f64 / (cpu_s() - t);
    println!("{{\"images\": {}, \"rounds\": {rounds}, \"pixels_per_s_1\": {per_s:.1}, \"quality_sum\": {n}}}", decoded.len());
}

/// Decodes and hashes files' bytes only, `rounds` times over, for `perf record`.
fn files_only(dir: &str, rounds: usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let bytes: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let t = cpu_s();
    let mut n = 0usize;
    for _ in 0..rounds {
        for b in &bytes {
            n += hash_image_bytes(b).unwrap().0.quality as usize;
        }
    }
    let per_s = (rounds * bytes.len()) as f64 / (cpu_s() - t);
    println!("{{\"images\": {}, \"rounds\": {rounds}, \"files_per_s_1\": {per_s:.1}, \"quality_sum\": {n}}}", bytes.len());
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn hash(&mut self) -> Hash256 {
        Hash256([self.next(), self.next(), self.next(), self.next()])
    }
}

fn match_bench(n: usize, queries: usize, threads: usize) {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let rss0 = rss_kb();
    let mut hashes: Vec<Hash256> = (0..n).map(|_| rng.hash()).collect();
    let qs: Vec<Hash256> = (0..queries).map(|_| rng.hash()).collect();
    // Plant neighbours of each query at distances 0..=40.
    for (i, q) in qs.iter().enumerate() {
        let d = i % 41;
        let mut h = *q;
        let mut flipped = std::collections::HashSet::new();
        while flipped.len() < d {
            let k = (rng.next() % 256) as usize;
            if flipped.insert(k) {
                h.0[k / 64] ^= 1 << (k % 64);
            }
        }
        hashes.push(h);
    }
    let total = hashes.len();
    let t = Instant::now();
    let idx = MatchIndex::from_hashes(hashes.clone());
    let build_s = t.elapsed().as_secs_f64();
    let mem = idx.memory_bytes();
    let rss1 = rss_kb();
    let t = cpu_s();
    let mut r1: Vec<usize> = Vec::new();
    let mut rounds = 0;
    while rounds == 0 || cpu_s() - t < 2.0 {
        r1 = qs.iter().map(|q| idx.search(q, 31).len()).collect();
        rounds += 1;
    }
    let qps_1 = (rounds * queries) as f64 / (cpu_s() - t);
    // The same queries as one batch (as faiss is given them).
    let t = cpu_s();
    let mut rounds = 0;
    while rounds == 0 || cpu_s() - t < 2.0 {
        let rb: Vec<usize> = idx.search_many(&qs, 31).iter().map(Vec::len).collect();
        assert_eq!(rb, r1);
        rounds += 1;
    }
    let qps_batch_1 = (rounds * queries) as f64 / (cpu_s() - t);
    let t = Instant::now();
    let rn = parallel(&qs, threads, |q| idx.search(q, 31).len());
    let qps_n = queries as f64 / t.elapsed().as_secs_f64();
    assert_eq!(r1, rn);
    // Recall against brute force on a sample of queries.
    let sample = queries.min(20);
    let mut found = 0;
    let mut expected = 0;
    for q in &qs[..sample] {
        expected += hashes.iter().filter(|h| h.distance(q) <= 31).count();
        found += idx.search(q, 31).len();
    }
    // Saved to a file and read back (from the page cache, as after a
    // restart of a server that saved it).
    // Saved, then read back as a restarted server would: the built index
    // and the list gone from memory, the file on disk.
    drop(hashes);
    let (load_s, loaded) = save_then_load(idx, 1);
    assert_eq!(loaded, total);
    println!(
        "{{\"hashes\": {total}, \"queries\": {queries}, \"build_s\": {build_s:.2}, \"load_s\": {load_s:.2}, \"index_bytes_per_hash\": {:.1}, \"rss_mb\": {:.0}, \"qps_1\": {qps_1:.1}, \"qps_batch_1\": {qps_batch_1:.1}, \"qps_n\": {qps_n:.1}, \"recall_sample\": {}, \"matches\": {}}}",
        mem as f64 / total as f64,
        (rss1 - rss0) as f64 / 1024.0,
        if expected == 0 { 1.0 } else { found as f64 / expected as f64 },
        r1.iter().sum::<usize>()
    );
}

/// Saves `idx` to a file (synced, then dropped from memory) and loads it
/// back `times` times; returns the fastest load's seconds and the entries.
fn save_then_load(idx: MatchIndex, times: usize) -> (f64, usize) {
    let path = std::env::temp_dir().join(format!("pdq_bench_{}.idx", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    idx.save(&mut file).unwrap();
    file.into_inner().unwrap().sync_all().unwrap();
    drop(idx);
    let mut best = (f64::MAX, 0);
    for _ in 0..times {
        let t = Instant::now();
        let loaded = MatchIndex::load_file(&path).unwrap();
        best = (best.0.min(t.elapsed().as_secs_f64()), loaded.len());
    }
    let _ = std::fs::remove_file(&path);
    best
}

/// Saves an index of `n` random hashes and loads it back three times:
/// the fastest.
fn load_bench(n: usize) {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let (load_s, hashes) = save_then_load(
        MatchIndex::from_hashes((0..n).map(|_| rng.hash()).collect()),
        3,
    );
    println!("{{\"hashes\": {hashes}, \"load_s\": {load_s:.3}}}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("hash") => hash_bench(&args[2], args[3].parse().unwrap()),
        Some("files") => files_only(&args[2], args[3].parse().unwrap()),
        Some("pixels") => pixels_only(&args[2], args[3].parse().unwrap()),
        Some("load") => load_bench(args[2].parse().unwrap()),
        Some("match") => match_bench(
            args[2].parse().unwrap(),
            args[3].parse().unwrap(),
            args[4].parse().unwrap(),
        ),
        _ => eprintln!("usage: pdq_bench hash DIR THREADS | pixels DIR ROUNDS | files DIR ROUNDS | match N QUERIES THREADS | load N"),
    }
}
