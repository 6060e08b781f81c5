//! Exact Hamming-radius search over a list of PDQ hashes.
//!
//! Multi-index hashing: the 256 bits are cut into `m` words, each with its
//! own table. If two hashes differ in at most `r` bits, then by the
//! pigeonhole principle some word differs in at most `r / m` bits, so probing
//! every word's table with all variants within `r / m` flips finds every
//! neighbour; each candidate is then checked on all 256 bits. A candidate is
//! reported only from the first table where it qualifies, so no visited set
//! is needed. Radii beyond three flips a word fall back to a linear scan,
//! still exact.
//!
//! The word width grows with the list (16 bits for small lists, up to 22
//! bits from a few million hashes): longer words mean more probes but far
//! fewer candidates, and a candidate costs a cache miss. Tables are compact
//! sorted arrays (counting sort by word value). New entries go to a small
//! pending list, scanned linearly, and are merged into the tables when it
//! grows, so building is incremental and amortised.

use crate::hash256::Hash256;
use std::io::{self, Read, Write};

const MAGIC: &[u8; 8] = b"HVNPDQI1";
/// Largest per-word flip count we enumerate.
const MAX_WORD_FLIPS: u32 = 3;
const MIN_WORD_BITS: usize = 16;
const MAX_WORD_BITS: usize = 22;

/// A listed hash found near a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Position of the entry, as returned by [`MatchIndex::insert`].
    pub entry: u32,
    /// Hamming distance to the query.
    pub distance: u32,
}

/// Why an index file could not be read.
#[derive(Debug)]
pub enum IndexError {
    /// Reading or writing failed.
    Io(io::Error),
    /// The file is not an index, or is damaged.
    Format(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Io(e) => write!(f, "index file: {e}"),
            IndexError::Format(why) => write!(f, "not a valid index file: {why}"),
        }
    }
}

impl std::error::Error for IndexError {}

impl From<io::Error> for IndexError {
    fn from(e: io::Error) -> Self {
        IndexError::Io(e)
    }
}

/// One word's table: entry ids sorted by the value of that word.
#[derive(Clone, Default)]
struct WordTable {
    /// First bit of the word in the hash.
    start: usize,
    /// Width of the word in bits.
    bits: usize,
    /// `offsets[v]..offsets[v + 1]` indexes `ids` for word value `v`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

/// An exact Hamming-radius index over PDQ hashes.
#[derive(Clone, Default)]
pub struct MatchIndex {
    hashes: Vec<Hash256>,
    enabled: Vec<u64>,
    tables: Vec<WordTable>,
    /// Entries `indexed..hashes.len()` are not yet in the tables.
    indexed: usize,
}

impl MatchIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds an index over many hashes at once (all enabled).
    pub fn from_hashes(hashes: Vec<Hash256>) -> Self {
        let n = hashes.len();
        let mut idx = MatchIndex {
            hashes,
            enabled: vec![u64::MAX; n.div_ceil(64)],
            ..Self::default()
        };
        idx.rebuild();
        idx
    }

    /// Number of entries, enabled or not.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The hash of an entry.
    pub fn hash(&self, entry: u32) -> Option<Hash256> {
        self.hashes.get(entry as usize).copied()
    }

    /// Adds a hash, enabled; returns its entry number.
    pub fn insert(&mut self, hash: Hash256) -> u32 {
        let id = self.hashes.len() as u32;
        self.hashes.push(hash);
        if self.enabled.len() * 64 < self.hashes.len() {
            self.enabled.push(0);
        }
        self.enabled[id as usize / 64] |= 1 << (id % 64);
        let pending = self.hashes.len() - self.indexed;
        if pending > 1024.max(self.indexed / 8) {
            self.rebuild();
        }
        id
    }

    /// Enables or disables an entry without rebuilding. Unknown entries are ignored.
    pub fn set_enabled(&mut self, entry: u32, enabled: bool) {
        if let Some(word) = self.enabled.get_mut(entry as usize / 64) {
            if enabled {
                *word |= 1 << (entry % 64);
            } else {
                *word &= !(1 << (entry % 64));
            }
        }
    }

