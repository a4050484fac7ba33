//! Staff edits of places, as OGC API – Features Part 4: create, replace, update (JSON merge
//! patch), archive (DELETE never deletes), and each place's history, restore and 確認しました.
//!
//! Every edit but a create needs `If-Match` with the version the editor saw (428 without it,
//! 412 when someone else changed the place meanwhile, and then nothing changes), so that no
//! one's change is overwritten silently. Each handler parses, calls the write path
//! (`crate::places`) and answers from the index, which the write path has already updated.

use super::auth::Editor;
use super::error::{ApiError, Problem};
use super::json::JsonBody;
use super::links::{BaseUrl, GEO_JSON, Link};
use super::places::{Rendering, collection_pieces, feature_response, geo_json, no_store};
use super::records::{self, if_match, parse_id};
use crate::app::AppState;
use crate::domain::fieldwork::today_in_japan;
use crate::domain::place::Origin;
use crate::domain::{FieldError, Place, PlaceFields, PlaceInput, Reference};
use crate::index::{Hit, Page, PreparedFeature};
use crate::places::EditError;
use crate::store::{Change, StoreError};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};
use time::Duration;
use uuid::Uuid;

/// Properties a client may send. `version`, `updated_at`, `sample`, `distance_m` and links
/// are what the server reports; they are accepted back (a client may PUT what it read) and
/// ignored.
const WRITABLE: &[&str] = &[
    "name",
    "name_kana",
    "category",
    "tags",
    "description",
    "address",
    "area",
    "schedule",
    "schedule_note",
    "phone",
    "email",
    "url",
    "cost",
    "audience",
    "accessibility",
    "source",
    "status",
    "verified_at",
];
const REPORTED: &[&str] = &["version", "updated_at", "sample", "distance_m"];

/// Reads a GeoJSON Feature into a place input; every problem is listed.
fn place_input(feature: &Value, id: Option<Uuid>) -> Result<PlaceInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(object) = feature.as_object() else {
        return Err(vec![FieldError::new(
            "",
            "must be a GeoJSON Feature object",
        )]);
    };
    if object.get("type").and_then(Value::as_str) != Some("Feature") {
        errors.push(FieldError::new("type", "must be \"Feature\""));
    }
    match (object.get("id"), id) {
        (None | Some(Value::Null), _) => {}
        (Some(given), Some(id)) if given.as_str() == Some(&id.to_string()) => {}
        (Some(_), Some(_)) => errors.push(FieldError::new("id", "differs from the URL's id")),
        (Some(_), None) => errors.push(FieldError::new("id", "is assigned by the server")),
    }
    let location = match object.get("geometry").map(point) {
        Some(Ok(p)) => Some(p),
        Some(Err(reason)) => {
            errors.push(FieldError::new("geometry", reason));
            None
        }
        None => {
            errors.push(FieldError::new("geometry", "is required"));
            None
        }
    };
    let empty = Map::new();
    let properties = match object.get("properties") {
        Some(Value::Object(p)) => p,
        Some(Value::Null) | None => &empty,
        Some(_) => {
            errors.push(FieldError::new("properties", "must be an object"));
            &empty
        }
    };
    let mut writable = Map::new();
    for (key, value) in properties {
        if WRITABLE.contains(&key.as_str()) {
            writable.insert(key.clone(), value.clone());
        } else if !REPORTED.contains(&key.as_str()) {
            errors.push(FieldError::new(
                format!("properties.{key}"),
                "is not a property of a place",
            ));
        }
    }
    let mut input: PlaceInput = match serde_json::from_value(Value::Object(writable)) {
        Ok(input) => input,
        Err(e) => {
            errors.push(FieldError::new("properties", e.to_string()));
            PlaceInput::default()
        }
    };
    input.location = location;
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// `{"type":"Point","coordinates":[lon, lat]}`, nothing else.
fn point(geometry: &Value) -> Result<(f64, f64), &'static str> {
    if geometry.get("type").and_then(Value::as_str) != Some("Point") {
        return Err("must be a GeoJSON Point");
    }
    match geometry.get("coordinates").and_then(Value::as_array) {
        Some(c) if c.len() == 2 => match (c[0].as_f64(), c[1].as_f64()) {
            (Some(lon), Some(lat)) => Ok((lon, lat)),
            _ => Err("coordinates must be numbers [longitude, latitude]"),
        },
        _ => Err("a Point needs exactly [longitude, latitude]"),
    }
}

/// Validates a feature into place fields; `sample` is kept from the place being edited.
fn fields_from(
    feature: &Value,
    id: Option<Uuid>,
    sample: bool,
    reference: &Reference,
) -> Result<PlaceFields, Vec<FieldError>> {
    let mut input = place_input(feature, id)?;
    input.sample = sample;
    input.validate(reference)
}

impl From<EditError> for ApiError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Invalid(errors) => ApiError::invalid_fields(errors),
            EditError::Store(e) => e.into(),
        }
    }
}

