//! The index against brute force, its file format, and its clones.

use super::tables::{thresholds, word, word_layout, MAX_WORD_BITS, MIN_WORD_BITS, TABLES};
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
fn word_layouts_are_disjoint_and_widen_with_the_list() {
    let mut last = 0;
    for n in [0, 1, 1000, 70_000, 10_000_000, usize::MAX / 2] {
        let layout = word_layout(n);
        assert_eq!(layout.len(), TABLES);
        let mut next = 0;
        for (start, bits) in &layout {
            assert!(*start >= next, "words overlap for n = {n}");
            assert!((MIN_WORD_BITS..=MAX_WORD_BITS).contains(bits));
            next = start + bits;
        }
        assert!(next <= 256);
        assert!(layout[0].1 >= last);
        last = layout[0].1;
    }
    assert_eq!(word_layout(10_000_000)[0].1, 22);
    let mut h = Hash256::ZERO;
    h.set_bit(63);
    h.set_bit(64);
    assert_eq!(word(&h, 60, 8), 0b0001_1000);
}

#[test]
fn thresholds_reach_every_neighbour_and_no_further() {
    for radius in 0..=35 {
        let t = thresholds(radius, TABLES).unwrap();
        assert_eq!(t.iter().map(|t| t + 1).sum::<i32>(), radius as i32 + 1);
        assert!(t.iter().all(|&t| (-1..=3).contains(&t)));
    }
    assert_eq!(
        thresholds(31, TABLES).unwrap(),
        vec![3, 3, 3, 3, 3, 2, 2, 2, 2]
    );
    assert_eq!(
        thresholds(36, TABLES),
        None,
        "beyond three flips a word: scan"
    );
    assert_eq!(thresholds(31, 0), None);
}

