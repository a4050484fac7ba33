//! The web pages and their assets, compiled into the binary so that one file serves
//! everything — no CDN, because closed municipal networks (LGWAN) cannot reach one.
//!
//! Our own files come from `web/`; Leaflet and its plugins come from `web/node_modules`
//! (installed by npm from `web/package.json`, never committed). A debug build reads the files
//! from disk at run time; a release build embeds them.

use crate::app::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};
use serde::Serialize;

#[derive(RustEmbed)]
#[folder = "web/"]
#[include = "*.html"]
#[include = "js/**"]
#[include = "css/**"]
#[include = "img/**"]
struct WebFiles;

#[derive(RustEmbed)]
#[folder = "web/node_modules/leaflet/dist/"]
#[allow_missing = true]
#[exclude = "*.map"]
struct LeafletFiles;

#[derive(RustEmbed)]
#[folder = "web/node_modules/leaflet.markercluster/dist/"]
#[allow_missing = true]
#[exclude = "*.map"]
struct MarkerClusterFiles;

/// qrcode-generator's ES module, for the QR codes on the link worker's handout.
#[derive(RustEmbed)]
#[folder = "web/node_modules/qrcode-generator/dist/"]
#[allow_missing = true]
#[include = "qrcode.mjs"]
struct QrCodeFiles;

pub async fn index(headers: HeaderMap) -> Response {
    serve(WebFiles::get("index.html"), "index.html", &headers)
}

/// The staff workspace. The page itself is public (it holds no data); everything it shows
/// comes from API routes that check the session.
pub async fn staff(headers: HeaderMap) -> Response {
    serve(WebFiles::get("staff.html"), "staff.html", &headers)
}

/// The link worker page. Like `/staff`, the page holds no data; the search it makes checks
/// the session.
pub async fn linkworker(headers: HeaderMap) -> Response {
    serve(
        WebFiles::get("linkworker.html"),
        "linkworker.html",
        &headers,
    )
}

/// A public, read-only list of places a link worker shared (`/list?ids=a,b,c`): ids only,
/// never where the client lives.
pub async fn shared_list(headers: HeaderMap) -> Response {
    serve(WebFiles::get("list.html"), "list.html", &headers)
}

/// A file under `web/js/`, `web/css/` or `web/img/`, at the same path.
pub async fn web_asset(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    serve(lookup::<WebFiles>(path), path, &headers)
}

pub async fn leaflet(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(lookup::<LeafletFiles>(&path), &path, &headers)
}

pub async fn qrcode(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(lookup::<QrCodeFiles>(&path), &path, &headers)
}

pub async fn markercluster(Path(path): Path<String>, headers: HeaderMap) -> Response {
    serve(lookup::<MarkerClusterFiles>(&path), &path, &headers)
}

/// The file at `path`, never outside its folder: debug builds read from disk, where a `..`
/// segment would otherwise climb out.
fn lookup<E: RustEmbed>(path: &str) -> Option<EmbeddedFile> {
    let climbs = path
        .split(['/', '\\'])
        .any(|segment| segment == ".." || segment == ".");
    if climbs { None } else { E::get(path) }
}

/// Answers with the file, `304 Not Modified` when the client has it, or a 404 problem.
fn serve(file: Option<EmbeddedFile>, path: &str, request: &HeaderMap) -> Response {
    let Some(file) = file else {
        return super::ApiError::not_found(format!("no file {path:?}")).into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..16]));
    let etag = HeaderValue::from_str(&etag).expect("hex is ASCII");
    if request.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mime = HeaderValue::from_str(file.metadata.mimetype())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::ETAG, etag),
            // Revalidate every time: a new release must never run with last week's scripts.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        file.data,
    )
        .into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MapConfig {
    /// Base-map layers, the default first.
    #[schema(value_type = Vec<Object>)]
    tile_layers: Vec<crate::config::TileLayer>,
}

/// Settings the web map needs: which base maps to offer.
#[utoipa::path(get, path = "/api/map-config", tag = "Reference",
    responses((status = 200, description = "Map settings", body = MapConfig)))]
pub async fn map_config(
    _: super::query::OnlyFormat,
    State(state): State<AppState>,
) -> Json<MapConfig> {
    Json(MapConfig {
        tile_layers: state.config.tile_layers.clone(),
    })
}
