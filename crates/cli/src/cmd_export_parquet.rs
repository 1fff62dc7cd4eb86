//! `chronicle export parquet`: the store as a Hive-partitioned Parquet lake
//! (`DIR/<table>/year=YYYY/month=MM/part-<export id>-0.parquet`) for DuckDB,
//! pyarrow, Spark or Trino. Rows are the listings' rows (read through the
//! `Store` trait and `chronicle_engine::query`, the same as `--json`), laid out
//! by [`crate::cells`] and typed by one declared schema per table, so every file
//! of a table has the same columns whatever values its partition holds.

use crate::cells::{cells, csv_text, Cells};
use crate::cmd_query::open_existing;
use anyhow::{bail, Context};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use chronicle_store::Location;
use chronicle_store::{
    ClaimFilter, DocumentFilter, EntityFilter, EventFilter, MergedEventFilter, QuoteFilter, Store,
    StoryFilter,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// A column's type in every file of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Str,
    Int,
    Float,
    Bool,
    /// A full day (`YYYY-MM-DD`) as Parquet DATE (Arrow Date32).
    Day,
    StrList,
    /// A nested value (spans, disagreements, roles) as JSON text.
    Json,
}

impl Col {
    fn name(self) -> &'static str {
        match self {
            Col::Str => "string",
            Col::Int => "int64",
            Col::Float => "float64",
            Col::Bool => "boolean",
            Col::Day => "date32",
            Col::StrList => "list<string>",
            Col::Json => "string (JSON)",
        }
    }

    fn arrow(self) -> DataType {
        match self {
            Col::Str | Col::Json => DataType::Utf8,
            Col::Int => DataType::Int64,
            Col::Float => DataType::Float64,
            Col::Bool => DataType::Boolean,
            Col::Day => DataType::Date32,
            Col::StrList => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
        }
    }
}

/// One table of the lake: its columns in order and the column whose date
/// chooses the partition.
pub struct Table {
    pub name: &'static str,
    pub partition_by: &'static str,
    pub columns: &'static [(&'static str, Col)],
    pub about: &'static str,
}

use Col::*;

