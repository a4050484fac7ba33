//! Requests refused before any handler runs still answer problem+json.
//!
//! hyper answers some malformed requests itself, with an empty body and no hook to change it:
//! a URI over 65,534 bytes (414), headers beyond its read buffer (~400 KB) or more than
//! [`HYPER_MAX_HEADERS`] of them (431), and requests it cannot parse at all (400). So this
//! service enforces tighter limits of its own first ([`enforce`]), which answer problem+json
//! with the security headers; only requests past hyper's limits, or unparseable ones, get
//! hyper's bare answer. axum's own rejections (a path segment that is not UTF-8, a body too
//! large, …) are plain text: [`problem_for_plain_errors`] rewrites them.

use super::error::ApiError;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest URI (path and query) this service reads.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of request headers (names and values) this service reads.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most request headers this service reads.
pub const MAX_HEADERS: usize = 64;
/// hyper's own limit, set above [`MAX_HEADERS`] so that ours answers first.
pub const HYPER_MAX_HEADERS: usize = 128;

pub async fn enforce(request: Request, next: Next) -> Response {
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return ApiError::uri_too_long(MAX_URI_BYTES).into_response();
    }
    let headers = request.headers();
    if headers.len() > MAX_HEADERS {
        return ApiError::headers_too_large(format!("more than {MAX_HEADERS} request headers"))
            .into_response();
    }
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return ApiError::headers_too_large(format!(
            "request headers larger than {MAX_HEADER_BYTES} bytes"
        ))
        .into_response();
    }
    next.run(request).await
}

/// Turns a plain-text error answer (axum's rejections) into problem+json with the same
/// status and words.
pub async fn problem_for_plain_errors(response: Response) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (_, body) = response.into_parts();
    let detail = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let detail = if detail.trim().is_empty() {
        status.canonical_reason().unwrap_or("refused").to_owned()
    } else {
        detail
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(%detail, "plain-text 500 from a layer");
        return ApiError::internal().into_response();
    }
    ApiError::rejected(status, detail).into_response()
}