/// The answer to an edit: the place as it is now, with its new ETag.
fn edited(state: &AppState, base: &BaseUrl, id: Uuid) -> Result<Response, ApiError> {
    let index = state.places.read();
    let entry = index
        .get(&id)
        .ok_or_else(|| ApiError::not_found(format!("no place with id {id}")))?;
    Ok(feature_response(
        &index,
        entry,
        base,
        Rendering::japanese_now(),
    ))
}

/// Adds a place: a GeoJSON Feature; a draft unless `properties.status` says otherwise.
#[utoipa::path(post, path = "/api/collections/places/items", tag = "Staff",
    request_body(content = super::openapi::FeatureDoc, content_type = "application/geo+json"),
    responses(
        (status = 201, description = "Created; `Location` names it", content_type = "application/geo+json",
         body = super::openapi::FeatureDoc),
        (status = 400, description = "Not JSON", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff, or from another site", content_type = "application/problem+json", body = Problem),
        (status = 415, description = "Not application/json", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules; each is listed", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    JsonBody(mut feature): JsonBody<Value>,
) -> Result<Response, ApiError> {
    // A place added while a walk is recorded names the walk; it is kept as the place's origin.
    let walk_id = take_walk_id(&mut feature)?;
    state.fieldwork.check_walk(walk_id).await?;
    let reference = state.places.read().reference().clone();
    let fields =
        fields_from(&feature, None, false, &reference).map_err(ApiError::invalid_fields)?;
    let origin = Origin {
        tane_id: None,
        walk_id,
    };
    let created = state
        .places
        .create_found(fields, origin, &user.username)
        .await?;
    let id = created.id;
    let mut response = edited(&state, &base, id)?;
    *response.status_mut() = StatusCode::CREATED;
    let location = base.url(&format!("/api/collections/places/items/{id}"));
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(|_| ApiError::internal())?,
    );
    Ok(response)
}

/// Takes `properties.walk_id` out of a new place's Feature.
fn take_walk_id(feature: &mut Value) -> Result<Option<Uuid>, ApiError> {
    let Some(value) = feature
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|p| p.remove("walk_id"))
    else {
        return Ok(None);
    };
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Uuid::parse_str(&s).map(Some).map_err(|_| {
            ApiError::invalid_fields(vec![FieldError::new(
                "properties.walk_id",
                "must be a walk's id",
            )])
        }),
        _ => Err(ApiError::invalid_fields(vec![FieldError::new(
            "properties.walk_id",
            "must be a walk's id",
        )])),
    }
}

