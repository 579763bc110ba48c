//! The index: character bigrams with their positions, as search engines index Chinese (Lucene's
//! CJKBigramFilter, PostgreSQL's pg_bigm, Groonga's TokenBigram), and single characters by
//! document, so that a one-character query is exact too.
//!
//! Text is folded first (see `gongkai_zh::fold`); whitespace separates, so no gram spans it. A
//! *gram* is a pair of characters, or one character alone. Its postings list, for each plan
//! that has it, the documents (parts) that do and, for a pair, where in each (UTF-16 offsets):
//!
//! ```text
//! postings = { plan − previous plan, parts, { part − previous part, [positions, first, then
//!              each − previous] } }          all numbers LEB128; a pair's part has its count
//!                                            of positions, then the positions
//! ```
//!
//! Files, under `search/ix/`:
//! - `s/<k>.bin`, the shards: each gram is in shard `hash(gram) mod shards`, with its postings,
//!   or, when they are larger than [`OWN_FILE`] bytes, a mark that they are in
//! - `x/<c1>_<c2>.bin` (hexadecimal code points; `0` for a single character): one gram's
//!   postings, so a rare gram never shares a file with a common one;
//! - `d/<plan>.json`: a plan's URL, title and documents, for the results shown;
//! - `f/y<year>.json`, `f/u<unit>.json`: the plans of a year and of a unit, for the filters;
//! - `meta.json`: the number of plans and of shards;
//! - `facets.json`: districts (`[name, first plan, count, …]`, a run of plans each), years and
//!   units, for the filters;
//! - `fold.json`: the traditional → simplified pairs the page folds queries with (those whose
//!   simplified character the index holds).
//!
//! A shard file is a list of `c1, c2, (length << 1) | in own file, postings` (LEB128), ordered
//! by gram. Plans are numbered in the order given (the site's order); documents in plan order.
//! Everything depends on the plans alone: the same plans give the same bytes, however many
//! cores made them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use std::sync::atomic::Ordering::Relaxed;

use rayon::prelude::*;
use serde_json::json;

use crate::docs::{Doc, PlanDocs};

/// Where the index files go, under the site's root.
pub const DIR: &str = "search/ix/";

/// Postings larger than this get a file of their own.
pub const OWN_FILE: usize = 2048;

/// In a build whose index is not kept ([`SearchIndex::write`]), a gram's postings go to the scratch
/// file once more than this many bytes have grown in memory: [`OWN_FILE`], so that those of
/// grams in shards stay in memory whole.
const SPILL: usize = OWN_FILE;

/// Plans whose documents are made and indexed at once, in parallel; bounds memory.
const CHUNK: usize = 256;

/// A gram: the first character's code point in the high half, the second's (0 for none) in
/// the low.
pub type Gram = u64;

/// The shard a gram is in; the search page computes the same (search.js, `shardOf`).
pub fn shard_of(g: Gram, shards: usize) -> usize {
    let (a, b) = ((g >> 32) as u32, g as u32);
    let mut h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77);
    h ^= h >> 15;
    h as usize % shards.max(1)
}

/// Bytes of postings a shard holds, about: what a rare gram's query fetches besides its own.
const SHARD_BYTES: usize = 8192;

/// How many shards for this many bytes of postings kept in shards (those of grams without a
/// file of their own): a power of two, about [`SHARD_BYTES`] each.
pub fn shard_count(small_bytes: usize) -> usize {
    (small_bytes / SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, 8192)
}

/// The names the filters offer, in the registries' order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub districts: Vec<String>,
    pub units: Vec<String>,
}

/// The plans to index: how many, and their documents by position (asked for a few hundred at a
/// time, from several threads, so a large site's documents are never all in memory).
pub struct Plans<'a> {
    pub facets: Facets,
    pub count: usize,
    pub docs: &'a (dyn Fn(usize) -> PlanDocs + Sync),
}

/// Files that an update changed: to write (new or changed) and to remove.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Update {
    pub write: Vec<(String, Vec<u8>)>,
    pub remove: Vec<String>,
}

/// What the index keeps of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlanInfo {
    url: String,
    district: String,
    years: Vec<u16>,
    units: Vec<String>,
}

impl From<&PlanDocs> for PlanInfo {
    fn from(p: &PlanDocs) -> Self {
        PlanInfo {
            url: p.url.clone(),
            district: p.district.clone(),
            years: p.years.clone(),
            units: p.units.clone(),
        }
    }
}

/// Grams hashed with rustc-hash's Fx: the standard hash is made to resist attacks, which a
/// build does not need, and cost more than the rest of indexing.
type GramMap<V> = rustc_hash::FxHashMap<Gram, V>;

/// The index of a site, kept by the preview to update it after an edit.
pub struct SearchIndex {
    facets: Facets,
    plans: Vec<PlanInfo>,
    numbers: HashMap<String, usize>,
    shards: usize,
    postings: GramMap<Vec<u8>>,
    /// Bytes of the postings kept in shards, which decide how many shards there are.
    small_bytes: usize,
    by_shard: Vec<BTreeSet<Gram>>,
    /// A hash of every file given out, to tell which an update changes.
    hashes: BTreeMap<String, u64>,
    /// Time spent making the index, summed over threads: at most its CPU time.
    work: std::time::Duration,
}

