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
//!
//! The tables and the hashes in them are shared, read-only, between an
//! index and its clones: a server changes a clone of the index it matches
//! against and swaps it in, and a disable or a few added entries must not
//! copy the whole list (1.3 GB at ten million entries) each time. A clone
//! copies only the pending hashes and the enabled flags (one bit each).

use crate::hash256::Hash256;
use std::io::{self, Read, Write};
use std::sync::Arc;

/// The save format's magic bytes: version 2 holds the tables.
const MAGIC: &[u8; 8] = b"HVNPDQI2";
/// Version 1 held only the hashes and flags.
const MAGIC_V1: &[u8; 8] = b"HVNPDQI1";
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

/// The entries in the word tables: never changed once built, so shared
/// between an index and its clones.
#[derive(Default)]
struct Indexed {
    hashes: Vec<Hash256>,
    tables: Vec<WordTable>,
}

/// An exact Hamming-radius index over PDQ hashes.
#[derive(Clone, Default)]
pub struct MatchIndex {
    /// Entries `0..indexed.hashes.len()`, in the tables.
    indexed: Arc<Indexed>,
    /// The entries after them, not yet in the tables (scanned linearly
    /// until the next [`MatchIndex::rebuild`]).
    pending: Vec<Hash256>,
    enabled: Vec<u64>,
}

