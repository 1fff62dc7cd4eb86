//! Weight tables for the averaged perceptron.
//!
//! Why not `chronicle-ml`'s sparse perceptron: the parser scores ~110 features
//! for every one of ~2n transitions, and a hash-map probe per (feature, class)
//! would cost several times the whole speed budget. Here a feature hash picks a
//! *dense row* of a fixed-size table holding every class's weight, so one cache
//! line serves all transitions of a feature; collisions are the price, and at
//! 2^20 rows they cost nothing measurable.

use chronicle_ml::table::prefetch;
use chronicle_ml::Table;

#[inline(always)]
pub(crate) fn row_of(h: u64, bits: u32) -> usize {
    (h >> (64 - bits)) as usize
}

/// Frozen transition table: a row of four one-byte codes (SHIFT, LEFT, RIGHT,
/// padding) per hashed feature, decoded through `lut`. Parsing is bound by
/// the cache misses of ~115 row reads per transition, so a 4-byte row (a
/// quarter of `f32`) keeps twice the rows of an `i16` table in the same
/// cache. Codes are logarithmic (see [`Codebook`]): perceptron weights span
/// orders of magnitude and what matters is their relative size; on EWT dev
/// this costs nothing measurable against `i16`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TransTable {
    pub bits: u32,
    pub lut: Vec<f32>,
    pub rows: Table<[u8; 4]>,
}

impl TransTable {
    #[inline]
    pub fn score(&self, feats: &[u64]) -> [f32; 4] {
        let mut acc = [0f32; 4];
        let lut: &[f32; 256] = match self.lut.as_slice().try_into() {
            Ok(l) => l,
            Err(_) => return acc,
        };
        let rows: &[[u8; 4]] = &self.rows;
        // As in `LabelTable::score`: touching every row first puts all their
        // cache misses in flight at once; the summing pass then reads from cache.
        for &h in feats {
            if let Some(row) = rows.get(row_of(h, self.bits)) {
                prefetch(row);
            }
        }
        for &h in feats {
            if let Some(row) = rows.get(row_of(h, self.bits)) {
                for (a, &c) in acc.iter_mut().zip(row) {
                    *a += lut[usize::from(c)];
                }
            }
        }
        acc
    }
}

/// Frozen label table: `q[row * width + label]` in units of `scale`. Label rows
/// are wide (~40 labels), where summing `i16` in `i32` vectorises and a
/// byte-code lookup per weight would not.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabelTable {
    pub bits: u32,
    pub width: usize,
    pub scale: f32,
    pub q: Table<i16>,
}

impl LabelTable {
    /// Adds the rows of `feats` into `out[..width]`; a few hundred rows of at
    /// most 32767 cannot overflow `i32`.
    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i32]) {
        let width = self.width;
        let out = &mut out[..width];
        out.iter_mut().for_each(|x| *x = 0);
        // The summing loop per row is long enough that the CPU's reorder
        // window covers only a few rows, so their cache misses would be
        // served one after another. A first pass that only touches every row
        // starts all the misses at once; the second pass then reads from
        // cache. (A safe stand-in for a prefetch instruction.)
        let q: &[i16] = &self.q;
        let mut touch = 0i16;
        for &h in feats {
            let start = row_of(h, self.bits) * width;
            if let (Some(a), Some(b)) = (q.get(start), q.get(start + width - 1)) {
                touch ^= *a ^ *b;
            }
        }
        std::hint::black_box(touch);
        for &h in feats {
            let start = row_of(h, self.bits) * width;
            if let Some(row) = q.get(start..start + width) {
                for (o, &x) in out.iter_mut().zip(row) {
                    *o += i32::from(x);
                }
            }
        }
    }
}

/// Sign + 7-bit logarithmic code: |w| = s·(e^(k·step) − 1) for k = 0..=127,
/// linear near zero (below `s`) and geometric above, so every weight keeps
/// about the same relative precision (a few percent). Code 0 is exactly 0.
pub(crate) struct Codebook {
    s: f64,
    step: f64,
}