impl SearchIndex {
    /// Indexes the plans, giving each file to `emit` as it is made (a plan's documents first,
    /// then the shards and the rest). The index is kept, postings and all, to be updated.
    pub fn build(plans: &Plans, emit: &mut dyn FnMut(String, Vec<u8>)) -> SearchIndex {
        SearchIndex::make(plans, emit, None)
    }

    /// Makes the same files as [`SearchIndex::build`] without keeping the index: the postings go to
    /// `scratch` as they grow (see [`Spill`]), so that a large site's are never all in memory.
    /// Returns the time spent, as [`SearchIndex::work`].
    pub fn write(
        plans: &Plans,
        emit: &mut dyn FnMut(String, Vec<u8>),
        scratch: std::fs::File,
    ) -> std::io::Result<std::time::Duration> {
        let mut spill = Spill::new(scratch);
        let ix = SearchIndex::make(plans, emit, Some(&mut spill));
        match spill.error {
            Some(e) => Err(e),
            None => Ok(ix.work),
        }
    }

    fn make(
        plans: &Plans,
        emit: &mut dyn FnMut(String, Vec<u8>),
        mut spill: Option<&mut Spill>,
    ) -> SearchIndex {
        let mut ix = SearchIndex::empty(plans);
        let mut sink = Sink {
            // Hashes are for updates, which an index not kept never has.
            keep: spill.is_none(),
            emit,
        };
        let work_ns = std::sync::atomic::AtomicU64::new(0);
        let mut last: GramMap<u32> = GramMap::default();
        for start in (0..plans.count).step_by(CHUNK) {
            let end = (start + CHUNK).min(plans.count);
            let done = documents(plans, start..end, &work_ns);
            let t = std::time::Instant::now();
            ix.add_plans(start, done, &mut last, spill.as_deref_mut(), &mut sink);
            work_ns.fetch_add(t.elapsed().as_nanos() as u64, Relaxed);
        }
        let t = std::time::Instant::now();
        let spilled = spill.as_deref().map(Spill::lengths).unwrap_or_default();
        let own = ix.lay_out(&spilled);
        ix.write_files(own, spill, &mut sink);
        ix.work = std::time::Duration::from_nanos(work_ns.into_inner()) + t.elapsed();
        ix
    }

    /// An index of no plan yet, with the filters of `plans`.
    fn empty(plans: &Plans) -> SearchIndex {
        SearchIndex {
            facets: plans.facets.clone(),
            plans: Vec::with_capacity(plans.count),
            numbers: HashMap::with_capacity(plans.count),
            shards: 1,
            postings: GramMap::default(),
            small_bytes: 0,
            by_shard: Vec::new(),
            hashes: BTreeMap::new(),
            work: std::time::Duration::ZERO,
        }
    }

    /// Gives a file to the sink, keeping its hash when the index is kept.
    fn record(&mut self, sink: &mut Sink, path: String, bytes: Vec<u8>) {
        if sink.keep {
            self.hashes.insert(path.clone(), hash(&bytes));
        }
        (sink.emit)(path, bytes);
    }

    /// Takes in the plans numbered from `start`: writes their documents and adds their grams'
    /// postings (`last` holds the last plan each gram was in).
    fn add_plans(
        &mut self,
        start: usize,
        done: Vec<(PlanDocs, Fragments, Vec<u8>)>,
        last: &mut GramMap<u32>,
        mut spill: Option<&mut Spill>,
        sink: &mut Sink,
    ) {
        for (k, (d, frags, file)) in done.into_iter().enumerate() {
            let p = (start + k) as u32;
            self.record(sink, format!("{DIR}d/{p}.json"), file);
            self.numbers.insert(d.url.clone(), p as usize);
            self.plans.push(PlanInfo::from(&d));
            for (g, frag) in frags.iter() {
                // The first plan is written as it is, the others as the step from the last.
                let step = match last.insert(g, p) {
                    Some(prev) => p - prev,
                    None => p,
                };
                let buf = self.postings.entry(g).or_default();
                put(buf, u64::from(step));
                buf.extend_from_slice(frag);
                if let Some(spill) = spill.as_deref_mut()
                    && buf.len() > SPILL
                {
                    spill.put(g, std::mem::take(buf));
                }
            }
        }
    }

    /// Decides the shards from the postings' lengths (`spilled`: the bytes of each gram in the
    /// scratch file) and returns the grams that get a file of their own, in order.
    fn lay_out(&mut self, spilled: &GramMap<usize>) -> Vec<Gram> {
        let len = |ix: &SearchIndex, g: Gram| {
            ix.postings[&g].len() + spilled.get(&g).copied().unwrap_or(0)
        };
        self.small_bytes = self
            .postings
            .keys()
            .map(|&g| len(self, g))
            .filter(|&n| n <= OWN_FILE)
            .sum();
        self.shards = shard_count(self.small_bytes);
        self.by_shard = vec![BTreeSet::new(); self.shards];
        for &g in self.postings.keys() {
            self.by_shard[shard_of(g, self.shards)].insert(g);
        }
        let mut own: Vec<Gram> = self
            .postings
            .keys()
            .filter(|&&g| len(self, g) > OWN_FILE)
            .copied()
            .collect();
        own.sort_unstable();
        own
    }

