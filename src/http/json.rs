//! JSON request bodies, with errors as problem+json (axum's own `Json` answers plain text).

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
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
        parse(&bytes).map(Self)
    }
}

/// The media type of a request's body, lower case, without parameters.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is one of the JSON types the API reads.
pub fn is_json(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/json" | "application/geo+json" | "application/merge-patch+json"
    )
}

fn check_json_type(headers: &HeaderMap) -> Result<(), ApiError> {
    if is_json(&media_type(headers)) {
        Ok(())
    } else {
        Err(ApiError::unsupported_media_type(
            "send the body as application/json",
        ))
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::invalid_body(format!("not valid JSON of the expected shape: {e}")))
}

/// A body already read, as JSON of the expected shape (checking its media type), for handlers
/// whose body is optional or may come in another format.
pub fn json_of<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    check_json_type(headers)?;
    parse(bytes)
}
