//! The in-memory index partners match against: PDQ hashes in an exact
//! multi-index, MD5 and SHA-256 in hash maps. Built from the store at start
//! and kept in step as analysts add, disable and re-enable entries, so a
//! match never waits for a rebuild.

use haven_pdq::{Hash256, MatchIndex};
use haven_store::HashEntry;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One match, as the API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListMatch {
    /// The list's name.
    pub list: String,
    /// The entry's identifier.
    pub entry: String,
    /// Hamming distance (0 for exact digests).
    pub distance: u32,
    /// The entry's classification.
    pub category: String,
    /// Where the entry came from.
    pub source: String,
    /// For an entry received from a trusted peer: that node's name here
    /// (the list is then the origin's copy); null for this node's own.
    pub origin: Option<String>,
}

#[derive(Clone)]
struct Meta {
    id: String,
    list: String,
    /// Shared among the entries that have the same words.
    category: Arc<str>,
    source: Arc<str>,
    origin: Option<Arc<str>>,
    pdq_slot: Option<u32>,
}

/// Entries in the order they were added, with their lookups; positions
/// are counted over the whole index.
#[derive(Default, Clone)]
struct Entries {
    meta: Vec<Meta>,
    /// The entry of each PDQ slot.
    pdq_owner: Vec<usize>,
    md5: HashMap<String, Vec<usize>>,
    sha256: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl Entries {
    fn append(&mut self, more: &Entries) {
        self.meta.extend_from_slice(&more.meta);
        self.pdq_owner.extend_from_slice(&more.pdq_owner);
        for (map, more) in [(&mut self.md5, &more.md5), (&mut self.sha256, &more.sha256)] {
            for (k, v) in more {
                map.entry(k.clone()).or_default().extend_from_slice(v);
            }
        }
        self.by_id
            .extend(more.by_id.iter().map(|(k, v)| (k.clone(), *v)));
    }
}

/// All entries of all lists, ready to match. Cloned to build the next
/// index beside the one matches use (see `AppState::update_lists`): the
/// bulk of it (the PDQ tables and the entries added before the last
/// consolidation) is shared with the clone, so a disable or a few added
/// entries cost their own size and the enabled flags, never a copy of the
/// whole list.
#[derive(Default, Clone)]
pub struct ListIndex {
    /// The place in the store's change feed this index has caught up to.
    pub generation: i64,
    pdq: MatchIndex,
    /// Entries `0..settled.meta.len()`, never changed (only replaced).
    settled: Arc<Entries>,
    /// The entries after them.
    recent: Entries,
    /// One bit per entry.
    enabled: Vec<u64>,
    /// Categories and sources, each kept once however many entries share it.
    words: HashSet<Arc<str>>,
}

impl ListIndex {
    /// Builds the index from every stored entry.
    pub fn build(entries: &[HashEntry]) -> ListIndex {
        let mut idx = ListIndex::default();
        for e in entries {
            idx.add(e);
        }
        idx.pdq.rebuild();
        idx.consolidate();
        idx
    }