    /// Whether an entry is enabled.
    pub fn is_enabled(&self, entry: u32) -> bool {
        self.enabled
            .get(entry as usize / 64)
            .is_some_and(|w| w >> (entry % 64) & 1 == 1)
    }

    /// Bytes of memory the index holds (hashes, flags and tables).
    pub fn memory_bytes(&self) -> usize {
        self.hashes.capacity() * 32
            + self.enabled.capacity() * 8
            + self
                .tables
                .iter()
                .map(|t| t.offsets.capacity() * 4 + t.ids.capacity() * 4)
                .sum::<usize>()
    }

    /// Puts every entry into the word tables (a counting sort per word),
    /// choosing the word width for the list's size.
    pub fn rebuild(&mut self) {
        let hashes = &self.hashes;
        let layout = word_layout(hashes.len());
        let build = |(start, bits): (usize, usize)| {
            let buckets = 1usize << bits;
            let mut offsets = vec![0u32; buckets + 1];
            for h in hashes {
                offsets[word(h, start, bits) as usize + 1] += 1;
            }
            for v in 0..buckets {
                offsets[v + 1] += offsets[v];
            }
            let mut next = offsets.clone();
            let mut ids = vec![0u32; hashes.len()];
            for (i, h) in hashes.iter().enumerate() {
                let slot = &mut next[word(h, start, bits) as usize];
                ids[*slot as usize] = i as u32;
                *slot += 1;
            }
            WordTable {
                start,
                bits,
                offsets,
                ids,
            }
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(layout.len())
            .max(1);
        let per_thread = layout.len().div_ceil(threads);
        let mut tables: Vec<WordTable> = vec![WordTable::default(); layout.len()];
        std::thread::scope(|s| {
            for (chunk, words) in tables.chunks_mut(per_thread).zip(layout.chunks(per_thread)) {
                let build = &build;
                s.spawn(move || {
                    for (table, w) in chunk.iter_mut().zip(words) {
                        *table = build(*w);
                    }
                });
            }
        });
        self.tables = tables;
        self.indexed = self.hashes.len();
    }

    /// Every enabled entry within `radius` bits of `query`, nearest first.
    pub fn search(&self, query: &Hash256, radius: u32) -> Vec<Match> {
        let mut out = Vec::new();
        let per_word = radius / self.tables.len().max(1) as u32;
        if per_word > MAX_WORD_FLIPS || self.tables.is_empty() {
            self.scan(query, radius, 0, self.hashes.len(), &mut out);
        } else {
            let qwords: Vec<u32> = self
                .tables
                .iter()
                .map(|t| word(query, t.start, t.bits))
                .collect();
            for (w, table) in self.tables.iter().enumerate() {
                for_each_variant(qwords[w], table.bits, per_word, |v| {
                    let lo = table.offsets[v as usize] as usize;
                    let hi = table.offsets[v as usize + 1] as usize;
                    for &id in &table.ids[lo..hi] {
                        let h = &self.hashes[id as usize];
                        // Found already from an earlier table?
                        let earlier = self.tables[..w]
                            .iter()
                            .zip(&qwords)
                            .any(|(t, q)| (word(h, t.start, t.bits) ^ q).count_ones() <= per_word);
                        if earlier || !self.is_enabled(id) {
                            continue;
                        }
                        let d = h.distance(query);
                        if d <= radius {
                            out.push(Match {
                                entry: id,
                                distance: d,
                            });
                        }
                    }
                });
            }
            self.scan(query, radius, self.indexed, self.hashes.len(), &mut out);
        }
        out.sort_by_key(|m| (m.distance, m.entry));
        out
    }

    fn scan(&self, query: &Hash256, radius: u32, from: usize, to: usize, out: &mut Vec<Match>) {
        for (i, h) in self.hashes[from..to].iter().enumerate() {
            let id = (from + i) as u32;
            let d = h.distance(query);
            if d <= radius && self.is_enabled(id) {
                out.push(Match {
                    entry: id,
                    distance: d,
                });
            }
        }
    }

    /// Writes the hashes and enabled flags; tables are rebuilt on load.
    pub fn save(&self, mut w: impl Write) -> Result<(), IndexError> {
        w.write_all(MAGIC)?;
        w.write_all(&(self.hashes.len() as u64).to_le_bytes())?;
        let mut buf = Vec::with_capacity(self.hashes.len().min(1 << 16) * 32);
        for chunk in self.hashes.chunks(1 << 16) {
            buf.clear();
            for h in chunk {
                for word in h.0 {
                    buf.extend_from_slice(&word.to_le_bytes());
                }
            }
            w.write_all(&buf)?;
        }
        for word in &self.enabled {
            w.write_all(&word.to_le_bytes())?;
        }
        Ok(())
    }

    /// Reads an index written by [`MatchIndex::save`].
    pub fn load(mut r: impl Read) -> Result<Self, IndexError> {
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)
            .map_err(|_| IndexError::Format("too short".into()))?;
        if &magic != MAGIC {
            return Err(IndexError::Format("wrong magic bytes".into()));
        }
        let mut n = [0u8; 8];
        r.read_exact(&mut n)?;
        let n = u64::from_le_bytes(n);
        if n > u32::MAX as u64 {
            return Err(IndexError::Format(format!(
                "{n} entries is more than an index holds"
            )));
        }
        let n = n as usize;
        let mut raw = Vec::new();
        r.take(n as u64 * 32 + n.div_ceil(64) as u64 * 8)
            .read_to_end(&mut raw)?;
        if raw.len() != n * 32 + n.div_ceil(64) * 8 {
            return Err(IndexError::Format("truncated".into()));
        }
        let word = |b: &[u8]| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_le_bytes(a)
        };
        let (hash_bytes, flag_bytes) = raw.split_at(n * 32);
        let hashes = hash_bytes
            .chunks_exact(32)
            .map(|c| {
                Hash256([
                    word(&c[0..8]),
                    word(&c[8..16]),
                    word(&c[16..24]),
                    word(&c[24..32]),
                ])
            })
            .collect();
        let enabled = flag_bytes.chunks_exact(8).map(word).collect();
        let mut idx = MatchIndex {
            hashes,
            enabled,
            ..Self::default()
        };
        idx.rebuild();
        Ok(idx)
    }
}

