//! What the private collections (`tane`, `walks`) share: reading a Feature a client sent,
//! answering with one, paging, history with diffs, and how fieldwork errors become problems.
//! Every answer here is `private, no-store`: these records are staff-only.

use super::error::ApiError;
use super::links::{BaseUrl, GEO_JSON, Link};
use super::places::{etag, geo_json, no_store};
use crate::domain::FieldError;
use crate::fieldwork::FieldworkError;
use crate::store::{Change, Versioned};
use axum::Json;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

/// The most items one page lists.
pub const MAX_LIMIT: usize = 1000;

impl From<FieldworkError> for ApiError {
    fn from(e: FieldworkError) -> Self {
        match e {
            FieldworkError::Store(e) => e.into(),
            FieldworkError::Invalid(errors) => ApiError::invalid_fields(errors),
            FieldworkError::PersonalData(found) => ApiError::personal_data(found),
            FieldworkError::AlreadyPromoted(place) => ApiError::conflict(format!(
                "this タネ already became place {place}; edit that place instead"
            )),
        }
    }
}

/// A Feature a client sent, split into its writable properties and its geometry; every
/// problem is listed. `reported` are properties the server reports, accepted back (a client
/// may send what it read) and ignored.
pub struct SentFeature {
    pub properties: Map<String, Value>,
    /// `None` when absent or `null`.
    pub geometry: Option<Value>,
}

pub fn sent_feature(
    feature: &Value,
    id: Option<Uuid>,
    writable: &[&str],
    reported: &[&str],
    what: &str,
) -> Result<SentFeature, Vec<FieldError>> {
    let Some(object) = feature.as_object() else {
        return Err(vec![FieldError::new(
            "",
            "must be a GeoJSON Feature object",
        )]);
    };
    let mut errors = Vec::new();
    if object.get("type").and_then(Value::as_str) != Some("Feature") {
        errors.push(FieldError::new("type", "must be \"Feature\""));
    }
    match (object.get("id"), id) {
        (None | Some(Value::Null), _) => {}
        (Some(given), Some(id)) if given.as_str() == Some(&id.to_string()) => {}
        (Some(_), Some(_)) => errors.push(FieldError::new("id", "differs from the URL's id")),
        (Some(_), None) => errors.push(FieldError::new("id", "is assigned by the server")),
    }
    let mut properties = Map::new();
    match object.get("properties") {
        Some(Value::Object(p)) => {
            for (key, value) in p {
                if writable.contains(&key.as_str()) {
                    properties.insert(key.clone(), value.clone());
                } else if !reported.contains(&key.as_str()) {
                    errors.push(FieldError::new(
                        format!("properties.{key}"),
                        format!("is not a property of {what}"),
                    ));
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => errors.push(FieldError::new("properties", "must be an object")),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let geometry = object.get("geometry").filter(|g| !g.is_null()).cloned();
    Ok(SentFeature {
        properties,
        geometry,
    })
}

/// Deserialises writable properties into an input type, naming the property at fault.
pub fn input_from<T: serde::de::DeserializeOwned>(
    properties: Map<String, Value>,
) -> Result<T, FieldError> {
    serde_json::from_value(Value::Object(properties))
        .map_err(|e| FieldError::new("properties", e.to_string()))
}

/// `[lon, lat]` as numbers.
pub fn position(value: &Value) -> Result<(f64, f64), &'static str> {
    match value.as_array().map(Vec::as_slice) {
        Some([lon, lat]) | Some([lon, lat, _]) => match (lon.as_f64(), lat.as_f64()) {
            (Some(lon), Some(lat)) => Ok((lon, lat)),
            _ => Err("coordinates must be numbers [longitude, latitude]"),
        },
        _ => Err("a position is [longitude, latitude]"),
    }
}

/// A GeoJSON Point's position.
pub fn point(geometry: &Value) -> Result<(f64, f64), FieldError> {
    if geometry.get("type").and_then(Value::as_str) != Some("Point") {
        return Err(FieldError::new(
            "geometry",
            "must be a GeoJSON Point or null",
        ));
    }
    geometry
        .get("coordinates")
        .ok_or("a Point needs coordinates")
        .and_then(position)
        .map_err(|reason| FieldError::new("geometry", reason))
}

/// The `ETag` a record's version gives, and the `If-Match` a write must send.
pub fn if_match(headers: &axum::http::HeaderMap) -> Result<i64, ApiError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or_else(ApiError::precondition_required)?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError::invalid_parameter("If-Match", "must be the ETag of the item, e.g. \"3\"")
        })
}

pub fn parse_id(id: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::not_found(format!("no {what} with id {id:?}")))
}

/// One record as a GeoJSON Feature with its `ETag`.
pub fn feature_response(feature: Value, version: i64) -> Response {
    let body = serde_json::to_vec(&feature).expect("features serialise");
    let mut response = geo_json(Body::from(body));
    response.headers_mut().insert(header::ETAG, etag(version));
    no_store(response)
}

