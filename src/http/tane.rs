//! タネ: `/api/collections/tane/items`, staff only. Create, list with filters, read, edit
//! (JSON merge patch with `If-Match`), history, and promotion to a draft place.
//!
//! A text that looks like it holds personal data is refused (422 `personal-data`, naming what
//! was found) until the writer confirms it with `properties.personal_data_confirmed`. Nothing
//! here is logged but the route; no answer is cached.

use super::auth::Editor;
use super::error::{ApiError, Problem};
use super::json::{JsonBody, json_of};
use super::links::{BaseUrl, GEO_JSON, JSON, Link};
use super::places::{Rendering, feature_response as place_feature_response};
use super::records::{
    ListQuery, created, feature_response, history, if_match, input_from, parse_id, point, rfc3339,
    sent_feature,
};
use crate::app::AppState;
use crate::domain::{FieldError, Tane, TaneInput, TaneSource, TaneStatus};
use crate::fieldwork::{Promotion, TaneFilter};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

const PATH: &str = "/api/collections/tane/items";

/// Properties a client may send.
const WRITABLE: &[&str] = &[
    "text",
    "source",
    "found_on",
    "walk_id",
    "status",
    "personal_data_confirmed",
];

/// Properties the server reports; accepted back and ignored.
const REPORTED: &[&str] = &[
    "place_id",
    "recorded_by",
    "version",
    "created_at",
    "updated_at",
    "updated_by",
    "personal_data",
];

/// The properties a history diff compares.
const COMPARED: &[&str] = &[
    "text", "source", "found_on", "walk_id", "status", "place_id",
];

/// A タネ as a GeoJSON Feature.
pub fn tane_feature(tane: &Tane, base: &BaseUrl) -> Value {
    let f = &tane.fields;
    let mut links = vec![Link::new(
        base.url(&format!("{PATH}/{}", tane.id)),
        "self",
        GEO_JSON,
        None,
    )];
    if let Some(place) = tane.place_id {
        links.push(Link::new(
            base.url(&format!("/api/collections/places/items/{place}")),
            "related",
            GEO_JSON,
            Some("the place it became"),
        ));
    }
    if let Some(walk) = f.walk_id {
        links.push(Link::new(
            base.url(&format!("/api/collections/walks/items/{walk}")),
            "related",
            GEO_JSON,
            Some("the walk it was found on"),
        ));
    }
    json!({
        "type": "Feature",
        "id": tane.id,
        "geometry": f.location.map(|p| json!({"type": "Point", "coordinates": [p.lon(), p.lat()]})),
        "properties": {
            "text": f.text,
            "source": f.source,
            "found_on": f.found_on.to_string(),
            "walk_id": f.walk_id,
            "status": f.status,
            "place_id": tane.place_id,
            "recorded_by": tane.recorded_by,
            "version": tane.version,
            "created_at": rfc3339(tane.created_at),
            "updated_at": rfc3339(tane.updated_at),
            "updated_by": tane.updated_by,
            "personal_data": tane.personal_data(),
        },
        "links": links,
    })
}

/// Reads a タネ Feature into an input; every problem is listed.
fn tane_input(feature: &Value, id: Option<Uuid>) -> Result<TaneInput, Vec<FieldError>> {
    let sent = sent_feature(feature, id, WRITABLE, REPORTED, "a タネ")?;
    let location = sent.geometry.as_ref().map(point).transpose();
    let input: Result<TaneInput, FieldError> = input_from(sent.properties);
    match (input, location) {
        (Ok(mut input), Ok(location)) => {
            input.location = location;
            Ok(input)
        }
        (input, location) => Err(input.err().into_iter().chain(location.err()).collect()),
    }
}

