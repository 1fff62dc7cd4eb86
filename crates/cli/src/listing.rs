//! Every listing command (`documents`, `search`, `events`, `actors`, `quotes`,
//! `claims`) prints through here, so each one speaks the same formats: a table
//! sized to the terminal, JSON, JSON Lines, CSV or Parquet, to standard output or
//! a file (`--out`, written by [`crate::sink`]).

use crate::cells::{cells, csv_text, Cells};
use crate::sink::Sink;
use anyhow::{bail, Context};
use chronicle_store::Location;
use clap::ValueEnum;
use serde::Serialize;
use serde_json::Value;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns sized to the terminal (the default).
    #[default]
    Table,
    /// One JSON array, pretty-printed.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated, with a header row; nested values as JSON text.
    Csv,
    /// Apache Parquet with typed columns (needs --out or a pipe).
    Parquet,
}

/// The output options every listing command takes.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of standard output (- is standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file (only once the new one is complete).
    #[arg(long, requires = "out")]
    pub force: bool,
}

impl OutputArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }

    /// Where the rows go.
    pub fn sink(&self, db: &Location) -> anyhow::Result<Sink> {
        match &self.out {
            Some(p) => Sink::create(p, self.force, db),
            None => Ok(Sink::stdout()),
        }
    }
}

/// A row type that can be listed: its full form is its `Serialize` impl (JSON,
/// CSV, Parquet); the terminal table shows a few short columns.
pub trait Listing: Serialize {
    /// Table column headers.
    fn header() -> Vec<&'static str>;
    /// Table cells, one per header.
    fn row(&self) -> Vec<String>;
}

/// Writes `rows` in the chosen format and reports the count on stderr
/// (`12 documents`), unless the output is machine-readable on stdout.
pub fn emit<T: Listing>(
    rows: &[T],
    args: &OutputArgs,
    db: &Location,
    noun: &str,
) -> anyhow::Result<()> {
    let format = args.format();
    if format == Format::Parquet && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!("Parquet is binary: give --out FILE or redirect standard output");
    }
    let mut sink = args.sink(db)?;
    match format {
        Format::Table => write_table(&mut sink, rows)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut sink, rows)?;
            writeln!(sink)?;
        }
        Format::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut sink, r)?;
                writeln!(sink)?;
            }
        }
        Format::Csv => write_csv(&mut sink, &records(rows)?)?,
        Format::Parquet => write_parquet(&mut sink, &records(rows)?)?,
    }
    let name = sink.name().to_string();
    let to_stdout = sink.is_stdout();
    sink.commit()?;
    if format == Format::Table || !to_stdout {
        eprintln!(
            "{} {noun}{}",
            rows.len(),
            if to_stdout {
                String::new()
            } else {
                format!(" written to {name}")
            }
        );
    }
    Ok(())
}

fn records<T: Serialize>(rows: &[T]) -> anyhow::Result<Vec<Cells>> {
    rows.iter()
        .map(|r| cells(r).context("laying out a row"))
        .collect()
}

/// Column names: the first row's fields, then any field a later row adds (a
/// flattened map may differ between rows).
fn columns(records: &[Cells]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for r in records {
        for (k, _) in r {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    names
}

fn field<'a>(record: &'a Cells, name: &str) -> &'a Value {
    record
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or(&Value::Null)
}

/// Columns get their width from the terminal when stdout is one; piped output is
/// never cut.
fn write_table<T: Listing>(out: &mut impl Write, rows: &[T]) -> anyhow::Result<()> {
    use comfy_table::{ContentArrangement, ContentLineStyle, LineStyle, Row, Table, TableStyle};
    // Plain columns under a dashed header rule: easy to read, easy to grep.
    const PLAIN: TableStyle = TableStyle::new()
        .header_lines(ContentLineStyle::none())
        .header_separator(LineStyle::none().fill('-').junction(' '))
        .content_lines(ContentLineStyle::none());
    let mut table = Table::new();
    table.load_style(PLAIN);
    table.set_header(T::header());
    if std::io::stdout().is_terminal() {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_truncation_indicator("…");
    } else {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.row().into_iter().map(|c| one_line(&c)).collect())
        .collect();
    // Short columns (dates, codes, ids) are never cut: the long ones (titles,
    // evidence sentences) give up the width.
    let header = T::header();
    let constraints = (0..header.len()).map(|i| {
        let widest = cells
            .iter()
            .filter_map(|r| r.get(i))
            .chain(std::iter::once(&header[i].to_string()))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        if widest <= SHORT_COLUMN {
            comfy_table::ColumnConstraint::ContentWidth
        } else {
            comfy_table::ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(
                SHORT_COLUMN as u16,
            ))
        }
    });
    table.set_constraints(constraints);
    for r in cells {
        let mut row = Row::from(r);
        // One line per row: long cells are cut (by display width) rather than wrapped.
        row.max_height(1);
        table.add_row(row);
    }
    if rows.is_empty() {
        return Ok(());
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Columns at most this wide keep their whole content on a terminal.
const SHORT_COLUMN: usize = 14;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_csv(out: &mut impl Write, records: &[Cells]) -> anyhow::Result<()> {
    let names = columns(records);
    let mut w = csv::Writer::from_writer(out);
    if !names.is_empty() {
        w.write_record(&names)?;
    }
    for r in records {
        w.write_record(names.iter().map(|n| csv_text(field(r, n))))?;
    }
    w.flush()?;
    Ok(())
}

/// The Parquet type of a column, from the values it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Text,
    TextList,
    /// Mixed or nested: JSON text.
    Json,
}

fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() => Kind::Int,
        Value::Number(_) => Kind::Float,
        Value::String(_) => Kind::Text,
        Value::Array(a) if a.iter().all(Value::is_string) => Kind::TextList,
        _ => Kind::Json,
    }
}

fn column_kind<'a>(values: impl Iterator<Item = &'a Value>) -> Kind {
    values
        .map(kind_of)
        .fold(Kind::Null, |acc, k| match (acc, k) {
            (a, Kind::Null) => a,
            (Kind::Null, k) => k,
            (a, k) if a == k => a,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            (Kind::Text, Kind::Json | Kind::TextList)
            | (Kind::Json | Kind::TextList, Kind::Text) => Kind::Text,
            _ => Kind::Json,
        })
}

fn write_parquet<W: Write + Send>(out: &mut W, records: &[Cells]) -> anyhow::Result<()> {
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{
        Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
    };
    use arrow_schema::{DataType, Field, Schema};

    let names = columns(records);
    let mut fields = Vec::with_capacity(names.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for name in &names {
        let values: Vec<&Value> = records.iter().map(|r| field(r, name)).collect();
        let kind = column_kind(values.iter().copied());
        let (dtype, array): (DataType, ArrayRef) = match kind {
            Kind::Bool => (
                DataType::Boolean,
                Arc::new(values.iter().map(|v| v.as_bool()).collect::<BooleanArray>()),
            ),
            Kind::Int => (
                DataType::Int64,
                Arc::new(values.iter().map(|v| v.as_i64()).collect::<Int64Array>()),
            ),
            Kind::Float => (
                DataType::Float64,
                Arc::new(values.iter().map(|v| v.as_f64()).collect::<Float64Array>()),
            ),
            Kind::TextList => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for v in &values {
                    match v {
                        Value::Array(items) => {
                            for i in items {
                                b.values().append_option(i.as_str());
                            }
                            b.append(true);
                        }
                        _ => b.append(false),
                    }
                }
                let array = b.finish();
                (array.data_type().clone(), Arc::new(array))
            }
            Kind::Null | Kind::Text | Kind::Json => (
                DataType::Utf8,
                Arc::new(
                    values
                        .iter()
                        .map(|v| match v {
                            Value::Null => None,
                            other => Some(csv_text(other)),
                        })
                        .collect::<StringArray>(),
                ),
            ),
        };
        fields.push(Field::new(name, dtype, true));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props))
        .context("starting the Parquet file")?;
    if !names.is_empty() {
        let batch = RecordBatch::try_new(schema, arrays).context("building the Parquet rows")?;
        writer.write(&batch).context("writing Parquet rows")?;
    }
    writer.close().context("finishing the Parquet file")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct R {
        doc_id: String,
        n: Option<i64>,
        score: f64,
        tags: Vec<String>,
    }

    impl Listing for R {
        fn header() -> Vec<&'static str> {
            vec!["doc_id", "n"]
        }
        fn row(&self) -> Vec<String> {
            vec![self.doc_id.clone(), format!("{:?}", self.n)]
        }
    }

    fn rows() -> Vec<R> {
        vec![
            R {
                doc_id: "a\"b,c".into(),
                n: Some(1),
                score: 0.5,
                tags: vec!["x".into()],
            },
            R {
                doc_id: "d".into(),
                n: None,
                score: 2.0,
                tags: vec![],
            },
        ]
    }

    #[test]
    fn csv_quotes_and_keeps_field_order() {
        let mut out = Vec::new();
        write_csv(&mut out, &records(&rows()).unwrap()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "doc_id,n,score,tags\n\"a\"\"b,c\",1,0.5,\"[\"\"x\"\"]\"\nd,,2.0,[]\n"
        );
    }

    #[test]
    fn parquet_columns_are_typed() {
        let mut tmp = tempfile::tempfile().unwrap();
        write_parquet(&mut tmp, &records(&rows()).unwrap()).unwrap();
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(tmp).unwrap();
        let schema = reader.schema().clone();
        let types: Vec<String> = schema
            .fields()
            .iter()
            .map(|f| format!("{}:{}", f.name(), f.data_type()))
            .collect();
        assert_eq!(types[0], "doc_id:Utf8");
        assert_eq!(types[1], "n:Int64");
        assert_eq!(types[2], "score:Float64");
        assert!(types[3].starts_with("tags:List("), "{types:?}");
        let batches: Vec<_> = reader.build().unwrap().collect();
        assert_eq!(batches[0].as_ref().unwrap().num_rows(), 2);
    }

    #[test]
    fn kinds_widen_sensibly() {
        let vals = [Value::from(1), Value::Null, Value::from(2.5)];
        assert_eq!(column_kind(vals.iter()), Kind::Float);
        let vals = [Value::from("a"), Value::from(true)];
        assert_eq!(column_kind(vals.iter()), Kind::Json);
        assert_eq!(column_kind([Value::Null].iter()), Kind::Null);
    }
}
