//! `POST /api/linkworker/search`: places near a client, for a link worker sitting with them.
//!
//! The client's point is personal data. It comes in a POST body, never a URL (URLs end up in
//! logs, proxies and browser history); it is used for one index query and dropped; the answer
//! is `no-store`; and the access log records the route alone. Error messages never repeat the
//! coordinates either. There is deliberately no query-string form of this search.

use super::auth::LinkWorker;
use super::error::{ApiError, Problem};
use super::json::JsonBody;
use super::places::{Rendering, collection_pieces, geo_json};
use crate::app::AppState;
use crate::domain::schedule::{Lang, OpenWindow};
use crate::domain::{FieldError, LonLat, Radius};
use crate::index::{Filter, Near, PlaceQuery};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use serde_json::{Map, Value};

/// How many places one search answers by default, and at most: a shortlist is a handful.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;
const MAX_AUDIENCE_CHARS: usize = 50;
const FIELDS: [&str; 7] = [
    "near",
    "radius",
    "categories",
    "audience",
    "open_at",
    "limit",
    "lang",
];

/// The body of a search, for the OpenAPI document (the handler reads it field by field so
/// that every field at fault is named).
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SearchRequest {
    /// The client's point, `[longitude, latitude]` (WGS84): longitude -180..180, latitude
    /// -90..90. Used for this answer only: never stored or logged.
    #[schema(min_items = 2, max_items = 2)]
    near: [f64; 2],
    /// Metres (great-circle), greater than 0 and at most 100000. Without it, every place is
    /// ranked.
    #[schema(exclusive_minimum = 0, maximum = 100000)]
    radius: Option<f64>,
    /// Category codes (see /api/categories); any of them matches. Empty or absent: all.
    categories: Option<Vec<String>>,
    /// Who the client is (高齢者, 子育て …): places for them, or for everyone (どなたでも).
    audience: Option<String>,
    /// As the items route's `open_at`: an instant, a date or an interval `A/B`, Japan time.
    open_at: Option<String>,
    /// 1 to 200; 50 by default.
    #[schema(minimum = 1, maximum = 200)]
    limit: Option<u64>,
    /// Language of `schedule_text`: ja or en (else Accept-Language, else Japanese).
    lang: Option<String>,
}

/// Published places near the client, nearest first, each with `distance_m`.
#[utoipa::path(post, path = "/api/linkworker/search", tag = "Link workers",
    request_body = SearchRequest,
    responses(
        (status = 200, description = "Places nearest first (answered `Cache-Control: no-store`)",
         content_type = "application/geo+json", body = super::openapi::FeatureCollectionDoc),
        (status = 400, description = "Not a JSON object", content_type = "application/problem+json",
         body = Problem),
        (status = 401, description = "No session (or a disabled account)",
         content_type = "application/problem+json", body = Problem),
        (status = 415, description = "The body is not application/json",
         content_type = "application/problem+json", body = Problem),
        (status = 422, description = "Fields break rules; `errors` names each",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn search(
    State(state): State<AppState>,
    _: LinkWorker,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let Value::Object(body) = body else {
        return Err(ApiError::invalid_body("the body must be a JSON object"));
    };
    let bytes = {
        let index = state.places.read();
        let search = Search::parse(&body, |code| index.reference().category_index(code))?;
        let page = index.query(&search.query);
        let rendering = Rendering::for_request(search.lang, &headers);
        collection_pieces(&index, &page, &[], rendering).concat()
    };
    let mut response = geo_json(Body::from(bytes));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A search, checked: every field at fault is collected before answering.
struct Search {
    query: PlaceQuery,
    lang: Option<Lang>,
}

impl Search {
    fn parse(
        body: &Map<String, Value>,
        category: impl Fn(&str) -> Option<u16>,
    ) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        for name in body.keys() {
            if !FIELDS.contains(&name.as_str()) {
                errors.push(FieldError::new(
                    name.as_str(),
                    format!("unknown field; a search takes {}", FIELDS.join(", ")),
                ));
            }
        }
        let given = |name: &str| body.get(name).filter(|v| !v.is_null());
        let point = match given("near") {
            None => {
                errors.push(FieldError::new(
                    "near",
                    "is required: [longitude, latitude]",
                ));
                None
            }
            Some(v) => {
                // The reason never repeats the numbers: problems may be shown or reported.
                let point = v
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
                    .and_then(|(lon, lat)| LonLat::new(lon, lat).ok());
                if point.is_none() {
                    errors.push(FieldError::new(
                        "near",
                        "must be [longitude, latitude]: longitude -180..180, latitude -90..90",
                    ));
                }
                point
            }
        };
        let radius = given("radius").and_then(|v| {
            let r = v.as_f64().and_then(|m| Radius::new(m).ok());
            if r.is_none() {
                errors.push(FieldError::new(
                    "radius",
                    "must be metres, greater than 0 and at most 100000",
                ));
            }
            r
        });
        let mut categories = Vec::new();
        if let Some(v) = given("categories") {
            match v.as_array() {
                None => errors.push(FieldError::new("categories", "must be a list of codes")),
                Some(list) => {
                    for code in list {
                        match code.as_str().and_then(|c| category(c).map(|i| (c, i))) {
                            Some((_, i)) if !categories.contains(&i) => categories.push(i),
                            Some(_) => {}
                            None => errors.push(FieldError::new(
                                "categories",
                                format!("{code} is not a code of /api/categories"),
                            )),
                        }
                    }
                }
            }
        }
        let audience = given("audience").and_then(|v| match v.as_str().map(str::trim) {
            Some(a)
                if !a.is_empty()
                    && a.chars().count() <= MAX_AUDIENCE_CHARS
                    && !a.chars().any(char::is_control) =>
            {
                Some(Box::<str>::from(a))
            }
            _ => {
                errors.push(FieldError::new(
                    "audience",
                    format!("must be text of 1 to {MAX_AUDIENCE_CHARS} characters"),
                ));
                None
            }
        });
        let open = given("open_at").and_then(|v| match v.as_str() {
            None => {
                errors.push(FieldError::new("open_at", "must be a string"));
                None
            }
            Some(s) => OpenWindow::parse(s)
                .map_err(|e| errors.push(FieldError::new("open_at", e)))
                .ok(),
        });
        let limit = match given("limit") {
            None => DEFAULT_LIMIT,
            Some(v) => match v.as_u64() {
                Some(n @ 1..) if n <= MAX_LIMIT as u64 => n as usize,
                _ => {
                    errors.push(FieldError::new(
                        "limit",
                        format!("must be a whole number from 1 to {MAX_LIMIT}"),
                    ));
                    DEFAULT_LIMIT
                }
            },
        };
        let lang = given("lang").and_then(|v| {
            let lang = v.as_str().and_then(Lang::parse);
            if lang.is_none() {
                errors.push(FieldError::new("lang", "must be ja or en"));
            }
            lang
        });
        match point {
            Some(point) if errors.is_empty() => Ok(Self {
                query: PlaceQuery {
                    bbox: None,
                    near: Some(Near { point, radius }),
                    // Link workers hand out what residents may see (published places), nothing else.
                    filter: Filter {
                        categories,
                        audience,
                        open,
                        ..Filter::published()
                    },
                    offset: 0,
                    limit,
                },
                lang,
            }),
            _ => Err(ApiError::invalid_fields(errors)),
        }
    }
}
