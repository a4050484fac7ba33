//! Logging in and out, who is logged in, and the extractors that check roles.
//!
//! The session cookie is HttpOnly and SameSite=Strict; over HTTPS it is also Secure with the
//! `__Host-` prefix. State-changing requests from another site are refused (see
//! [`same_site_writes_only`]), and with SameSite=Strict a cross-site request carries no
//! session anyway.

use super::error::ApiError;
use super::json::JsonBody;
use crate::accounts::{AuthError, User};
use crate::app::{AppState, ClientAddr};
use crate::domain::Role;
use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr};

const COOKIE: &str = "tsunagari_session";
const SECURE_COOKIE: &str = "__Host-tsunagari_session";

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.is_https() {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The session token the request's cookie carries, if any.
fn session_token(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whoever is logged in, or nobody. Looks the session up in the database only when the
/// request carries a session cookie, so anonymous reads never touch it.
pub struct Viewer(pub Option<User>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = session_token(&parts.headers, cookie_name(state)) else {
            return Ok(Self(None));
        };
        Ok(Self(state.accounts.user(&token).await?))
    }
}

impl Viewer {
    /// Sees drafts, archived places and history.
    pub fn edits_places(&self) -> bool {
        self.0.as_ref().is_some_and(|u| u.role.edits_places())
    }
}

/// Someone logged in, in any role.
pub struct AnyUser(pub User);

impl FromRequestParts<AppState> for AnyUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Viewer::from_request_parts(parts, state).await?.0 {
            Some(user) => Ok(Self(user)),
            None => Err(ApiError::unauthorized("log in first")),
        }
    }
}

/// Staff or an admin: may add, edit, publish and archive places.
pub struct Editor(pub User);

impl FromRequestParts<AppState> for Editor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AnyUser(user) = AnyUser::from_request_parts(parts, state).await?;
        if user.role.edits_places() {
            Ok(Self(user))
        } else {
            Err(ApiError::forbidden("this needs a staff account"))
        }
    }
}

/// A link worker, staff or an admin: may search near a client for a handout. Each role is
/// named, so that a role added later is not admitted by accident.
pub struct LinkWorker(pub User);

impl FromRequestParts<AppState> for LinkWorker {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AnyUser(user) = AnyUser::from_request_parts(parts, state).await?;
        match user.role {
            Role::Linkworker | Role::Staff | Role::Admin => Ok(Self(user)),
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    username: String,
    password: String,
}

/// Logs in: sets the session cookie.
#[utoipa::path(post, path = "/api/login", tag = "Accounts", request_body = Login,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = Object),
        (status = 400, description = "Not a JSON object with username and password",
         content_type = "application/problem+json", body = super::error::Problem),
        (status = 401, description = "Wrong user name or password",
         content_type = "application/problem+json", body = super::error::Problem),
        (status = 429, description = "Too many failed logins; see Retry-After",
         content_type = "application/problem+json", body = super::error::Problem),
    ))]
pub async fn login(
    State(state): State<AppState>,
    address: Option<axum::Extension<ClientAddr>>,
    JsonBody(body): JsonBody<Login>,
) -> Result<Response, ApiError> {
    let address = address.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.0.0);
    let (user, token) = state
        .accounts
        .login(&body.username, &body.password, address)
        .await
        .map_err(|e| match e {
            AuthError::Throttled(wait) => ApiError::too_many_requests(
                wait,
                "too many failed logins; wait before trying again",
            ),
            AuthError::Store(e) => e.into(),
            _ => ApiError::unauthorized("user name or password is wrong"),
        })?;
    tracing::info!(username = %user.username, "logged in");
    let max_age = state.accounts.config().absolute.as_secs();
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        cookie_name(&state)
    );
    let mut response = Json(user).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("hex token"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Logs out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/logout", tag = "Accounts",
    responses((status = 204, description = "Logged out (also when no one was logged in)")))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers, cookie_name(&state)) {
        state.accounts.logout(&token).await?;
    }
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
        cookie_name(&state)
    );
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ASCII"),
    );
    Ok(response)
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/me", tag = "Accounts",
    responses(
        (status = 200, description = "The user name and role", body = Object),
        (status = 401, description = "Nobody is logged in",
         content_type = "application/problem+json", body = super::error::Problem),
    ))]
pub async fn me(AnyUser(user): AnyUser) -> Response {
    let mut response = Json(user).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Refuses a state-changing request that another site made the browser send: by
/// `Sec-Fetch-Site` where the browser sends it, and by `Origin` otherwise. Requests without
/// either (command-line clients) pass; they carry no browser cookies by accident.
pub async fn same_site_writes_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|s| s != "same-origin" && s != "none") {
        return ApiError::forbidden("cross-site requests may not change anything").into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let expected = match &state.config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(|h| format!("http://{h}"))
                .unwrap_or_default(),
        };
        if origin != expected {
            return ApiError::forbidden("requests from another origin may not change anything")
                .into_response();
        }
    }
    next.run(request).await
}