impl Codebook {
    pub fn fit(values: &[f64]) -> Codebook {
        let mut mags: Vec<f64> = values
            .iter()
            .map(|x| x.abs())
            .filter(|&x| x > 0.0)
            .collect();
        let max = mags.iter().fold(0.0f64, |m, &x| m.max(x));
        if mags.is_empty() {
            return Codebook { s: 1.0, step: 1.0 };
        }
        let mid = mags.len() / 2;
        let (_, median, _) = mags.select_nth_unstable_by(mid, f64::total_cmp);
        // Below a tenth of the typical weight, precision stops mattering.
        let s = (*median / 10.0).max(max * 1e-9).max(f64::MIN_POSITIVE);
        Codebook {
            s,
            step: (1.0 + max / s).ln() / 127.0,
        }
    }

    pub fn encode(&self, w: f64) -> u8 {
        let k = ((1.0 + w.abs() / self.s).ln() / self.step)
            .round()
            .clamp(0.0, 127.0) as u8;
        if k == 0 {
            0
        } else if w < 0.0 {
            k | 0x80
        } else {
            k
        }
    }

    pub fn lut(&self) -> Vec<f32> {
        (0..=255u8)
            .map(|c| {
                let k = f64::from(c & 0x7F);
                let mag = self.s * ((k * self.step).exp() - 1.0);
                (if c & 0x80 != 0 { -mag } else { mag }) as f32
            })
            .collect()
    }
}

/// Trainable table. Integer weights (perceptron updates are ±1) keep training
/// exactly reproducible; `acc` holds Σ t·Δ so the average over all `t` steps is
/// `w - acc / t` without touching every weight at every step.
#[derive(Debug, Clone)]
pub(crate) struct TrainTable {
    pub bits: u32,
    pub width: usize,
    w: Vec<i32>,
    acc: Vec<i64>,
}

impl TrainTable {
    pub fn new(bits: u32, width: usize) -> TrainTable {
        let len = (1usize << bits) * width;
        TrainTable {
            bits,
            width,
            w: vec![0; len],
            acc: vec![0; len],
        }
    }

    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i64]) {
        let width = self.width;
        let out = &mut out[..width];
        out.iter_mut().for_each(|x| *x = 0);
        for &h in feats {
            let start = row_of(h, self.bits) * width;
            let row = &self.w[start..start + width];
            for (o, &x) in out.iter_mut().zip(row) {
                *o += i64::from(x);
            }
        }
    }

    #[inline]
    pub fn update(&mut self, feats: &[u64], class: usize, delta: i32, time: i64) {
        for &h in feats {
            let i = row_of(h, self.bits) * self.width + class;
            self.w[i] += delta;
            self.acc[i] += time * i64::from(delta);
        }
    }

    fn averaged(&self, time: i64) -> Vec<f64> {
        let t = time.max(1) as f64;
        self.w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| f64::from(w) - a as f64 / t)
            .collect()
    }

    /// Averaged weights as a transition table (the table must be 4 wide).
    pub fn average_trans(&self, time: i64) -> TransTable {
        let avg = self.averaged(time);
        let book = Codebook::fit(&avg);
        TransTable {
            bits: self.bits,
            lut: book.lut(),
            rows: avg
                .chunks_exact(4)
                .map(|r| {
                    [
                        book.encode(r[0]),
                        book.encode(r[1]),
                        book.encode(r[2]),
                        book.encode(r[3]),
                    ]
                })
                .collect::<Vec<_>>()
                .into(),
        }
    }

    /// Averaged weights as a label table, in `i16` steps of the largest magnitude.
    pub fn average_labels(&self, time: i64) -> LabelTable {
        let avg = self.averaged(time);
        let max = avg.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 {
            (max / 32767.0) as f32
        } else {
            1.0
        };
        LabelTable {
            bits: self.bits,
            width: self.width,
            scale,
            q: avg
                .iter()
                .map(|&x| (x / f64::from(scale)).round().clamp(-32767.0, 32767.0) as i16)
                .collect::<Vec<_>>()
                .into(),
        }
    }
}
