//! Walks (まち歩き): `/api/collections/walks/items`, staff only. A walk is a Feature whose
//! geometry is its route — a LineString, or a MultiLineString when a recording was paused —
//! with its date, notes and number of participants; a walk's own page lists the タネ and
//! places found on it. A GPX file (`application/gpx+xml`) may be posted instead of a Feature.

use super::auth::Editor;
use super::error::{ApiError, Problem};
use super::json::{is_json, json_of, media_type};
use super::links::{BaseUrl, GEO_JSON, JSON, Link};
use super::records::{
    ListQuery, created, feature_response, history, if_match, input_from, parse_id, position,
    rfc3339, sent_feature,
};
use super::tane::tane_feature;
use crate::app::AppState;
use crate::domain::{FieldError, Route, Walk, WalkInput};
use crate::fieldwork::FieldworkError;
use crate::interchange::gpx::{self, GpxError};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use uuid::Uuid;

const PATH: &str = "/api/collections/walks/items";

/// The largest walk body, JSON or GPX: a three-hour walk logged every second is about 2 MB
/// of GPX. Larger is refused with 413 before it is read.
pub const MAX_WALK_BODY: usize = 8 * 1024 * 1024;

/// The media type of GPX files.
pub const GPX: &str = "application/gpx+xml";

/// The title of a walk read from a GPX file without a name.
const GPX_TITLE: &str = "GPXから取り込んだまち歩き";

const WRITABLE: &[&str] = &["title", "walked_on", "notes", "participants"];

const REPORTED: &[&str] = &[
    "length_m",
    "tane_count",
    "place_count",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "updated_by",
    "found",
];

const COMPARED: &[&str] = &["title", "walked_on", "notes", "participants"];

/// A walk as a GeoJSON Feature; `finds` are the numbers of タネ and places found on it.
pub fn walk_feature(walk: &Walk, finds: (u32, u32), base: &BaseUrl) -> Value {
    let f = &walk.fields;
    let lines: Vec<Vec<[f64; 2]>> = f
        .route
        .segments()
        .iter()
        .map(|s| s.iter().map(|p| [p.lon(), p.lat()]).collect())
        .collect();
    let geometry = match lines.len() {
        0 => Value::Null,
        1 => json!({"type": "LineString", "coordinates": lines[0]}),
        _ => json!({"type": "MultiLineString", "coordinates": lines}),
    };
    json!({
        "type": "Feature",
        "id": walk.id,
        "geometry": geometry,
        "properties": {
            "title": f.title,
            "walked_on": f.walked_on.to_string(),
            "notes": f.notes,
            "participants": f.participants,
            "length_m": (f.route.length_m() * 10.0).round() / 10.0,
            "tane_count": finds.0,
            "place_count": finds.1,
            "version": walk.version,
            "created_by": walk.created_by,
            "created_at": rfc3339(walk.created_at),
            "updated_at": rfc3339(walk.updated_at),
            "updated_by": walk.updated_by,
        },
        "links": [Link::new(base.url(&format!("{PATH}/{}", walk.id)), "self", GEO_JSON, None)],
    })
}

/// A route from a LineString, a MultiLineString or null.
fn route(geometry: Option<&Value>) -> Result<Route, FieldError> {
    let Some(geometry) = geometry else {
        return Ok(Route::default());
    };
    let fail = |reason: &str| FieldError::new("geometry", reason);
    let coordinates = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("a line needs coordinates"))?;
    let line = |points: &Value| -> Result<Vec<(f64, f64)>, FieldError> {
        points
            .as_array()
            .ok_or_else(|| fail("a line is a list of [longitude, latitude]"))?
            .iter()
            .map(|p| position(p).map_err(fail))
            .collect()
    };
    let segments = match geometry.get("type").and_then(Value::as_str) {
        Some("LineString") => vec![line(&Value::Array(coordinates.clone()))?],
        Some("MultiLineString") => coordinates.iter().map(line).collect::<Result<_, _>>()?,
        _ => {
            return Err(fail(
                "must be a GeoJSON LineString, MultiLineString or null",
            ));
        }
    };
    Route::new(segments)
}

