//! JSON request bodies, with errors as problem+json (axum's own `Json` answers plain text).

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

/// The largest body a JSON route reads; a place is a few kilobytes.
pub const MAX_JSON_BODY: usize = 256 * 1024;

/// A JSON body (`application/json`, `application/geo+json` or `application/merge-patch+json`).
/// Other content types answer 415, so that an HTML form on another site cannot post here
/// without a CORS preflight.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !matches!(
            content_type.as_str(),
            "application/json" | "application/geo+json" | "application/merge-patch+json"
        ) {
            return Err(ApiError::unsupported_media_type(
                "send the body as application/json",
            ));
        }
        // The router limits bodies to MAX_JSON_BODY (axum's DefaultBodyLimit).
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(format!(
                    "a body may hold at most {MAX_JSON_BODY} bytes"
                ))
            } else {
                ApiError::invalid_body(format!("the body could not be read: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes).map(Self).map_err(|e| {
            ApiError::invalid_body(format!("not valid JSON of the expected shape: {e}"))
        })
    }
}
