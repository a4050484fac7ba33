//! `…/collections/places/items`: the places as GeoJSON, answered from the in-memory index.

use super::auth::Viewer;
use super::error::{ApiError, Problem};
use super::links::{BaseUrl, GEO_JSON, JSON, Link};
use super::query::{FeatureFormat, ITEM_PARAMS, ItemsParams, ParamKind};
use super::streamed::{StreamedBody, total_len};
use crate::app::AppState;
use crate::domain::Status;
use crate::domain::schedule::{self, Lang};
use crate::index::text::FIELDS;
use crate::index::{Entry, Page, PlaceIndex, Terms, matched_member};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use bytes::Bytes;
use chrono::NaiveDateTime;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use uuid::Uuid;

/// The items parameters for the OpenAPI document, generated from [`ITEM_PARAMS`].
pub struct ItemsParamsDoc;

impl IntoParams for ItemsParamsDoc {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ITEM_PARAMS
            .iter()
            .map(|p| {
                // Lists are comma-separated in one parameter: `category=a,b`.
                let list = matches!(p.kind, ParamKind::NumberList { .. } | ParamKind::StringList);
                ParameterBuilder::new()
                    .name(p.name)
                    .parameter_in(ParameterIn::Query)
                    .description(Some(p.description))
                    .required(utoipa::openapi::Required::False)
                    .schema(Some(super::openapi::param_schema(p.kind)))
                    .style(list.then_some(ParameterStyle::Form))
                    .explode(list.then_some(false))
                    .build()
            })
            .collect()
    }
}

/// `f` and `lang` of a single feature, for the OpenAPI document (see [`FeatureFormat`]).
pub struct FeatureFormatDoc;

impl IntoParams for FeatureFormatDoc {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("f")
                .parameter_in(ParameterIn::Query)
                .description(Some("Output format."))
                .required(utoipa::openapi::Required::False)
                .schema(Some(super::openapi::param_schema(ParamKind::Enum(&[
                    "json", "geojson",
                ]))))
                .build(),
            ParameterBuilder::new()
                .name("lang")
                .parameter_in(ParameterIn::Query)
                .description(Some(
                    "Language of rendered texts (`schedule_text`): ja or en. Without it, the \
                     Accept-Language header decides; Japanese by default.",
                ))
                .required(utoipa::openapi::Required::False)
                .schema(Some(super::openapi::param_schema(ParamKind::Enum(&[
                    "ja", "en",
                ]))))
                .build(),
        ]
    }
}

