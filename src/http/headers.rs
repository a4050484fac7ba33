//! Headers every answer carries (a strict Content-Security-Policy and friends), and CORS for
//! the public read API only: anyone may read the open data from a browser, without cookies.

use super::ApiError;
use crate::config::HttpConfig;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    pub fn new(config: &HttpConfig) -> Self {
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; \
             connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'; form-action 'self'",
            tiles = config.tile_origins().join(" ")
        );
        Self {
            csp: HeaderValue::from_str(&csp).expect("tile origins are validated ASCII"),
        }
    }
}

pub async fn add_security_headers(
    State(h): State<SecurityHeaders>,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, h.csp.clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("geolocation=(self), camera=(), microphone=()"),
    );
    response
}

/// `Access-Control-Allow-Origin: *` on reads of the public API; never with credentials, and
/// never on an answer meant for one logged-in user (a request with cookies, or an answer
/// marked private).
pub async fn allow_any_origin_on_reads(request: Request, next: Next) -> Response {
    let is_public_read = matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.headers().contains_key(header::COOKIE)
        && request.uri().path() != "/api/me";
    let mut response = next.run(request).await;
    let private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v.as_bytes().starts_with(b"private"));
    if is_public_read && !private {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// The answer to a browser's CORS preflight on a public read route: allowed for GET and
/// HEAD only, never with credentials, so that a preflight for a write fails.
pub async fn preflight(request: HeaderMap) -> Response {
    let for_a_read = request
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .is_some_and(|asked| matches!(asked.as_bytes(), b"GET" | b"HEAD"));
    if !for_a_read {
        return ApiError::method_not_allowed().into_response();
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD"),
        (
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "accept, accept-language, content-language, if-none-match, if-modified-since",
        ),
        (header::ACCESS_CONTROL_MAX_AGE, "86400"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
