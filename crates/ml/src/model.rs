//! The frozen averaged perceptron used for inference: quantized weight rows in an open-addressing table, and its file form.
use crate::codec::{self, Reader, Writer};
use crate::table::{prefetch, Table};
use crate::ModelError;

const MAGIC: &[u8; 8] = b"CHRNPCPT";
const VERSION: u16 = 1;

/// One non-zero averaged weight, kept in its quantized form: 4 bytes instead
/// of 8 halves the memory that scoring streams through, and scoring is bound
/// by memory access. Rows are stored sparsely because a typical feature (a
/// rare word, a suffix) carries weight for only a handful of the classes.
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct Entry {
    class: u16,
    q: i16,
}

/// Class indices are stored as `u16`.
pub const MAX_CLASSES: usize = u16::MAX as usize + 1;

/// Open-addressing slot: the feature key plus where its row lives, so one probe
/// that hits yields the whole contiguous row. `len == 0` marks an empty slot
/// (features without weights are never stored). Rows with weights for many
/// classes (bias, previous-tag and common-suffix features) are stored dense —
/// `len` has [`DENSE`] set and `start` indexes `dense` — because a contiguous
/// vector add beats a scattered one once a row is more than sparsely filled.
const DENSE: u32 = 1 << 31;

#[derive(Debug, Clone, Copy, Default, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// Frozen, averaged perceptron used for inference. Immutable, `Send + Sync`;
/// scoring allocates nothing.
#[derive(Debug, Clone)]
pub struct Model {
    kind: String,
    labels: Vec<String>,
    scale: f32,
    slots: Table<Slot>,
    shift: u32,
    entries: Table<Entry>,
    dense: Table<i16>,
    n_features: usize,
    n_weights: usize,
    id: u64,
}

/// Source of [`Model::id`]s.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Index of the highest score; ties go to the lowest index so predictions are
/// deterministic.
#[inline]
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    let mut best_score = f32::NEG_INFINITY;
    for (i, &s) in scores.iter().enumerate() {
        if s > best_score {
            best = i;
            best_score = s;
        }
    }
    best
}

