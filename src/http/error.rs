//! The one place that turns errors into HTTP answers: RFC 9457 problem+json bodies with a
//! stable `type`, the parameter or fields at fault, and words a client can show. A client's
//! mistake is always 4xx; a 500 is logged here and says nothing of the internals.

use crate::domain::FieldError;
use crate::store::StoreError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// What a 503 answer asks the client to wait, in seconds.
const RETRY_AFTER_SECONDS: &str = "2";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URN naming the kind of problem, e.g. `urn:tsunagari:problem:invalid-parameter`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The query parameter at fault, for `invalid-parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Every field that broke a rule, for `invalid-body`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
    /// What a タネ's text seems to hold, for `personal-data`: resend with
    /// `properties.personal_data_confirmed: true` to keep it anyway.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub personal_data: Vec<crate::domain::personal_data::Finding>,
    /// Seconds to wait, for `too-many-requests` (also sent as `Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

#[derive(Debug)]
pub struct ApiError(Box<Problem>);

impl ApiError {
    fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Self {
        Self(Box::new(Problem {
            kind: format!("urn:tsunagari:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            parameter: None,
            errors: Vec::new(),
            personal_data: Vec::new(),
            retry_after: None,
        }))
    }

    /// A query parameter that is unknown, repeated, malformed or out of range.
    pub fn invalid_parameter(parameter: &str, reason: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "invalid-parameter",
            "Invalid query parameter",
            format!("{parameter}: {reason}"),
        );
        e.0.parameter = Some(parameter.to_owned());
        e
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "this resource does not accept that method",
        )
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Login required",
            detail,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    /// Too many attempts: try again after `retry_after` (sent as `Retry-After`).
    pub fn too_many_requests(retry_after: std::time::Duration, detail: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-requests",
            "Too many attempts",
            detail,
        );
        e.0.retry_after = Some(retry_after.as_secs().max(1));
        e
    }

    /// A request body that is not JSON of the expected shape.
    pub fn invalid_body(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid-body",
            "Invalid request body",
            detail,
        )
    }

    /// Too many large answers are being sent; the client may try again later.
    pub fn busy(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Busy, try again shortly",
            detail,
        )
    }

    /// A well-formed body whose fields break rules: every broken rule is listed.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-fields",
            "Some fields are not valid",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        );
        e.0.errors = errors;
        e
    }

    /// A タネ whose text looks like it holds personal data, not confirmed by the writer.
    pub fn personal_data(found: Vec<crate::domain::personal_data::Finding>) -> Self {
        let listed: Vec<String> = found
            .iter()
            .map(|f| format!("{}「{}」", f.label, f.text))
            .collect();
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "personal-data",
            "The text looks like it holds personal data",
            format!(
                "個人の情報らしきものが含まれています: {}。このまま保存するには properties.personal_data_confirmed を true にして送り直してください。",
                listed.join("、")
            ),
        );
        e.0.errors = vec![FieldError::new(
            "properties.text",
            format!("holds what looks like personal data: {}", listed.join(", ")),
        )];
        e.0.personal_data = found;
        e
    }

    /// The request conflicts with the resource's state (e.g. a タネ already promoted).
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Body too large",
            detail,
        )
    }

    pub fn uri_too_long(limit: usize) -> Self {
        Self::new(
            StatusCode::URI_TOO_LONG,
            "uri-too-long",
            "URI too long",
            format!("the request's URI is longer than {limit} bytes"),
        )
    }

    pub fn headers_too_large(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers-too-large",
            "Request headers too large",
            detail,
        )
    }

    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported content type",
            detail,
        )
    }

    /// A request refused before any handler ran (axum's rejections are plain text).
    pub fn rejected(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::new(
            status,
            "request-rejected",
            status.canonical_reason().unwrap_or("Refused"),
            detail,
        )
    }

    /// A write without `If-Match`.
    pub fn precondition_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "If-Match required",
            "send If-Match with the ETag of the version you edited, so that nobody's change is overwritten",
        )
    }

    /// A write whose `If-Match` names an older version: someone else changed the place.
    pub fn precondition_failed(current_version: i64) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "version-conflict",
            "Changed by someone else",
            format!(
                "the place is now at version {current_version}; nothing was changed. Read it again and reapply your edit"
            ),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server could not answer; the error has been logged",
        )
    }

    pub fn problem(&self) -> &Problem {
        &self.0
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(id) => Self::not_found(format!("no item with id {id}")),
            StoreError::VersionConflict { .. } => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "version-conflict",
                "Changed by someone else",
                e.to_string(),
            ),
            other => {
                tracing::error!(error = %other, "store error");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.0).expect("a problem always serialises");
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.0.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        } else if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}
