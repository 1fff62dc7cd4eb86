//! Model file: 8 magic bytes, `u16` version, `u64` payload length, then one
//! zstd frame. Weight tables are stored as their 256-entry codebook and
//! one-byte codes with zero runs collapsed, because most hashed rows of the label tables are empty and
//! most entries of a used row are zero.

use crate::weights::{LabelTable, TransTable};
use crate::{tag_ids, ParserError, ParserModel};
use chronicle_ml::Table;
use std::io::Read;

const MAGIC: &[u8; 8] = b"CHRNPARS";
const VERSION: u16 = 2;
const MAX_PAYLOAD: u64 = 1 << 30;
const MAX_BITS: u32 = 26;
const MAX_WIDTH: usize = 1024;

struct W(Vec<u8>);

impl W {
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn strs(&mut self, v: &[String]) {
        self.var(v.len() as u64);
        for s in v {
            self.var(s.len() as u64);
            self.0.extend_from_slice(s.as_bytes());
        }
    }
    fn trans(&mut self, t: &TransTable) {
        self.u32(t.bits);
        for &x in &t.lut {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
        self.var(t.rows.iter().filter(|r| **r != [0; 4]).count() as u64);
        let mut run = 0u64;
        for r in t.rows.iter() {
            if *r == [0; 4] {
                run += 1;
            } else {
                self.var(run);
                self.0.extend_from_slice(r);
                run = 0;
            }
        }
    }
    fn labels(&mut self, t: &LabelTable) {
        self.u32(t.bits);
        self.u32(t.width as u32);
        self.0.extend_from_slice(&t.scale.to_le_bytes());
        self.var(t.q.iter().filter(|&&x| x != 0).count() as u64);
        let mut run = 0u64;
        for &x in t.q.iter() {
            if x == 0 {
                run += 1;
            } else {
                self.var(run);
                let z = ((i32::from(x) << 1) ^ (i32::from(x) >> 31)) as u32;
                self.var(u64::from(z));
                run = 0;
            }
        }
    }
}

struct R<'a> {
    b: &'a [u8],
}

impl<'a> R<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ParserError> {
        if self.b.len() < n {
            return Err(ParserError::Truncated(what));
        }
        let (a, rest) = self.b.split_at(n);
        self.b = rest;
        Ok(a)
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, ParserError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, ParserError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn var(&mut self, what: &'static str) -> Result<u64, ParserError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1, what)?[0];
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ParserError::Corrupt(format!("overlong varint in {what}")))
    }
    fn len(&mut self, what: &'static str) -> Result<usize, ParserError> {
        let n = self.var(what)?;
        // Every counted item takes at least one byte, so a count larger than
        // the bytes left is corrupt; checking first bounds allocations.
        if n > self.b.len() as u64 {
            return Err(ParserError::Corrupt(format!(
                "{what}: count {n} exceeds data"
            )));
        }
        Ok(n as usize)
    }
    fn strs(&mut self, what: &'static str) -> Result<Vec<String>, ParserError> {
        let n = self.len(what)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let l = self.len(what)?;
            let s = std::str::from_utf8(self.take(l, what)?)
                .map_err(|_| ParserError::Corrupt(format!("{what}: invalid UTF-8")))?;
            out.push(s.to_string());
        }
        Ok(out)
    }
    /// Position of the next non-zero entry: the previous one plus a run of zeros.
    fn skip(&mut self, pos: usize, len: usize, what: &'static str) -> Result<usize, ParserError> {
        let run = self.var(what)?;
        usize::try_from(run)
            .ok()
            .and_then(|r| pos.checked_add(r))
            .filter(|&p| p < len)
            .ok_or_else(|| ParserError::Corrupt(format!("{what}: entry out of range")))
    }
    fn f32(&mut self, what: &'static str) -> Result<f32, ParserError> {
        let b = self.take(4, what)?;
        let x = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if x.is_finite() {
            Ok(x)
        } else {
            Err(ParserError::Corrupt(format!("{what}: non-finite number")))
        }
    }
    fn bits(&mut self, what: &'static str) -> Result<u32, ParserError> {
        let bits = self.u32(what)?;
        if (1..=MAX_BITS).contains(&bits) {
            Ok(bits)
        } else {
            Err(ParserError::Corrupt(format!(
                "{what}: 2^{bits} rows out of range"
            )))
        }
    }
    fn trans(&mut self, what: &'static str) -> Result<TransTable, ParserError> {
        let bits = self.bits(what)?;
        let lut = (0..256)
            .map(|_| self.f32(what))
            .collect::<Result<Vec<_>, _>>()?;
        let len = 1usize << bits;
        let nnz = self.len(what)?;
        let mut rows = Table::<[u8; 4]>::zeroed(len);
        let mut pos = 0usize;
        for _ in 0..nnz {
            pos = self.skip(pos, len, what)?;
            let b = self.take(4, what)?;
            rows[pos] = [b[0], b[1], b[2], b[3]];
            pos += 1;
        }
        Ok(TransTable { bits, lut, rows })
    }
    fn labels(&mut self, what: &'static str) -> Result<LabelTable, ParserError> {
        let bits = self.bits(what)?;
        let width = self.u32(what)? as usize;
        if !(1..=MAX_WIDTH).contains(&width) {
            return Err(ParserError::Corrupt(format!(
                "{what}: width {width} out of range"
            )));
        }
        let scale = self.f32(what)?;
        if scale <= 0.0 {
            return Err(ParserError::Corrupt(format!("{what}: bad scale {scale}")));
        }
        let len = (1usize << bits) * width;
        let nnz = self.len(what)?;
        let mut q = Table::<i16>::zeroed(len);
        let mut pos = 0usize;
        for _ in 0..nnz {
            pos = self.skip(pos, len, what)?;
            let z = self.var(what)?;
            let x = u32::try_from(z)
                .ok()
                .map(|z| ((z >> 1) as i32) ^ -((z & 1) as i32))
                .and_then(|x| i16::try_from(x).ok())
                .ok_or_else(|| ParserError::Corrupt(format!("{what}: weight out of range")))?;
            q[pos] = x;
            pos += 1;
        }
        Ok(LabelTable {
            bits,
            width,
            scale,
            q,
        })
    }
}