/// Lists タネ, newest found first.
#[utoipa::path(get, path = "/api/collections/tane/items", tag = "Staff: タネ and walks",
    params(
        ("status" = Option<String>, Query, description = "Comma-separated: new, looking, promoted, set_aside"),
        ("source" = Option<String>, Query, description = "Comma-separated: diary, walk, conversation, other"),
        ("walk" = Option<String>, Query, description = "Found on this walk"),
        ("place" = Option<String>, Query, description = "Became this place"),
        ("q" = Option<String>, Query, description = "Words the text holds"),
        ("limit" = Option<usize>, Query, description = "1–1000, default 100"),
        ("offset" = Option<usize>, Query, description = "Items to skip"),
    ),
    responses(
        (status = 200, description = "A FeatureCollection of タネ", content_type = "application/geo+json"),
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
    let query = ListQuery::parse(
        raw.as_deref(),
        &["status", "source", "walk", "place", "q"],
        100,
    )?;
    let mut filter = TaneFilter::default();
    for (key, value) in &query.others {
        match key.as_str() {
            "status" => filter.statuses = list(key, value, TaneStatus::parse)?,
            "source" => filter.sources = list(key, value, TaneSource::parse)?,
            "walk" => filter.walk = Some(id_parameter(key, value)?),
            "place" => filter.place = Some(id_parameter(key, value)?),
            "q" => filter.words = crate::domain::text::query_terms(value),
            _ => unreachable!("ListQuery admits only the names given"),
        }
    }
    let found = state.fieldwork.find_tane(&filter).await?;
    let features = found
        .iter()
        .skip(query.offset)
        .take(query.limit)
        .map(|t| tane_feature(t, &base))
        .collect();
    Ok(query.collection(&base, PATH, features, found.len()))
}

fn list<T>(key: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>, ApiError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            parse(v).ok_or_else(|| ApiError::invalid_parameter(key, format!("unknown value {v:?}")))
        })
        .collect()
}

fn id_parameter(key: &str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value.trim()).map_err(|_| ApiError::invalid_parameter(key, "must be an id"))
}