/// Reads a walk Feature into an input; every problem is listed.
fn walk_input(feature: &Value, id: Option<Uuid>) -> Result<WalkInput, Vec<FieldError>> {
    let sent = sent_feature(feature, id, WRITABLE, REPORTED, "a walk")?;
    let route = route(sent.geometry.as_ref());
    let input: Result<WalkInput, FieldError> = input_from(sent.properties);
    match (input, route) {
        (Ok(mut input), Ok(route)) => {
            input.route = Some(route);
            Ok(input)
        }
        (input, route) => Err(input.err().into_iter().chain(route.err()).collect()),
    }
}

/// A walk from a GPX file: its tracks and routes, its name, the day of its first point.
fn gpx_input(bytes: &[u8]) -> Result<WalkInput, ApiError> {
    let read = gpx::read(bytes).map_err(|e| match e {
        GpxError::NoRoute => {
            ApiError::invalid_fields(vec![FieldError::new("geometry", e.to_string())])
        }
        e => ApiError::invalid_body(format!("GPX: {e}")),
    })?;
    let route = Route::new(read.segments).map_err(|e| ApiError::invalid_fields(vec![e]))?;
    Ok(WalkInput {
        title: Some(read.title.unwrap_or_else(|| GPX_TITLE.to_owned())),
        walked_on: read.walked_on.map(|d| d.to_string()),
        route: Some(route),
        ..Default::default()
    })
}

/// Reads a body of up to [`MAX_WALK_BODY`] bytes.
async fn read_body(request: Request) -> Result<(HeaderMap, Bytes), ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_WALK_BODY)
        .await
        .map_err(|_| {
            ApiError::payload_too_large(format!(
                "a walk's body may hold at most {MAX_WALK_BODY} bytes"
            ))
        })?;
    Ok((parts.headers, bytes))
}

