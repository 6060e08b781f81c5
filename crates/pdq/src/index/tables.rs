//! The word tables of the multi-index: for each of [`TABLES`] disjoint
//! words of the hash, the entries sorted by that word's value.
//!
//! Memory is what limits a national list (ten million hashes and more), so
//! a table is kept small:
//! - entry numbers take 3 bytes while the list has fewer than 2^24 entries
//!   (4 beyond);
//! - a bucket's start is an 8-bit count within its block of 64 buckets
//!   plus one 32-bit start per block, instead of 32 bits per bucket;
//! - words are as wide as the list is long, less 2 bits, so a bucket holds
//!   about two to four entries and the bucket starts cost under half a
//!   byte per entry.
//!
//! Nine tables at 3 bytes an entry leave the whole index under 64 bytes a
//! hash at ten million (32 of them the hash itself). The words need not
//! cover all 256 bits: the pigeonhole argument only needs them disjoint
//! (see [`thresholds`]).

use crate::hash256::Hash256;

/// How many word tables an index keeps.
pub(super) const TABLES: usize = 9;
/// Largest per-word flip count we enumerate: beyond it a search scans.
const MAX_WORD_FLIPS: i32 = 3;
/// Narrowest and widest words.
pub(super) const MIN_WORD_BITS: usize = 8;
pub(super) const MAX_WORD_BITS: usize = 24;
/// Buckets per block of bucket starts (as a shift), at most.
const MAX_BLOCK_SHIFT: u32 = 6;

/// One word's table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct WordTable {
    /// First bit of the word in the hash.
    pub start: usize,
    /// Width of the word in bits.
    pub bits: usize,
    /// Buckets per block, as a shift: 6, or less when a block would hold
    /// more than 255 entries (a list near the next word width, or many
    /// equal hashes).
    pub shift: u32,
    /// Where each block's entries start in `ids` (one more than the
    /// blocks, the last being the entry count).
    pub base: Vec<u32>,
    /// Where each bucket's entries start, counted from its block's start
    /// (one more than the buckets, the last 0).
    pub rel: Vec<u8>,
    /// Entry numbers, `id_bytes` each, little-endian, sorted by word
    /// value; one byte of padding after them so that a 3-byte number is
    /// read as 4 bytes and masked.
    pub ids: Vec<u8>,
}

/// Bytes an entry number takes for a list of `n` entries.
pub(super) fn id_bytes(n: usize) -> usize {
    if n <= 1 << 24 {
        3
    } else {
        4
    }
}

/// Length of a table's `ids` for `n` entries.
pub(super) fn ids_len(n: usize) -> usize {
    n * id_bytes(n) + 1
}

/// The words for a list of `n` hashes: `(first bit, width)`, [`TABLES`]
/// of them, disjoint, spread over the 256 bits.
pub(super) fn word_layout(n: usize) -> Vec<(usize, usize)> {
    let len = (usize::BITS - n.max(1).leading_zeros()) as usize;
    let bits = len.saturating_sub(2).clamp(MIN_WORD_BITS, MAX_WORD_BITS);
    (0..TABLES).map(|i| (i * 256 / TABLES, bits)).collect()
}

/// How many bits each table's word may differ by for a search within
/// `radius` to find every neighbour through some table, or `None` when a
/// table would need more than [`MAX_WORD_FLIPS`] (the search then scans).
///
/// The generalised pigeonhole principle: if a neighbour differed from the
/// query in more than `t_i` bits in every word `i`, it would differ in at
/// least `Σ (t_i + 1)` bits in all, since the words are disjoint. So
/// thresholds with `Σ (t_i + 1) = radius + 1` miss nothing. A threshold of
/// −1 means the table is not probed at all (a small radius needs few
/// tables). Radius 31 over nine tables: five at 3 flips and four at 2.
pub(super) fn thresholds(radius: u32, tables: usize) -> Option<Vec<i32>> {
    if tables == 0 {
        return None;
    }
    let budget = radius as usize + 1;
    let (each, extra) = (budget / tables, budget % tables);
    let t: Vec<i32> = (0..tables)
        .map(|i| (each + usize::from(i < extra)) as i32 - 1)
        .collect();
    t.iter().all(|&t| t <= MAX_WORD_FLIPS).then_some(t)
}

/// Bits `start..start + bits` of a hash (bit k is bit k % 64 of word k / 64).
pub(super) fn word(h: &Hash256, start: usize, bits: usize) -> u32 {
    let w = start / 64;
    let off = start % 64;
    let mut v = h.0[w] >> off;
    if off + bits > 64 && w + 1 < 4 {
        v |= h.0[w + 1] << (64 - off);
    }
    (v & ((1u64 << bits) - 1)) as u32
}

