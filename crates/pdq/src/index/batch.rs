//! Many queries at once, for a partner's batch of hashes or a whole file.
//!
//! One query's lookups land on random places in tables and hashes of
//! hundreds of megabytes: each is a cache miss, and a search waits on tens
//! of thousands of them. A batch makes the same lookups, but sorted: every
//! table's probes by bucket, then every candidate by entry number, so each
//! pass walks its array in one direction and the processor's prefetcher
//! fetches ahead. Same results as [`MatchIndex::search`] for each query.

use super::tables::{for_each_variant, found_earlier, id_bytes, thresholds, word};
use super::{Indexed, Match, MatchIndex};
use crate::hash256::Hash256;

/// Queries searched together: enough for the sorted candidates to touch
/// most cache lines of the hashes in turn (so the sweep reads them ahead),
/// few enough that a table's candidates stay in tens of megabytes (about
/// 35 MB, twice, for 1,024 queries at ten million hashes).
const CHUNK: usize = 1024;

impl MatchIndex {
    /// Every enabled entry within `radius` of each query, nearest first,
    /// one list per query in order: what [`MatchIndex::search`] answers for
    /// each, found with sorted rather than random lookups.
    pub fn search_many(&self, queries: &[Hash256], radius: u32) -> Vec<Vec<Match>> {
        let Indexed { hashes, tables } = self.indexed.as_ref();
        let Some(limits) = thresholds(radius, tables.len()) else {
            return queries.iter().map(|q| self.search(q, radius)).collect();
        };
        let mut out: Vec<Vec<Match>> = vec![Vec::new(); queries.len()];
        let width = id_bytes(hashes.len());
        let mut probes: Vec<u64> = Vec::new();
        let mut candidates: Vec<u64> = Vec::new();
        let mut spare: Vec<u64> = Vec::new();
        for (c, chunk) in queries.chunks(CHUNK).enumerate() {
            let first = c * CHUNK;
            let qwords: Vec<Vec<u32>> = chunk
                .iter()
                .map(|q| tables.iter().map(|t| word(q, t.start, t.bits)).collect())
                .collect();
            for (w, table) in tables.iter().enumerate() {
                // Every probe of every query, as (bucket, query), by bucket.
                probes.clear();
                for (i, qw) in qwords.iter().enumerate() {
                    for_each_variant(qw[w], table.bits, limits[w], |v| {
                        probes.push(u64::from(v) << 32 | i as u64);
                    });
                }
                radix_sort_high(&mut probes, &mut spare, table.bits);
                // Their entries, as (entry, query), by entry.
                candidates.clear();
                for &p in &probes {
                    let (lo, hi) = table.bucket((p >> 32) as u32);
                    let i = p & 0xffff_ffff;
                    candidates.extend(
                        (lo..hi)
                            .filter_map(|k| table.id(k, width).map(|id| u64::from(id) << 32 | i)),
                    );
                }
                let id_bits = (usize::BITS - hashes.len().leading_zeros()) as usize;
                radix_sort_high(&mut candidates, &mut spare, id_bits);
                for &cand in &candidates {
                    let (id, i) = ((cand >> 32) as u32, (cand & 0xffff_ffff) as usize);
                    let (Some(h), Some(query), Some(qw)) =
                        (hashes.get(id as usize), chunk.get(i), qwords.get(i))
                    else {
                        continue;
                    };
                    let d = h.distance(query);
                    if d > radius {
                        continue;
                    }
                    if !found_earlier(h, &tables[..w], qw, &limits) && self.is_enabled(id) {
                        out[first + i].push(Match {
                            entry: id,
                            distance: d,
                        });
                    }
                }
            }
        }
        for (q, found) in queries.iter().zip(&mut out) {
            self.scan(q, radius, &self.pending, hashes.len(), found);
            found.sort_by_key(|m| (m.distance, m.entry));
        }
        out
    }
}

/// Sorts by the upper 32 bits, of which only the low `bits` may be set:
/// least significant digit first, stable, with digits of at most 8 bits
/// (more than 256 places to scatter to at once would miss the caches).
fn radix_sort_high(keys: &mut Vec<u64>, spare: &mut Vec<u64>, bits: usize) {
    let passes = bits.clamp(1, 32).div_ceil(8);
    let digit = bits.clamp(1, 32).div_ceil(passes);
    let mask = (1u64 << digit) - 1;
    for pass in 0..passes {
        let shift = 32 + pass * digit;
        let mut counts = [0usize; 256];
        for &k in keys.iter() {
            counts[((k >> shift) & mask) as usize] += 1;
        }
        let mut total = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = total;
            total += n;
        }
        // Every place is written below: only the length matters.
        spare.resize(keys.len(), 0);
        for &k in keys.iter() {
            let d = ((k >> shift) & mask) as usize;
            spare[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(keys, spare);
    }
}