/// Every table, in export order. Columns are the listing's `--json` fields
/// (same names, same order), plus derived columns named in `about`.
pub const TABLES: &[Table] = &[
    Table {
        name: "documents",
        partition_by: "published",
        about: "`chronicle documents --json` rows; `text` only with --with-text (null otherwise)",
        columns: &[
            ("id", Str),
            ("outlet", Str),
            ("title", Str),
            ("url", Str),
            ("language", Str),
            ("published", Day),
            ("provenance", Str),
            ("confidence", Float),
            ("estimated", Bool),
            ("warnings", StrList),
            ("duplicate_of", Str),
            ("sources", Int),
            ("text", Str),
        ],
    },
    Table {
        name: "events",
        partition_by: "date",
        about: "`chronicle events --json` rows; `date` is the event's date as coded (a day, month, year or ISO week), `day` that date when it is a full day, `root_code` the CAMEO root (first two digits)",
        columns: &[
            ("doc_id", Str),
            ("index", Int),
            ("code", Str),
            ("source_code", Str),
            ("source_text", Str),
            ("source_actor", Str),
            ("target_code", Str),
            ("target_text", Str),
            ("target_actor", Str),
            ("location", Str),
            ("date", Str),
            ("date_source", Str),
            ("plover_type", Str),
            ("plover_mode", Str),
            ("quad_class", Int),
            ("goldstein", Float),
            ("modality", Str),
            ("start", Int),
            ("end", Int),
            ("sentence", Str),
            ("url", Str),
            ("published", Day),
            ("day", Day),
            ("root_code", Str),
        ],
    },
    Table {
        name: "entity_mentions",
        partition_by: "date",
        about: "each document's entity mentions resolved to cross-document entities (the store's `entity_mentions`), byte spans into the document's text",
        columns: &[
            ("entity_id", Str),
            ("doc_id", Str),
            ("start", Int),
            ("end", Int),
            ("text", Str),
            ("role", Str),
            ("date", Str),
        ],
    },
    Table {
        name: "entities",
        partition_by: "first_seen",
        about: "cross-document entities (people, organizations) with their spellings and dated roles (`roles` as JSON)",
        columns: &[
            ("id", Str),
            ("canonical", Str),
            ("label", Str),
            ("mentions", Int),
            ("documents", Int),
            ("first_seen", Str),
            ("last_seen", Str),
            ("variants", StrList),
            ("roles", Json),
        ],
    },
    Table {
        name: "actors",
        partition_by: "first_seen",
        about: "`chronicle actors --json` rows (coded actors folded by cross-document entity)",
        columns: &[
            ("actor", Str),
            ("code", Str),
            ("role", Str),
            ("first_seen", Str),
            ("last_seen", Str),
            ("mentions", Int),
            ("documents", Int),
            ("variants", StrList),
            ("origins", StrList),
            ("evidence", Str),
            ("entity", Str),
        ],
    },
    Table {
        name: "merged_events",
        partition_by: "date",
        about: "`chronicle events --merged --json` rows without their mentions (those are `merged_event_mentions`); `day` and `root_code` as in events, `disagreements` as JSON",
        columns: &[
            ("id", Str),
            ("story_id", Str),
            ("code", Str),
            ("source", Str),
            ("target", Str),
            ("place", Str),
            ("date", Str),
            ("num_mentions", Int),
            ("num_sources", Int),
            ("num_articles", Int),
            ("first_document", Str),
            ("first_date", Day),
            ("disagreements", Json),
            ("day", Day),
            ("root_code", Str),
        ],
    },
    Table {
        name: "merged_event_mentions",
        partition_by: "published",
        about: "the mentions of each merged event (`mentions` of `events --merged --json`), one row per document event",
        columns: &[
            ("merged_id", Str),
            ("document", Str),
            ("index", Int),
            ("outlet", Str),
            ("copy_of", Str),
            ("start", Int),
            ("end", Int),
            ("code", Str),
            ("source", Str),
            ("target", Str),
            ("place", Str),
            ("date", Str),
            ("date_source", Str),
            ("source_entity", Str),
            ("target_entity", Str),
            ("published", Day),
            ("sentence", Str),
            ("seq", Int),
            ("date_in_doubt", Bool),
        ],
    },
    Table {
        name: "stories",
        partition_by: "first_date",
        about: "`chronicle stories --json` rows, one per story (`spellings` as JSON)",
        columns: &[
            ("id", Str),
            ("label", Str),
            ("first_date", Day),
            ("last_date", Day),
            ("documents", StrList),
            ("outlets", StrList),
            ("top_actors", StrList),
            ("spellings", Json),
            ("top_places", StrList),
        ],
    },
    Table {
        name: "story_documents",
        partition_by: "published",
        about: "one row per document of a story, in link order (`seq`)",
        columns: &[
            ("story_id", Str),
            ("doc_id", Str),
            ("seq", Int),
            ("score", Float),
            ("copy_of", Str),
            ("outlet", Str),
            ("title", Str),
            ("url", Str),
            ("published", Day),
            ("provenance", Str),
            ("date_in_doubt", Bool),
        ],
    },
    Table {
        name: "quotes",
        partition_by: "published",
        about: "`chronicle quotes --json` rows (`speaker_span`, `cue_span` as JSON `{start,end}`)",
        columns: &[
            ("doc_id", Str),
            ("index", Int),
            ("outlet", Str),
            ("published", Day),
            ("title", Str),
            ("start", Int),
            ("end", Int),
            ("text", Str),
            ("kind", Str),
            ("cue", Str),
            ("speaker", Str),
            ("speaker_canonical", Str),
            ("speaker_span", Json),
            ("cue_span", Json),
            ("statement", Str),
        ],
    },
    Table {
        name: "claims",
        partition_by: "published",
        about: "`chronicle claims --json` rows",
        columns: &[
            ("doc_id", Str),
            ("index", Int),
            ("outlet", Str),
            ("published", Day),
            ("title", Str),
            ("start", Int),
            ("end", Int),
            ("text", Str),
            ("value", Float),
            ("qualifier", Str),
            ("kind", Str),
            ("subject", Str),
            ("claimant", Str),
            ("place", Str),
            ("time", Str),
        ],
    },
];