/// The words for a list of `n` hashes: `(first bit, width)` covering all 256
/// bits, about log2(n) bits wide (at least 16, at most 22).
fn word_layout(n: usize) -> Vec<(usize, usize)> {
    let want = (usize::BITS - n.max(1).leading_zeros()) as usize;
    let bits = want.clamp(MIN_WORD_BITS, MAX_WORD_BITS);
    let m = 256usize.div_ceil(bits);
    let (base, extra) = (256 / m, 256 % m);
    let mut out = Vec::with_capacity(m);
    let mut start = 0;
    for i in 0..m {
        let len = base + usize::from(i < extra);
        out.push((start, len));
        start += len;
    }
    out
}

/// Bits `start..start + bits` of a hash (bit k is bit k % 64 of word k / 64).
fn word(h: &Hash256, start: usize, bits: usize) -> u32 {
    let w = start / 64;
    let off = start % 64;
    let mut v = h.0[w] >> off;
    if off + bits > 64 && w + 1 < 4 {
        v |= h.0[w + 1] << (64 - off);
    }
    (v & ((1u64 << bits) - 1)) as u32
}

/// Calls `f` with every `bits`-bit value within `flips` bits of `v`.
fn for_each_variant(v: u32, bits: usize, flips: u32, mut f: impl FnMut(u32)) {
    f(v);
    if flips == 0 {
        return;
    }
    for a in 0..bits {
        let va = v ^ (1 << a);
        f(va);
        if flips >= 2 {
            for b in a + 1..bits {
                let vb = va ^ (1 << b);
                f(vb);
                if flips >= 3 {
                    for c in b + 1..bits {
                        f(vb ^ (1 << c));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator so tests need no randomness crate.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn random_hash(state: &mut u64) -> Hash256 {
        Hash256([next(state), next(state), next(state), next(state)])
    }

    fn flip_bits(h: Hash256, n: usize, state: &mut u64) -> Hash256 {
        let mut out = h;
        let mut flipped = std::collections::HashSet::new();
        while flipped.len() < n {
            let k = (next(state) % 256) as usize;
            if flipped.insert(k) {
                out.0[k / 64] ^= 1 << (k % 64);
            }
        }
        out
    }

    fn brute(hashes: &[Hash256], q: &Hash256, r: u32) -> Vec<Match> {
        let mut v: Vec<Match> = hashes
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let d = h.distance(q);
                (d <= r).then_some(Match {
                    entry: i as u32,
                    distance: d,
                })
            })
            .collect();
        v.sort_by_key(|m| (m.distance, m.entry));
        v
    }

    #[test]
    fn exact_recall_with_planted_neighbours_at_every_distance() {
        let mut s = 0x9e3779b97f4a7c15;
        let mut hashes: Vec<Hash256> = (0..20_000).map(|_| random_hash(&mut s)).collect();
        let queries: Vec<Hash256> = (0..20).map(|_| random_hash(&mut s)).collect();
        for q in &queries {
            for d in 0..=40 {
                hashes.push(flip_bits(*q, d, &mut s));
            }
        }
        // Half built in bulk, the rest inserted one by one (pending + merges).
        let mut idx = MatchIndex::from_hashes(hashes[..10_000].to_vec());
        for h in &hashes[10_000..] {
            idx.insert(*h);
        }
        for radius in [0, 10, 31, 40, 60] {
            for q in &queries {
                assert_eq!(
                    idx.search(q, radius),
                    brute(&hashes, q, radius),
                    "radius {radius}"
                );
            }
        }
    }

    #[test]
    fn word_layouts_cover_every_bit_once() {
        for n in [0, 1, 1000, 70_000, 10_000_000, usize::MAX / 2] {
            let layout = word_layout(n);
            let mut next = 0;
            for (start, bits) in &layout {
                assert_eq!(*start, next);
                assert!((MIN_WORD_BITS - 1..=MAX_WORD_BITS).contains(bits));
                next += bits;
            }
            assert_eq!(next, 256, "n = {n}");
        }
        let mut h = Hash256::ZERO;
        h.set_bit(63);
        h.set_bit(64);
        assert_eq!(word(&h, 60, 8), 0b0001_1000);
    }

    #[test]
    fn exact_recall_with_wide_words() {
        // Enough entries for 18-bit words, with planted neighbours.
        let mut s = 42;
        let mut hashes: Vec<Hash256> = (0..200_000).map(|_| random_hash(&mut s)).collect();
        let queries: Vec<Hash256> = (0..5).map(|_| random_hash(&mut s)).collect();
        for q in &queries {
            for d in 0..=40 {
                hashes.push(flip_bits(*q, d, &mut s));
            }
        }
        let idx = MatchIndex::from_hashes(hashes.clone());
        assert!(idx.tables.len() < 16, "wider words for a larger list");
        for q in &queries {
            for radius in [31, 40] {
                assert_eq!(idx.search(q, radius), brute(&hashes, q, radius));
            }
        }
    }

    #[test]
    fn disabled_entries_are_not_matched_and_save_load_round_trips() {
        let mut s = 7;
        let hashes: Vec<Hash256> = (0..3000).map(|_| random_hash(&mut s)).collect();
        let mut idx = MatchIndex::from_hashes(hashes.clone());
        idx.set_enabled(5, false);
        assert!(idx.search(&hashes[5], 31).is_empty());
        assert_eq!(
            idx.search(&hashes[6], 31),
            vec![Match {
                entry: 6,
                distance: 0
            }]
        );
        let mut buf = Vec::new();
        idx.save(&mut buf).unwrap();
        let loaded = MatchIndex::load(&buf[..]).unwrap();
        assert!(!loaded.is_enabled(5));
        assert_eq!(loaded.search(&hashes[6], 31), idx.search(&hashes[6], 31));
        idx.set_enabled(5, true);
        assert_eq!(idx.search(&hashes[5], 0).len(), 1);
        assert!(MatchIndex::load(&buf[..buf.len() - 3]).is_err());
        assert!(MatchIndex::load(&b"nonsense"[..]).is_err());
    }
}