/// Notes a タネ.
#[utoipa::path(post, path = "/api/collections/tane/items", tag = "Staff: タネ and walks",
    request_body(content = Object, content_type = "application/geo+json",
        description = "A Feature: geometry a Point or null; properties text (required), source, found_on, walk_id, status, personal_data_confirmed"),
    responses(
        (status = 201, description = "Noted; `Location` names it", content_type = "application/geo+json"),
        (status = 400, description = "Not JSON", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "Not logged in", content_type = "application/problem+json", body = Problem),
        (status = 403, description = "Not staff", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules, or the text looks like it holds personal data (`personal-data`, not confirmed)", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    JsonBody(feature): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let input = tane_input(&feature, None).map_err(ApiError::invalid_fields)?;
    let tane = state.fieldwork.create_tane(input, &user.username).await?;
    created(
        tane_feature(&tane, &base),
        tane.version,
        &base.url(&format!("{PATH}/{}", tane.id)),
    )
}

/// One タネ.
#[utoipa::path(get, path = "/api/collections/tane/items/{id}", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The タネ's id")),
    responses(
        (status = 200, description = "The タネ; `ETag` is its version", content_type = "application/geo+json"),
        (status = 404, description = "No such タネ", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn item(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "タネ")?;
    let tane = state
        .fieldwork
        .tane(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no タネ with id {id}")))?;
    Ok(feature_response(tane_feature(&tane, &base), tane.version))
}

/// Changes a タネ (JSON merge patch, RFC 7396).
#[utoipa::path(patch, path = "/api/collections/tane/items/{id}", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The タネ's id"),
           ("If-Match" = String, Header, description = "The ETag of the version edited")),
    request_body(content = Object, content_type = "application/merge-patch+json",
        description = "e.g. {\"properties\":{\"status\":\"looking\"}}"),
    responses(
        (status = 200, description = "Changed", content_type = "application/geo+json"),
        (status = 404, description = "No such タネ", content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Changed by someone else; nothing changed", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules, or personal data not confirmed", content_type = "application/problem+json", body = Problem),
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
    let id = parse_id(&id, "タネ")?;
    let version = if_match(&headers)?;
    if !patch.is_object() {
        return Err(ApiError::invalid_body("a merge patch is a JSON object"));
    }
    let tane = state
        .fieldwork
        .edit_tane(id, version, &user.username, |current| {
            let mut feature = tane_feature(current, &base);
            json_patch::merge(&mut feature, &patch);
            tane_input(&feature, Some(id)).map_err(crate::fieldwork::FieldworkError::Invalid)
        })
        .await?;
    Ok(feature_response(tane_feature(&tane, &base), tane.version))
}

/// Every version of a タネ, newest first.
#[utoipa::path(get, path = "/api/collections/tane/items/{id}/history", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The タネ's id")),
    responses(
        (status = 200, description = "The versions, newest first, each with a diff from the one before"),
        (status = 404, description = "No such タネ", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn tane_history(
    State(state): State<AppState>,
    _: Editor,
    base: BaseUrl,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "タネ")?;
    let versions = state.fieldwork.tane_history(id).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("no タネ with id {id}")));
    }
    Ok(history(versions, COMPARED, |t| tane_feature(t, &base)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PromoteBody {
    /// The place's name; default: the タネ's first line.
    name: Option<String>,
    /// A category code; default `ibasho` (居場所).
    category: Option<String>,
    /// A GeoJSON Point; default: the タネ's point.
    #[schema(value_type = Option<Object>)]
    geometry: Option<Value>,
}

/// Makes a draft place of a タネ: its point, its text as the description, source `tane`. The
/// place names the タネ and the タネ the place (both kept in their histories).
#[utoipa::path(post, path = "/api/collections/tane/items/{id}/promote", tag = "Staff: タネ and walks",
    params(("id" = String, Path, description = "The タネ's id"),
           ("If-Match" = String, Header, description = "The ETag of the タネ's current version")),
    request_body(content = PromoteBody, description = "Optional: name, category, geometry"),
    responses(
        (status = 201, description = "The draft place; `Location` names it", content_type = "application/geo+json",
         body = super::openapi::FeatureDoc),
        (status = 404, description = "No such タネ", content_type = "application/problem+json", body = Problem),
        (status = 409, description = "It already became a place", content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Changed by someone else", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "No point, or the place breaks rules", content_type = "application/problem+json", body = Problem),
        (status = 428, description = "If-Match missing", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn promote(
    State(state): State<AppState>,
    Editor(user): Editor,
    base: BaseUrl,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "タネ")?;
    let version = if_match(&headers)?;
    // The body is optional: an empty one takes every default.
    let body: PromoteBody = if body.is_empty() {
        PromoteBody::default()
    } else {
        json_of(&headers, &body)?
    };
    let location = body
        .geometry
        .as_ref()
        .map(point)
        .transpose()
        .map_err(|e| ApiError::invalid_fields(vec![e]))?;
    let promotion = Promotion {
        name: body.name,
        category: body.category,
        location,
    };
    let place = state
        .fieldwork
        .promote(id, version, &user.username, promotion)
        .await?;
    let mut response = {
        let index = state.places.read();
        let entry = index.get(&place.id).ok_or_else(ApiError::internal)?;
        place_feature_response(&index, entry, &base, Rendering::japanese_now())
    };
    *response.status_mut() = StatusCode::CREATED;
    let location = base.url(&format!("/api/collections/places/items/{}", place.id));
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(|_| ApiError::internal())?,
    );
    Ok(response)
}

/// The `tane` collection's description, for staff.
pub fn collection_links(base: &BaseUrl) -> Vec<Link> {
    vec![
        Link::new(base.url("/api/collections/tane"), "self", JSON, None),
        Link::new(base.url(PATH), "items", GEO_JSON, Some("タネ")),
    ]
}