pub(crate) fn encode(m: &ParserModel) -> Vec<u8> {
    let mut w = W(Vec::new());
    w.strs(&m.labels);
    w.strs(&m.upos);
    w.strs(&m.xpos);
    w.u16(m.root_label);
    for d in &m.dir_labels {
        w.var(d.len() as u64);
        for &l in d {
            w.u16(l);
        }
    }
    w.trans(&m.trans);
    w.labels(&m.label_tables[0]);
    w.labels(&m.label_tables[1]);
    let payload = w.0;

    let mut out = Vec::with_capacity(payload.len() / 3 + 18);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    // In-memory compression fails only if zstd cannot allocate, which no input
    // can cause and no caller could handle.
    match zstd::bulk::compress(&payload, 19) {
        Ok(c) => out.extend_from_slice(&c),
        Err(e) => panic!("zstd compression failed: {e}"),
    }
    out
}

pub(crate) fn decode(bytes: &[u8]) -> Result<ParserModel, ParserError> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(ParserError::BadMagic);
    }
    let mut hdr = R { b: &bytes[8..] };
    let version = hdr.u16("header")?;
    if version != VERSION {
        return Err(ParserError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let lb = hdr.take(8, "header")?;
    let len = u64::from_le_bytes([lb[0], lb[1], lb[2], lb[3], lb[4], lb[5], lb[6], lb[7]]);
    if len > MAX_PAYLOAD {
        return Err(ParserError::Corrupt(format!(
            "payload length {len} too large"
        )));
    }
    let mut payload = Vec::new();
    zstd::stream::read::Decoder::new(hdr.b)
        .map_err(|e| ParserError::Decompress(e.to_string()))?
        .take(len + 1)
        .read_to_end(&mut payload)
        .map_err(|e| ParserError::Decompress(e.to_string()))?;
    if payload.len() as u64 != len {
        return Err(ParserError::Corrupt(format!(
            "payload is {} bytes, header says {len}",
            payload.len()
        )));
    }
    let mut r = R { b: &payload };
    let labels = r.strs("labels")?;
    let upos = r.strs("upos")?;
    let xpos = r.strs("xpos")?;
    let root_label = r.u16("root label")?;
    if usize::from(root_label) >= labels.len() {
        return Err(ParserError::Corrupt("root label out of range".into()));
    }
    let mut dir_labels: [Vec<u16>; 2] = [Vec::new(), Vec::new()];
    for d in &mut dir_labels {
        let n = r.len("direction labels")?;
        for _ in 0..n {
            let l = r.u16("direction labels")?;
            if usize::from(l) >= labels.len() {
                return Err(ParserError::Corrupt("direction label out of range".into()));
            }
            d.push(l);
        }
    }
    let trans = r.trans("transition table")?;
    let l0 = r.labels("left label table")?;
    let l1 = r.labels("right label table")?;
    if l0.width < dir_labels[0].len() || l1.width < dir_labels[1].len() {
        return Err(ParserError::Corrupt("label table too narrow".into()));
    }
    if !r.b.is_empty() {
        return Err(ParserError::Corrupt("trailing data".into()));
    }
    Ok(ParserModel {
        upos_ids: tag_ids(&upos),
        xpos_ids: tag_ids(&xpos),
        labels,
        root_label,
        dir_labels,
        upos,
        xpos,
        trans,
        label_tables: [l0, l1],
    })
}
