//! What `serve` needs to know: the database, the address and the limits.

use crate::DEFAULT_REQUEST_TIMEOUT;
use chronicle_store::Location;
use std::net::SocketAddr;
use std::time::Duration;

/// Settings of one server run.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// The store (a SQLite file or a PostgreSQL server), opened read-only.
    pub db: Location,
    /// Where to listen; loopback unless the user asks otherwise.
    pub bind: SocketAddr,
    pub limits: Limits,
}

/// Bounds that keep one request from costing the others.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Read-only store connections; also the number of queries running at once
    /// (the rest wait for a connection).
    pub connections: usize,
    /// A request still unanswered after this gets a 503.
    pub request_timeout: Duration,
    /// Largest request body accepted (the API only reads; bodies are refused
    /// beyond this with 413).
    pub max_body_bytes: usize,
    /// Rows per page when `limit` is not given.
    pub default_page: usize,
    /// Largest `limit` accepted; more is a 400 naming `limit`.
    pub max_page: usize,
    /// Bytes of story and timeline answers kept while the store is unchanged
    /// (0 keeps none).
    pub cache_bytes: usize,
    /// Stories whose views are computed ahead of readers: the newest this
    /// many at start and after each change, beside those readers opened
    /// (0: none; needs the cache).
    pub warm_stories: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 4,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: 16 * 1024,
            default_page: 50,
            max_page: 500,
            cache_bytes: 256 * 1024 * 1024,
            warm_stories: 50,
        }
    }
}