/// The folder value of rows whose partition date is missing or not dated to a
/// year (or, for `month`, to a month).
pub const UNKNOWN: &str = "unknown";

/// `(year, month)` folder values of a partition date: `2016-10-03` and
/// `2016-10` → (2016, 10); `2016` and `2016-W40` → (2016, unknown).
pub fn partition_of(date: Option<&str>) -> (String, String) {
    let Some(d) = date else {
        return (UNKNOWN.into(), UNKNOWN.into());
    };
    let b = d.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !digits(0..4) {
        return (UNKNOWN.into(), UNKNOWN.into());
    }
    let year = d[..4].to_string();
    let month = if b.get(4) == Some(&b'-') && digits(5..7) && b.get(7).is_none_or(|c| *c == b'-') {
        d[5..7].to_string()
    } else {
        UNKNOWN.into()
    };
    (year, month)
}

/// Days since 1970-01-01 of a full day, `None` for anything else.
fn day_number(s: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

/// What `export parquet` is asked for.
#[derive(clap::Args, Clone, Debug)]
pub struct LakeArgs {
    /// The lake's folder (created if missing; existing part files are kept).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Incremental export: only rows of documents published on or after this day
    /// (YYYY-MM-DD), and the stories, merged events and entities they touch.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Include each document's text in the documents table.
    #[arg(long)]
    pub with_text: bool,
}

fn laid_out<T: Serialize>(rows: &[T]) -> anyhow::Result<Vec<Cells>> {
    rows.iter()
        .map(|r| cells(r).context("laying out a row"))
        .collect()
}

fn table(name: &str) -> anyhow::Result<&'static Table> {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .with_context(|| format!("no lake table named {name}"))
}

fn get<'a>(row: &'a Cells, name: &str) -> Option<&'a Value> {
    row.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn text_of(row: &Cells, name: &str) -> Option<String> {
    get(row, name).and_then(Value::as_str).map(str::to_string)
}

/// Adds `day` (the `date` cell when a full day) and `root_code` (the `code`
/// cell's first two digits).
fn with_day_and_root(mut rows: Vec<Cells>) -> Vec<Cells> {
    for r in &mut rows {
        let date = text_of(r, "date");
        let day = date.filter(|d| day_number(d).is_some());
        let root = text_of(r, "code").and_then(|c| c.get(..2).map(str::to_string));
        r.push(("day".into(), day.map_or(Value::Null, Value::String)));
        r.push(("root_code".into(), root.map_or(Value::Null, Value::String)));
    }
    rows
}

