use super::Records;
use crate::fields::{map_record, FieldMap};
use crate::IngestError;
use std::path::Path;

/// CSV with a header row (comma, or tab for `.tsv`); one article per row.
pub fn read_csv(
    text: &str,
    path: &Path,
    map: &FieldMap,
    delimiter: u8,
) -> Result<Records, IngestError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
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
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        // header is line 1; rows may span lines, so name the row number
        let record = format!("row {}", i + 1);
        match row {
            Ok(row) => {
                let fields = headers
                    .iter()
                    .cloned()
                    .zip(row.iter().map(str::to_string))
                    .collect();
                out.push(
                    map_record(fields, map, "csv", record.clone()).ok_or_else(|| {
                        IngestError::record(path, Some(record), "row has no article text")
                    }),
                );
            }
            Err(e) => out.push(Err(IngestError::record(
                path,
                Some(record),
                format!("malformed CSV row: {e}"),
            ))),
        }
    }
    Ok(out)
}
