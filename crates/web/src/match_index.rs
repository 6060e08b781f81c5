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
    enabled: bool,
    pdq_slot: Option<u32>,
}

/// All entries of all lists, ready to match. Cloned to build the next
/// index beside the one matches use (see `AppState::update_lists`).
#[derive(Default, Clone)]
pub struct ListIndex {
    /// The place in the store's change feed this index has caught up to.
    pub generation: i64,
    pdq: MatchIndex,
    meta: Vec<Meta>,
    pdq_owner: Vec<usize>,
    md5: HashMap<String, Vec<usize>>,
    sha256: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
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
        idx
    }

    /// Adds (or updates the state of) an entry.
    pub fn add(&mut self, e: &HashEntry) {
        if let Some(&i) = self.by_id.get(&e.id) {
            self.set_enabled(&e.id, e.enabled);
            let _ = i;
            return;
        }
        let i = self.meta.len();
        let pdq_slot = e
            .pdq
            .as_deref()
            .and_then(|h| h.parse::<Hash256>().ok())
            .map(|h| {
                let slot = self.pdq.insert(h);
                self.pdq_owner.push(i);
                if !e.enabled {
                    self.pdq.set_enabled(slot, false);
                }
                slot
            });
        if let Some(m) = &e.md5 {
            self.md5.entry(m.clone()).or_default().push(i);
        }
        if let Some(s) = &e.sha256 {
            self.sha256.entry(s.clone()).or_default().push(i);
        }
        self.by_id.insert(e.id.clone(), i);
        let category = self.word(&e.category);
        let source = self.word(&e.source);
        let origin = e.origin.as_ref().map(|o| self.word(&o.node));
        self.meta.push(Meta {
            id: e.id.clone(),
            list: e.list.clone(),
            category,
            source,
            origin,
            enabled: e.enabled,
            pdq_slot,
        });
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
    /// when more than a few are pending (each match scans those linearly).
    pub fn settle(&mut self) {
        if self.pdq.pending() > 1024 {
            self.pdq.rebuild();
        }
    }

    /// How many entries the index holds (enabled or not).
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Enables or disables an entry without rebuilding.
    pub fn set_enabled(&mut self, id: &str, enabled: bool) {
        if let Some(&i) = self.by_id.get(id) {
            self.meta[i].enabled = enabled;
            if let Some(slot) = self.meta[i].pdq_slot {
                self.pdq.set_enabled(slot, enabled);
            }
        }
    }

    /// Enabled entries within `radius` of a PDQ hash, nearest first.
    pub fn match_pdq(&self, hash: &Hash256, radius: u32) -> Vec<ListMatch> {
        self.pdq
            .search(hash, radius)
            .into_iter()
            .filter_map(|m| {
                self.pdq_owner
                    .get(m.entry as usize)
                    .map(|&i| (i, m.distance))
            })
            .map(|(i, d)| ListMatch {
                list: self.meta[i].list.clone(),
                entry: self.meta[i].id.clone(),
                distance: d,
                category: self.meta[i].category.to_string(),
                source: self.meta[i].source.to_string(),
                origin: self.meta[i].origin.as_deref().map(str::to_string),
            })
            .collect()
    }

    fn exact(&self, map: &HashMap<String, Vec<usize>>, digest: &str) -> Vec<ListMatch> {
        map.get(digest)
            .map(|v| {
                v.iter()
                    .filter(|&&i| self.meta[i].enabled)
                    .map(|&i| ListMatch {
                        list: self.meta[i].list.clone(),
                        entry: self.meta[i].id.clone(),
                        distance: 0,
                        category: self.meta[i].category.to_string(),
                        source: self.meta[i].source.to_string(),
                        origin: self.meta[i].origin.as_deref().map(str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Enabled entries with this MD5.
    pub fn match_md5(&self, md5: &str) -> Vec<ListMatch> {
        self.exact(&self.md5, md5)
    }

    /// Enabled entries with this SHA-256.
    pub fn match_sha256(&self, sha256: &str) -> Vec<ListMatch> {
        self.exact(&self.sha256, sha256)
    }
}
