//! Chronicle's shared statistical core: a multi-class averaged perceptron over
//! sparse hashed features, plus the hashing, binary codec and deterministic PRNG
//! every model built on it needs.
//!
//! The POS tagger, NER tagger and dependency parser all reduce to "pick one of a
//! few dozen labels from a few dozen sparse string features", so they share one
//! trainer ([`Perceptron`]), one frozen inference form ([`Model`]) and one file
//! envelope ([`codec::pack`]/[`codec::unpack`]). Features are 64-bit hashes so
//! feature extraction never allocates: build them with [`hash`].

pub mod codec;
pub mod hash;
mod memo;
mod model;
mod perceptron;
mod rng;
pub mod table;

pub use memo::Memo;
pub use model::{argmax, Model, MAX_CLASSES};
pub use perceptron::Perceptron;
pub use rng::SplitMix64;
pub use table::Table;

/// Everything that can go wrong reading a model; a corrupt or truncated file is
/// always reported through this type, never by a panic.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("not a Chronicle model of the expected type (bad magic bytes)")]
    BadMagic,
    #[error("model format version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("model data truncated while reading {0}")]
    Truncated(&'static str),
    #[error("model data corrupt: {0}")]
    Corrupt(String),
    #[error("model decompression failed: {0}")]
    Decompress(String),
    #[error("model kind mismatch: expected {expected:?}, found {found:?}")]
    WrongKind { expected: String, found: String },
}
