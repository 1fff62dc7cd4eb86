//! Weight tables for the averaged perceptron.
//!
//! Why not `chronicle-ml`'s sparse perceptron: the parser scores ~110 features
//! for every one of ~2n transitions, and a hash-map probe per (feature, class)
//! would cost several times the whole speed budget. Here a feature hash picks a
//! *dense row* of a fixed-size table holding every class's weight, so one cache
//! line serves all transitions of a feature; collisions are the price, and at
//! 2^20 rows they cost nothing measurable.

/// Frozen table used for parsing: `q[row * width + class]`, in units of
/// `scale`. Parsing sums the `i16` steps in `i32`: half the memory (and cache
/// misses) of `f32`, exact, and the argmax does not need the scale at all.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub bits: u32,
    pub width: usize,
    pub scale: f32,
    pub q: Vec<i16>,
}

#[inline(always)]
pub(crate) fn row_of(h: u64, bits: u32) -> usize {
    (h >> (64 - bits)) as usize
}

impl Table {
    /// Adds the rows of `feats` into `out[..width]`. 2^26 rows of at most
    /// 32767 per feature cannot overflow `i32` for the few hundred features
    /// a decision uses.
    #[inline]
    pub fn score(&self, feats: &[u64], out: &mut [i32]) {
        let width = self.width;
        let out = &mut out[..width];
        out.iter_mut().for_each(|x| *x = 0);
        if width > 8 {
            // Wide (label) rows: the summing loop is long enough per row that
            // the CPU's reorder window covers only a few rows, so their cache
            // misses would be served one after another. A first pass that
            // only touches every row starts all the misses at once; the
            // second pass then reads from cache. (A safe stand-in for a
            // prefetch instruction.)
            let mut touch = 0i16;
            for &h in feats {
                let start = row_of(h, self.bits) * width;
                if let (Some(a), Some(b)) = (self.q.get(start), self.q.get(start + width - 1)) {
                    touch ^= *a ^ *b;
                }
            }
            std::hint::black_box(touch);
        }
        for &h in feats {
            let start = row_of(h, self.bits) * width;
            if let Some(row) = self.q.get(start..start + width) {
                for (o, &x) in out.iter_mut().zip(row) {
                    *o += i32::from(x);
                }
            }
        }
    }

    pub fn from_quantized(bits: u32, width: usize, scale: f32, q: Vec<i16>) -> Table {
        Table {
            bits,
            width,
            scale,
            q,
        }
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

    /// Averaged weights, quantised to `i16` steps over the largest magnitude.
    pub fn average(&self, time: i64) -> Table {
        let t = time.max(1) as f64;
        let avg: Vec<f64> = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| f64::from(w) - a as f64 / t)
            .collect();
        let max = avg.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 {
            (max / 32767.0) as f32
        } else {
            1.0
        };
        let q: Vec<i16> = avg
            .iter()
            .map(|&x| (x / f64::from(scale)).round().clamp(-32767.0, 32767.0) as i16)
            .collect();
        Table::from_quantized(self.bits, self.width, scale, q)
    }
}