/// Lists walks, newest first, with their routes.
#[utoipa::path(get, path = "/api/collections/walks/items", tag = "Staff: タネ and walks",
    params(
        ("limit" = Option<usize>, Query, description = "1–1000, default 100"),
        ("offset" = Option<usize>, Query, description = "Items to skip"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection of walks", content_type = "application/geo+json"),
        (status = 400, description = "A bad parameter", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn items(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = ListQuery::parse(raw.as_deref(), &[], 100)?;
    let (walks, total, finds) = state
        .fieldwork
        .walks(query.limit as u32, query.offset as u64)
        .await?;
    let features = walks
        .iter()
        .map(|w| walk_feature(w, finds.get(&w.id).copied().unwrap_or_default(), &base))
        .collect();
    Ok(query.collection(&base, PATH, features, total as usize))
}

/// Records a walk: a Feature, or a GPX file.
#[utoipa::path(post, path = "/api/collections/walks/items", tag = "Staff: タネ and walks",
    request_body(content = Object, description = "A Feature (geometry a LineString, MultiLineString or null; properties title (required), walked_on, notes, participants), or a GPX file as application/gpx+xml (at most 8 MiB; no DTD)"),
    responses(
        (status = 201, description = "Recorded; `Location` names it", content_type = "application/geo+json"),
        (status = 400, description = "Not JSON, or a broken GPX file (the detail says where)", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff", content_type = "application/problem+json", body = Problem),
        (status = 413, description = "Larger than 8 MiB", content_type = "application/problem+json", body = Problem),
        (status = 415, description = "Neither JSON nor GPX", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    request: Request,
) -> Result<Response, ApiError> {
    let kind = media_type(request.headers());
    if kind != GPX && !is_json(&kind) {
        return Err(ApiError::unsupported_media_type(format!(
            "send a walk as application/geo+json or a GPX file as {GPX}"
        )));
    }
    let (headers, body) = read_body(request).await?;
    let input = if kind == GPX {
        // Reading a long walk's file takes tens of milliseconds: not on an async worker.
        tokio::task::spawn_blocking(move || gpx_input(&body))
            .await
            .map_err(|_| ApiError::internal())??
    } else {
        let feature: Value = json_of(&headers, &body)?;
        walk_input(&feature, None).map_err(ApiError::invalid_fields)?
    };
    let walk = state.fieldwork.create_walk(input, &user.username).await?;
    created(
        walk_feature(&walk, (0, 0), &base),
        walk.version,
        &base.url(&format!("{PATH}/{}", walk.id)),
    )
}

/// One walk, with the タネ and places found on it (`properties.found`).
#[utoipa::path(get, path = "/api/collections/walks/items/{id}", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The walk's id")),
    responses(
        (status = 200, description = "The walk; `ETag` is its version", content_type = "application/geo+json"),
        (status = 404, description = "No such walk", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn item(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "walk")?;
    let walk = state
        .fieldwork
        .walk(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no walk with id {id}")))?;
    let finds = state.fieldwork.finds(id).await?;
    let tane: Vec<Value> = finds.tane.iter().map(|t| tane_feature(t, &base)).collect();
    let places: Vec<Value> = {
        let index = state.places.read();
        finds
            .places
            .iter()
            .filter_map(|id| index.get(id))
            .map(|entry| {
                serde_json::from_str::<Value>(entry.feature.as_str())
                    .expect("prepared features are JSON")
            })
            .collect()
    };
    let counts = (tane.len() as u32, places.len() as u32);
    let mut feature = walk_feature(&walk, counts, &base);
    feature["properties"]["found"] = json!({ "tane": tane, "places": places });
    Ok(feature_response(feature, walk.version))
}

/// Changes a walk (JSON merge patch, RFC 7396): its title, date, notes, participants or route.
#[utoipa::path(patch, path = "/api/collections/walks/items/{id}", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The walk's id"),
           ("If-Match" = String, Header, description = "The ETag of the version edited")),
    request_body(content = Object, content_type = "application/merge-patch+json",
        description = "e.g. {\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":[…]}}"),
    responses(
        (status = 200, description = "Changed", content_type = "application/geo+json"),
        (status = 404, description = "No such walk", content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Changed by someone else; nothing changed", content_type = "application/problem+json", body = Problem),
        (status = 413, description = "Larger than 8 MiB", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules", content_type = "application/problem+json", body = Problem),
        (status = 428, description = "If-Match missing", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "walk")?;
    let version = if_match(request.headers())?;
    let (headers, body) = read_body(request).await?;
    let patch: Value = json_of(&headers, &body)?;
    if !patch.is_object() {
        return Err(ApiError::invalid_body("a merge patch is a JSON object"));
    }
    let walk = state
        .fieldwork
        .edit_walk(id, version, &user.username, |current| {
            let mut feature = walk_feature(current, (0, 0), &base);
            json_patch::merge(&mut feature, &patch);
            walk_input(&feature, Some(id)).map_err(FieldworkError::Invalid)
        })
        .await?;
    let finds = state.fieldwork.finds(id).await?;
    let counts = (finds.tane.len() as u32, finds.places.len() as u32);
    Ok(feature_response(
        walk_feature(&walk, counts, &base),
        walk.version,
    ))
}

/// Every version of a walk, newest first.
#[utoipa::path(get, path = "/api/collections/walks/items/{id}/history", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The walk's id")),
    responses(
        (status = 200, description = "The versions, newest first, each with a diff from the one before"),
        (status = 404, description = "No such walk", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn walk_history(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "walk")?;
    let versions = state.fieldwork.walk_history(id).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("no walk with id {id}")));
    }
    Ok(history(versions, COMPARED, |w| {
        walk_feature(w, (0, 0), &base)
    }))
}

/// The `walks` collection's links, for staff.
pub fn collection_links(base: &BaseUrl) -> Vec<Link> {
    vec![
        Link::new(base.url("/api/collections/walks"), "self", JSON, None),
        Link::new(base.url(PATH), "items", GEO_JSON, Some("まち歩き")),
    ]
}