/// Reads every table's rows, restricted to the documents published on or after
/// `since` when it is given, and writes each table before reading the next (the
/// export holds one table's rows at a time, and the kept document ids).
fn write_tables(store: &dyn Store, args: &LakeArgs, lake: &mut Lake) -> anyhow::Result<()> {
    let since = args.since.as_deref();
    let documents = store.list(&DocumentFilter {
        from: since.map(str::to_string),
        ..Default::default()
    })?;
    let keep: HashSet<String> = documents.iter().map(|d| d.id.clone()).collect();
    let kept = |id: &str| since.is_none() || keep.contains(id);

    let mut docs = laid_out(&documents)?;
    for (d, row) in documents.iter().zip(docs.iter_mut()) {
        let text = if args.with_text {
            let doc = store
                .get(&d.id)?
                .with_context(|| format!("document {} is listed but cannot be read", d.id))?;
            Value::String(doc.text)
        } else {
            Value::Null
        };
        row.push(("text".into(), text));
    }
    lake.put("documents", docs)?;

    let events: Vec<_> = store
        .events(&EventFilter::default())?
        .into_iter()
        .filter(|e| kept(&e.doc_id))
        .collect();
    lake.put("events", with_day_and_root(laid_out(&events)?))?;
    drop(events);
    let quotes: Vec<_> = store
        .quotes(&QuoteFilter::default())?
        .into_iter()
        .filter(|q| kept(&q.doc_id))
        .collect();
    lake.put("quotes", laid_out(&quotes)?)?;
    drop(quotes);
    let claims: Vec<_> = store
        .claims(&ClaimFilter::default())?
        .into_iter()
        .filter(|c| kept(&c.doc_id))
        .collect();
    lake.put("claims", laid_out(&claims)?)?;
    drop(claims);

    let mut mentions = Vec::new();
    for d in &documents {
        mentions.extend(store.entity_mentions(&d.id)?);
    }
    let touched: HashSet<String> = mentions.iter().map(|m| m.entity_id.clone()).collect();
    lake.put("entity_mentions", laid_out(&mentions)?)?;
    drop(mentions);
    let entities: Vec<_> = store
        .entities(&EntityFilter::default())?
        .into_iter()
        .filter(|e| since.is_none() || touched.contains(&e.id))
        .collect();
    lake.put("entities", laid_out(&entities)?)?;
    drop(entities);
    let actors: Vec<_> = chronicle_engine::query::actors::actor_rows(store, false)?
        .into_iter()
        .filter(|a| since.is_none_or(|s| a.last_seen.as_deref().is_some_and(|l| l >= s)))
        .collect();
    lake.put("actors", laid_out(&actors)?)?;
    drop(actors);

    let mut merged = store.merged_events(&MergedEventFilter {
        with_mentions: true,
        ..Default::default()
    })?;
    merged.retain(|m| since.is_none() || m.mentions.iter().any(|x| keep.contains(&x.document)));
    let mut merged_mentions = Vec::new();
    for m in &mut merged {
        merged_mentions.extend(
            std::mem::take(&mut m.mentions)
                .into_iter()
                .filter(|x| kept(&x.document)),
        );
    }
    let mut merged_rows = laid_out(&merged)?;
    for r in &mut merged_rows {
        // Listed once, in merged_event_mentions.
        r.retain(|(k, _)| k != "mentions");
    }
    drop(merged);
    lake.put("merged_events", with_day_and_root(merged_rows))?;
    lake.put("merged_event_mentions", laid_out(&merged_mentions)?)?;
    drop(merged_mentions);

    let stories: Vec<_> =
        chronicle_engine::query::stories::story_items(store, &StoryFilter::default())?
            .into_iter()
            .filter(|s| since.is_none() || s.documents.iter().any(|d| keep.contains(d)))
            .collect();
    let mut story_documents = Vec::new();
    for s in &stories {
        story_documents.extend(
            store
                .story_documents(&s.id, None)?
                .into_iter()
                .filter(|d| kept(&d.doc_id)),
        );
    }
    lake.put("stories", laid_out(&stories)?)?;
    lake.put("story_documents", laid_out(&story_documents)?)?;
    Ok(())
}

/// The Arrow schema of a table.
pub fn arrow_schema(t: &Table) -> Schema {
    Schema::new(
        t.columns
            .iter()
            .map(|(name, col)| Field::new(*name, col.arrow(), true))
            .collect::<Vec<_>>(),
    )
}