    /// Writes the grams' own files (`own`), the shards and the site files.
    fn write_files(&mut self, own: Vec<Gram>, mut spill: Option<&mut Spill>, sink: &mut Sink) {
        let mut lengths: GramMap<usize> = GramMap::default();
        for g in own {
            let bytes = match spill.as_deref_mut() {
                // What is not kept is given away: only the shards need its length.
                Some(spill) => {
                    let tail = self.postings.get_mut(&g).map(std::mem::take);
                    let tail = tail.unwrap_or_default();
                    let bytes = spill.read(g, tail);
                    lengths.insert(g, bytes.len());
                    bytes
                }
                None => self.postings[&g].clone(),
            };
            self.record(sink, own_file(g), bytes);
        }
        for s in 0..self.shards {
            let bytes = self.shard_file(s, &lengths);
            self.record(sink, shard_path(s), bytes);
        }
        for (path, bytes) in self.site_files() {
            self.record(sink, path, bytes);
        }
    }

    /// The time spent making the index, summed over the threads that made it (an upper bound
    /// of its CPU time; the files' writing, by `emit`, is in it).
    pub fn work(&self) -> std::time::Duration {
        self.work
    }

    /// Every file of an index, by site-relative path, in the order they are made.
    pub fn files(plans: &Plans) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        SearchIndex::build(plans, &mut |p, b| out.push((p, b)));
        out
    }

    /// Takes in changed plans: `old` their documents before, `new` after (the same URL is the
    /// same plan; a URL only in `new` was added, only in `old` removed), `plans` the site as it
    /// is now. Returns only the files that changed. An edit touches the postings of the grams
    /// the plan had or has, their shards and files, the plan's documents and the filters and
    /// counts; adding or removing a plan numbers the plans after it anew, so then the index is
    /// made again and compared.
    pub fn update(&mut self, old: &[PlanDocs], new: &[PlanDocs], plans: &Plans) -> Update {
        if !self.same_plans(old, new, plans) {
            return self.rebuild(plans);
        }
        let mut dirty = Dirty::default();
        for (o, n) in old.iter().zip(new) {
            self.edit(o, n, &mut dirty);
        }
        // So much changed that the index wants another number of shards: every gram moves.
        if shard_count(self.small_bytes) != self.shards {
            return self.rebuild(plans);
        }
        let mut out = Update::default();
        for n in new {
            let p = self.numbers[&n.url];
            self.offer(&mut out, format!("{DIR}d/{p}.json"), doc_file(n));
        }
        self.offer_postings(&mut out, dirty.files, dirty.shards);
        if dirty.filters {
            self.offer_site_files(&mut out);
            out.remove.sort();
        } else {
            // Only the folding table can change: its characters are those the index holds.
            let present = |c: char| self.postings.contains_key(&(u64::from(c as u32) << 32));
            let fold = gongkai_zh::fold::table_json(&present);
            self.offer(&mut out, format!("{DIR}fold.json"), fold);
        }
        out.write.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Whether an update keeps the plans and their numbers: the same count and filters, and
    /// each changed plan one the index has.
    fn same_plans(&self, old: &[PlanDocs], new: &[PlanDocs], plans: &Plans) -> bool {
        plans.count == self.plans.len()
            && plans.facets == self.facets
            && old.len() == new.len()
            && old.iter().zip(new).all(|(a, b)| a.url == b.url)
            && new.iter().all(|d| self.numbers.contains_key(&d.url))
    }

    /// Takes in one plan's edit, `o` before and `n` after, noting what it makes dirty.
    fn edit(&mut self, o: &PlanDocs, n: &PlanDocs, dirty: &mut Dirty) {
        let p = self.numbers[&n.url];
        let before = fragments(&o.docs);
        let after = fragments(&n.docs);
        let before: BTreeMap<Gram, &[u8]> = before.iter().collect();
        let after: BTreeMap<Gram, &[u8]> = after.iter().collect();
        // Only the grams whose postings in this plan changed: an edit to one task leaves the
        // rest of the plan's grams as they were.
        let mut grams: BTreeSet<Gram> = BTreeSet::new();
        for (g, b) in &before {
            if after.get(g) != Some(b) {
                grams.insert(*g);
            }
        }
        for (g, a) in &after {
            if before.get(g) != Some(a) {
                grams.insert(*g);
            }
        }
        for g in grams {
            let s = shard_of(g, self.shards);
            let old_len = self.postings.get(&g).map_or(0, Vec::len);
            let spliced = splice(
                g,
                self.postings.get(&g).map_or(&[][..], Vec::as_slice),
                p as u32,
                after.get(&g).copied(),
            );
            let new_len = spliced.len();
            let small = |n: usize| if n <= OWN_FILE { n } else { 0 };
            self.small_bytes = self.small_bytes + small(new_len) - small(old_len);
            if spliced.is_empty() {
                self.postings.remove(&g);
                self.by_shard[s].remove(&g);
            } else {
                self.postings.insert(g, spliced);
                self.by_shard[s].insert(g);
            }
            dirty.shards.insert(s);
            if old_len > OWN_FILE || new_len > OWN_FILE {
                dirty.files.insert(own_file(g));
            }
        }
        let info = PlanInfo::from(n);
        dirty.filters |= self.plans[p] != info;
        self.plans[p] = info;
    }

    /// Offers the grams' own files and the shards an edit touched; an own file whose postings
    /// went back into a shard is removed.
    fn offer_postings(
        &mut self,
        out: &mut Update,
        files: BTreeSet<String>,
        shards: BTreeSet<usize>,
    ) {
        for path in files {
            let g = gram_of_own_file(&path);
            match self.postings.get(&g).filter(|b| b.len() > OWN_FILE) {
                Some(b) => {
                    let b = b.clone();
                    self.offer(out, path, b);
                }
                None => {
                    if self.hashes.remove(&path).is_some() {
                        out.remove.push(path);
                    }
                }
            }
        }
        for s in shards {
            let bytes = self.shard_file(s, &GramMap::default());
            self.offer(out, shard_path(s), bytes);
        }
    }

    /// Offers the site files, removing the filter files no plan needs any more.
    fn offer_site_files(&mut self, out: &mut Update) {
        let site: BTreeMap<String, Vec<u8>> = self.site_files().into_iter().collect();
        let gone: Vec<String> = self
            .hashes
            .keys()
            .filter(|k| {
                (k.starts_with(&format!("{DIR}f/")) || (k.ends_with(".json") && !k.contains("/d/")))
                    && !site.contains_key(*k)
            })
            .cloned()
            .collect();
        for k in gone {
            self.hashes.remove(&k);
            out.remove.push(k);
        }
        for (path, bytes) in site {
            self.offer(out, path, bytes);
        }
    }

    /// Makes the index again and returns what differs from this one.
    fn rebuild(&mut self, plans: &Plans) -> Update {
        let mut made = Vec::new();
        let fresh = SearchIndex::build(plans, &mut |p, b| made.push((p, b)));
        let mut out = Update::default();
        for (path, bytes) in made {
            if self.hashes.get(&path) != Some(&hash(&bytes)) {
                out.write.push((path, bytes));
            }
        }
        out.remove = self
            .hashes
            .keys()
            .filter(|k| !fresh.hashes.contains_key(*k))
            .cloned()
            .collect();
        *self = fresh;
        out.write.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Adds a file to an update if it is new or changed.
    fn offer(&mut self, out: &mut Update, path: String, bytes: Vec<u8>) {
        let h = hash(&bytes);
        if self.hashes.insert(path.clone(), h) != Some(h) {
            out.write.push((path, bytes));
        }
    }

    /// A shard's file; `own` holds the lengths of postings given away to their own files.
    fn shard_file(&self, s: usize, own: &GramMap<usize>) -> Vec<u8> {
        let mut out = Vec::new();
        for &g in &self.by_shard[s] {
            let p = &self.postings[&g];
            put(&mut out, g >> 32);
            put(&mut out, g & 0xFFFF_FFFF);
            if let Some(&n) = own.get(&g) {
                put(&mut out, ((n as u64) << 1) | 1);
            } else if p.len() > OWN_FILE {
                put(&mut out, ((p.len() as u64) << 1) | 1);
            } else {
                put(&mut out, (p.len() as u64) << 1);
                out.extend_from_slice(p);
            }
        }
        out
    }

    /// `meta.json`, `fold.json` and the filter files.
    fn site_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        // Districts as runs of consecutive plans (a site orders its plans by district).
        let mut districts: Vec<(String, Vec<[usize; 2]>)> = self
            .facets
            .districts
            .iter()
            .map(|d| (d.clone(), Vec::new()))
            .collect();
        let index: HashMap<&str, usize> = self
            .facets
            .districts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.as_str(), i))
            .collect();
        let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        let mut units: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let unit_index: HashMap<&str, usize> = self
            .facets
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        for (p, info) in self.plans.iter().enumerate() {
            if let Some(&d) = index.get(info.district.as_str()) {
                let runs = &mut districts[d].1;
                match runs.last_mut() {
                    Some([first, count]) if *first + *count == p => *count += 1,
                    _ => runs.push([p, 1]),
                }
            }
            for &y in &info.years {
                years.entry(y).or_default().push(p);
            }
            for u in &info.units {
                if let Some(&i) = unit_index.get(u.as_str()) {
                    units.entry(i).or_default().push(p);
                }
            }
        }
        let districts: Vec<serde_json::Value> = districts
            .into_iter()
            .filter(|(_, runs)| !runs.is_empty())
            .map(|(name, runs)| {
                let mut v = vec![json!(name)];
                v.extend(runs.iter().flatten().map(|&n| json!(n)));
                serde_json::Value::Array(v)
            })
            .collect();
        // What a query needs first, small; what the filters offer apart, as the page fills its
        // select boxes while the query runs.
        let meta = json!({"v": 1, "plans": self.plans.len(), "shards": self.shards});
        let facets = json!({
            "districts": districts,
            "years": years.keys().rev().collect::<Vec<_>>(),
            "units": units.keys().map(|&u| json!([u, self.facets.units[u]])).collect::<Vec<_>>(),
        });
        for (name, v) in [("meta", meta), ("facets", facets)] {
            out.push((
                format!("{DIR}{name}.json"),
                serde_json::to_vec(&v).unwrap_or_default(),
            ));
        }
        let present = |c: char| self.postings.contains_key(&(u64::from(c as u32) << 32));
        out.push((
            format!("{DIR}fold.json"),
            gongkai_zh::fold::table_json(&present),
        ));
        let list = |plans: &[usize]| {
            let mut prev = 0;
            let deltas: Vec<usize> = plans
                .iter()
                .map(|&p| {
                    let d = p - prev;
                    prev = p;
                    d
                })
                .collect();
            serde_json::to_vec(&deltas).unwrap_or_default()
        };
        for (y, plans) in &years {
            out.push((format!("{DIR}f/y{y}.json"), list(plans)));
        }
        for (u, plans) in &units {
            out.push((format!("{DIR}f/u{u}.json"), list(plans)));
        }
        out
    }
}