#[test]
fn many_equal_hashes_share_one_bucket() {
    // More equal hashes than an 8-bit bucket start can count within a block.
    let mut s = 99;
    let same = random_hash(&mut s);
    let mut hashes = vec![same; 70_000];
    hashes.extend((0..1000).map(|_| random_hash(&mut s)));
    let idx = MatchIndex::from_hashes(hashes.clone());
    assert!(idx.indexed.tables.iter().all(|t| t.shift == 0));
    assert_eq!(idx.search(&same, 0).len(), 70_000);
    let other = hashes[70_500];
    assert_eq!(idx.search(&other, 31), brute(&hashes, &other, 31));
    let mut buf = Vec::new();
    idx.save(&mut buf).unwrap();
    assert_eq!(
        MatchIndex::load(&buf[..]).unwrap().search(&same, 3).len(),
        70_000
    );
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
        idx.indexed.tables[0].bits > MIN_WORD_BITS + 6,
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
    assert_eq!(loaded.indexed.tables, idx.indexed.tables);
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
    bad[at..at + 3].copy_from_slice(&[0xff; 3]);
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
    let mut v1 = b"HVNPDQI1".to_vec();
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

#[test]
fn version_2_files_load_and_their_tables_are_rebuilt() {
    let mut s = 6;
    let hashes: Vec<Hash256> = (0..300).map(|_| random_hash(&mut s)).collect();
    let mut v2 = b"HVNPDQI2".to_vec();
    for v in [300u64, 300, 2] {
        v2.extend_from_slice(&v.to_le_bytes());
    }
    for (start, bits) in [(0u32, 16u32), (16, 16)] {
        v2.extend_from_slice(&start.to_le_bytes());
        v2.extend_from_slice(&bits.to_le_bytes());
    }
    for h in &hashes {
        for w in h.0 {
            v2.extend_from_slice(&w.to_le_bytes());
        }
    }
    for _ in 0..300usize.div_ceil(64) {
        v2.extend_from_slice(&u64::MAX.to_le_bytes());
    }
    let tables = vec![0u8; 2 * ((1 << 16) + 1 + 300) * 4];
    v2.extend_from_slice(&tables);
    let idx = MatchIndex::load(&v2[..]).unwrap();
    assert_eq!(idx.len(), 300);
    assert_eq!(idx.indexed.tables.len(), TABLES);
    assert_eq!(idx.search(&hashes[7], 31), brute(&hashes, &hashes[7], 31));
    assert_eq!(
        format_error(MatchIndex::load(&v2[..v2.len() - 1])),
        "truncated"
    );
}

#[test]
fn a_batch_finds_what_each_search_finds() {
    let mut s = 0x5eed;
    let mut hashes: Vec<Hash256> = (0..30_000).map(|_| random_hash(&mut s)).collect();
    let mut queries: Vec<Hash256> = (0..300).map(|_| random_hash(&mut s)).collect();
    for (i, q) in queries.iter().enumerate() {
        hashes.push(flip_bits(*q, i % 41, &mut s));
    }
    // A query given twice, and one equal to a listed hash.
    queries.push(queries[3]);
    queries.push(hashes[17]);
    let mut idx = MatchIndex::from_hashes(hashes[..25_000].to_vec());
    for h in &hashes[25_000..] {
        idx.insert(*h);
    }
    assert!(idx.pending() > 0, "some entries outside the tables");
    idx.set_enabled(17, false);
    for radius in [0, 10, 31, 35, 40] {
        let each: Vec<Vec<Match>> = queries.iter().map(|q| idx.search(q, radius)).collect();
        assert_eq!(idx.search_many(&queries, radius), each, "radius {radius}");
    }
    let found = idx.search_many(&queries, 31);
    assert!(found.iter().filter(|m| !m.is_empty()).count() > 150);
    assert!(found[301].is_empty(), "a disabled entry is not matched");
    assert!(idx.search_many(&[], 31).is_empty());
    assert_eq!(
        MatchIndex::new().search_many(&queries[..2], 31),
        vec![vec![], vec![]]
    );
}

#[test]
fn a_file_loads_in_parallel_as_it_loads_in_one_stream() {
    let mut s = 31;
    let hashes: Vec<Hash256> = (0..20_000).map(|_| random_hash(&mut s)).collect();
    let mut idx = MatchIndex::from_hashes(hashes.clone());
    for _ in 0..10 {
        idx.insert(random_hash(&mut s));
    }
    idx.set_enabled(4, false);
    let mut buf = Vec::new();
    idx.save(&mut buf).unwrap();
    let dir = std::env::temp_dir().join(format!("haven-pdq-index-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("list.idx");
    std::fs::write(&path, &buf).unwrap();
    let loaded = MatchIndex::load_file(&path).unwrap();
    assert_eq!(loaded.indexed.tables, idx.indexed.tables);
    assert_eq!(loaded.indexed.hashes, idx.indexed.hashes);
    assert_eq!(loaded.pending, idx.pending);
    assert!(!loaded.is_enabled(4) && loaded.is_enabled(5));
    for q in hashes.iter().take(20) {
        assert_eq!(loaded.search(q, 31), idx.search(q, 31));
    }
    // The same refusals as from a stream.
    std::fs::write(&path, &buf[..buf.len() - 1]).unwrap();
    assert_eq!(format_error(MatchIndex::load_file(&path)), "truncated");
    let mut long = buf.clone();
    long.push(0);
    std::fs::write(&path, &long).unwrap();
    assert_eq!(
        format_error(MatchIndex::load_file(&path)),
        "there is more data after the index"
    );
    let mut bad = buf.clone();
    let at = bad.len() - 4;
    bad[at..at + 3].copy_from_slice(&[0xff; 3]);
    std::fs::write(&path, &bad).unwrap();
    assert!(format_error(MatchIndex::load_file(&path)).contains("is damaged"));
    // An earlier version goes through the stream reader.
    let mut v1 = b"HVNPDQI1".to_vec();
    v1.extend_from_slice(&2u64.to_le_bytes());
    for h in &hashes[..2] {
        for w in h.0 {
            v1.extend_from_slice(&w.to_le_bytes());
        }
    }
    v1.extend_from_slice(&u64::MAX.to_le_bytes());
    std::fs::write(&path, &v1).unwrap();
    assert_eq!(MatchIndex::load_file(&path).unwrap().len(), 2);
    assert!(matches!(
        MatchIndex::load_file(&dir.join("missing.idx")),
        Err(IndexError::Io(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
