//! The HTTP edge: thin handlers that parse requests into domain types, ask the index or the
//! write path, and encode the answer. One module per resource.

mod access_log;
pub mod auth;
pub mod error;
mod gaps;
mod headers;
pub mod json;
mod limits;
pub mod links;
mod linkworker;
mod ogc;
mod openapi;
mod pages;
mod place_edits;
mod places;
pub mod query;
mod records;
mod reference;
mod schedules;
mod streamed;
mod suggest;
mod tane;
mod towns;
mod walks;
mod write_timeout;

use crate::app::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};
pub use error::ApiError;
pub use limits::HYPER_MAX_HEADERS;
pub use streamed::LargeAnswers;
pub use write_timeout::WriteTimeout;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api", public_read(ogc::landing))
        .route("/api/", public_read(ogc::landing))
        .route("/api/conformance", public_read(ogc::conformance))
        .route("/api/collections", public_read(ogc::collections))
        .route(
            "/api/collections/places",
            public_read(ogc::places_collection),
        )
        .route(
            "/api/collections/places/items",
            public_read(places::items).post(place_edits::create),
        )
        .route(
            "/api/collections/places/items/{id}",
            public_read(places::item)
                .put(place_edits::replace)
                .patch(place_edits::update)
                .delete(place_edits::archive),
        )
        .route(
            "/api/collections/places/items/{id}/history",
            get(place_edits::history),
        )
        .route(
            "/api/collections/places/items/{id}/restore",
            post(place_edits::restore),
        )
        .route(
            "/api/collections/places/items/{id}/verify",
            post(place_edits::verify),
        )
        .route("/api/review", get(place_edits::review))
        .route("/api/collections/tane", get(ogc::tane_collection))
        .route(
            "/api/collections/tane/items",
            get(tane::items).post(tane::create),
        )
        .route(
            "/api/collections/tane/items/{id}",
            get(tane::item).patch(tane::update),
        )
        .route(
            "/api/collections/tane/items/{id}/history",
            get(tane::tane_history),
        )
        .route(
            "/api/collections/tane/items/{id}/promote",
            post(tane::promote),
        )
        .route("/api/collections/walks", get(ogc::walks_collection))
        .route(
            "/api/collections/walks/items",
            get(walks::items).post(walks::create),
        )
        .route(
            "/api/collections/walks/items/{id}",
            get(walks::item).patch(walks::update),
        )
        .route(
            "/api/collections/walks/items/{id}/history",
            get(walks::walk_history),
        )
        .route(
            "/api/collections/places/queryables",
            public_read(ogc::queryables),
        )
        .route("/api/categories", public_read(reference::categories))
        .route("/api/areas", public_read(reference::areas))
        .route("/api/towns", public_read(towns::towns))
        .route("/api/linkworker/search", post(linkworker::search))
        .route("/api/suggest", public_read(suggest::suggest))
        .route("/api/openapi.json", public_read(openapi::document))
        .route("/api/map-config", public_read(pages::map_config))
        .route("/api/schedules/interpret", post(schedules::interpret))
        .route("/api/gaps", get(gaps::gaps))
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
        .route("/staff", get(pages::staff))
        .route("/linkworker", get(pages::linkworker))
        .route("/list", get(pages::shared_list))
        .route("/js/{*path}", get(pages::web_asset))
        .route("/css/{*path}", get(pages::web_asset))
        .route("/img/{*path}", get(pages::web_asset))
        .route("/vendor/leaflet/{*path}", get(pages::leaflet))
        .route("/vendor/markercluster/{*path}", get(pages::markercluster))
        .route("/vendor/qrcode-generator/{*path}", get(pages::qrcode))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found("no such resource") })
        .route_layer(axum::middleware::from_fn(access_log::log))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::same_site_writes_only,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(json::MAX_JSON_BODY))
        .layer(axum::middleware::from_fn(limits::enforce))
        .layer(axum::middleware::map_response(
            limits::problem_for_plain_errors,
        ))
        .layer(axum::middleware::map_response_with_state(
            headers::SecurityHeaders::new(&state.config),
            headers::add_security_headers,
        ))
        .with_state(state)
}

/// A public read: GET (and HEAD), and the answer to a browser's CORS preflight for it.
fn public_read<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    get(handler).options(headers::preflight)
}
