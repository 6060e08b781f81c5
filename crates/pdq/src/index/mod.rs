//! Exact Hamming-radius search over a list of PDQ hashes.
//!
//! Multi-index hashing: nine disjoint words of the hash each have a table
//! of the entries sorted by that word ([`tables`]). A neighbour within the
//! radius differs from the query in few bits in at least one word (the
//! generalised pigeonhole principle, [`tables::thresholds`]), so probing
//! each table with every variant of the query's word within its threshold
//! finds every neighbour; each candidate is then checked on all 256 bits.
//! A match is reported only from the first table where it qualifies, so no
//! visited set is needed. Radii beyond the thresholds' reach fall back to
//! a linear scan, still exact.
//!
//! A search runs in three passes (bucket bounds, entry numbers, hashes)
//! rather than following each probe to its hashes: the loads of one pass do
//! not depend on each other, so the processor has many cache misses in
//! flight at once instead of one after another.
//!
//! New entries go to a small pending list, scanned linearly, and are merged
//! into the tables when it grows, so building is incremental and amortised.
//! The tables and the hashes in them are shared, read-only, between an
//! index and its clones: a server changes a clone of the index it matches
//! against and swaps it in, and a disable or a few added entries must not
//! copy the whole list (640 MB at ten million entries) each time. A clone
//! copies only the pending hashes and the enabled flags (one bit each).

mod batch;
mod file;
mod tables;
#[cfg(test)]
mod tests;

use crate::hash256::Hash256;
use std::cell::RefCell;
use std::io;
use std::sync::Arc;
use tables::{for_each_variant, found_earlier, id_bytes, thresholds, word, word_layout, WordTable};

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

/// A search's working lists, kept per thread from one search to the next
/// (a fresh allocation of this size per search would cost page faults).
#[derive(Default)]
struct Scratch {
    /// Bucket bounds in one table: `(first, end)` positions.
    buckets: Vec<(u32, u32)>,
    /// Entry numbers found in those buckets.
    candidates: Vec<u32>,
}

/// Lookups issued together in a search's passes (see [`MatchIndex::probe`]).
const GROUP: usize = 16;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
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
                .map(WordTable::memory_bytes)
                .sum::<usize>()
    }

    /// Puts every entry into the word tables, choosing the word width for
    /// the list's size. The tables are new: clones made before keep the
    /// old ones.
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
        match thresholds(radius, tables.len()) {
            Some(limits) => SCRATCH.with(|s| match s.try_borrow_mut() {
                Ok(mut s) => self.probe(query, radius, &limits, &mut s, &mut out),
                // Only if a search ran inside a search: give it its own.
                Err(_) => self.probe(query, radius, &limits, &mut Scratch::default(), &mut out),
            }),
            None => self.scan(query, radius, hashes, 0, &mut out),
        }
        self.scan(query, radius, &self.pending, hashes.len(), &mut out);
        out.sort_by_key(|m| (m.distance, m.entry));
        out
    }

    /// Searches the tables, each with the variants of the query's word
    /// within its threshold in `limits`.
    fn probe(
        &self,
        query: &Hash256,
        radius: u32,
        limits: &[i32],
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let Indexed { hashes, tables } = self.indexed.as_ref();
        let width = id_bytes(hashes.len());
        let qwords: Vec<u32> = tables
            .iter()
            .map(|t| word(query, t.start, t.bits))
            .collect();
        for (w, table) in tables.iter().enumerate() {
            // Pass 1: the bounds of every bucket probed.
            scratch.buckets.clear();
            for_each_variant(qwords[w], table.bits, limits[w], |v| {
                let (lo, hi) = table.bucket(v);
                if lo < hi {
                    scratch.buckets.push((lo as u32, hi as u32));
                }
            });
            // Pass 2: the entry numbers in them, a group of buckets at a
            // time: the first number of each is read before any is used, so
            // their cache misses overlap.
            scratch.candidates.clear();
            for group in scratch.buckets.chunks(GROUP) {
                let mut first = [0u32; GROUP];
                for (f, &(lo, _)) in first.iter_mut().zip(group) {
                    *f = table.id(lo as usize, width).unwrap_or(u32::MAX);
                }
                for (&f, &(lo, hi)) in first.iter().zip(group) {
                    scratch.candidates.push(f);
                    scratch
                        .candidates
                        .extend((lo as usize + 1..hi as usize).filter_map(|k| table.id(k, width)));
                }
            }
            // Pass 3: their hashes, checked on all bits, a group at a time
            // in the same way.
            for group in scratch.candidates.chunks(GROUP) {
                let mut first = [0u64; GROUP];
                for (f, &id) in first.iter_mut().zip(group) {
                    *f = hashes.get(id as usize).map_or(0, |h| h.0[0]);
                }
                for (&f, &id) in first.iter().zip(group) {
                    let Some(h) = hashes.get(id as usize) else {
                        continue;
                    };
                    let d = (f ^ query.0[0]).count_ones()
                        + (h.0[1] ^ query.0[1]).count_ones()
                        + (h.0[2] ^ query.0[2]).count_ones()
                        + (h.0[3] ^ query.0[3]).count_ones();
                    if d > radius {
                        continue;
                    }
                    if !found_earlier(h, &tables[..w], &qwords, limits) && self.is_enabled(id) {
                        out.push(Match {
                            entry: id,
                            distance: d,
                        });
                    }
                }
            }
        }
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
}

impl Indexed {
    /// Puts `hashes` into word tables (one counting sort per word, the
    /// words shared out among the cores), the word width chosen for their
    /// number.
    fn build(hashes: Vec<Hash256>) -> Indexed {
        let layout = word_layout(hashes.len());
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(layout.len())
            .max(1);
        let per_thread = layout.len().div_ceil(threads);
        let mut tables: Vec<WordTable> = vec![WordTable::default(); layout.len()];
        std::thread::scope(|s| {
            for (chunk, words) in tables.chunks_mut(per_thread).zip(layout.chunks(per_thread)) {
                let hashes = &hashes;
                s.spawn(move || {
                    for (table, &(start, bits)) in chunk.iter_mut().zip(words) {
                        *table = WordTable::build(hashes, start, bits);
                    }
                });
            }
        });
        Indexed { hashes, tables }
    }
}