    fn meta(&self, i: usize) -> Option<&Meta> {
        let n = self.settled.meta.len();
        if i < n {
            self.settled.meta.get(i)
        } else {
            self.recent.meta.get(i - n)
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.settled
            .by_id
            .get(id)
            .or_else(|| self.recent.by_id.get(id))
            .copied()
    }

    fn owner(&self, slot: u32) -> Option<usize> {
        let n = self.settled.pdq_owner.len();
        let s = slot as usize;
        if s < n {
            self.settled.pdq_owner.get(s).copied()
        } else {
            self.recent.pdq_owner.get(s - n).copied()
        }
    }

    fn is_enabled(&self, i: usize) -> bool {
        self.enabled
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    fn flag(&mut self, i: usize, enabled: bool) {
        while self.enabled.len() * 64 <= i {
            self.enabled.push(0);
        }
        if enabled {
            self.enabled[i / 64] |= 1 << (i % 64);
        } else {
            self.enabled[i / 64] &= !(1 << (i % 64));
        }
    }

    /// Adds (or updates the state of) an entry.
    pub fn add(&mut self, e: &HashEntry) {
        if self.position(&e.id).is_some() {
            self.set_enabled(&e.id, e.enabled);
            return;
        }
        let i = self.len();
        let pdq_slot = e
            .pdq
            .as_deref()
            .and_then(|h| h.parse::<Hash256>().ok())
            .map(|h| {
                let slot = self.pdq.insert(h);
                self.recent.pdq_owner.push(i);
                if !e.enabled {
                    self.pdq.set_enabled(slot, false);
                }
                slot
            });
        if let Some(m) = &e.md5 {
            self.recent.md5.entry(m.clone()).or_default().push(i);
        }
        if let Some(s) = &e.sha256 {
            self.recent.sha256.entry(s.clone()).or_default().push(i);
        }
        self.recent.by_id.insert(e.id.clone(), i);
        let category = self.word(&e.category);
        let source = self.word(&e.source);
        let origin = e.origin.as_ref().map(|o| self.word(&o.node));
        self.recent.meta.push(Meta {
            id: e.id.clone(),
            list: e.list.clone(),
            category,
            source,
            origin,
            pdq_slot,
        });
        self.flag(i, e.enabled);
    }

    /// The one shared copy of `w`.
    fn word(&mut self, w: &str) -> Arc<str> {
        if let Some(known) = self.words.get(w) {
            return known.clone();
        }
        let shared: Arc<str> = Arc::from(w);
        self.words.insert(shared.clone());
        shared
    }

    /// Puts the PDQ hashes added since the last rebuild into the tables
    /// when more than a few are pending (each match scans those linearly),
    /// and the recent entries with the settled ones when they are many
    /// (each clone copies the recent ones).
    pub fn settle(&mut self) {
        if self.pdq.pending() > 1024 {
            self.pdq.rebuild();
        }
        if self.recent.meta.len() > 1024.max(self.settled.meta.len() / 8) {
            self.consolidate();
        }
    }

    /// Moves the recent entries into a new settled part (clones keep the
    /// old one).
    fn consolidate(&mut self) {
        if self.recent.meta.is_empty() {
            return;
        }
        let mut all = (*self.settled).clone();
        all.append(&self.recent);
        self.settled = Arc::new(all);
        self.recent = Entries::default();
    }

    /// Whether this index and `other` share their bulk (one is a clone of
    /// the other, changed only a little since).
    pub fn shares_bulk_with(&self, other: &ListIndex) -> bool {
        Arc::ptr_eq(&self.settled, &other.settled) && self.pdq.shares_tables_with(&other.pdq)
    }

    /// How many entries the index holds (enabled or not).
    pub fn len(&self) -> usize {
        self.settled.meta.len() + self.recent.meta.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Enables or disables an entry without rebuilding.
    pub fn set_enabled(&mut self, id: &str, enabled: bool) {
        if let Some(i) = self.position(id) {
            self.flag(i, enabled);
            if let Some(slot) = self.meta(i).and_then(|m| m.pdq_slot) {
                self.pdq.set_enabled(slot, enabled);
            }
        }
    }

    fn answer(&self, i: usize, distance: u32) -> Option<ListMatch> {
        self.meta(i).map(|m| ListMatch {
            list: m.list.clone(),
            entry: m.id.clone(),
            distance,
            category: m.category.to_string(),
            source: m.source.to_string(),
            origin: m.origin.as_deref().map(str::to_string),
        })
    }

    /// Enabled entries within `radius` of a PDQ hash, nearest first.
    pub fn match_pdq(&self, hash: &Hash256, radius: u32) -> Vec<ListMatch> {
        self.answers(self.pdq.search(hash, radius))
    }

    /// [`ListIndex::match_pdq`] for many hashes at once, one list each in
    /// order: the same answers, found with sorted lookups, several times
    /// faster for a batch than one search after another.
    pub fn match_pdq_many(&self, hashes: &[Hash256], radius: u32) -> Vec<Vec<ListMatch>> {
        self.pdq
            .search_many(hashes, radius)
            .into_iter()
            .map(|found| self.answers(found))
            .collect()
    }

    fn answers(&self, found: Vec<haven_pdq::Match>) -> Vec<ListMatch> {
        found
            .into_iter()
            .filter_map(|m| self.owner(m.entry).and_then(|i| self.answer(i, m.distance)))
            .collect()
    }

    fn exact(
        &self,
        digest: &str,
        map: impl Fn(&Entries) -> &HashMap<String, Vec<usize>>,
    ) -> Vec<ListMatch> {
        [self.settled.as_ref(), &self.recent]
            .into_iter()
            .filter_map(|part| map(part).get(digest))
            .flatten()
            .filter(|&&i| self.is_enabled(i))
            .filter_map(|&i| self.answer(i, 0))
            .collect()
    }

    /// Enabled entries with this MD5.
    pub fn match_md5(&self, md5: &str) -> Vec<ListMatch> {
        self.exact(md5, |p| &p.md5)
    }

    /// Enabled entries with this SHA-256.
    pub fn match_sha256(&self, sha256: &str) -> Vec<ListMatch> {
        self.exact(sha256, |p| &p.sha256)
    }
}
