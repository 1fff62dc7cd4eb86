//! A bundled open gazetteer and place lookup.
//!
//! The data is GeoNames (CC BY 4.0): every country, every first-level division
//! (ADM1) that has a GeoNames admin1 code, and every city with more than 15,000
//! people, with the Latin-script alternate names English news could use. It is
//! embedded (`data/gazetteer.v1.tsv.zst`, built by `examples/build_gazetteer.rs`),
//! so lookups need no network and no files.
//!
//! [`Gazetteer::lookup`] takes a place as our events store it ("Aleppo",
//! "eastern Aleppo", "Homs province", "Syria's Homs", "the Syrian capital") and
//! returns the best match: by name or alternate name, preferring the countries
//! the caller names (the event's actors), then countries over cities over
//! divisions, then the most populous.

mod data;
mod fold;
mod lookup;

pub use data::{Adm1, City, Country, Gazetteer};
pub use fold::{ascii, key};
pub use lookup::{Place, PlaceKind};

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("gazetteer {name}: cannot decompress: {source}")]
    Decompress {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("gazetteer {name}: not UTF-8 text")]
    NotText { name: String },
    #[error("gazetteer {name}: first line must be `chronicle-gazetteer<TAB>1`, found {found:?}")]
    BadHeader { name: String, found: String },
    #[error("gazetteer {name}, line {line}: {reason}")]
    BadLine {
        name: String,
        line: usize,
        reason: String,
    },
}

static EMBEDDED: &[u8] = include_bytes!("../data/gazetteer.v1.tsv.zst");

impl Gazetteer {
    /// The bundled gazetteer, read once per process.
    pub fn embedded() -> Result<&'static Gazetteer, &'static GeoError> {
        static SHARED: std::sync::OnceLock<Result<Gazetteer, GeoError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| Gazetteer::from_zstd("embedded gazetteer.v1", EMBEDDED))
            .as_ref()
    }
}
