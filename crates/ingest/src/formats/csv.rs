//! CSV/TSV with a header row: one article per row, quoting checked before the csv crate reads it.

use super::Records;
use crate::fields::{map_record, FieldMap};
use crate::IngestError;
use std::path::Path;

/// CSV with a header row (comma, or tab for `.tsv`); one article per row.
///
/// The `csv` crate reads quotes leniently: a quote never closed runs its field to the
/// end of the file, and a quote closed inside a field lets the field go on. Either
/// can swallow the rows after it without a sign, so quoting is checked here too
/// (`quotes`): a row whose broken quote swallowed lines that look like rows is an
/// error naming the lines (its text mixes several articles); a row whose broken
/// quote stays on its own line is stored with a warning (its text is all there).
pub fn read_csv(
    text: &str,
    path: &Path,
    map: &FieldMap,
    delimiter: u8,
) -> Result<Records, IngestError> {
    // A BOM the decoder did not take (one inside a UTF-16 file) would rename column 1.
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| IngestError::malformed(path, "CSV", e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.len() < 2 {
        return Err(IngestError::malformed(
            path,
            "CSV",
            "header row has fewer than 2 columns",
        ));
    }
    let rows: Vec<(usize, usize, Result<::csv::StringRecord, ::csv::Error>)> = reader
        .records()
        .map(|r| {
            let (byte, line) = match &r {
                Ok(rec) => rec.position(),
                Err(e) => e.position(),
            }
            .map_or((usize::MAX, 0), |p| (p.byte() as usize, p.line() as usize));
            (byte, line, r)
        })
        .collect();
    if rows.is_empty() {
        return Err(IngestError::malformed(
            path,
            "CSV",
            "the header row is all there is: no data rows",
        ));
    }
    let problems = quotes::problems(text, delimiter, headers.len());
    let mut problems = problems.into_iter().peekable();
    let mut out = Vec::with_capacity(rows.len());
    for (i, (start, line, row)) in rows.iter().enumerate() {
        let end = rows.get(i + 1).map_or(text.len(), |r| r.0);
        let mut mine = Vec::new();
        while let Some(p) = problems.next_if(|p| p.open < end) {
            if p.open >= *start {
                mine.push(p);
            }
        }
        let record = format!("row {}", i + 1);
        let at = format!("row {} (line {line})", i + 1);
        out.push(read_row(row, &headers, map, path, &record, &at, &mine));
    }
    Ok(out)
}

fn read_row(
    row: &Result<::csv::StringRecord, ::csv::Error>,
    headers: &[String],
    map: &FieldMap,
    path: &Path,
    record: &str,
    at: &str,
    problems: &[quotes::Problem],
) -> Result<crate::RawArticle, IngestError> {
    let fail = |reason: String| IngestError::record(path, Some(record.to_string()), reason);
    if let Some(p) = problems.iter().find(|p| p.swallowed_rows > 0) {
        return Err(fail(p.error_reason()));
    }
    let row = row
        .as_ref()
        .map_err(|e| fail(format!("malformed CSV row: {e}")))?;
    // Trailing empty fields (a comma at the end of each line) lose nothing.
    let used = (0..row.len())
        .rev()
        .find(|&i| row.get(i).is_some_and(|f| !f.is_empty()))
        .map_or(0, |p| p + 1)
        .max(headers.len().min(row.len()));
    if row.len() < headers.len() || used > headers.len() {
        let mut reason = format!(
            "{at} has {} fields, the header has {}; the columns cannot be matched",
            if row.len() < headers.len() {
                row.len()
            } else {
                used
            },
            headers.len()
        );
        if let Some(p) = problems.first() {
            reason.push_str(&format!(" ({})", p.hint()));
        }
        return Err(fail(reason));
    }
    let fields = headers
        .iter()
        .cloned()
        .zip(row.iter().map(str::to_string))
        .collect();
    let mut raw = map_record(fields, map, "csv", record.to_string())
        .ok_or_else(|| fail("row has no article text".to_string()))?;
    raw.warnings = problems.iter().map(|p| p.warning(at)).collect();
    Ok(raw)
}

/// Quote checking with the state machine the `csv` crate reads by (RFC 4180, `""`
/// escapes a quote), so both agree on where fields and rows start.
mod quotes {
    use chronicle_core::Warning;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        /// The file ends inside the quoted field.
        Unterminated,
        /// The quote closes before the field ends (`"a "b" c"`: an undoubled quote).
        ClosedEarly,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Problem {
        pub kind: Kind,
        /// Byte offset and line of the opening quote.
        pub open: usize,
        pub open_line: usize,
        /// Last line the quoted part reaches.
        pub last_line: usize,
        /// Lines inside the quoted part that read as rows of the header's width.
        pub swallowed_rows: usize,
    }

    impl Problem {
        pub fn hint(&self) -> String {
            match self.kind {
                Kind::Unterminated => format!(
                    "the quote opened on line {} is never closed",
                    self.open_line
                ),
                Kind::ClosedEarly if self.last_line > self.open_line => format!(
                    "the quote opened on line {} is closed only on line {}, mid-field",
                    self.open_line, self.last_line
                ),
                Kind::ClosedEarly => format!(
                    "a quote inside the field opened on line {} is not doubled",
                    self.open_line
                ),
            }
        }

        pub fn error_reason(&self) -> String {
            let (lo, hi) = (self.open_line + 1, self.last_line);
            let lines = if lo == hi {
                format!("line {lo}")
            } else {
                format!("lines {lo}-{hi}")
            };
            let rows = match self.swallowed_rows {
                1 => "another row begins".to_string(),
                n => format!("{n} more rows begin"),
            };
            let runs = match self.kind {
                Kind::Unterminated => "runs to the end of the file and ",
                Kind::ClosedEarly => "",
            };
            format!(
                "{}, so the field {runs}swallows {lines}, where {rows}; fix the quote and ingest again",
                self.hint()
            )
        }

        pub fn warning(&self, at: &str) -> Warning {
            match self.kind {
                Kind::Unterminated => Warning::new(
                    "csv_unterminated_quote",
                    format!(
                        "{at}: {}; the field was read to the end of the file",
                        self.hint()
                    ),
                ),
                Kind::ClosedEarly => Warning::new(
                    "csv_stray_quote",
                    format!(
                        "{at}: {}; the field was read on past it, without that quote",
                        self.hint()
                    ),
                ),
            }
        }
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: `""` (escape), or the closing quote.
        QuoteInQuoted,
    }

    /// Every broken quote of `text`, in order.
    pub fn problems(text: &str, delimiter: u8, width: usize) -> Vec<Problem> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut state = State::FieldStart;
        let mut line = 1;
        let (mut open, mut open_line) = (0, 1);
        for (i, &b) in bytes.iter().enumerate() {
            let newline = b == b'\n' || b == b'\r';
            state = match state {
                State::FieldStart if b == b'"' => {
                    (open, open_line) = (i, line);
                    State::Quoted
                }
                State::FieldStart | State::Unquoted => {
                    if b == delimiter || newline {
                        State::FieldStart
                    } else {
                        State::Unquoted
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        State::QuoteInQuoted
                    } else {
                        State::Quoted
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        State::Quoted
                    } else if b == delimiter || newline {
                        State::FieldStart
                    } else {
                        out.push(problem(
                            Kind::ClosedEarly,
                            text,
                            (open, open_line),
                            (i, line),
                            delimiter,
                            width,
                        ));
                        State::Unquoted
                    }
                }
            };
            if b == b'\n' {
                line += 1;
            }
        }
        if state == State::Quoted {
            out.push(problem(
                Kind::Unterminated,
                text,
                (open, open_line),
                (bytes.len(), line),
                delimiter,
                width,
            ));
        }
        out
    }

    fn problem(
        kind: Kind,
        text: &str,
        (open, open_line): (usize, usize),
        (end, end_line): (usize, usize),
        delimiter: u8,
        width: usize,
    ) -> Problem {
        let quoted = text.get(open..end).unwrap_or("");
        let swallowed_rows = quoted
            .lines()
            .skip(1)
            .filter(|l| looks_like_row(l, delimiter, width))
            .count();
        let last_line = if text[..end].ends_with('\n') && end_line > open_line {
            end_line - 1
        } else {
            end_line
        };
        Problem {
            kind,
            open,
            open_line,
            last_line,
            swallowed_rows,
        }
    }

    /// A line that parses, alone, into exactly as many fields as the header has.
    fn looks_like_row(line: &str, delimiter: u8, width: usize) -> bool {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.bytes().filter(|&b| b == delimiter).count() + 1 < width {
            return false;
        }
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        let mut records = reader.records();
        matches!(
            (records.next(), records.next()),
            (Some(Ok(r)), None) if r.len() == width
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quote(field: &str) -> String {
        format!("\"{}\"", field.replace('"', "\"\""))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Rows written by the rules (every field quoted, quotes doubled) raise nothing.
        #[test]
        fn well_quoted_rows_raise_nothing(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z\",\n ]{0,12}", 3), 1..6)
        ) {
            let mut text = String::from("title,date,text\n");
            for r in &rows {
                text.push_str(&r.iter().map(|f| quote(f)).collect::<Vec<_>>().join(","));
                text.push('\n');
            }
            prop_assert!(quotes::problems(&text, b',', 3).is_empty());
        }

        /// Any text: problems point inside it, in order, and reading never panics.
        #[test]
        fn problems_stay_inside_the_text(text in "[a-z\",\n\r]{0,80}") {
            let ps = quotes::problems(&text, b',', 3);
            let mut last = 0;
            for p in &ps {
                prop_assert!(p.open < text.len() && p.open >= last);
                prop_assert!(p.open_line <= p.last_line);
                last = p.open;
            }
            let _ = read(&format!("title,date,text\n{text}"));
        }
    }

    fn read(text: &str) -> Result<Records, IngestError> {
        read_csv(text, Path::new("t.csv"), &FieldMap::default(), b',')
    }

    fn codes(r: &Result<crate::RawArticle, IngestError>) -> Vec<String> {
        match r {
            Ok(a) => a.warnings.iter().map(|w| w.code.clone()).collect(),
            Err(e) => vec![format!("error: {e}")],
        }
    }

    const HEAD: &str = "title,date,text\n";
    const ROW1: &str = "First,2025-03-01,\"The council met on Monday and approved the budget.\"\n";

    #[test]
    fn unterminated_quote_on_the_last_row_is_a_warning_on_that_row() {
        let text = format!(
            "{HEAD}{ROW1}Second,2025-03-02,\"The mayor said on Tuesday the vote was fair.\n"
        );
        let recs = read(&text).expect("reads");
        assert_eq!(recs.len(), 2);
        assert!(codes(&recs[0]).is_empty());
        let second = recs[1].as_ref().expect("row 2 kept");
        assert_eq!(second.body, "The mayor said on Tuesday the vote was fair.");
        assert_eq!(second.warnings.len(), 1);
        assert_eq!(second.warnings[0].code, "csv_unterminated_quote");
        assert!(
            second.warnings[0].message.contains("row 2 (line 3)"),
            "{}",
            second.warnings[0].message
        );
        assert!(second.warnings[0]
            .message
            .contains("line 3 is never closed"));
    }

    #[test]
    fn an_unterminated_quote_that_swallows_rows_is_an_error_naming_them() {
        let text = format!(
            "{HEAD}First,2025-03-01,\"The council met on Monday.\nSecond,2025-03-02,The mayor spoke.\nThird,2025-03-03,The opposition objected.\n"
        );
        let recs = read(&text).expect("reads");
        assert_eq!(recs.len(), 1);
        let e = recs[0].as_ref().expect_err("row cannot be trusted");
        let msg = e.to_string();
        assert!(msg.contains("t.csv [row 1]"), "{msg}");
        assert!(msg.contains("line 2 is never closed"), "{msg}");
        assert!(msg.contains("lines 3-4"), "{msg}");
        assert!(msg.contains("where 2 more rows begin"), "{msg}");
    }

    #[test]
    fn a_quote_closed_early_that_swallows_a_row_is_an_error() {
        // Row 1 forgets its closing quote; row 2's opening quote closes it.
        let text = format!(
            "{HEAD}First,2025-03-01,\"The council met on Monday.\nSecond,2025-03-02,\"The mayor spoke on Tuesday.\"\nThird,2025-03-03,\"The opposition objected.\"\n"
        );
        let recs = read(&text).expect("reads");
        assert_eq!(recs.len(), 2);
        let msg = recs[0]
            .as_ref()
            .expect_err("row 1 swallowed row 2")
            .to_string();
        assert!(
            msg.contains("closed only on line 3, mid-field, so the field swallows line 3, where another row begins"),
            "{msg}"
        );
        assert_eq!(
            recs[1].as_ref().expect("row 3 intact").body,
            "The opposition objected."
        );
    }

    #[test]
    fn an_undoubled_quote_on_one_line_is_a_warning() {
        let text =
            format!("{HEAD}{ROW1}Second,2025-03-02,\"The mayor said \"no\" to the plan.\"\n");
        let recs = read(&text).expect("reads");
        assert_eq!(codes(&recs[1]), ["csv_stray_quote"]);
        assert!(recs[1]
            .as_ref()
            .expect("kept")
            .body
            .contains("The mayor said no"));
    }

    #[test]
    fn multi_line_fields_and_doubled_quotes_are_fine() {
        let text = format!(
            "{HEAD}First,2025-03-01,\"Para one, with commas.\n\nPara \"\"two\"\".\"\r\n{ROW1}"
        );
        let recs = read(&text).expect("reads");
        assert_eq!(recs.len(), 2);
        assert!(codes(&recs[0]).is_empty() && codes(&recs[1]).is_empty());
        assert!(recs[0].as_ref().expect("ok").body.contains("Para \"two\"."));
    }

    #[test]
    fn ragged_rows_name_the_row_line_and_widths() {
        let text = format!(
            "{HEAD}{ROW1}Second,2025-03-02\nThird,2025-03-03,Text here.,extra\nFourth,2025-03-04,Text here too.,,\n"
        );
        let recs = read(&text).expect("reads");
        let msg = recs[1].as_ref().expect_err("short row").to_string();
        assert!(
            msg.contains("row 2 (line 3) has 2 fields, the header has 3"),
            "{msg}"
        );
        let msg = recs[2].as_ref().expect_err("long row").to_string();
        assert!(
            msg.contains("row 3 (line 4) has 4 fields, the header has 3"),
            "{msg}"
        );
        // Trailing empty fields carry nothing.
        assert_eq!(
            recs[3].as_ref().expect("trailing commas").body,
            "Text here too."
        );
    }

    #[test]
    fn header_only_is_an_error() {
        let e = read(HEAD).expect_err("no rows");
        assert!(e.to_string().contains("no data rows"), "{e}");
    }

    #[test]
    fn byte_order_mark_does_not_rename_the_first_column() {
        let recs = read(&format!("\u{feff}{HEAD}{ROW1}")).expect("reads");
        assert_eq!(
            recs[0].as_ref().expect("ok").title.as_deref(),
            Some("First")
        );
    }
}