/// Places, filtered and paged, as a GeoJSON FeatureCollection.
#[utoipa::path(get, path = "/api/collections/places/items", tag = "OGC API – Features",
    params(ItemsParamsDoc),
    responses(
        (status = 200, description = "A page of places", content_type = "application/geo+json",
         body = super::openapi::FeatureCollectionDoc),
        (status = 400, description = "A parameter is unknown, repeated or malformed",
         content_type = "application/problem+json", body = Problem),
        (status = 401, description = "`status` asks for draft or archived places without a \
         staff session", content_type = "application/problem+json", body = Problem),
        (status = 503, description = "Too many large answers (a megabyte or more) are being \
         sent; try again after `Retry-After` seconds or ask for a smaller `limit`",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn items(
    State(state): State<AppState>,
    viewer: Viewer,
    base: BaseUrl,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = ItemsParams::parse(raw.as_deref(), state.places.read().reference())?;
    if params.wants_private && !viewer.edits_places() {
        return Err(match viewer.0 {
            None => ApiError::unauthorized("draft and archived places need a staff session"),
            Some(_) => ApiError::forbidden("draft and archived places need a staff account"),
        });
    }
    let private = params.wants_private;
    let rendering = Rendering::for_request(params.lang, &headers);
    // Words, `datetime` and `open_at` may test many places one by one (see index::plan).
    let filter = &params.query.filter;
    let cheap = filter.terms.is_empty() && filter.updated.is_none() && filter.open.is_none();
    let answer = {
        let state = state.clone();
        move || {
            let index = state.places.read();
            let page = index.query(&params.query);
            let links = page_links(&base, &params, &page);
            let terms = index.search_terms(&params.query.filter.terms);
            collection_pieces_matching(&index, &page, &links, rendering, terms.as_ref())
        }
    };
    let pieces = off_the_async_threads_if(cheap, answer).await?;
    // The index is released: the answer holds only shared references to features.
    let permit = state.large_answers.admit(total_len(&pieces)).map_err(|_| {
        ApiError::busy("too many large answers are being sent; try again or lower `limit`")
    })?;
    let response = geo_json(Body::new(StreamedBody::new(pieces, permit)));
    Ok(if private {
        no_store(response)
    } else {
        response
    })
}

/// Answers that hold unpublished places must not be kept by any cache.
pub(super) fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `self`, `next` and `prev` keep every parameter of the request (GDAL and QGIS follow them
/// verbatim); only `offset` changes.
fn page_links(base: &BaseUrl, params: &ItemsParams, page: &Page) -> Vec<Link> {
    let q = &params.query;
    let items_url = base.url("/api/collections/places/items");
    let at_offset = |offset: usize| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.pairs.iter().filter(|(k, _)| k != "offset") {
            s.append_pair(k, v);
        }
        if offset > 0 {
            s.append_pair("offset", &offset.to_string());
        }
        match s.finish() {
            query if query.is_empty() => items_url.clone(),
            query => format!("{items_url}?{query}"),
        }
    };
    let mut links = vec![Link::new(
        at_offset(q.offset),
        "self",
        GEO_JSON,
        Some("This page"),
    )];
    let end = q.offset.saturating_add(page.hits.len());
    if end < page.matched {
        links.push(Link::new(
            at_offset(end),
            "next",
            GEO_JSON,
            Some("Next page"),
        ));
    }
    if q.offset > 0 {
        let prev = q
            .offset
            .saturating_sub(q.limit)
            .min(page.matched.saturating_sub(q.limit));
        links.push(Link::new(
            at_offset(prev),
            "prev",
            GEO_JSON,
            Some("Previous page"),
        ));
    }
    links.push(Link::new(
        base.url("/api/collections/places"),
        "collection",
        JSON,
        None,
    ));
    links
}

/// Runs `work` right here when `cheap`, else on tokio's blocking threads. A text search is
/// set algebra (well under a millisecond for one or two characters) but a long word common
/// to much of a national dataset is checked place by place, milliseconds that must not hold
/// up the async threads serving everyone else.
pub(super) async fn off_the_async_threads_if<T: Send + 'static>(
    cheap: bool,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    if cheap {
        return Ok(work());
    }
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "a search on the blocking threads failed");
        ApiError::internal()
    })
}

/// How features are rendered for one request: the language of `schedule_text`, and the
/// moment (Japan time) from which `next_open` is counted.
#[derive(Debug, Clone, Copy)]
pub struct Rendering {
    pub lang: Lang,
    pub now: NaiveDateTime,
}

impl Rendering {
    /// `lang` if given, else the Accept-Language header's preference between Japanese and
    /// English, else Japanese.
    pub fn for_request(lang: Option<Lang>, headers: &HeaderMap) -> Self {
        let lang = lang.unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(preferred_lang)
                .unwrap_or_default()
        });
        Self {
            lang,
            now: schedule::jst_now(),
        }
    }

    /// Japanese, now: for the staff's own answers.
    pub fn japanese_now() -> Self {
        Self::for_request(Some(Lang::Ja), &HeaderMap::new())
    }
}