/// Replaces a place with the Feature sent.
#[utoipa::path(put, path = "/api/collections/places/items/{id}", tag = "Staff",
    params(("id" = String, Path, description = "The place's id"),
           ("If-Match" = String, Header, description = "The ETag of the version edited")),
    request_body(content = super::openapi::FeatureDoc, content_type = "application/geo+json"),
    responses(
        (status = 200, description = "Replaced", content_type = "application/geo+json", body = super::openapi::FeatureDoc),
        (status = 404, description = "No such place", content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Changed by someone else; nothing changed", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules", content_type = "application/problem+json", body = Problem),
        (status = 428, description = "If-Match missing", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn replace(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(feature): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let version = if_match(&headers)?;
    let reference = state.places.read().reference().clone();
    state
        .places
        .edit(id, version, &user.username, Change::Update, |current| {
            fields_from(&feature, Some(id), current.fields.sample, &reference)
        })
        .await?;
    edited(&state, &base, id)
}

/// Changes some properties and/or the geometry (JSON merge patch, RFC 7396).
#[utoipa::path(patch, path = "/api/collections/places/items/{id}", tag = "Staff",
    params(("id" = String, Path, description = "The place's id"),
           ("If-Match" = String, Header, description = "The ETag of the version edited")),
    request_body(content = Object, content_type = "application/merge-patch+json",
        description = "e.g. {\"properties\":{\"status\":\"published\"}}"),
    responses(
        (status = 200, description = "Changed", content_type = "application/geo+json", body = super::openapi::FeatureDoc),
        (status = 412, description = "Changed by someone else; nothing changed", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules", content_type = "application/problem+json", body = Problem),
        (status = 428, description = "If-Match missing", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(patch): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let version = if_match(&headers)?;
    if !patch.is_object() {
        return Err(ApiError::invalid_body("a merge patch is a JSON object"));
    }
    let reference = state.places.read().reference().clone();
    state
        .places
        .edit(id, version, &user.username, Change::Update, |current| {
            let mut feature = feature_value(current);
            json_patch::merge(&mut feature, &patch);
            fields_from(&feature, Some(id), current.fields.sample, &reference)
        })
        .await?;
    edited(&state, &base, id)
}

/// Archives a place. Nothing is ever deleted: it leaves every public view and keeps its
/// history, and staff can restore it.
#[utoipa::path(delete, path = "/api/collections/places/items/{id}", tag = "Staff",
    params(("id" = String, Path, description = "The place's id"),
           ("If-Match" = String, Header, description = "The ETag of the version edited")),
    responses(
        (status = 200, description = "Archived", content_type = "application/geo+json", body = super::openapi::FeatureDoc),
        (status = 412, description = "Changed by someone else", content_type = "application/problem+json", body = Problem),
        (status = 428, description = "If-Match missing", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn archive(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let version = if_match(&headers)?;
    state.places.archive(id, version, &user.username).await?;
    edited(&state, &base, id)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Restore {
    /// The version to bring back (as a new version).
    version: i64,
}

/// Brings back an earlier version of a place, as a new version.
#[utoipa::path(post, path = "/api/collections/places/items/{id}/restore", tag = "Staff",
    params(("id" = String, Path, description = "The place's id"),
           ("If-Match" = String, Header, description = "The ETag of the current version")),
    request_body = Restore,
    responses(
        (status = 200, description = "Restored", content_type = "application/geo+json", body = super::openapi::FeatureDoc),
        (status = 404, description = "No such place or version", content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Changed by someone else", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn restore(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Restore>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let version = if_match(&headers)?;
    let history = state.places.history(id).await?;
    let old = history
        .into_iter()
        .find(|h| h.version == body.version)
        .ok_or_else(|| {
            ApiError::not_found(format!("place {id} has no version {}", body.version))
        })?;
    let reference = state.places.read().reference().clone();
    state
        .places
        .edit(id, version, &user.username, Change::Restore, |current| {
            // The old version passed the rules of its day; check it against today's.
            let feature = feature_value(&old.record);
            fields_from(&feature, Some(id), current.fields.sample, &reference)
        })
        .await?;
    edited(&state, &base, id)
}

/// 確認しました: records that staff confirmed today that the place is as described.
#[utoipa::path(post, path = "/api/collections/places/items/{id}/verify", tag = "Staff",
    params(("id" = String, Path, description = "The place's id"),
           ("If-Match" = String, Header, description = "The ETag of the current version")),
    responses(
        (status = 200, description = "verified_at is today (Japan time)", content_type = "application/geo+json", body = super::openapi::FeatureDoc),
        (status = 412, description = "Changed by someone else", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let version = if_match(&headers)?;
    let today = today_in_japan();
    state
        .places
        .edit(id, version, &user.username, Change::Update, |current| {
            let mut fields = current.fields.clone();
            fields.verified_at = Some(today);
            Ok(fields)
        })
        .await?;
    edited(&state, &base, id)
}

/// Every version of a place, newest first, each with a field-level diff from the one before.
#[utoipa::path(get, path = "/api/collections/places/items/{id}/history", tag = "Staff",
    params(("id" = String, Path, description = "The place's id")),
    responses(
        (status = 200, description = "The versions, newest first", body = super::records::History),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff", content_type = "application/problem+json", body = Problem),
        (status = 404, description = "No such place", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn history(
    State(state): State<AppState>,
    _: Editor,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "place")?;
    let entries = state.places.history(id).await?;
    if entries.is_empty() {
        return Err(StoreError::NotFound(id).into());
    }
    Ok(records::history(entries, WRITABLE, |place| {
        let mut feature = feature_value(place);
        // Staff see where the place came from; the public feature never says.
        feature["properties"]["tane_id"] = serde_json::json!(place.origin.tane_id);
        feature["properties"]["walk_id"] = serde_json::json!(place.origin.walk_id);
        feature
    }))
}

/// 要確認: published places not verified for `days` days (default 180), oldest first.
#[utoipa::path(get, path = "/api/review", tag = "Staff",
    params(("days" = Option<u32>, Query, description = "Not verified for this many days (1–3650, default 180)")),
    responses(
        (status = 200, description = "The places to check, never verified first, then oldest", content_type = "application/geo+json",
         body = super::openapi::FeatureCollectionDoc),
        (status = 400, description = "A bad parameter", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn review(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut days = 180_i64;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match (k.as_ref(), v.parse::<i64>()) {
            ("days", Ok(n)) if (1..=3650).contains(&n) => days = n,
            ("days", _) => {
                return Err(ApiError::invalid_parameter(
                    "days",
                    "must be a whole number from 1 to 3650",
                ));
            }
            (other, _) => {
                return Err(ApiError::invalid_parameter(
                    other,
                    "unknown parameter; this route takes days",
                ));
            }
        }
    }
    let before = today_in_japan() - Duration::days(days);
    let pieces = {
        let index = state.places.read();
        let slots = index.unverified_since(before);
        let page = Page {
            matched: slots.len(),
            hits: slots
                .into_iter()
                .map(|slot| Hit {
                    slot,
                    distance_m: None,
                })
                .collect(),
        };
        let links = vec![Link::new(
            base.url(&format!("/api/review?days={days}")),
            "self",
            GEO_JSON,
            None,
        )];
        collection_pieces(&index, &page, &links, Rendering::japanese_now())
    };
    let body: Vec<u8> = pieces.concat();
    Ok(no_store(geo_json(Body::from(body))))
}

/// The place as the API shows it, as a JSON value.
fn feature_value(place: &Place) -> Value {
    serde_json::from_str(PreparedFeature::new(place).as_str()).expect("features are JSON")
}
