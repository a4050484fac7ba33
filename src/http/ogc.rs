//! OGC API – Features, Part 1: the landing page, conformance and the collection documents;
//! Part 3: the collection's queryables.

use super::auth::{Editor, Viewer};
use super::links::{BaseUrl, GEO_JSON, JSON, Link, OPENAPI_JSON};
use super::places::no_store;
use super::query::OnlyFormat;
use crate::app::AppState;
use crate::domain::{Status, datetime};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
const SCHEMA_JSON: &str = "application/schema+json";
const REL_QUERYABLES: &str = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

pub const CONFORMANCE_CLASSES: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
];

#[derive(Serialize, utoipa::ToSchema)]
pub struct LandingPage {
    title: String,
    description: String,
    links: Vec<Link>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Conformance {
    #[serde(rename = "conformsTo")]
    conforms_to: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Collections {
    links: Vec<Link>,
    collections: Vec<Collection>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Collection {
    id: String,
    title: String,
    description: String,
    #[serde(rename = "itemType")]
    item_type: String,
    crs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extent: Option<Extent>,
    links: Vec<Link>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Extent {
    spatial: SpatialExtent,
    /// When the places were last changed (`updated_at`), which `datetime` filters on.
    #[serde(skip_serializing_if = "Option::is_none")]
    temporal: Option<TemporalExtent>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TemporalExtent {
    interval: Vec<[String; 2]>,
    trs: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SpatialExtent {
    bbox: Vec<[f64; 4]>,
    crs: String,
}

/// The landing page: what this service is and where everything else is.
#[utoipa::path(get, path = "/api", tag = "OGC API – Features",
    responses((status = 200, description = "Links to the API's resources", body = LandingPage)))]
pub async fn landing(_: OnlyFormat, base: BaseUrl) -> Json<LandingPage> {
    Json(LandingPage {
        title: "Tsunagari Map つながりマップ".into(),
        description: "地域資源（通いの場・サロン・子ども食堂など）の地図。\
                      Community resources for social prescribing, as OGC API – Features."
            .into(),
        links: vec![
            Link::new(base.url("/api"), "self", JSON, Some("This document")),
            Link::new(
                base.url("/api/openapi.json"),
                "service-desc",
                OPENAPI_JSON,
                Some("OpenAPI 3.0 definition"),
            ),
            Link::new(
                base.url("/api/conformance"),
                "conformance",
                JSON,
                Some("Conformance classes"),
            ),
            Link::new(
                base.url("/api/collections"),
                "data",
                JSON,
                Some("Collections"),
            ),
        ],
    })
}

/// The conformance classes this service implements.
#[utoipa::path(get, path = "/api/conformance", tag = "OGC API – Features",
    responses((status = 200, description = "Conformance classes", body = Conformance)))]
pub async fn conformance(_: OnlyFormat) -> Json<Conformance> {
    Json(Conformance {
        conforms_to: CONFORMANCE_CLASSES
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
    })
}

/// The collections: `places` for everyone; staff also see their private `tane` and `walks`.
#[utoipa::path(get, path = "/api/collections", tag = "OGC API – Features",
    responses((status = 200, description = "The feature collections", body = Collections)))]
pub async fn collections(
    _: OnlyFormat,
    State(state): State<AppState>,
    viewer: Viewer,
    base: BaseUrl,
) -> Response {
    let staff = viewer.edits_places();
    let mut collections = vec![places_document(&state, &base)];
    if staff {
        collections.push(tane_document(&base));
        collections.push(walks_document(&base));
    }
    let mut response = Json(Collections {
        links: vec![Link::new(base.url("/api/collections"), "self", JSON, None)],
        collections,
    })
    .into_response();
    // The answer depends on who asks: no shared cache may keep the staff version or give the
    // public one to staff.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    if staff {
        response = no_store(response);
    }
    response
}

/// The private `tane` collection (staff only).
#[utoipa::path(get, path = "/api/collections/tane", tag = "Staff: タネ and walks",
    responses((status = 200, description = "The タネ collection", body = Collection)))]
pub async fn tane_collection(_: OnlyFormat, _: Editor, base: BaseUrl) -> Response {
    no_store(Json(tane_document(&base)).into_response())
}

/// The private `walks` collection (staff only).
#[utoipa::path(get, path = "/api/collections/walks", tag = "Staff: タネ and walks",
    responses((status = 200, description = "The walks collection", body = Collection)))]
pub async fn walks_collection(_: OnlyFormat, _: Editor, base: BaseUrl) -> Response {
    no_store(Json(walks_document(&base)).into_response())
}

