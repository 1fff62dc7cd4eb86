//! Errors: `ServerError` for starting and running the server, `ApiError` for one
//! request (a JSON body `{"error": {...}}` with the status it maps to). Store
//! internals are not echoed to clients beyond the store's own message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chronicle_store::StoreError;
use schemars::JsonSchema;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database {} does not exist; run `chronicle ingest` first (or pass --db)", path.display())]
    NoDatabase { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start the server's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("serving on {}: {source}", addr.map(|a| a.to_string()).unwrap_or_else(|| "?".into()))]
    Serve {
        addr: Option<SocketAddr>,
        source: std::io::Error,
    },
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorDetail {
    /// `bad_parameter`, `not_found`, `ambiguous`, `not_modified`, `unavailable`, `internal`.
    pub code: &'static str,
    /// The query or path parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    pub message: String,
}

/// One request's failure.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: ErrorDetail {
                code,
                parameter: None,
                message: message.into(),
            },
        }
    }

    /// A 400 naming the parameter.
    pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "bad_parameter", message);
        e.detail.parameter = Some(parameter.to_string());
        e
    }

    /// The same error naming another parameter (an id given as `story=` rather than in the path).
    pub fn for_parameter(mut self, parameter: &str) -> Self {
        if self.detail.parameter.is_some() {
            self.detail.parameter = Some(parameter.to_string());
        }
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// An id prefix that names several records (400: the client must say more).
    pub fn ambiguous(parameter: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "ambiguous", message);
        e.detail.parameter = Some(parameter.to_string());
        e
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadQuery { .. } => ApiError::bad_parameter("q", e.to_string()),
            StoreError::Busy { .. } => ApiError::unavailable(e.to_string()),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<chronicle_engine::query::QueryError> for ApiError {
    fn from(e: chronicle_engine::query::QueryError) -> Self {
        use chronicle_engine::query::QueryError;
        match e {
            QueryError::Store(s) => s.into(),
            QueryError::NotFound { .. } => ApiError::not_found(e.to_string()),
            QueryError::Ambiguous { .. } => ApiError::ambiguous("id", e.to_string()),
            QueryError::Invalid { parameter, message } => {
                ApiError::bad_parameter(parameter, message)
            }
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

/// Any path no route knows.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no such path: {}", uri.path()))
}