fn shard_path(s: usize) -> String {
    format!("{DIR}s/{s}.bin")
}

fn own_file(g: Gram) -> String {
    format!("{DIR}x/{:x}_{:x}.bin", g >> 32, g & 0xFFFF_FFFF)
}

fn gram_of_own_file(path: &str) -> Gram {
    let name = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".bin");
    let (a, b) = name.split_once('_').unwrap_or((name, "0"));
    let a = u64::from_str_radix(a, 16).unwrap_or(0);
    let b = u64::from_str_radix(b, 16).unwrap_or(0);
    (a << 32) | b
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Where the files of an index go as they are made.
struct Sink<'e> {
    emit: &'e mut dyn FnMut(String, Vec<u8>),
    /// Whether their hashes are kept, for updates.
    keep: bool,
}

/// What an update touched: the grams' own files, the shards, and whether a plan's district,
/// years or units changed, and with them the filters' files.
#[derive(Default)]
struct Dirty {
    files: BTreeSet<String>,
    shards: BTreeSet<usize>,
    filters: bool,
}

/// The documents of the plans in `range`, their grams and their file, made in parallel;
/// `work_ns` adds the time spent.
fn documents(
    plans: &Plans,
    range: std::ops::Range<usize>,
    work_ns: &std::sync::atomic::AtomicU64,
) -> Vec<(PlanDocs, Fragments, Vec<u8>)> {
    range
        .into_par_iter()
        .map(|i| {
            let t = std::time::Instant::now();
            let d = (plans.docs)(i);
            let f = fragments(&d.docs);
            let file = doc_file(&d);
            work_ns.fetch_add(t.elapsed().as_nanos() as u64, Relaxed);
            (d, f, file)
        })
        .collect()
}