/// One record batch of a table's rows in its declared types. A row field the
/// schema does not declare, or a value of another type, is an error: the schema
/// file must say what the files hold.
fn batch(t: &Table, rows: &[&Cells]) -> anyhow::Result<RecordBatch> {
    for r in rows {
        if let Some((k, _)) = r
            .iter()
            .find(|(k, _)| !t.columns.iter().any(|(c, _)| c == k))
        {
            bail!("table {}: field {k} has no declared column type", t.name);
        }
    }
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(t.columns.len());
    for (name, col) in t.columns {
        let values: Vec<&Value> = rows
            .iter()
            .map(|r| get(r, name).unwrap_or(&Value::Null))
            .collect();
        let wrong = |v: &Value| {
            anyhow::anyhow!(
                "table {}: column {name} ({}) cannot hold {v}",
                t.name,
                col.name()
            )
        };
        let array: ArrayRef = match col {
            Str => Arc::new(
                read_all(&values, |v| v.as_str().map(str::to_string), &wrong)?
                    .into_iter()
                    .collect::<StringArray>(),
            ),
            Json => Arc::new(
                values
                    .iter()
                    .map(|v| (!v.is_null()).then(|| csv_text(v)))
                    .collect::<StringArray>(),
            ),
            Int => Arc::new(Int64Array::from(read_all(&values, Value::as_i64, &wrong)?)),
            Float => Arc::new(Float64Array::from(read_all(
                &values,
                Value::as_f64,
                &wrong,
            )?)),
            Bool => Arc::new(BooleanArray::from(read_all(
                &values,
                Value::as_bool,
                &wrong,
            )?)),
            Day => Arc::new(Date32Array::from(read_all(
                &values,
                |v| v.as_str().and_then(day_number),
                &wrong,
            )?)),
            StrList => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for v in &values {
                    match v {
                        Value::Null => b.append(false),
                        Value::Array(items) => {
                            for i in items {
                                b.values()
                                    .append_option(Some(i.as_str().ok_or_else(|| wrong(i))?));
                            }
                            b.append(true);
                        }
                        other => return Err(wrong(other)),
                    }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(arrow_schema(t)), arrays)
        .with_context(|| format!("building the rows of table {}", t.name))
}

/// A column's values read by `read`; null stays null, a value `read` cannot
/// take is the error `wrong` names.
fn read_all<T>(
    values: &[&Value],
    read: impl Fn(&Value) -> Option<T>,
    wrong: &dyn Fn(&Value) -> anyhow::Error,
) -> anyhow::Result<Vec<Option<T>>> {
    values
        .iter()
        .map(|v| match v {
            Value::Null => Ok(None),
            v => read(v).map(Some).ok_or_else(|| wrong(v)),
        })
        .collect()
}

/// Writes one Parquet file atomically: a temporary file in the same folder,
/// renamed to `dest` once complete and only if `dest` does not exist, so a
/// killed export leaves no half file and never replaces one.
fn write_file(dest: &Path, batch: &RecordBatch) -> anyhow::Result<()> {
    let dir = dest.parent().context("a part file has a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".parquet")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(tmp.as_file(), batch.schema(), Some(props))
            .context("starting a Parquet file")?;
    writer.write(batch).context("writing Parquet rows")?;
    writer.close().context("finishing a Parquet file")?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot flush {}", tmp.path().display()))?;
    tmp.persist_noclobber(dest)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {} (it may exist already)", dest.display()))?;
    Ok(())
}

/// A name no other export of this lake uses: the UTC time to the microsecond
/// and the process id.
fn export_id() -> String {
    format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%6fZ"),
        std::process::id()
    )
}

/// `_schema.json`: every table's partition column and columns with their types.
pub fn schema_json() -> Value {
    let tables: serde_json::Map<String, Value> = TABLES
        .iter()
        .map(|t| {
            let columns: Vec<Value> = t
                .columns
                .iter()
                .map(|(n, c)| serde_json::json!({"name": n, "type": c.name()}))
                .collect();
            (
                t.name.to_string(),
                serde_json::json!({
                    "about": t.about,
                    "path": format!("{}/year=YYYY/month=MM/part-<export id>-<n>.parquet", t.name),
                    "partition_by": t.partition_by,
                    "columns": columns,
                }),
            )
        })
        .collect();
    serde_json::json!({
        "format": "chronicle-lake",
        "version": 1,
        "partitioning": format!("hive: year=YYYY/month=MM from the table's partition_by date; {UNKNOWN} when it is missing or not that precise"),
        "tables": tables,
    })
}

/// What one export wrote.
#[derive(Debug, Default, Serialize)]
pub struct LakeSummary {
    pub export_id: String,
    /// Table → rows written.
    pub rows: BTreeMap<String, usize>,
    pub files: usize,
}

/// Where one export's tables go: part files named by the export's id.
struct Lake<'a> {
    out: &'a Path,
    summary: LakeSummary,
}

impl Lake<'_> {
    /// Writes one table's rows, a file per year/month partition.
    fn put(&mut self, name: &str, rows: Vec<Cells>) -> anyhow::Result<()> {
        let t = table(name)?;
        let mut parts: BTreeMap<(String, String), Vec<&Cells>> = BTreeMap::new();
        for r in &rows {
            let date = get(r, t.partition_by).and_then(Value::as_str);
            parts.entry(partition_of(date)).or_default().push(r);
        }
        for ((year, month), rows) in &parts {
            let b = batch(t, rows)?;
            let dest = self
                .out
                .join(t.name)
                .join(format!("year={year}"))
                .join(format!("month={month}"))
                .join(format!("part-{}-0.parquet", self.summary.export_id));
            write_file(&dest, &b)?;
            self.summary.files += 1;
        }
        self.summary.rows.insert(t.name.to_string(), rows.len());
        Ok(())
    }
}

