//! One reader per input format. Each turns decoded input into `RawArticle`s; a bad
//! record inside a multi-record file is reported on its own and the others still load.

pub mod csv;
pub mod feed;
pub mod html;
pub mod html_boilerplate;
pub mod html_dates;
pub mod html_depth;
pub mod html_main;
pub mod html_text_dates;
pub mod html_title;
pub mod html_zone;
pub mod json;
pub mod warc;

use crate::{IngestError, RawArticle};

/// What a multi-record reader yields: the articles, and the records it had to skip.
pub type Records = Vec<Result<RawArticle, IngestError>>;