/// Where a build that keeps no index puts postings as they grow: runs of each gram's bytes,
/// appended to a scratch file (in the staging folder, with no name), read back in order for the
/// gram's own file. Memory then holds at most [`SPILL`] bytes a gram; the site's postings are
/// written twice and read once more.
struct Spill {
    file: std::io::BufWriter<std::fs::File>,
    /// Bytes written so far: where the next run goes.
    end: u64,
    /// Each gram's runs, in order: (offset, length).
    runs: GramMap<Vec<(u64, u32)>>,
    /// The first error: nothing is written after it, and [`SearchIndex::write`] returns it.
    error: Option<std::io::Error>,
}

impl Spill {
    fn new(file: std::fs::File) -> Spill {
        Spill {
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            end: 0,
            runs: GramMap::default(),
            error: None,
        }
    }

    fn put(&mut self, g: Gram, bytes: Vec<u8>) {
        use std::io::Write;
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.file.write_all(&bytes) {
            self.error = Some(e);
            return;
        }
        self.runs
            .entry(g)
            .or_default()
            .push((self.end, bytes.len() as u32));
        self.end += bytes.len() as u64;
    }

    /// The bytes spilled of each gram.
    fn lengths(&self) -> GramMap<usize> {
        self.runs
            .iter()
            .map(|(&g, runs)| (g, runs.iter().map(|&(_, n)| n as usize).sum()))
            .collect()
    }

