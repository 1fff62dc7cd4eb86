use crate::codec::{self, Reader, Writer};
use crate::ModelError;

const MAGIC: &[u8; 8] = b"CHRNPCPT";
const VERSION: u16 = 1;

/// One non-zero averaged weight. Rows are stored sparsely because a typical
/// feature (a rare word, a suffix) carries weight for only a handful of the
/// classes; a dense row per feature would be tens of times larger.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
struct Entry {
    class: u32,
    weight: f32,
}

/// Open-addressing slot: the feature key plus where its row lives, so one probe
/// that hits yields the whole contiguous row. `len == 0` marks an empty slot
/// (features without weights are never stored).
#[derive(Debug, Clone, Copy, Default)]
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
    slots: Vec<Slot>,
    shift: u32,
    entries: Vec<Entry>,
    n_features: usize,
}

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
        let mut slots = vec![Slot::default(); cap];
        let mut entries = Vec::with_capacity(rows.iter().map(|(_, r)| r.len()).sum());
        for (key, row) in rows {
            let start = entries.len() as u32;
            for (class, q) in &row {
                entries.push(Entry {
                    class: *class,
                    weight: *q as f32 * scale,
                });
            }
            let mut i = slot_index(key, shift);
            while slots[i].len != 0 {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = Slot {
                key,
                start,
                len: row.len() as u32,
            };
        }
        Model {
            kind,
            labels,
            scale,
            slots,
            shift,
            entries,
            n_features: n,
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
    /// Number of stored (feature, class) weights.
    pub fn n_weights(&self) -> usize {
        self.entries.len()
    }

    #[inline]
    fn row(&self, key: u64) -> &[Entry] {
        let mask = self.slots.len() - 1;
        let mut i = slot_index(key, self.shift);
        loop {
            let s = self.slots[i];
            if s.len == 0 {
                return &[];
            }
            if s.key == key {
                return &self.entries[s.start as usize..(s.start + s.len) as usize];
            }
            i = (i + 1) & mask;
        }
    }

    /// Writes the class scores for `features` into `scores[..n_classes]`
    /// (overwriting). Unknown features contribute nothing. `scores` must hold at
    /// least `n_classes()` values.
    #[inline]
    pub fn score(&self, features: &[u64], scores: &mut [f32]) {
        let scores = &mut scores[..self.labels.len()];
        scores.fill(0.0);
        for &f in features {
            for e in self.row(f) {
                scores[e.class as usize] += e.weight;
            }
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
        for s in &rows {
            w.varint(s.len as u64);
        }
        // Columns (classes, then weights) compress better than interleaved pairs.
        for s in &rows {
            for e in &self.entries[s.start as usize..(s.start + s.len) as usize] {
                w.varint(e.class as u64);
            }
        }
        for s in &rows {
            for e in &self.entries[s.start as usize..(s.start + s.len) as usize] {
                w.i16((e.weight / self.scale).round() as i16);
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
        if labels.is_empty() {
            return Err(ModelError::Corrupt("model has no labels".into()));
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
        let (version, payload) = codec::unpack(MAGIC, bytes)?;
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
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