impl MatchIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds an index over many hashes at once (all enabled).
    pub fn from_hashes(hashes: Vec<Hash256>) -> Self {
        let n = hashes.len();
        MatchIndex {
            indexed: Arc::new(Indexed::build(hashes)),
            pending: Vec::new(),
            enabled: vec![u64::MAX; n.div_ceil(64)],
        }
    }

    /// Entries added since the tables were last built (scanned linearly
    /// until the next [`MatchIndex::rebuild`]).
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Number of entries, enabled or not.
    pub fn len(&self) -> usize {
        self.indexed.hashes.len() + self.pending.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hash of an entry.
    pub fn hash(&self, entry: u32) -> Option<Hash256> {
        let i = entry as usize;
        let n = self.indexed.hashes.len();
        if i < n {
            self.indexed.hashes.get(i).copied()
        } else {
            self.pending.get(i - n).copied()
        }
    }

    /// Whether this index and `other` share their tables (one is a clone of
    /// the other, and neither has been rebuilt since): what a change to a
    /// clone costs is then its pending entries and flags, not the list.
    pub fn shares_tables_with(&self, other: &MatchIndex) -> bool {
        Arc::ptr_eq(&self.indexed, &other.indexed)
    }

    /// Adds a hash, enabled; returns its entry number.
    pub fn insert(&mut self, hash: Hash256) -> u32 {
        let id = self.len() as u32;
        self.pending.push(hash);
        if self.enabled.len() * 64 < self.len() {
            self.enabled.push(0);
        }
        self.enabled[id as usize / 64] |= 1 << (id % 64);
        if self.pending.len() > 1024.max(self.indexed.hashes.len() / 8) {
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
        (self.indexed.hashes.capacity() + self.pending.capacity()) * 32
            + self.enabled.capacity() * 8
            + self
                .indexed
                .tables
                .iter()
                .map(|t| t.offsets.capacity() * 4 + t.ids.capacity() * 4)
                .sum::<usize>()
    }

    /// Puts every entry into the word tables (a counting sort per word),
    /// choosing the word width for the list's size. The tables are new:
    /// clones made before keep the old ones.
    pub fn rebuild(&mut self) {
        let mut hashes = Vec::with_capacity(self.len());
        hashes.extend_from_slice(&self.indexed.hashes);
        hashes.append(&mut self.pending);
        self.indexed = Arc::new(Indexed::build(hashes));
    }

    /// Every enabled entry within `radius` bits of `query`, nearest first.
    pub fn search(&self, query: &Hash256, radius: u32) -> Vec<Match> {
        let mut out = Vec::new();
        let Indexed { hashes, tables } = self.indexed.as_ref();
        let per_word = radius / tables.len().max(1) as u32;
        if per_word > MAX_WORD_FLIPS || tables.is_empty() {
            self.scan(query, radius, hashes, 0, &mut out);
        } else {
            let qwords: Vec<u32> = tables
                .iter()
                .map(|t| word(query, t.start, t.bits))
                .collect();
            for (w, table) in tables.iter().enumerate() {
                for_each_variant(qwords[w], table.bits, per_word, |v| {
                    let lo = table.offsets[v as usize] as usize;
                    let hi = table.offsets[v as usize + 1] as usize;
                    for &id in &table.ids[lo..hi] {
                        let h = &hashes[id as usize];
                        // Found already from an earlier table?
                        let earlier = tables[..w]
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
        }
        self.scan(query, radius, &self.pending, hashes.len(), &mut out);
        out.sort_by_key(|m| (m.distance, m.entry));
        out
    }

    /// Checks every hash of `hashes`, entry numbers counted from `first`.
    fn scan(
        &self,
        query: &Hash256,
        radius: u32,
        hashes: &[Hash256],
        first: usize,
        out: &mut Vec<Match>,
    ) {
        for (i, h) in hashes.iter().enumerate() {
            let id = (first + i) as u32;
            let d = h.distance(query);
            if d <= radius && self.is_enabled(id) {
                out.push(Match {
                    entry: id,
                    distance: d,
                });
            }
        }
    }

    /// Writes the whole index, tables included, so that [`MatchIndex::load`]
    /// reads it back in one pass without rebuilding anything.
    ///
    /// Format (version 2, little-endian): the magic `HVNPDQI2`; the entry
    /// count `n`, the count of entries in the tables, and the table count
    /// `m` (u64 each); each table's first bit and width (u32 each); the
    /// hashes (32 bytes each); the enabled flags (one u64 per 64 entries);
    /// then each table's offsets (`2^width + 1` u32) and entry ids (u32).
    pub fn save(&self, mut w: impl Write) -> Result<(), IndexError> {
        w.write_all(MAGIC)?;
        let Indexed { hashes, tables } = self.indexed.as_ref();
        for v in [self.len() as u64, hashes.len() as u64, tables.len() as u64] {
            w.write_all(&v.to_le_bytes())?;
        }
        for t in tables {
            w.write_all(&(t.start as u32).to_le_bytes())?;
            w.write_all(&(t.bits as u32).to_le_bytes())?;
        }
        let mut buf = Vec::with_capacity(1 << 16);
        for chunk in hashes.chunks(1 << 11).chain(self.pending.chunks(1 << 11)) {
            buf.clear();
            for h in chunk {
                for word in h.0 {
                    buf.extend_from_slice(&word.to_le_bytes());
                }
            }
            w.write_all(&buf)?;
        }
        write_words(&mut w, &self.enabled, &mut buf)?;
        for t in tables {
            write_u32s(&mut w, &t.offsets, &mut buf)?;
            write_u32s(&mut w, &t.ids, &mut buf)?;
        }
        Ok(())
    }

    /// Reads an index written by [`MatchIndex::save`] (version 2, read
    /// straight into its final arrays), or by the first version (hashes and
    /// flags only: its tables are rebuilt). A file that is truncated, too
    /// long, or whose tables do not fit its entries is refused with an error
    /// that says which.
    pub fn load(mut r: impl Read) -> Result<Self, IndexError> {
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)
            .map_err(|_| IndexError::Format("too short".into()))?;
        let version2 = match &magic {
            m if m == MAGIC => true,
            m if m == MAGIC_V1 => false,
            _ => return Err(IndexError::Format("wrong magic bytes".into())),
        };
        let n = read_u64(&mut r)?;
        if n > u32::MAX as u64 {
            return Err(IndexError::Format(format!(
                "{n} entries is more than an index holds"
            )));
        }
        let n = n as usize;
        let (indexed, layout) = if version2 {
            let indexed = read_u64(&mut r)?;
            let m = read_u64(&mut r)?;
            if indexed > n as u64 || m > 256 {
                return Err(IndexError::Format("the header is damaged".into()));
            }
            let mut layout = Vec::with_capacity(m as usize);
            for _ in 0..m {
                let start = read_u32(&mut r)? as usize;
                let bits = read_u32(&mut r)? as usize;
                layout.push((start, bits));
            }
            if !layout.is_empty() && layout != word_layout(indexed as usize) {
                return Err(IndexError::Format(
                    "the tables' layout does not fit the entries".into(),
                ));
            }
            (indexed as usize, layout)
        } else {
            (0, Vec::new())
        };
        // Grown as read, so that a header claiming billions of entries in a
        // short file fails as truncated rather than allocating for them.
        let mut hashes = Vec::with_capacity(n.min(1 << 20));
        let mut buf = vec![0u8; 1 << 16];
        let mut left = n;
        while left > 0 {
            let k = left.min(buf.len() / 32);
            let bytes = &mut buf[..k * 32];
            read_all(&mut r, bytes)?;
            hashes.extend(bytes.chunks_exact(32).map(|c| {
                Hash256([
                    le64(&c[0..8]),
                    le64(&c[8..16]),
                    le64(&c[16..24]),
                    le64(&c[24..32]),
                ])
            }));
            left -= k;
        }
        let mut enabled = vec![0u64; n.div_ceil(64)];
        read_words(&mut r, &mut enabled, &mut buf)?;
        let mut tables = Vec::with_capacity(layout.len());
        for &(start, bits) in &layout {
            let mut offsets = vec![0u32; (1usize << bits) + 1];
            read_u32s(&mut r, &mut offsets, &mut buf)?;
            let mut ids = vec![0u32; indexed];
            read_u32s(&mut r, &mut ids, &mut buf)?;
            // Offsets that step back or past the ids, or ids past the
            // entries, would make searches read out of bounds.
            let monotone = offsets.windows(2).all(|w| w[0] <= w[1]);
            if offsets[0] != 0
                || offsets.last().copied() != Some(indexed as u32)
                || !monotone
                || ids.iter().any(|&id| id as usize >= indexed)
            {
                return Err(IndexError::Format(format!(
                    "table at bit {start} is damaged"
                )));
            }
            tables.push(WordTable {
                start,
                bits,
                offsets,
                ids,
            });
        }
        let mut extra = [0u8; 1];
        if r.read(&mut extra)? != 0 {
            return Err(IndexError::Format(
                "there is more data after the index".into(),
            ));
        }
        let pending = hashes.split_off(indexed);
        let mut idx = MatchIndex {
            indexed: Arc::new(Indexed { hashes, tables }),
            pending,
            enabled,
        };
        if !version2 {
            idx.rebuild();
        }
        Ok(idx)
    }
}

fn le64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    u64::from_le_bytes(a)
}

/// `read_exact`, with running out of data reported as truncation.
fn read_all(r: &mut impl Read, buf: &mut [u8]) -> Result<(), IndexError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => IndexError::Format("truncated".into()),
        _ => IndexError::Io(e),
    })
}