    /// A gram's postings: its runs read back, then `tail`, what stayed in memory.
    fn read(&mut self, g: Gram, tail: Vec<u8>) -> Vec<u8> {
        use std::io::{Read, Seek, SeekFrom, Write};
        let Some(runs) = self.runs.remove(&g) else {
            return tail;
        };
        let n: usize = runs.iter().map(|&(_, n)| n as usize).sum();
        let mut out = Vec::with_capacity(n + tail.len());
        out.resize(n, 0);
        let read = || -> std::io::Result<()> {
            self.file.flush()?;
            let file = self.file.get_mut();
            let mut at = 0;
            for (offset, len) in runs {
                file.seek(SeekFrom::Start(offset))?;
                file.read_exact(&mut out[at..at + len as usize])?;
                at += len as usize;
            }
            Ok(())
        };
        if self.error.is_none()
            && let Err(e) = read()
        {
            self.error = Some(e);
        }
        out.extend_from_slice(&tail);
        out
    }
}

/// A plan's documents as the search page reads them.
fn doc_file(d: &PlanDocs) -> Vec<u8> {
    let docs: Vec<[&str; 4]> = d
        .docs
        .iter()
        .map(|x| [&*x.anchor, &*x.title, &*x.text, &*x.names])
        .collect();
    serde_json::to_vec(&json!({"u": d.url, "t": d.title, "d": docs})).unwrap_or_default()
}

/// One plan's postings of each of its grams, in gram order, in one buffer.
struct Fragments {
    bytes: Vec<u8>,
    grams: Vec<(Gram, u32)>,
}

impl Fragments {
    fn iter(&self) -> impl Iterator<Item = (Gram, &[u8])> {
        let mut start = 0;
        self.grams.iter().map(move |&(g, end)| {
            let s = &self.bytes[start..end as usize];
            start = end as usize;
            (g, s)
        })
    }
}

/// Whether a character is indexed: anything but whitespace and control characters.
fn indexed(c: char) -> bool {
    !c.is_whitespace() && !c.is_control()
}

/// The grams of a plan's documents (part = the document's position in the plan).
fn fragments(docs: &[Doc]) -> Fragments {
    // Each gram's hits in the order met, which is part then position order: (part, position)
    // for a pair, the parts for a single character.
    let mut hits: GramMap<Vec<(u32, u32)>> = GramMap::default();
    for (part, d) in docs.iter().enumerate() {
        let part = part as u32;
        let mut pos = 0u32;
        let mut prev: Option<(u32, u32)> = None;
        let text = d.text.chars();
        let names = (!d.names.is_empty())
            .then(|| std::iter::once('\n').chain(d.names.chars()))
            .into_iter()
            .flatten();
        for c in text.chain(names) {
            let c = gongkai_zh::fold::fold_char(c);
            if indexed(c) {
                let one = hits.entry(u64::from(c as u32) << 32).or_default();
                if one.last().is_none_or(|&(p, _)| p != part) {
                    one.push((part, 0));
                }
                if let Some((a, at)) = prev {
                    let g = (u64::from(a) << 32) | u64::from(c as u32);
                    hits.entry(g).or_default().push((part, at));
                }
                prev = Some((c as u32, pos));
            } else {
                prev = None;
            }
            pos += c.len_utf16() as u32;
        }
    }
    let mut grams: Vec<(Gram, Vec<(u32, u32)>)> = hits.into_iter().collect();
    grams.sort_unstable_by_key(|(g, _)| *g);
    let mut out = Fragments {
        bytes: Vec::with_capacity(grams.len() * 6),
        grams: Vec::with_capacity(grams.len()),
    };
    for (g, list) in grams {
        let pair = g & 0xFFFF_FFFF != 0;
        let parts = 1 + list.windows(2).filter(|w| w[0].0 != w[1].0).count();
        put(&mut out.bytes, parts as u64);
        let mut prev_part = 0u32;
        let mut k = 0;
        while k < list.len() {
            let p = list[k].0;
            put(&mut out.bytes, u64::from(p - prev_part));
            prev_part = p;
            let mut e = k;
            while e < list.len() && list[e].0 == p {
                e += 1;
            }
            if pair {
                put(&mut out.bytes, (e - k) as u64);
                let mut prev = 0u32;
                for &(_, at) in &list[k..e] {
                    put(&mut out.bytes, u64::from(at - prev));
                    prev = at;
                }
            }
            k = e;
        }
        out.grams.push((g, out.bytes.len() as u32));
    }
    out
}

