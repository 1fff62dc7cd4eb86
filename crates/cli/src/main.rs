//! `chronicle`: the command line. Thin glue: parse arguments, call the library
//! crates, print. Exit codes: 0 everything landed, 1 some inputs failed, 2 usage.

mod args;
mod cells;
mod cmd_check;
mod cmd_copy;
mod cmd_digest;
mod cmd_events;
mod cmd_export;
mod cmd_export_parquet;
mod cmd_extract;
mod cmd_ingest;
mod cmd_models;
mod cmd_query;
mod cmd_serve;
mod cmd_statements;
mod cmd_stories;
mod cmd_tag;
mod cmd_timeline;
mod demo;
mod listing;
mod output;
mod pipeline;
mod schema;
mod sink;
mod story_view;

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
    /// SQLite database file, created if missing, or a PostgreSQL server's URL
    /// (postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME; the database must exist, its tables are
    /// created) [default: chronicle.db; demo: chronicle-demo.db].
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Threads that annotate documents (ingest, annotate, tag, benchmark) [default: one per core].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
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
    /// List stored documents, by publication date.
    #[command(
        after_help = "Example: chronicle documents --outlet reuters --from 2016-10 --format csv --out docs.csv"
    )]
    Documents {
        /// Only outlets whose name contains this text (case-insensitive; no wildcards).
        #[arg(long)]
        outlet: Option<String>,
        /// Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD (the period's first day).
        #[arg(long, value_parser = args::date_bound)]
        from: Option<String>,
        /// Latest publication date: YYYY, YYYY-MM or YYYY-MM-DD (the whole period included).
        #[arg(long, value_parser = args::date_bound)]
        to: Option<String>,
        /// ISO 639-3 language code, e.g. eng.
        #[arg(long, value_parser = args::language)]
        language: Option<String>,
        /// At most this many rows.
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// Show one stored document with its annotation layers (an id prefix is enough).
    #[command(after_help = "Example: chronicle show 3fa9c2 --json")]
    Show {
        /// Document id or a unique prefix of it.
        id: String,
        /// Print the whole Document JSON (every layer, with byte spans).
        #[arg(long)]
        json: bool,
    },
    /// Full-text search (SQLite FTS5 syntax: words, "phrases", AND/OR/NOT, prefix*).
    #[command(after_help = "Example: chronicle search 'ceasefire AND aleppo' --limit 5")]
    Search {
        /// The query, e.g. 'convoy', '"aid convoy"', 'ceasefire NOT geneva', 'besieg*'.
        query: String,
        /// At most this many hits, best first.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// Coded events (CAMEO/PLOVER), by date; with --merged, one row per real-world
    /// event told across documents (NumMentions, NumSources, NumArticles).
    #[command(
        after_help = "Example: chronicle events --actor RUS --code ACCUSE --from 2016-10 --format jsonl\n         chronicle events --merged --min-sources 2 --json"
    )]
    Events {
        #[command(flatten)]
        filter: args::EventArgs,
        /// Merged events: mentions in different documents of one real-world event, counted once.
        #[arg(long)]
        merged: bool,
        /// With --merged: only events of this story (an id prefix is enough).
        #[arg(long, requires = "merged")]
        story: Option<String>,
        /// With --merged: only events told by at least this many outlets.
        #[arg(long, requires = "merged")]
        min_sources: Option<u64>,
        /// At most this many rows.
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// Actors with their codes and roles over time (named actors; `--all` adds
    /// generic ones such as "civilians" or "artillery").
    #[command(after_help = "Example: chronicle actors --format csv --out actors.csv")]
    Actors {
        /// Also list actors known only by a generic agent word.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// Stories: the documents that tell of the same events, across outlets, by date.
    #[command(after_help = "Example: chronicle stories --from 2016-10 --actor lavrov --json")]
    Stories {
        /// Stories that reach this date or later: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long, value_parser = args::date_bound)]
        from: Option<String>,
        /// Stories that start by this date (the whole period included).
        #[arg(long, value_parser = args::date_bound)]
        to: Option<String>,
        /// Only stories naming an actor or person whose name contains this text (case-insensitive).
        #[arg(long)]
        actor: Option<String>,
        /// Also list stories merged into others.
        #[arg(long)]
        include_merged: bool,
        /// At most this many rows.
        #[arg(long)]
        limit: Option<usize>,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// One story: its documents and outlets, merged events in date order with their
    /// sources, story-level date corrections, disagreeing figures and top actors.
    #[command(after_help = "Example: chronicle story 3fa9c2 --json")]
    Story {
        /// Story id or a unique prefix of it (a merged story's id shows the story it joined).
        id: String,
        /// Print the story as JSON (documents, events, disagreements, …).
        #[arg(long)]
        json: bool,
        /// Only what the reports after this point add: a date (YYYY, YYYY-MM or
        /// YYYY-MM-DD) or a document id of the story (or its unique prefix).
        #[arg(long, value_name = "DATE|DOC")]
        since: Option<String>,
    },
    /// What happened to an actor, between two actors or in a story, in order: each
    /// merged event with its date and precision, sources, first report and
    /// evidence sentence; undated events apart; differing dates all shown.
    #[command(
        after_help = "Example: chronicle timeline --pair USA RUS --from 2016-10 --json\nAlso: chronicle timeline --actor RUS, chronicle timeline --story 3fa9c2 --format semeval"
    )]
    Timeline {
        /// A CAMEO actor code or its start in capitals (RUS, USAGOV), or a name of
        /// people or organizations (Lavrov), as source or target.
        #[arg(long, conflicts_with_all = ["pair", "story"])]
        actor: Option<String>,
        /// Events between two actors (codes or names, as --actor), either way round.
        #[arg(long, num_args = 2, value_names = ["CODE", "CODE"], conflicts_with = "story")]
        pair: Option<Vec<String>>,
        /// Every merged event of one story (id or a unique prefix).
        #[arg(long)]
        story: Option<String>,
        /// Events dated this day or later: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long, value_parser = args::date_bound)]
        from: Option<String>,
        /// Events dated by this date (the whole period included).
        #[arg(long, value_parser = args::date_bound)]
        to: Option<String>,
        /// Print as text, JSON, CSV (a header, one row per event), or the
        /// SemEval-2015 TimeLine layout.
        #[arg(long, value_enum, default_value = "text")]
        format: cmd_timeline::TimelineFormat,
        /// Same as --format json.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the cross-document links (stories, merged events, entities, story
    /// dates) of every stored document with the current models.
    #[command(after_help = "Example: chronicle --db news.db relink --json")]
    Relink {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the whole record of a SQLite file (--db) into an empty PostgreSQL
    /// database, as stored: documents, annotations, stories, merged events and
    /// every other link, nothing annotated or linked again.
    #[command(
        after_help = "Example: chronicle --db news.db copy --to postgres://chronicle@db.example:5432/news"
    )]
    Copy {
        /// The PostgreSQL database to fill (postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME;
        /// it must exist and hold no record yet; its tables are created).
        #[arg(long)]
        to: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the coded record in another tool's format.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Read files and folders as ingest does and print each document's text, title,
    /// outlet, URL and publication date with its evidence, without annotating or storing.
    #[command(after_help = "Example: chronicle extract page.html --json | jq .published")]
    Extract {
        /// Files or folders (any format ingest reads).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        fields: FieldArgs,
        /// One Document JSON object per line (annotation layers empty).
        #[arg(long)]
        json: bool,
    },
    /// Read one file and print its document(s) with every annotation layer, without storing.
    #[command(after_help = "Example: chronicle annotate article.html --json > article.json")]
    Annotate {
        /// The file to read (any format ingest reads; with --jsonl, JSON Lines, `-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        fields: FieldArgs,
        /// Print the Document JSON (an array when the file holds several records).
        #[arg(long)]
        json: bool,
        /// Streaming stage: read articles as JSON Lines (same field names as ingest) and write one Document JSON per line, in input order, in constant memory. For `RDD.pipe`, GNU parallel, Beam; `ingest --from-jsonl` loads the output.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
    },
    /// Attributed quotes across the store.
    #[command(
        after_help = "Example: chronicle quotes --speaker lavrov --from 2016-10 --format jsonl"
    )]
    Quotes {
        /// Only quotes whose speaker (as written or resolved) contains this name (case-insensitive).
        #[arg(long)]
        speaker: Option<String>,
        #[command(flatten)]
        filter: StatementArgs,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// Numeric claims across the store (casualties, displaced, money, …).
    #[command(after_help = "Example: chronicle claims --kind KILL --outlet sana --format csv")]
    Claims {
        /// Only claims of this kind (KILL, WOUND, DISPLACE, BESIEGED, MONEY, …; a wrong kind lists them all).
        #[arg(long, value_parser = args::claim_kind)]
        kind: Option<String>,
        #[command(flatten)]
        filter: StatementArgs,
        #[command(flatten)]
        output: listing::OutputArgs,
    },
    /// The JSON Schema of a JSON output (documents, document, search, events, actors, quotes, claims, …).
    #[command(after_help = "Example: chronicle schema events > events.schema.json")]
    Schema {
        /// Which output; omit to list the names.
        name: Option<String>,
    },
    /// Train a model from annotated data (deterministic: fixed seed).
    #[command(
        after_help = "Example: chronicle train pos --train ud-ewt/train.conllu --dev ud-ewt/dev.conllu --out models/pos.bin.zst"
    )]
    Train {
        /// pos, ner, parse or feats.
        task: cmd_models::TrainTask,
        /// Training files (CoNLL-U for pos/parse/feats; IOB2 files or MEANTIME folders for ner).
        #[arg(long, required = true, num_args = 1..)]
        train: Vec<PathBuf>,
        /// Development file scored after each epoch.
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model file.
        #[arg(long)]
        out: PathBuf,
        /// Passes over the training data (default: the task's tuned number).
        #[arg(long)]
        epochs: Option<usize>,
        /// Seed of the shuffling PRNG (default: the task's fixed seed).
        #[arg(long)]
        seed: Option<u64>,
        /// parse, feats: also train on a copy of every sentence tagged by K-fold jackknifed taggers.
        #[arg(long)]
        jackknife_mix: Option<usize>,
        /// pos: unlabeled text for casing profiles (CSV files or MEANTIME folders).
        #[arg(long, num_args = 1..)]
        text: Vec<PathBuf>,
    },
    /// Write our annotations in the field's formats (CoNLL-U, IOB2, TimeML, brat), for official scorers and tools.
    #[command(
        after_help = "Example: chronicle tag --format conllu --gold-tokens --out pred/ ud-ewt/dev.conllu"
    )]
    Tag {
        /// conllu, iob2, timeml or brat.
        #[arg(long)]
        format: cmd_tag::TagFormat,
        /// Keep the input's tokens and sentences (CoNLL-U input) instead of tokenizing raw text.
        #[arg(long)]
        gold_tokens: bool,
        /// Output folder (one file per input, written whole or not at all), or - for standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Measure accuracy or speed.
    #[command(
        after_help = "Example: chronicle benchmark accuracy --task timex --data ../shared/data/tempeval3"
    )]
    Benchmark {
        #[command(subcommand)]
        what: BenchmarkCommand,
    },
    /// Serve the record over HTTP: the JSON API under /api/v1 (OpenAPI at
    /// /api/v1/openapi.json) and the web UI. Reads only; works while an ingest writes.
    #[command(after_help = "Example: chronicle --db news.db serve --bind 127.0.0.1:8765")]
    Serve {
        /// Address and port to listen on; anything but loopback is reachable by others (a warning is printed).
        #[arg(long, default_value = "127.0.0.1:8765")]
        bind: std::net::SocketAddr,
        /// Print the API's OpenAPI 3.1 document and exit (no database needed).
        #[arg(long)]
        openapi: bool,
        /// Memory for story views and timelines kept while the database is unchanged, in MiB (0: none).
        #[arg(long, default_value_t = 256)]
        cache_mb: usize,
        /// Stories whose views are computed before readers ask: the newest N at start and after each change, beside those readers opened (0: none).
        #[arg(long, default_value_t = 50)]
        warm: usize,
    },
    /// Ingest the bundled example corpus into a new database and print a report.
    #[command(
        after_help = "Example: chronicle demo   (writes chronicle-demo.db, or chronicle-demo-N.db when that exists)"
    )]
    Demo {
        /// Corpus folder (default: the repository's examples/corpus).
        #[arg(long)]
        corpus: Option<PathBuf>,
    },
}