/// Calls `f` with every `bits`-bit value within `flips` bits of `v`.
pub(super) fn for_each_variant(v: u32, bits: usize, flips: i32, mut f: impl FnMut(u32)) {
    if flips < 0 {
        return;
    }
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

impl WordTable {
    /// The table of one word over `hashes` (a counting sort by its value).
    pub fn build(hashes: &[Hash256], start: usize, bits: usize) -> WordTable {
        let n = hashes.len();
        let buckets = 1usize << bits;
        let mut starts = vec![0u32; buckets + 1];
        for h in hashes {
            starts[word(h, start, bits) as usize + 1] += 1;
        }
        for v in 0..buckets {
            starts[v + 1] += starts[v];
        }
        let width = id_bytes(n);
        let mut ids = vec![0u8; ids_len(n)];
        let mut next = starts.clone();
        for (i, h) in hashes.iter().enumerate() {
            let slot = &mut next[word(h, start, bits) as usize];
            let at = *slot as usize * width;
            ids[at..at + width].copy_from_slice(&(i as u32).to_le_bytes()[..width]);
            *slot += 1;
        }
        drop(next);
        // The widest blocks whose entries an 8-bit count can reach.
        let mut shift = MAX_BLOCK_SHIFT.min(bits as u32);
        while shift > 0
            && (0..buckets >> shift)
                .any(|b| starts[(b + 1) << shift] - starts[b << shift] > u32::from(u8::MAX))
        {
            shift -= 1;
        }
        let base: Vec<u32> = (0..=buckets >> shift).map(|b| starts[b << shift]).collect();
        let rel = starts
            .iter()
            .enumerate()
            .map(|(v, &s)| (s - base[v >> shift]) as u8)
            .collect();
        WordTable {
            start,
            bits,
            shift,
            base,
            rel,
            ids,
        }
    }

    /// Where bucket `v`'s entries start in the table (`v` may be one past
    /// the last bucket: the end).
    #[inline]
    fn bucket_start(&self, v: usize) -> Option<usize> {
        let base = *self.base.get(v >> self.shift)?;
        let rel = *self.rel.get(v)?;
        Some(base as usize + rel as usize)
    }

    /// The positions in the table of the entries whose word is `v`.
    #[inline]
    pub fn bucket(&self, v: u32) -> (usize, usize) {
        let v = v as usize;
        match (self.bucket_start(v), self.bucket_start(v + 1)) {
            (Some(lo), Some(hi)) if lo <= hi => (lo, hi),
            _ => (0, 0),
        }
    }

    /// The entry number at position `k`, for a table of `n` entries.
    #[inline]
    pub fn id(&self, k: usize, width: usize) -> Option<u32> {
        let at = k * width;
        let b: [u8; 4] = self.ids.get(at..at + 4)?.try_into().ok()?;
        let v = u32::from_le_bytes(b);
        Some(if width == 3 { v & 0x00ff_ffff } else { v })
    }

    /// Bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.base.capacity() * 4 + self.rel.capacity() + self.ids.capacity()
    }

    /// Whether the table is consistent with `n` entries: every bucket
    /// inside the ids and after the one before, every entry number below
    /// `n`. A damaged file fails here rather than in a search.
    pub fn check(&self, n: usize) -> bool {
        let buckets = 1usize << self.bits;
        let width = id_bytes(n);
        self.shift <= MAX_BLOCK_SHIFT
            && self.base.len() == (buckets >> self.shift) + 1
            && self.rel.len() == buckets + 1
            && self.ids.len() == ids_len(n)
            && self.base.first() == Some(&0)
            && self.base.last().copied() == Some(n as u32)
            && self.rel.last() == Some(&0)
            && self.base.windows(2).all(|w| w[0] <= w[1])
            && (0..buckets).all(|v| {
                matches!((self.bucket_start(v), self.bucket_start(v + 1)), (Some(a), Some(b)) if a <= b)
            })
            && self.largest_id(n, width).is_none_or(|id| (id as usize) < n)
    }

    /// The largest entry number in the table (one pass a compiler can
    /// vectorise: the check of a ten-million-entry file's tables is part of
    /// its load time).
    fn largest_id(&self, n: usize, width: usize) -> Option<u32> {
        let ids = self.ids.get(..n * width)?;
        ids.chunks_exact(width)
            .map(|c| c.iter().rev().fold(0u32, |v, &b| v << 8 | u32::from(b)))
            .max()
    }
}

/// Whether a candidate `h` qualifies in one of `tables` (those probed
/// before the current one, with the query's words `qwords` and their
/// thresholds `limits`): it was reported from there, so is not again.
#[inline]
pub(super) fn found_earlier(
    h: &Hash256,
    tables: &[WordTable],
    qwords: &[u32],
    limits: &[i32],
) -> bool {
    tables
        .iter()
        .zip(qwords)
        .zip(limits)
        .any(|((t, q), &limit)| {
            limit >= 0 && (word(h, t.start, t.bits) ^ q).count_ones() as i32 <= limit
        })
}
