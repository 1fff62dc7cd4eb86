//! chronicle-tagger
