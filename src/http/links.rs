//! Links between resources, as OGC API – Features wants them: absolute URLs with a relation
//! and a media type. GDAL and QGIS follow them verbatim.

use crate::app::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::Serialize;
use std::convert::Infallible;

pub const GEO_JSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const OPENAPI_JSON: &str = "application/vnd.oai.openapi+json;version=3.0";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Link {
    pub href: String,
    pub rel: String,
    #[serde(rename = "type")]
    pub media_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Link {
    pub fn new(href: String, rel: &str, media_type: &str, title: Option<&str>) -> Self {
        Self {
            href,
            rel: rel.into(),
            media_type: media_type.into(),
            title: title.map(Into::into),
        }
    }
}

/// `scheme://host` that clients reached this service at: the configured public URL, or else
/// the request's `Host` header over plain HTTP.
pub struct BaseUrl(pub String);

impl FromRequestParts<AppState> for BaseUrl {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(url) = &state.config.public_url {
            return Ok(Self(url.trim_end_matches('/').to_owned()));
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        Ok(Self(format!("http://{host}")))
    }
}

impl BaseUrl {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}
