//! OGC API – Features, Part 1: the landing page, conformance and the collection documents.

use super::links::{BaseUrl, GEO_JSON, JSON, Link, OPENAPI_JSON};
use super::query::OnlyFormat;
use crate::app::AppState;
use crate::domain::Status;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

pub const CONFORMANCE_CLASSES: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
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

/// The collections: one, `places`.
#[utoipa::path(get, path = "/api/collections", tag = "OGC API – Features",
    responses((status = 200, description = "The feature collections", body = Collections)))]
pub async fn collections(
    _: OnlyFormat,
    State(state): State<AppState>,
    base: BaseUrl,
) -> Json<Collections> {
    Json(Collections {
        links: vec![Link::new(base.url("/api/collections"), "self", JSON, None)],
        collections: vec![places_document(&state, &base)],
    })
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
    let extent = state.places.read().extent(&[Status::Published]);
    Collection {
        id: "places".into(),
        title: "地域資源 Places".into(),
        description: "通いの場、サロン、ボランティア団体、子ども食堂、まちの保健室など、\
                      地域の行き場・つながり先。Places to go and groups to join."
            .into(),
        item_type: "feature".into(),
        crs: vec![CRS84.into()],
        extent: extent.map(|b| Extent {
            spatial: SpatialExtent {
                bbox: vec![[b.min().lon(), b.min().lat(), b.max().lon(), b.max().lat()]],
                crs: CRS84.into(),
            },
        }),
        links: vec![
            Link::new(base.url("/api/collections/places"), "self", JSON, None),
            Link::new(
                base.url("/api/collections/places/items"),
                "items",
                GEO_JSON,
                Some("Places as GeoJSON"),
            ),
        ],
    }
}