/// Writes a LEB128 number.
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 number at `*at`.
fn get(b: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&x) = b.get(*at) {
        *at += 1;
        v |= u64::from(x & 0x7F) << shift;
        if x < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// Skips one plan's fragment of a gram's postings.
fn skip_fragment(b: &[u8], at: &mut usize, pair: bool) {
    let parts = get(b, at);
    for _ in 0..parts {
        get(b, at);
        if pair {
            let n = get(b, at);
            for _ in 0..n {
                get(b, at);
            }
        }
    }
}

/// A gram's postings with plan `p`'s fragment replaced by `with` (or removed when `None`).
fn splice(g: Gram, postings: &[u8], p: u32, with: Option<&[u8]>) -> Vec<u8> {
    let pair = g & 0xFFFF_FFFF != 0;
    let p = u64::from(p);
    let mut out = Vec::with_capacity(postings.len() + with.map_or(0, <[u8]>::len));
    let mut written: Option<u64> = None;
    let mut emit = |out: &mut Vec<u8>, q: u64, frag: &[u8]| {
        put(out, written.map_or(q, |w| q - w));
        out.extend_from_slice(frag);
        written = Some(q);
    };
    let (mut at, mut plan, mut first) = (0, 0u64, true);
    let mut placed = with.is_none();
    while at < postings.len() {
        let d = get(postings, &mut at);
        plan = if first { d } else { plan + d };
        first = false;
        let start = at;
        skip_fragment(postings, &mut at, pair);
        if !placed && plan >= p {
            if let Some(w) = with {
                emit(&mut out, p, w);
            }
            placed = true;
        }
        if plan != p {
            emit(&mut out, plan, &postings[start..at]);
        }
    }
    if !placed && let Some(w) = with {
        emit(&mut out, p, w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(url: &str, district: &str, texts: &[&str]) -> PlanDocs {
        PlanDocs {
            url: url.into(),
            title: format!("{url} 标题"),
            district: district.into(),
            years: vec![2024],
            units: vec!["区应急局".into()],
            docs: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Doc {
                    anchor: format!("task-{i}"),
                    title: format!("{i}."),
                    text: (*t).into(),
                    names: String::new(),
                })
                .collect(),
        }
    }

    fn facets() -> Facets {
        Facets {
            districts: vec!["示例区".into(), "样例区".into()],
            units: vec!["区应急局".into(), "区消防救援支队".into()],
        }
    }

    fn files_of(plans: &[PlanDocs]) -> BTreeMap<String, Vec<u8>> {
        let docs = |i: usize| plans[i].clone();
        SearchIndex::files(&Plans {
            facets: facets(),
            count: plans.len(),
            docs: &docs,
        })
        .into_iter()
        .collect()
    }

    /// Applies an update to a site's files.
    fn apply(files: &mut BTreeMap<String, Vec<u8>>, u: Update) -> usize {
        let n = u.write.len() + u.remove.len();
        for (p, b) in u.write {
            files.insert(p, b);
        }
        for p in u.remove {
            assert!(files.remove(&p).is_some(), "{p} removed but never made");
        }
        n
    }

    #[test]
    fn grams_go_to_the_shards_the_page_looks_in() {
        // The same values are asserted of shardOf in tests/search/client.test.mjs.
        let gram = |a: char, b: u32| (u64::from(a as u32) << 32) | u64::from(b);
        assert_eq!(shard_of(gram('电', '梯' as u32), 4096), 3351);
        assert_eq!(shard_of(gram('企', 0), 512), 315);
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(100_000), 16);
        assert_eq!(shard_count(usize::MAX / 2), 8192);
    }

    #[test]
    fn postings_read_back_as_written() {
        let f = fragments(&[Doc {
            anchor: String::new(),
            title: String::new(),
            text: "电梯安全 电梯".into(),
            names: "區應急局".into(),
        }]);
        let got: Vec<(Gram, Vec<u8>)> = f.iter().map(|(g, b)| (g, b.to_vec())).collect();
        let gram = |a: char, b: Option<char>| {
            (u64::from(a as u32) << 32) | b.map_or(0, |b| u64::from(b as u32))
        };
        let find = |g| got.iter().find(|(x, _)| *x == g).map(|(_, b)| b.clone());
        // 电梯 at 0 and 5 (after the space), in part 0: 1 part, part 0, 2 positions, 0, +5.
        assert_eq!(find(gram('电', Some('梯'))), Some(vec![1, 0, 2, 0, 5]));
        // The names are folded (區應 → 区应) and follow a line break: 区应 at 8.
        assert_eq!(find(gram('区', Some('应'))), Some(vec![1, 0, 1, 8]));
        // No gram spans the space or the line break.
        assert_eq!(find(gram('全', Some('电'))), None);
        assert_eq!(find(gram('梯', Some('区'))), None);
        // A character alone: its parts only.
        assert_eq!(find(gram('安', None)), Some(vec![1, 0]));
        let mut at = 0;
        let mut v = vec![];
        put(&mut v, 300);
        assert_eq!(get(&v, &mut at), 300);
    }

    #[test]
    fn an_edit_changes_only_what_it_touches_and_ends_as_a_clean_build() {
        // Enough text for several shards: plans of made-up characters, and three of words.
        let mut seed = 7u32;
        let mut filler = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    char::from_u32(0x4E00 + (seed >> 16) % 3000).unwrap_or('一')
                })
                .collect()
        };
        let mut plans: Vec<PlanDocs> = (0..60)
            .map(|i| {
                plan(
                    &format!("shili/2020/p{i:02}/"),
                    "示例区",
                    &[&filler(400), &filler(300)],
                )
            })
            .collect();
        plans.extend([
            plan(
                "shili/2023/a/",
                "示例区",
                &["加强电梯安全管理", "开展消防检查"],
            ),
            plan(
                "shili/2024/a/",
                "示例区",
                &["危险化学品专项整治", "电梯维保"],
            ),
            plan("yangli/2024/a/", "样例区", &["燃气安全", "区应急局牵头"]),
        ]);
        let edited = plans.len() - 2;
        let mut files = files_of(&plans);
        let docs = |v: &[PlanDocs]| {
            let v = v.to_vec();
            move |i: usize| v[i].clone()
        };
        let all = docs(&plans);
        let mut ix = SearchIndex::build(
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &all,
            },
            &mut |_, _| {},
        );
        // Edits, one after another: a word changed, a rare word made common enough for a file
        // of its own, and back.
        let edits = [
            "危险化学品专项整治和企鹅".to_string(),
            "电梯".repeat(700),
            "燃气".into(),
        ];
        for text in edits {
            let old = vec![plans[edited].clone()];
            plans[edited].docs[0].text = text.clone();
            let new = vec![plans[edited].clone()];
            let now = docs(&plans);
            let u = ix.update(
                &old,
                &new,
                &Plans {
                    facets: facets(),
                    count: plans.len(),
                    docs: &now,
                },
            );
            let shards = u.write.iter().filter(|(p, _)| p.contains("/s/")).count();
            assert!(ix.shards >= 4, "{} shards", ix.shards);
            assert!(shards < ix.shards, "{text}: every shard rewritten");
            apply(&mut files, u);
            assert_eq!(files, files_of(&plans), "after the edit to {text}");
        }
        assert!(
            !files.keys().any(|k| k.contains("/x/")),
            "the common gram's own file is gone again"
        );
        // An edit that changes the plan's units changes the filters' files too.
        let old = vec![plans[edited].clone()];
        plans[edited].units = vec!["区消防救援支队".into()];
        let now = docs(&plans);
        let u = ix.update(
            &old,
            std::slice::from_ref(&plans[edited]),
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &now,
            },
        );
        assert!(
            u.write.iter().any(|(p, _)| p.ends_with("f/u1.json")),
            "{:?}",
            u.write.iter().map(|x| &x.0).collect::<Vec<_>>()
        );
        apply(&mut files, u);
        assert_eq!(files, files_of(&plans), "after the units changed");
        // Adding and removing plans numbers the plans anew; the files still end as a build's.
        let old_plans = plans.clone();
        plans.insert(edited, plan("shili/2023/b/", "示例区", &["新增文件"]));
        let now = docs(&plans);
        let u = ix.update(
            &[],
            std::slice::from_ref(&plans[edited]),
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &now,
            },
        );
        assert!(apply(&mut files, u) > 0);
        assert_eq!(files, files_of(&plans));
        let removed = plans.remove(edited);
        let now = docs(&plans);
        let u = ix.update(
            &[removed],
            &[],
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &now,
            },
        );
        apply(&mut files, u);
        assert_eq!(files, files_of(&old_plans));
        // Nothing changed, nothing written.
        let now = docs(&plans);
        let same = ix.update(
            &[plans[0].clone()],
            &[plans[0].clone()],
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &now,
            },
        );
        assert_eq!(same, Update::default());
    }

    #[test]
    fn an_index_not_kept_writes_the_same_files() {
        // Common grams spill many times over, rare ones never; a gram in every plan is
        // spilled with some of it still in memory at the end.
        let plans: Vec<PlanDocs> = (0..700)
            .map(|i| {
                plan(
                    &format!("d{}/2024/p{i:04}/", i % 7),
                    "示例区",
                    &[
                        &format!("第{i}项任务：加强电梯安全"),
                        &"危险化学品".repeat(i % 5),
                    ],
                )
            })
            .collect();
        let built = files_of(&plans);
        let docs = |i: usize| plans[i].clone();
        let mut written = BTreeMap::new();
        let scratch = tempfile::tempfile().expect("a scratch file");
        SearchIndex::write(
            &Plans {
                facets: facets(),
                count: plans.len(),
                docs: &docs,
            },
            &mut |p, b| {
                assert!(written.insert(p, b).is_none(), "a file given twice");
            },
            scratch.try_clone().expect("the scratch file again"),
        )
        .expect("written");
        let spilled = scratch.metadata().expect("its size").len();
        let own: usize = built
            .iter()
            .filter(|(k, _)| k.contains("/x/"))
            .map(|(_, b)| b.len())
            .sum();
        assert!(
            spilled as usize > own / 2,
            "{spilled} of {own} bytes spilled"
        );
        assert_eq!(written, built);
    }

    #[test]
    fn builds_are_the_same_on_any_number_of_threads() {
        let plans: Vec<PlanDocs> = (0..600)
            .map(|i| {
                plan(
                    &format!("d{}/2024/p{i:04}/", i % 7),
                    "示例区",
                    &[&format!("第{i}项任务：加强电梯安全"), "危险化学品"],
                )
            })
            .collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("pool")
            .install(|| files_of(&plans));
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("pool")
            .install(|| files_of(&plans));
        assert_eq!(one, four);
        assert!(
            one.keys().any(|k| k.contains("/x/")),
            "no gram has its own file"
        );
    }
}
