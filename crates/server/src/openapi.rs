//! The OpenAPI 3.1 document. Paths and parameters come from the handlers'
//! `#[utoipa::path]` annotations (each route registers its own, so a route
//! cannot be missing from the document); response bodies are the JSON Schemas
//! (draft 2020-12, OpenAPI 3.1's dialect) that schemars derives from the very
//! types the handlers serialize, the same schemas `chronicle schema` prints.

use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};
use std::sync::Arc;

/// Declares response types as OpenAPI components whose schema is schemars'.
/// Each listed type gets a utoipa schema that is a `$ref` to its component,
/// and `component_schemas` fills the components from schemars.
macro_rules! schemars_components {
    ($($t:ty),* $(,)?) => {
        $(
            impl utoipa::PartialSchema for $t {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                    utoipa::openapi::Ref::from_schema_name(
                        <$t as schemars::JsonSchema>::schema_name(),
                    )
                    .into()
                }
            }
            impl utoipa::ToSchema for $t {
                fn name() -> std::borrow::Cow<'static, str> {
                    <$t as schemars::JsonSchema>::schema_name()
                }
            }
        )*
        /// Every response type's JSON Schema, with the types they use, keyed
        /// by component name.
        pub(crate) fn component_schemas() -> serde_json::Map<String, serde_json::Value> {
            let mut generator = crate::openapi::generator();
            $( generator.subschema_for::<$t>(); )*
            generator.take_definitions(true)
        }
    };
}
pub(crate) use schemars_components;

pub(crate) fn generator() -> schemars::SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator()
}

#[derive(utoipa::OpenApi)]
#[openapi(info(
    title = "Chronicle API",
    description = "A sourced, queryable record of what happened, built from raw news: documents, stories, events, actors, quotes, claims and disagreements. Every fact carries its evidence (document id and byte span). Read-only.",
    license(name = "MIT OR Apache-2.0")
))]
pub struct ApiDoc;

/// The document as served: utoipa's paths with schemars' components.
pub fn finish(doc: utoipa::openapi::OpenApi) -> Value {
    let mut v = serde_json::to_value(&doc).unwrap_or_else(|_| json!({}));
    v["openapi"] = json!("3.1.0");
    v["info"]["version"] = json!(env!("CARGO_PKG_VERSION"));
    v["servers"] = json!([{ "url": "/api/v1" }]);
    let schemas = crate::api::component_schemas();
    let components = v
        .as_object_mut()
        .map(|o| o.entry("components").or_insert_with(|| json!({})));
    if let Some(Value::Object(c)) = components {
        c.insert("schemas".into(), Value::Object(schemas));
    }
    v
}

/// `GET /openapi.json` (under `/api/v1`).
pub fn route(doc: Value) -> Router<AppState> {
    let body: Arc<str> = Arc::from(serde_json::to_string_pretty(&doc).unwrap_or_default());
    Router::new().route(
        "/openapi.json",
        get(move || {
            let body = Arc::clone(&body);
            async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    body.to_string(),
                )
                    .into_response()
            }
        }),
    )
}