/// Writes the lake into `args.out`.
pub fn export(store: &dyn Store, args: &LakeArgs) -> anyhow::Result<LakeSummary> {
    let mut lake = Lake {
        out: &args.out,
        summary: LakeSummary {
            export_id: export_id(),
            ..Default::default()
        },
    };
    write_tables(store, args, &mut lake)?;
    let schema = serde_json::to_vec_pretty(&schema_json())?;
    let mut tmp = tempfile::NamedTempFile::new_in(&args.out)
        .with_context(|| format!("cannot write in {}", args.out.display()))?;
    std::io::Write::write_all(&mut tmp, &schema)?;
    tmp.persist(args.out.join("_schema.json"))
        .map_err(|e| e.error)
        .context("writing _schema.json")?;
    Ok(lake.summary)
}

pub(crate) fn run(db: &Location, args: &LakeArgs) -> anyhow::Result<ExitCode> {
    if let Some(s) = &args.since {
        if day_number(s).is_none() {
            bail!(crate::UsageError(format!(
                "--since takes a day, YYYY-MM-DD: {s:?}"
            )));
        }
    }
    if args.out.is_file() {
        bail!(crate::UsageError(format!(
            "--out {} is a file: give a folder for the lake",
            args.out.display()
        )));
    }
    let store = open_existing(db)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let s = export(&*store, args)?;
    let tables: BTreeSet<String> = s.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!(
        "wrote {} Parquet files to {} (export {}): {}",
        s.files,
        args.out.display(),
        s.export_id,
        tables.into_iter().collect::<Vec<_>>().join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_dates_precision() {
        let p = |d: Option<&str>| partition_of(d);
        assert_eq!(p(Some("2016-10-03")), ("2016".into(), "10".into()));
        assert_eq!(p(Some("2016-10")), ("2016".into(), "10".into()));
        assert_eq!(p(Some("2016")), ("2016".into(), UNKNOWN.into()));
        assert_eq!(p(Some("2016-W40")), ("2016".into(), UNKNOWN.into()));
        assert_eq!(p(Some("soon")), (UNKNOWN.into(), UNKNOWN.into()));
        assert_eq!(p(None), (UNKNOWN.into(), UNKNOWN.into()));
        assert_eq!(p(Some("2016-1")), ("2016".into(), UNKNOWN.into()));
    }

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2016-10"), None);
        assert_eq!(day_number("2016-02-30"), None);
    }

    #[test]
    fn undeclared_fields_and_wrong_types_are_refused() {
        let t = table("claims").unwrap();
        let row: Cells = vec![("nope".into(), Value::from(1))];
        assert!(batch(t, &[&row]).is_err());
        let row: Cells = vec![("value".into(), Value::from("x"))];
        assert!(batch(t, &[&row]).is_err());
        let row: Cells = vec![("published".into(), Value::from("2016-10"))];
        assert!(batch(t, &[&row]).is_err());
        let row: Cells = vec![
            ("published".into(), Value::from("2016-10-01")),
            ("value".into(), Value::from(3)),
        ];
        let b = batch(t, &[&row]).unwrap();
        assert_eq!(b.num_columns(), t.columns.len());
    }

    #[test]
    fn a_part_file_never_replaces_another_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir
            .path()
            .join("claims/year=2016/month=10/part-x-0.parquet");
        let t = table("claims").unwrap();
        let row: Cells = vec![("doc_id".into(), Value::from("a"))];
        let b = batch(t, &[&row]).unwrap();
        write_file(&dest, &b).unwrap();
        let first = std::fs::read(&dest).unwrap();
        assert!(write_file(&dest, &b).is_err());
        assert_eq!(std::fs::read(&dest).unwrap(), first);
        let names: Vec<_> = std::fs::read_dir(dest.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("part-x-0.parquet")]);
    }

    #[test]
    fn every_table_is_named_once() {
        let names: HashSet<&str> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            assert!(
                t.columns.iter().any(|(c, _)| *c == t.partition_by),
                "{}",
                t.name
            );
        }
    }
}
