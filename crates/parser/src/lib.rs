//! chronicle-parser