/// A created record: 201, `Location`, `ETag`.
pub fn created(feature: Value, version: i64, location: &str) -> Result<Response, ApiError> {
    let mut response = feature_response(feature, version);
    *response.status_mut() = StatusCode::CREATED;
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(location).map_err(|_| ApiError::internal())?,
    );
    Ok(response)
}

/// `limit` and `offset` of a list, and the other parameters by name.
pub struct ListQuery {
    pub limit: usize,
    pub offset: usize,
    pub others: Vec<(String, String)>,
}

impl ListQuery {
    /// Reads the query; any parameter not in `allowed` (besides limit and offset) is refused.
    pub fn parse(
        raw: Option<&str>,
        allowed: &[&str],
        default_limit: usize,
    ) -> Result<Self, ApiError> {
        let mut query = Self {
            limit: default_limit,
            offset: 0,
            others: Vec::new(),
        };
        let mut seen: Vec<String> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if seen.contains(&k.to_string()) {
                return Err(ApiError::invalid_parameter(&k, "is given more than once"));
            }
            seen.push(k.to_string());
            match k.as_ref() {
                "limit" => {
                    query.limit = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ApiError::invalid_parameter(
                                "limit",
                                format!("must be a whole number from 1 to {MAX_LIMIT}"),
                            )
                        })?;
                }
                "offset" => {
                    query.offset = v.parse().map_err(|_| {
                        ApiError::invalid_parameter("offset", "must be a whole number from 0")
                    })?;
                }
                "f" if v == "json" || v == "geojson" => {}
                key if allowed.contains(&key) => query.others.push((k.into(), v.into())),
                key => {
                    return Err(ApiError::invalid_parameter(
                        key,
                        format!(
                            "unknown parameter; this route takes limit, offset{}",
                            allowed.iter().map(|a| format!(", {a}")).collect::<String>()
                        ),
                    ));
                }
            }
        }
        Ok(query)
    }

    /// A FeatureCollection of one page, with `self` and `next` links.
    pub fn collection(
        &self,
        base: &BaseUrl,
        path: &str,
        features: Vec<Value>,
        matched: usize,
    ) -> Response {
        let link = |offset: usize, rel: &str| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.others {
                q.append_pair(k, v);
            }
            q.append_pair("limit", &self.limit.to_string());
            q.append_pair("offset", &offset.to_string());
            Link::new(
                base.url(&format!("{path}?{}", q.finish())),
                rel,
                GEO_JSON,
                None,
            )
        };
        let mut links = vec![link(self.offset, "self")];
        if self.offset + features.len() < matched {
            links.push(link(self.offset + features.len(), "next"));
        }
        let body = serde_json::json!({
            "type": "FeatureCollection",
            "numberMatched": matched,
            "numberReturned": features.len(),
            "timeStamp": rfc3339(crate::places::now()),
            "links": links,
            "features": features,
        });
        no_store(geo_json(Body::from(
            serde_json::to_vec(&body).expect("collections serialise"),
        )))
    }
}

/// A timestamp as the API writes it: `2026-12-05T23:06:47Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("timestamps of this era format")
}

/// A place's, タネ's or walk's history: every version, newest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct History {
    versions: Vec<Version>,
}

/// One version in a history, with what changed from the version before.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Version {
    version: i64,
    change: Change,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    changed_at: OffsetDateTime,
    changed_by: String,
    #[schema(value_type = Object)]
    properties: Value,
    #[schema(value_type = Object)]
    geometry: Value,
    diff: Vec<Difference>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Difference {
    field: String,
    #[schema(value_type = Object)]
    before: Value,
    #[schema(value_type = Object)]
    after: Value,
}

/// Every version, newest first, each with a field-level diff of `compared` properties (and
/// the geometry) from the one before. `render` makes the Feature of a version.
pub fn history<T>(
    versions: Vec<Versioned<T>>,
    compared: &[&str],
    render: impl Fn(&T) -> Value,
) -> Response {
    let mut out = Vec::with_capacity(versions.len());
    let mut before: Option<Value> = None;
    for v in versions {
        let feature = render(&v.record);
        let diff = match &before {
            Some(b) => differences(b, &feature, compared),
            None => Vec::new(),
        };
        out.push(Version {
            version: v.version,
            change: v.change,
            changed_at: v.changed_at,
            changed_by: v.changed_by,
            properties: feature["properties"].clone(),
            geometry: feature["geometry"].clone(),
            diff,
        });
        before = Some(feature);
    }
    out.reverse();
    no_store(Json(History { versions: out }).into_response())
}

fn differences(before: &Value, after: &Value, compared: &[&str]) -> Vec<Difference> {
    let mut out = Vec::new();
    if before["geometry"] != after["geometry"] {
        out.push(Difference {
            field: "geometry".into(),
            before: before["geometry"].clone(),
            after: after["geometry"].clone(),
        });
    }
    for key in compared {
        let (old, new) = (&before["properties"][key], &after["properties"][key]);
        if old != new {
            out.push(Difference {
                field: (*key).into(),
                before: old.clone(),
                after: new.clone(),
            });
        }
    }
    out
}