fn tane_document(base: &BaseUrl) -> Collection {
    Collection {
        id: "tane".into(),
        title: "タネ Seed notes (staff only)".into(),
        description: "交換日記・まち歩き・会話から見つけた地域のタネ。職員だけが見られます。\
                      Notes of local people, groups and places worth connecting to, before \
                      they are places. Private to staff."
            .into(),
        item_type: "feature".into(),
        crs: vec![CRS84.into()],
        extent: None,
        links: super::tane::collection_links(base),
    }
}

fn walks_document(base: &BaseUrl) -> Collection {
    Collection {
        id: "walks".into(),
        title: "まち歩き Neighbourhood walks (staff only)".into(),
        description:
            "まち歩きの記録（経路・日付・参加人数・見つけたタネと場所）。職員だけが見られます。\
                      Neighbourhood walks with their routes and what was found on them. \
                      Private to staff."
                .into(),
        item_type: "feature".into(),
        crs: vec![CRS84.into()],
        extent: None,
        links: super::walks::collection_links(base),
    }
}

/// The `places` collection.
#[utoipa::path(get, path = "/api/collections/places", tag = "OGC API – Features",
    responses((status = 200, description = "The places collection", body = Collection)))]
pub async fn places_collection(
    _: OnlyFormat,
    State(state): State<AppState>,
    base: BaseUrl,
) -> Json<Collection> {
    Json(places_document(&state, &base))
}

fn places_document(state: &AppState, base: &BaseUrl) -> Collection {
    let (extent, updated) = {
        let index = state.places.read();
        (
            index.extent(&[Status::Published]),
            index.updated_range(&[Status::Published]),
        )
    };
    Collection {
        id: "places".into(),
        title: "地域資源 Places".into(),
        description: "通いの場、サロン、ボランティア団体、子ども食堂、まちの保健室など、\
                      地域の行き場・つながり先。Places to go and groups to join. \
                      The temporal extent and `datetime` refer to when each place was last \
                      changed (`updated_at`)."
            .into(),
        item_type: "feature".into(),
        crs: vec![CRS84.into()],
        extent: extent.map(|b| Extent {
            spatial: SpatialExtent {
                bbox: vec![[b.min().lon(), b.min().lat(), b.max().lon(), b.max().lat()]],
                crs: CRS84.into(),
            },
            temporal: updated.map(|(first, last)| TemporalExtent {
                interval: vec![[datetime::format_nanos(first), datetime::format_nanos(last)]],
                trs: GREGORIAN.into(),
            }),
        }),
        links: vec![
            Link::new(base.url("/api/collections/places"), "self", JSON, None),
            Link::new(
                base.url("/api/collections/places/items"),
                "items",
                GEO_JSON,
                Some("Places as GeoJSON"),
            ),
            Link::new(
                base.url("/api/collections/places/queryables"),
                REL_QUERYABLES,
                SCHEMA_JSON,
                Some("Properties to filter on"),
            ),
        ],
    }
}

/// What the items can be filtered on (OGC API – Features Part 3), as a JSON Schema. Each
/// property is also a query parameter of `…/items`; the geometry is filtered with `bbox` and
/// `updated_at` with `datetime`.
#[utoipa::path(get, path = "/api/collections/places/queryables", tag = "OGC API – Features",
    responses((status = 200, description = "The queryables of places, a JSON Schema",
        content_type = "application/schema+json", body = Object)))]
pub async fn queryables(_: OnlyFormat, State(state): State<AppState>, base: BaseUrl) -> Response {
    let index = state.places.read();
    let reference = index.reference();
    let categories: Vec<&str> = reference
        .categories()
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    let areas: Vec<&str> = reference.areas().iter().map(|a| a.code.as_str()).collect();
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": base.url("/api/collections/places/queryables"),
        "type": "object",
        "title": "地域資源 Places",
        "properties": {
            "category": {
                "title": "Category code (see /api/categories); `category=a,b` matches any",
                "type": "string",
                "enum": categories,
            },
            "area": {
                "title": "Area code (see /api/areas); `area=a,b` matches any",
                "type": "string",
                "enum": areas,
            },
            "geometry": {
                "title": "Location, filtered with bbox",
                "format": "geometry-point",
                "x-ogc-role": "primary-geometry",
            },
            "updated_at": {
                "title": "Last change, filtered with datetime",
                "type": "string",
                "format": "date-time",
                "x-ogc-role": "primary-instant",
            },
        },
        "additionalProperties": false,
    });
    drop(index);
    let mut response = Json(schema).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCHEMA_JSON));
    response
}