/// Filters shared by `quotes` and `claims`.
#[derive(clap::Args, Clone, Default)]
pub struct StatementArgs {
    /// Only documents from outlets whose name contains this text (case-insensitive; no wildcards).
    #[arg(long)]
    outlet: Option<String>,
    /// Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_parser = args::date_bound)]
    from: Option<String>,
    /// Latest publication date: YYYY, YYYY-MM or YYYY-MM-DD (the whole period included).
    #[arg(long, value_parser = args::date_bound)]
    to: Option<String>,
    /// Only this document (an id prefix is enough).
    #[arg(long)]
    document: Option<String>,
    /// At most this many rows.
    #[arg(long)]
    limit: Option<usize>,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// GDELT 2.0 event table (tab-separated, 61 columns in codebook order, no header),
    /// and with --mentions its mentions table.
    #[command(
        after_help = "Example: chronicle export gdelt --out events.tsv --mentions mentions.tsv --from 2016-10"
    )]
    Gdelt {
        /// Where to write the event table (- for standard output).
        #[arg(long)]
        out: PathBuf,
        /// Also write the GDELT 2.0 mentions table (16 columns, tab-separated, no header) here.
        #[arg(long)]
        mentions: Option<PathBuf>,
        #[command(flatten)]
        export: cmd_export::ExportArgs,
    },
    /// ACLED-style CSV with a header: event types and sub-types, places, fatalities from KILL claims.
    #[command(after_help = "Example: chronicle export acled --out acled.csv --from 2016")]
    Acled {
        /// Where to write the CSV (- for standard output).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        export: cmd_export::ExportArgs,
    },
    /// The store as a Parquet lake for DuckDB, pyarrow, Spark: one folder per table
    /// (documents, events, entity_mentions, entities, actors, merged_events,
    /// merged_event_mentions, stories, story_documents, quotes, claims), Hive-partitioned
    /// by date (year=YYYY/month=MM), typed columns described in DIR/_schema.json.
    #[command(
        after_help = "Example: chronicle export parquet --out lake/ --since 2016-10-01\n         duckdb -c \"SELECT count(*) FROM read_parquet('lake/events/**/*.parquet', hive_partitioning=true)\""
    )]
    Parquet {
        #[command(flatten)]
        lake: cmd_export_parquet::LakeArgs,
    },
}

