//! Where a store lives, as a user names it (`--db`): a SQLite file, or a
//! PostgreSQL server by URL. Front ends open either through here and then see
//! only the `Store` trait.

use crate::{PgStore, SqliteStore, Store, StoreError, WriterOptions};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// A `postgres://` or `postgresql://` URL, password and all: only
    /// [`Location::display`] may be shown to anyone.
    Postgres(String),
}

impl Location {
    /// A URL of PostgreSQL's schemes is a server; anything else a file path.
    pub fn parse(arg: impl Into<PathBuf>) -> Location {
        let path: PathBuf = arg.into();
        match path.to_str() {
            Some(s) if is_postgres_url(s) => Location::Postgres(s.to_string()),
            _ => Location::File(path),
        }
    }

    /// The SQLite file, when the store is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// How messages name the store: the path, or the URL without its password.
    pub fn display(&self) -> impl fmt::Display + '_ {
        Shown(self)
    }

    /// Whether there is a store to read: a file that exists; a server is
    /// asked when connected.
    pub fn may_exist(&self) -> bool {
        match self {
            Location::File(p) => p.exists(),
            Location::Postgres(_) => true,
        }
    }

    /// Opens for queries: never writes or migrates (see
    /// [`SqliteStore::open_read_only`] and [`PgStore::connect_read_only`]).
    pub fn open_read_only(&self) -> Result<Box<dyn Store + Send>, StoreError> {
        Ok(match self {
            Location::File(p) => Box::new(SqliteStore::open_read_only(p)?),
            Location::Postgres(url) => Box::new(PgStore::connect_read_only(url)?),
        })
    }

    /// Opens for writing, creating and migrating the store as needed. `writer`
    /// says how long to wait for another SQLite writer; PostgreSQL writers
    /// queue on an advisory lock instead (see `postgres`).
    pub fn open_writer(&self, writer: WriterOptions) -> Result<Box<dyn Store + Send>, StoreError> {
        Ok(match self {
            Location::File(p) => Box::new(SqliteStore::open_writer(p, writer)?),
            Location::Postgres(url) => Box::new(PgStore::connect(url)?),
        })
    }
}

fn is_postgres_url(s: &str) -> bool {
    let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

struct Shown<'a>(&'a Location);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&crate::postgres::redacted(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_postgres_schemes_are_servers_and_the_rest_files() {
        for url in [
            "postgres://u:p@h/db",
            "postgresql://h:5432/db",
            "POSTGRES://h/db",
        ] {
            assert!(
                matches!(Location::parse(url), Location::Postgres(_)),
                "{url}"
            );
        }
        for path in ["chronicle.db", "./postgres/news.db", "postgres.db", "pg:x"] {
            assert_eq!(Location::parse(path), Location::File(path.into()));
        }
    }

    #[test]
    fn a_server_is_shown_without_its_password() {
        let shown = Location::parse("postgres://ana:s3cret@db.example:5432/news")
            .display()
            .to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.example"), "{shown}");
    }
}