impl Model {
    /// Builds the frozen form from sorted `(feature, [(class, weight)])` rows.
    /// Weights are quantized to `i16` against the largest magnitude here, so the
    /// in-memory model is exactly what a saved and reloaded file scores.
    pub(crate) fn build(
        kind: String,
        labels: Vec<String>,
        rows: Vec<(u64, Vec<(u32, f32)>)>,
    ) -> Model {
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, w)| w.abs()))
            .fold(0.0f32, f32::max);
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let quantized = rows
            .into_iter()
            .map(|(k, r)| {
                let r: Vec<(u32, i16)> = r
                    .into_iter()
                    .map(|(c, w)| (c, (w / scale).round() as i16))
                    .filter(|&(_, q)| q != 0)
                    .collect();
                (k, r)
            })
            .filter(|(_, r)| !r.is_empty())
            .collect();
        Self::from_quantized(kind, labels, scale, quantized)
    }

    fn from_quantized(
        kind: String,
        labels: Vec<String>,
        scale: f32,
        rows: Vec<(u64, Vec<(u32, i16)>)>,
    ) -> Model {
        let n = rows.len();
        // Load factor ≤ 0.5 keeps probe chains short.
        let cap = (n * 2).next_power_of_two().max(16);
        let shift = 64 - cap.trailing_zeros();
        let n_classes = labels.len();
        let mut slots = Table::<Slot>::zeroed(cap);
        let mut entries = Vec::new();
        let mut dense = Vec::new();
        let mut n_weights = 0;
        for (key, row) in rows {
            n_weights += row.len();
            let slot = if row.len() * 4 >= n_classes {
                let start = dense.len();
                dense.resize(start + n_classes, 0i16);
                for &(class, q) in &row {
                    let d = &mut dense[start + class as usize];
                    *d = d.saturating_add(q);
                }
                Slot {
                    key,
                    start: start as u32,
                    len: DENSE | row.len() as u32,
                }
            } else {
                let start = entries.len() as u32;
                for &(class, q) in &row {
                    entries.push(Entry {
                        class: class as u16,
                        q,
                    });
                }
                Slot {
                    key,
                    start,
                    len: row.len() as u32,
                }
            };
            let mut i = slot_index(key, shift);
            while slots[i].len != 0 {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = slot;
        }
        Model {
            kind,
            labels,
            scale,
            slots,
            shift,
            entries: entries.into(),
            dense: dense.into(),
            n_features: n,
            n_weights,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn kind(&self) -> &str {
        &self.kind
    }
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }
    pub fn label(&self, class: usize) -> &str {
        &self.labels[class]
    }
    pub fn class_of(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }
    /// Number of features with at least one non-zero weight.
    pub fn n_features(&self) -> usize {
        self.n_features
    }
    /// Identity of these weights within this process (clones share it, as
    /// they share the weights): a cache of partial sums keyed by it can never
    /// serve one model's sums to another, even one loaded at the same address.
    pub fn id(&self) -> u64 {
        self.id
    }
    /// Number of stored (feature, class) weights.
    pub fn n_weights(&self) -> usize {
        self.n_weights
    }

    #[inline]
    fn slot(&self, key: u64) -> Option<Slot> {
        let mask = self.slots.len() - 1;
        let mut i = slot_index(key, self.shift);
        loop {
            let s = self.slots[i];
            if s.len == 0 {
                return None;
            }
            if s.key == key {
                return Some(s);
            }
            i = (i + 1) & mask;
        }
    }

    /// `(class, weight)` pairs of one stored row, whichever layout it has.
    fn row_pairs(&self, s: Slot) -> Vec<(u32, i16)> {
        let start = s.start as usize;
        if s.len & DENSE != 0 {
            self.dense[start..start + self.labels.len()]
                .iter()
                .enumerate()
                .filter(|&(_, &q)| q != 0)
                .map(|(c, &q)| (c as u32, q))
                .collect()
        } else {
            self.entries[start..start + s.len as usize]
                .iter()
                .map(|e| (e.class as u32, e.q))
                .collect()
        }
    }

    /// Writes the class scores for `features` into `scores[..n_classes]`
    /// (overwriting). Unknown features contribute nothing. `scores` must hold at
    /// least `n_classes()` values.
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        let n = self.labels.len();
        let scores = &mut scores[..n];
        // The integer sums are built in the caller's buffer, then scaled.
        let acc: &mut [i32] = bytemuck::cast_slice_mut(scores);
        acc.fill(0);
        self.add_raw(features, acc);
        for s in scores.iter_mut() {
            *s = (s.to_bits() as i32) as f32 * self.scale;
        }
    }

    /// Adds the quantized weights of `features` to `acc[..n_classes]`, which
    /// must hold at least `n_classes()` values. Weights are integers, so sums
    /// over disjoint feature sets can be added in any order and
    /// [`Model::finish`] turns the total into exactly what [`Model::score`]
    /// gives for the union: callers may cache the part of a token's features
    /// that recurs (the word's own) and add only the rest. (A feature list of
    /// fewer than 512 features cannot overflow the 2^24 where `f32` stops
    /// holding every integer.) Deliberately not `#[inline]`: one compiled copy
    /// serves the tagger, the lemmatizer and the NER tagger.
    pub fn add_raw(&self, features: &[u64], acc: &mut [i32]) {
        let n = self.labels.len();
        let acc = &mut acc[..n];
        // Scoring is bound by cache misses (one in the slot table, one in the
        // row). Prefetching all slots of a batch, then all their rows, puts
        // the misses of a whole batch in flight at once instead of paying
        // each latency in turn inside the dependent probe loop.
        const BATCH: usize = 48;
        let mut hits = [Slot::default(); BATCH];
        for chunk in features.chunks(BATCH) {
            for &f in chunk {
                if let Some(s) = self.slots.get(slot_index(f, self.shift)) {
                    prefetch(s);
                }
            }
            let mut m = 0;
            for &f in chunk {
                if let Some(s) = self.slot(f) {
                    let start = s.start as usize;
                    if s.len & DENSE != 0 {
                        if let Some(x) = self.dense.get(start) {
                            prefetch(x);
                        }
                    } else if let Some(x) = self.entries.get(start) {
                        prefetch(x);
                    }
                    hits[m] = s;
                    m += 1;
                }
            }
            for s in &hits[..m] {
                let start = s.start as usize;
                if s.len & DENSE != 0 {
                    let row = &self.dense[start..start + n];
                    for (a, &q) in acc.iter_mut().zip(row) {
                        *a += i32::from(q);
                    }
                } else {
                    for e in &self.entries[start..start + s.len as usize] {
                        acc[e.class as usize] += i32::from(e.q);
                    }
                }
            }
        }
    }

    /// Class scores from integer sums built by [`Model::add_raw`].
    pub fn finish(&self, acc: &[i32], scores: &mut [f32]) {
        for (s, &a) in scores.iter_mut().zip(acc).take(self.labels.len()) {
            *s = a as f32 * self.scale;
        }
    }

    /// Highest-scoring class, using `scores` as scratch space.
    #[inline]
    pub fn predict(&self, features: &[u64], scores: &mut [f32]) -> usize {
        self.score(features, scores);
        argmax(&scores[..self.labels.len()])
    }

    /// Raw (uncompressed) encoding, for embedding in a larger model file.
    pub fn write(&self, w: &mut Writer) {
        w.u16(VERSION);
        w.str(&self.kind);
        w.strs(&self.labels);
        w.f32(self.scale);
        // Rows sorted by key make the file independent of table layout and let
        // keys be delta-coded.
        let mut rows: Vec<Slot> = self.slots.iter().copied().filter(|s| s.len != 0).collect();
        rows.sort_unstable_by_key(|s| s.key);
        w.varint(rows.len() as u64);
        let mut prev = 0u64;
        for s in &rows {
            w.varint(s.key - prev);
            prev = s.key;
        }
        let rows: Vec<Vec<(u32, i16)>> = rows.iter().map(|&s| self.row_pairs(s)).collect();
        for r in &rows {
            w.varint(r.len() as u64);
        }
        // Columns (classes, then weights) compress better than interleaved pairs.
        for r in &rows {
            for &(c, _) in r {
                w.varint(c as u64);
            }
        }
        for r in &rows {
            for &(_, q) in r {
                w.i16(q);
            }
        }
    }

    /// Reads what [`Model::write`] wrote, validating every index.
    pub fn read(r: &mut Reader) -> Result<Model, ModelError> {
        let version = r.u16()?;
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
        let kind = r.str()?.to_string();
        let labels = r.strs()?;
        // Zero labels is legal (a classifier trained on nothing); it scores
        // nothing and callers must check `n_classes()` before using `predict`.
        if labels.len() > MAX_CLASSES {
            return Err(ModelError::Corrupt(format!(
                "model has {} labels",
                labels.len()
            )));
        }
        let scale = r.f32()?;
        if !scale.is_finite() || scale <= 0.0 {
            return Err(ModelError::Corrupt(format!("bad weight scale {scale}")));
        }
        let n = r.count(2)?;
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u64;
        for i in 0..n {
            let d = r.varint()?;
            if i > 0 && d == 0 {
                return Err(ModelError::Corrupt("duplicate feature key".into()));
            }
            prev = prev
                .checked_add(d)
                .ok_or_else(|| ModelError::Corrupt("feature key overflow".into()))?;
            keys.push(prev);
        }
        let mut lens = Vec::with_capacity(n);
        let mut total = 0usize;
        for _ in 0..n {
            let l = r.varint()?;
            if l == 0 || l > labels.len() as u64 {
                return Err(ModelError::Corrupt(format!("bad row length {l}")));
            }
            total += l as usize;
            lens.push(l as usize);
        }
        if total > r.remaining() / 3 {
            return Err(ModelError::Truncated("weights"));
        }
        let mut classes = Vec::with_capacity(total);
        for _ in 0..total {
            let c = r.varint()?;
            if c >= labels.len() as u64 {
                return Err(ModelError::Corrupt(format!("class {c} out of range")));
            }
            classes.push(c as u32);
        }
        let mut rows = Vec::with_capacity(n);
        let mut ci = 0;
        for (key, len) in keys.into_iter().zip(lens) {
            let mut row = Vec::with_capacity(len);
            for _ in 0..len {
                row.push((classes[ci], r.i16()?));
                ci += 1;
            }
            rows.push((key, row));
        }
        Ok(Self::from_quantized(kind, labels, scale, rows))
    }

    /// Self-contained compressed file (magic, version, zstd payload).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(&mut w);
        codec::pack(MAGIC, VERSION, &w.buf)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let payload = codec::unpack_version(MAGIC, VERSION, bytes)?;
        let mut r = Reader::new(&payload);
        let m = Self::read(&mut r)?;
        r.finish()?;
        Ok(m)
    }

    /// Like [`Model::from_bytes`] but also checks the model kind, so a parser
    /// model is never silently loaded as a tagger.
    pub fn from_bytes_of_kind(bytes: &[u8], kind: &str) -> Result<Model, ModelError> {
        let m = Self::from_bytes(bytes)?;
        if m.kind != kind {
            return Err(ModelError::WrongKind {
                expected: kind.to_string(),
                found: m.kind,
            });
        }
        Ok(m)
    }
}

/// Fibonacci hashing: re-mixes the key so even unhashed small integers spread
/// over the table.
#[inline(always)]
fn slot_index(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}
