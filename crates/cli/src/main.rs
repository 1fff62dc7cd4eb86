//! `chronicle`: the command line. Thin glue: parse arguments, call the library
//! crates, print. Exit codes: 0 everything landed, 1 some inputs failed, 2 usage.

mod bench_events;
mod bench_statements;
mod bench_time;
mod cmd_check;
mod cmd_events;
mod cmd_ingest;
mod cmd_models;
mod cmd_query;
mod cmd_statements;
mod cmd_tag;
mod demo;
mod output;
mod pipeline;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "chronicle",
    version,
    about = "A sourced, queryable record of what happened, built from raw news"
)]
struct Cli {
    /// SQLite database file, created if missing [default: chronicle.db; demo: chronicle-demo.db].
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Default)]
pub struct FieldArgs {
    /// JSON/CSV field holding the title (default: auto: title, headline, …).
    #[arg(long)]
    title_field: Option<String>,
    /// JSON/CSV field holding the article text (default: auto: text, body, content, …).
    #[arg(long)]
    text_field: Option<String>,
    /// JSON/CSV field holding the URL.
    #[arg(long)]
    url_field: Option<String>,
    /// JSON/CSV field holding the publication date.
    #[arg(long)]
    date_field: Option<String>,
    /// JSON/CSV field holding the outlet name.
    #[arg(long)]
    outlet_field: Option<String>,
}

