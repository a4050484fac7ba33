//! The HTTP edge: thin handlers that parse requests into domain types, ask the index or the
//! write path, and encode the answer. One module per resource.

mod access_log;
pub mod auth;
pub mod error;
mod headers;
pub mod json;
pub mod links;
mod ogc;
mod openapi;
mod pages;
mod places;
pub mod query;
mod reference;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};
pub use error::ApiError;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api", get(ogc::landing))
        .route("/api/", get(ogc::landing))
        .route("/api/conformance", get(ogc::conformance))
        .route("/api/collections", get(ogc::collections))
        .route("/api/collections/places", get(ogc::places_collection))
        .route("/api/collections/places/items", get(places::items))
        .route("/api/collections/places/items/{id}", get(places::item))
        .route("/api/categories", get(reference::categories))
        .route("/api/areas", get(reference::areas))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/map-config", get(pages::map_config))
        .route("/api/login", post(auth::login))
        .route("/api/logout", post(auth::logout))
        .route("/api/me", get(auth::me))
        .layer(axum::middleware::from_fn(
            headers::allow_any_origin_on_reads,
        ));
    Router::new()
        .merge(api)
        .route("/healthz", get(reference::healthz))
        .route("/", get(pages::index))
        .route("/js/{*path}", get(pages::web_asset))
        .route("/css/{*path}", get(pages::web_asset))
        .route("/img/{*path}", get(pages::web_asset))
        .route("/vendor/leaflet/{*path}", get(pages::leaflet))
        .route("/vendor/markercluster/{*path}", get(pages::markercluster))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found("no such resource") })
        .route_layer(axum::middleware::from_fn(access_log::log))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::same_site_writes_only,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(json::MAX_JSON_BODY))
        .layer(axum::middleware::map_response_with_state(
            headers::SecurityHeaders::new(&state.config),
            headers::add_security_headers,
        ))
        .with_state(state)
}