/// The language of the highest-weighted `ja…` or `en…` range in an Accept-Language value;
/// the earlier one on a tie.
fn preferred_lang(accept: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .filter(|q| q.is_finite())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = Lang::parse(primary) else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

/// The FeatureCollection as pieces: a small JSON head, then each feature's prepared bytes
/// with what this request adds spliced in.
pub(super) fn collection_pieces(
    index: &PlaceIndex,
    page: &Page,
    links: &[Link],
    rendering: Rendering,
) -> Vec<Bytes> {
    collection_pieces_matching(index, page, links, rendering, None)
}

/// [`collection_pieces`], with `properties.matched` in each feature of a text search.
pub(super) fn collection_pieces_matching(
    index: &PlaceIndex,
    page: &Page,
    links: &[Link],
    rendering: Rendering,
    terms: Option<&Terms>,
) -> Vec<Bytes> {
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 ns is valid");
    let head = serde_json::json!({
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.hits.len(),
        "timeStamp": now.format(&Rfc3339).expect("the current time formats"),
        "links": links,
    })
    .to_string();
    let mut pieces = Vec::with_capacity(page.hits.len() * 5 + 2);
    // The head without its closing brace, then the features.
    let mut head = head.into_bytes();
    head.pop();
    head.extend_from_slice(b",\"features\":[");
    pieces.push(Bytes::from(head));
    for (i, hit) in page.hits.iter().enumerate() {
        if i > 0 {
            pieces.push(Bytes::from_static(b","));
        }
        let entry = index.entry(hit.slot);
        let [schedule_text, next_open] =
            index.schedule_pieces(entry, rendering.lang, rendering.now);
        let matched = terms.map_or_else(Bytes::new, |terms| {
            let mask = index.matched_fields(hit.slot, terms);
            let fields: Vec<&str> = FIELDS
                .iter()
                .filter(|f| mask & f.bit() != 0)
                .map(|f| f.as_str())
                .collect();
            Bytes::from(matched_member(&fields))
        });
        entry.feature.pieces(
            hit.distance_m,
            &[matched, schedule_text, next_open],
            &mut pieces,
        );
    }
    pieces.push(Bytes::from_static(b"]}"));
    pieces
}

/// One place as a GeoJSON Feature.
#[utoipa::path(get, path = "/api/collections/places/items/{id}", tag = "OGC API – Features",
    params(("id" = String, Path, description = "The place's id (a UUID)"), FeatureFormatDoc),
    responses(
        (status = 200, description = "The place", content_type = "application/geo+json",
         body = super::openapi::FeatureDoc),
        (status = 400, description = "A parameter other than `f` was given",
         content_type = "application/problem+json", body = Problem),
        (status = 404, description = "No published place has this id",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn item(
    format: FeatureFormat,
    headers: HeaderMap,
    State(state): State<AppState>,
    viewer: Viewer,
    base: BaseUrl,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::not_found(format!("no place with id {id:?}"));
    let uuid = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let index = state.places.read();
    // Residents see only published places; an unpublished one answers exactly like an
    // unknown id, so that ids of drafts cannot be probed.
    let entry = index
        .get(&uuid)
        .filter(|e| e.status == Status::Published || viewer.edits_places())
        .ok_or_else(not_found)?;
    let rendering = Rendering::for_request(format.lang, &headers);
    Ok(feature_response(&index, entry, &base, rendering))
}

/// One place as a GeoJSON Feature with its links, and its version as the `ETag` that writes
/// send back in `If-Match`.
pub(super) fn feature_response(
    index: &PlaceIndex,
    entry: &Entry,
    base: &BaseUrl,
    rendering: Rendering,
) -> Response {
    let links = vec![
        Link::new(
            base.url(&format!("/api/collections/places/items/{}", entry.id)),
            "self",
            GEO_JSON,
            None,
        ),
        Link::new(
            base.url("/api/collections/places"),
            "collection",
            JSON,
            None,
        ),
    ];
    let mut members = serde_json::Map::new();
    members.insert(
        "links".into(),
        serde_json::to_value(links).expect("links serialise"),
    );
    let splices = index.schedule_pieces(entry, rendering.lang, rendering.now);
    let mut response = geo_json(Body::from(entry.feature.with_members(&splices, &members)));
    response
        .headers_mut()
        .insert(header::ETAG, etag(entry.version));
    if entry.status == Status::Published {
        response
    } else {
        no_store(response)
    }
}

pub(super) fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits")
}

pub(super) fn geo_json(body: Body) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(GEO_JSON));
    response
}