fn read_u64(r: &mut impl Read) -> Result<u64, IndexError> {
    let mut b = [0u8; 8];
    read_all(r, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_u32(r: &mut impl Read) -> Result<u32, IndexError> {
    let mut b = [0u8; 4];
    read_all(r, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// Fills `out` from little-endian bytes, through `buf`, in one pass.
fn read_u32s(r: &mut impl Read, out: &mut [u32], buf: &mut [u8]) -> Result<(), IndexError> {
    for chunk in out.chunks_mut(buf.len() / 4) {
        let bytes = &mut buf[..chunk.len() * 4];
        read_all(r, bytes)?;
        for (v, b) in chunk.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
    }
    Ok(())
}

fn read_words(r: &mut impl Read, out: &mut [u64], buf: &mut [u8]) -> Result<(), IndexError> {
    for chunk in out.chunks_mut(buf.len() / 8) {
        let bytes = &mut buf[..chunk.len() * 8];
        read_all(r, bytes)?;
        for (v, b) in chunk.iter_mut().zip(bytes.chunks_exact(8)) {
            *v = le64(b);
        }
    }
    Ok(())
}

fn write_u32s(w: &mut impl Write, values: &[u32], buf: &mut Vec<u8>) -> Result<(), IndexError> {
    for chunk in values.chunks(1 << 14) {
        buf.clear();
        for v in chunk {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        w.write_all(buf)?;
    }
    Ok(())
}

fn write_words(w: &mut impl Write, values: &[u64], buf: &mut Vec<u8>) -> Result<(), IndexError> {
    for chunk in values.chunks(1 << 13) {
        buf.clear();
        for v in chunk {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        w.write_all(buf)?;
    }
    Ok(())
}

impl Indexed {
    /// Puts `hashes` into word tables (a counting sort per word, the words
    /// shared out among the cores), the word width chosen for their number.
    fn build(hashes: Vec<Hash256>) -> Indexed {
        let layout = word_layout(hashes.len());
        let build = |(start, bits): (usize, usize)| {
            let buckets = 1usize << bits;
            let mut offsets = vec![0u32; buckets + 1];
            for h in &hashes {
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
        Indexed { hashes, tables }
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
        assert!(
            idx.indexed.tables.len() < 16,
            "wider words for a larger list"
        );
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

    fn format_error(r: Result<MatchIndex, IndexError>) -> String {
        match r {
            Err(IndexError::Format(why)) => why,
            Err(e) => format!("other error: {e}"),
            Ok(_) => "loaded".into(),
        }
    }

    #[test]
    fn a_changed_clone_shares_the_tables_and_leaves_the_original_alone() {
        let mut s = 23;
        let hashes: Vec<Hash256> = (0..20_000).map(|_| random_hash(&mut s)).collect();
        let live = MatchIndex::from_hashes(hashes.clone());
        let mut next = live.clone();
        next.set_enabled(5, false);
        let added = random_hash(&mut s);
        let id = next.insert(added);
        // The clone cost flags and one pending hash, not the list.
        assert!(next.shares_tables_with(&live));
        assert_eq!(next.search(&hashes[5], 0), vec![]);
        assert_eq!(
            next.search(&added, 0),
            vec![Match {
                entry: id,
                distance: 0
            }]
        );
        // The index being matched against is unchanged.
        assert_eq!(
            live.search(&hashes[5], 0),
            vec![Match {
                entry: 5,
                distance: 0
            }]
        );
        assert_eq!(live.search(&added, 0), vec![]);
        assert_eq!(live.len(), 20_000);
        // A rebuild makes tables of the clone's own, with every entry.
        next.rebuild();
        assert!(!next.shares_tables_with(&live));
        assert_eq!(next.pending(), 0);
        assert_eq!(
            next.search(&added, 0),
            vec![Match {
                entry: id,
                distance: 0
            }]
        );
        assert_eq!(next.search(&hashes[5], 0), vec![]);
        assert_eq!(
            next.search(&hashes[6], 0),
            vec![Match {
                entry: 6,
                distance: 0
            }]
        );
    }

    #[test]
    fn saved_tables_load_without_rebuilding_and_damage_is_refused() {
        let mut s = 11;
        let hashes: Vec<Hash256> = (0..5000).map(|_| random_hash(&mut s)).collect();
        let mut idx = MatchIndex::from_hashes(hashes.clone());
        // Some entries pending, outside the tables.
        for _ in 0..10 {
            idx.insert(random_hash(&mut s));
        }
        idx.set_enabled(3, false);
        let mut buf = Vec::new();
        idx.save(&mut buf).unwrap();
        let loaded = MatchIndex::load(&buf[..]).unwrap();
        assert_eq!(loaded.indexed.hashes.len(), idx.indexed.hashes.len());
        assert_eq!(loaded.pending, idx.pending);
        assert_eq!(loaded.indexed.tables.len(), idx.indexed.tables.len());
        for (a, b) in loaded.indexed.tables.iter().zip(&idx.indexed.tables) {
            assert_eq!((a.start, a.bits), (b.start, b.bits));
            assert_eq!(a.offsets, b.offsets);
            assert_eq!(a.ids, b.ids);
        }
        for q in hashes.iter().take(50) {
            assert_eq!(loaded.search(q, 31), idx.search(q, 31));
        }
        assert!(loaded.search(&hashes[3], 0).is_empty());
        // Cut anywhere: truncated.
        for cut in [9, 20, 40, 1000, buf.len() / 2, buf.len() - 1] {
            assert_eq!(
                format_error(MatchIndex::load(&buf[..cut])),
                "truncated",
                "cut {cut}"
            );
        }
        // Bytes after the end.
        let mut long = buf.clone();
        long.push(0);
        assert_eq!(
            format_error(MatchIndex::load(&long[..])),
            "there is more data after the index"
        );
        // An id past the entries, in the last table's ids.
        let mut bad = buf.clone();
        let at = bad.len() - 4;
        bad[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(format_error(MatchIndex::load(&bad[..])).contains("is damaged"));
        // A layout that does not fit the entry count.
        let mut bad = buf.clone();
        bad[32..36].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(
            format_error(MatchIndex::load(&bad[..])),
            "the tables' layout does not fit the entries"
        );
    }

    #[test]
    fn version_1_files_still_load() {
        let mut s = 5;
        let hashes: Vec<Hash256> = (0..300).map(|_| random_hash(&mut s)).collect();
        let mut v1 = MAGIC_V1.to_vec();
        v1.extend_from_slice(&300u64.to_le_bytes());
        for h in &hashes {
            for w in h.0 {
                v1.extend_from_slice(&w.to_le_bytes());
            }
        }
        for _ in 0..300usize.div_ceil(64) {
            v1.extend_from_slice(&u64::MAX.to_le_bytes());
        }
        let idx = MatchIndex::load(&v1[..]).unwrap();
        assert_eq!(idx.len(), 300);
        assert_eq!(idx.search(&hashes[7], 0).len(), 1);
    }
}