#[derive(Subcommand)]
enum BenchmarkCommand {
    /// Score a model on gold data (CoNLL-U for tokens/pos/parse; IOB2 or a MEANTIME folder for ner;
    /// a PolNeAR folder for quotes; FA-KES CSV for claims).
    #[command(
        after_help = "Example: chronicle benchmark accuracy --task pos --data ../shared/data/ud-ewt/en_ewt-ud-dev.conllu --json"
    )]
    Accuracy {
        /// What to score.
        #[arg(long)]
        task: cmd_models::AccuracyTask,
        /// Gold data: a file or folder in the task's format.
        #[arg(long)]
        data: PathBuf,
        /// Model file to score instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// parse: use the file's gold UPOS/XPOS instead of our tagger's.
        #[arg(long)]
        gold_tags: bool,
        /// stories, coref-events, coref-entities: the ECB+ split to score (train, dev, test).
        #[arg(long)]
        split: Option<String>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Words/s and documents/s of the full annotation pipeline, one thread and all cores.
    #[command(
        after_help = "Example: chronicle benchmark speed --data ../shared/data/fakes/fakes-dev.csv --runs 5"
    )]
    Speed {
        /// A folder of documents or a CSV/JSONL file.
        #[arg(long)]
        data: PathBuf,
        /// Timed runs; the median is reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Single documents of about 3k, 30k, 100k and 300k words built from the input's
        /// articles, annotated without a time budget: µs/word per length and its ratio to 3k.
        #[arg(long)]
        long: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = chronicle_store::Location::parse(
        cli.db
            .clone()
            .unwrap_or_else(|| PathBuf::from("chronicle.db")),
    );
    if let Some(n) = cli.threads {
        // Every parallel stage runs on rayon's global pool; sized once, here.
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
        {
            eprintln!("error: cannot start {n} threads: {e}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Ingest { args } => cmd_ingest::run(&db, &args),
        Command::Check { json } => cmd_check::run(&db, json),
        Command::Documents {
            outlet,
            from,
            to,
            language,
            limit,
            output,
        } => checked_range(&from, &to).and_then(|()| {
            cmd_query::documents(
                &db,
                chronicle_store::DocumentFilter {
                    outlet,
                    from,
                    to,
                    language,
                    limit,
                },
                &output,
            )
        }),
        Command::Show { id, json } => cmd_query::show(&db, &id, json),
        Command::Search {
            query,
            limit,
            output,
        } => cmd_query::search(&db, &query, limit, &output),
        Command::Events {
            filter,
            merged,
            story,
            min_sources,
            limit,
            output,
        } => filter
            .filter(limit)
            .map_err(|e| UsageError(e).into())
            .and_then(|f| {
                if merged {
                    cmd_stories::merged_events(&db, f, story, min_sources, &output)
                } else {
                    cmd_events::events(&db, f, &output)
                }
            }),
        Command::Stories {
            from,
            to,
            actor,
            include_merged,
            limit,
            output,
        } => checked_range(&from, &to).and_then(|()| {
            cmd_stories::stories(
                &db,
                chronicle_store::StoryFilter {
                    from,
                    to,
                    actor,
                    include_merged,
                    limit,
                },
                &output,
            )
        }),
        Command::Story { id, json, since } => match since {
            Some(since) => cmd_digest::run(&db, &id, &since, json),
            None => cmd_stories::story(&db, &id, json),
        },
        Command::Timeline {
            actor,
            pair,
            story,
            from,
            to,
            format,
            json,
        } => checked_range(&from, &to).and_then(|()| {
            cmd_timeline::run(
                &db,
                cmd_timeline::TimelineArgs {
                    actor,
                    pair,
                    story,
                    from,
                    to,
                    format: if json {
                        cmd_timeline::TimelineFormat::Json
                    } else {
                        format
                    },
                },
            )
        }),
        Command::Relink { json } => cmd_stories::relink(&db, json),
        Command::Actors { all, output } => cmd_events::actors(&db, &output, all),
        Command::Copy { to, json } => cmd_copy::run(&db, &to, json),
        Command::Export { what } => cmd_export::run(&db, what),
        Command::Extract {
            paths,
            fields,
            json,
        } => cmd_extract::run(&paths, &fields, json),
        Command::Annotate {
            file,
            fields,
            json,
            jsonl,
        } => {
            if jsonl {
                cmd_query::annotate_jsonl(&file, &fields)
            } else {
                cmd_query::annotate(&file, &fields, json)
            }
        }
        Command::Quotes {
            speaker,
            filter,
            output,
        } => checked_range(&filter.from, &filter.to)
            .and_then(|()| cmd_statements::quotes(&db, speaker, &filter, &output)),
        Command::Claims {
            kind,
            filter,
            output,
        } => checked_range(&filter.from, &filter.to)
            .and_then(|()| cmd_statements::claims(&db, kind, &filter, &output)),
        Command::Schema { name } => schema::run(name.as_deref()),
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
                split,
                json,
            } => cmd_models::accuracy(
                task,
                &data,
                model.as_deref(),
                gold_tags,
                split.as_deref(),
                json,
            ),
            BenchmarkCommand::Speed {
                data,
                runs,
                json,
                long,
            } => cmd_models::speed(&data, runs, json, long),
        },
        Command::Serve {
            bind,
            openapi,
            cache_mb,
            warm,
        } => cmd_serve::run(&db, bind, openapi, cache_mb, warm),
        Command::Demo { corpus } => demo::run(cli.db.as_deref(), corpus),
    };
    match result {
        Ok(code) => code,
        // `chronicle documents | head -1`: the reader has all it wants.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// A mistake in what the user typed that clap cannot see alone (exit 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn checked_range(from: &Option<String>, to: &Option<String>) -> anyhow::Result<()> {
    args::check_range(from.as_deref(), to.as_deref()).map_err(|e| UsageError(e).into())
}

/// A write to a closed pipe, however deep in the error chain (serde_json and csv
/// wrap the io error rather than exposing it as a source).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}
