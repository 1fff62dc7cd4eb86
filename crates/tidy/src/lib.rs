//! Holds no code: its tests (`tests/tidy.rs`) check the workspace's written rules.
//!
//! The checks read the source tree as text, as rust-analyzer's `xtask/src/tidy.rs` does, so
//! they need no dependency and run with every `cargo test`.
