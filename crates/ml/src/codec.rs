//! Little-endian binary codec and the zstd file envelope shared by every
//! Chronicle model file.
//!
//! Envelope: 8 magic bytes, `u16` format version, `u64` uncompressed length,
//! then one zstd frame (with checksum) holding the payload. Readers check every
//! length against the bytes actually left before allocating, so a corrupt or
//! hostile file yields a [`ModelError`] instead of a panic or a huge allocation.

use crate::ModelError;
use std::io::Read;

/// Payloads larger than this are rejected before decompression; no Chronicle
/// model comes near it and it bounds what a forged header can make us allocate.
pub const MAX_PAYLOAD: u64 = 1 << 30;

const HEADER_LEN: usize = 8 + 2 + 8;

/// Compresses `payload` into the envelope. Deterministic: same payload, same bytes.
pub fn pack(magic: &[u8; 8], version: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len() / 3);
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    // Compressing into memory can only fail inside zstd itself (allocation),
    // which no caller could recover from; it does not depend on the input.
    let mut enc = match zstd::stream::write::Encoder::new(out, 19) {
        Ok(e) => e,
        Err(e) => panic!("zstd encoder init failed: {e}"),
    };
    let _ = enc.include_checksum(true);
    if let Err(e) = std::io::Write::write_all(&mut enc, payload) {
        panic!("zstd compression failed: {e}");
    }
    match enc.finish() {
        Ok(v) => v,
        Err(e) => panic!("zstd compression failed: {e}"),
    }
}

/// [`unpack`] for a reader of one format version: the payload, or
/// `UnsupportedVersion` naming both.
pub fn unpack_version(
    magic: &[u8; 8],
    supported: u16,
    bytes: &[u8],
) -> Result<Vec<u8>, ModelError> {
    let (found, payload) = unpack(magic, bytes)?;
    if found != supported {
        return Err(ModelError::UnsupportedVersion { found, supported });
    }
    Ok(payload)
}

/// Opens an envelope written by [`pack`], returning `(version, payload)`.
pub fn unpack(magic: &[u8; 8], bytes: &[u8]) -> Result<(u16, Vec<u8>), ModelError> {
    if bytes.len() < 8 || &bytes[..8] != magic {
        return Err(ModelError::BadMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(ModelError::Truncated("header"));
    }
    let mut r = Reader::new(&bytes[8..HEADER_LEN]);
    let version = r.u16()?;
    let len = r.u64()?;
    if len > MAX_PAYLOAD {
        return Err(ModelError::Corrupt(format!(
            "payload length {len} too large"
        )));
    }
    let dec = zstd::stream::read::Decoder::new(&bytes[HEADER_LEN..])
        .map_err(|e| ModelError::Decompress(e.to_string()))?;
    let mut payload = Vec::new();
    dec.take(len + 1)
        .read_to_end(&mut payload)
        .map_err(|e| ModelError::Decompress(e.to_string()))?;
    if payload.len() as u64 != len {
        return Err(ModelError::Corrupt(format!(
            "payload is {} bytes, header says {len}",
            payload.len()
        )));
    }
    Ok((version, payload))
}

/// Append-only little-endian writer.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// LEB128 unsigned varint: most lengths and deltas fit one byte.
    pub fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.varint(items.len() as u64);
        for s in items {
            self.str(s.as_ref());
        }
    }
}

/// Bounds-checked reader over a payload; every method fails with
/// [`ModelError::Truncated`] rather than reading past the end.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }
    /// Errors unless every byte was consumed: trailing garbage means the file is
    /// not what its header claims.
    pub fn finish(&self) -> Result<(), ModelError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ModelError::Corrupt(format!(
                "{} unexpected trailing bytes",
                self.remaining()
            )))
        }
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if n > self.remaining() {
            return Err(ModelError::Truncated("bytes"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    pub fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7F) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt("varint longer than 64 bits".into()))
    }
    /// A count of items each at least `min_item_bytes` long; rejecting counts the
    /// remaining input cannot hold keeps forged lengths from driving allocation.
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize, ModelError> {
        let n = self.varint()?;
        let max = self.remaining() / min_item_bytes.max(1);
        if n > max as u64 {
            return Err(ModelError::Truncated("item count"));
        }
        Ok(n as usize)
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], ModelError> {
        let n = self.count(1)?;
        self.take(n)
    }
    pub fn str(&mut self) -> Result<&'a str, ModelError> {
        std::str::from_utf8(self.bytes()?)
            .map_err(|_| ModelError::Corrupt("string is not UTF-8".into()))
    }
    pub fn strs(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.count(1)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.str()?.to_string());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trip_and_rejects() {
        let payload: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let packed = pack(b"TESTMAGC", 3, &payload);
        assert_eq!(packed, pack(b"TESTMAGC", 3, &payload));
        assert_eq!(unpack(b"TESTMAGC", &packed).unwrap(), (3, payload));
        assert_eq!(unpack(b"OTHERMAG", &packed), Err(ModelError::BadMagic));
        for cut in 0..packed.len() {
            assert!(unpack(b"TESTMAGC", &packed[..cut]).is_err());
        }
    }

    #[test]
    fn varint_and_strings() {
        let mut w = Writer::new();
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            w.varint(v);
        }
        w.strs(&["a", "ßx"]);
        let buf = w.into_inner();
        let mut r = Reader::new(&buf);
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert_eq!(r.strs().unwrap(), vec!["a".to_string(), "ßx".to_string()]);
        r.finish().unwrap();
        assert!(Reader::new(&[0xFF; 20]).varint().is_err());
        assert!(Reader::new(&[0x05, b'a']).str().is_err());
    }
}