impl FieldArgs {
    fn to_map(&self) -> chronicle_ingest::FieldMap {
        chronicle_ingest::FieldMap {
            title: self.title_field.clone(),
            text: self.text_field.clone(),
            url: self.url_field.clone(),
            date: self.date_field.clone(),
            outlet: self.outlet_field.clone(),
            byline: None,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Ingest files and folders (text, HTML, JSON/JSONL, CSV, RSS/Atom, WARC; gzip too).
    #[command(after_help = "Example: chronicle --db news.db ingest articles/ feed.xml --wait 60")]
    Ingest {
        #[command(flatten)]
        args: cmd_ingest::IngestArgs,
    },
    /// Check the database: SQLite's integrity check, every document decodes, the
    /// full-text index matches the documents, every row points to a stored document.
    #[command(after_help = "Example: chronicle --db news.db check --json")]
    Check {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List stored documents.
    Documents {
        #[arg(long)]
        outlet: Option<String>,
        /// Earliest publication date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest publication date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// ISO 639-3 language code, e.g. eng.
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Show one stored document (an id prefix is enough).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search (SQLite FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*).
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Coded events (CAMEO/PLOVER), by date.
    Events {
        /// Actor code prefix, source or target (RUS, RUSGOV, IGOUNO).
        #[arg(long)]
        actor: Option<String>,
        /// CAMEO code prefix (16, 1124).
        #[arg(long)]
        code: Option<String>,
        /// Earliest event date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest event date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Actors with their codes and roles over time (named actors; `--all` adds
    /// generic ones such as "civilians" or "artillery").
    Actors {
        #[arg(long)]
        json: bool,
        /// Also list actors known only by a generic agent word.
        #[arg(long)]
        all: bool,
    },
    /// Export the coded record in another tool's format.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Read one file and print its document(s) with every annotation layer, without storing.
    Annotate {
        file: PathBuf,
        #[command(flatten)]
        fields: FieldArgs,
        #[arg(long)]
        json: bool,
    },
    /// Attributed quotes across the store.
    Quotes {
        /// Only quotes whose speaker (as written or resolved) contains this name.
        #[arg(long)]
        speaker: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Numeric claims across the store.
    Claims {
        /// Only claims of this kind (KILL, WOUND, DISPLACE, MONEY, …).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Train a model from annotated data (deterministic: fixed seed).
    Train {
        task: cmd_models::TrainTask,
        /// Training files (CoNLL-U for pos/parse; IOB2 files or MEANTIME folders for ner).
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Development file scored after each epoch.
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model file.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        epochs: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
        /// parse: also train on a copy of every sentence tagged by K-fold jackknifed taggers.
        #[arg(long)]
        jackknife_mix: Option<usize>,
        /// pos: unlabeled text for casing profiles (CSV files or MEANTIME folders).
        #[arg(long, num_args = 1..)]
        text: Vec<PathBuf>,
    },
    /// Write our annotations in the field's formats (CoNLL-U, IOB2, TimeML, brat), for official scorers and tools.
    Tag {
        #[arg(long)]
        format: cmd_tag::TagFormat,
        /// Keep the input's tokens and sentences (CoNLL-U input) instead of tokenizing raw text.
        #[arg(long)]
        gold_tokens: bool,
        /// Output folder (one file per input, written whole or not at all), or - for standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Measure accuracy or speed.
    Benchmark {
        #[command(subcommand)]
        what: BenchmarkCommand,
    },
    /// Ingest the bundled example corpus into a fresh database and print a report.
    Demo {
        /// Corpus folder (default: the repository's examples/corpus).
        #[arg(long)]
        corpus: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// GDELT 2.0 event table (tab-separated, 61 columns in codebook order, no header).
    Gdelt {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand)]
enum BenchmarkCommand {
    /// Score a model on gold data (CoNLL-U for tokens/pos/parse; IOB2 or a MEANTIME folder for ner;
    /// a PolNeAR folder for quotes; FA-KES CSV for claims).
    Accuracy {
        #[arg(long)]
        task: cmd_models::AccuracyTask,
        #[arg(long)]
        data: PathBuf,
        /// Model file to score instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// parse: use the file's gold UPOS/XPOS instead of our tagger's.
        #[arg(long)]
        gold_tags: bool,
        #[arg(long)]
        json: bool,
    },
    /// Words/s and documents/s of the full annotation pipeline, one thread and all cores.
    Speed {
        /// A folder of documents or a CSV/JSONL file.
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from("chronicle.db"));
    let result = match cli.command {
        Command::Ingest { args } => cmd_ingest::run(&db, &args),
        Command::Check { json } => cmd_check::run(&db, json),
        Command::Documents {
            outlet,
            from,
            to,
            language,
            limit,
            json,
        } => cmd_query::documents(
            &db,
            chronicle_store::DocumentFilter {
                outlet,
                from,
                to,
                language,
                limit,
            },
            json,
        ),
        Command::Show { id, json } => cmd_query::show(&db, &id, json),
        Command::Search { query, limit, json } => cmd_query::search(&db, &query, limit, json),
        Command::Events {
            actor,
            code,
            from,
            to,
            limit,
            json,
        } => cmd_events::events(
            &db,
            chronicle_store::EventFilter {
                actor,
                code,
                plover_type: None,
                from,
                to,
                limit,
            },
            json,
        ),
        Command::Actors { json, all } => cmd_events::actors(&db, json, all),
        Command::Export {
            what:
                ExportCommand::Gdelt {
                    out,
                    actor,
                    code,
                    from,
                    to,
                },
        } => cmd_events::export_gdelt(
            &db,
            &out,
            chronicle_store::EventFilter {
                actor,
                code,
                plover_type: None,
                from,
                to,
                limit: None,
            },
        ),
        Command::Annotate { file, fields, json } => cmd_query::annotate(&file, &fields, json),
        Command::Quotes { speaker, json } => cmd_statements::quotes(&db, speaker.as_deref(), json),
        Command::Claims { kind, json } => cmd_statements::claims(&db, kind.as_deref(), json),
        Command::Train {
            task,
            train,
            dev,
            out,
            epochs,
            seed,
            jackknife_mix,
            text,
        } => cmd_models::train(cmd_models::TrainArgs {
            task,
            train: &train,
            dev: dev.as_deref(),
            out: &out,
            epochs,
            seed,
            jackknife_mix,
            text: &text,
        }),
        Command::Tag {
            format,
            gold_tokens,
            out,
            inputs,
        } => cmd_tag::run(cmd_tag::TagArgs {
            format,
            gold_tokens,
            out: out.as_deref(),
            inputs: &inputs,
        }),
        Command::Benchmark { what } => match what {
            BenchmarkCommand::Accuracy {
                task,
                data,
                model,
                gold_tags,
                json,
            } => cmd_models::accuracy(task, &data, model.as_deref(), gold_tags, json),
            BenchmarkCommand::Speed { data, runs, json } => cmd_models::speed(&data, runs, json),
        },
        Command::Demo { corpus } => demo::run(cli.db.as_deref(), corpus),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
