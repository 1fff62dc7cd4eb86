//! Closed English word lists that more than one stage reads, kept in one place below them all.
//!
//! Each stage uses a list for its own job (a tagger feature, an extent rule, a name to strip,
//! a cue to attribute), so the lists are not merged into one: merging changes what the stages
//! find. Instead every word is written once, in the group it belongs to, and each stage's set
//! is the union of named groups; the difference between two stages' sets is written beside
//! the groups. Word lists that one stage alone reads stay in that stage.

pub mod speech;
pub mod titles;
