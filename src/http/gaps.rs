//! `GET /api/gaps`: where the next neighbourhood walk should go — the towns with no published
//! 通いの場 or サロン (or the categories asked for) within walking distance of their point.
//! Staff only: it is a planning view, and it names places by id.

use super::auth::Editor;
use super::error::{ApiError, Problem};
use super::places::no_store;
use crate::app::AppState;
use crate::domain::reference::TOWNS_ATTRIBUTION;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What "within walking distance" means by default: 500 m, about 6–7 minutes on foot.
const DEFAULT_WITHIN_M: f64 = 500.0;
const MIN_WITHIN_M: f64 = 100.0;
const MAX_WITHIN_M: f64 = 5000.0;
/// The kinds of place a walk looks for by default.
const DEFAULT_CATEGORIES: [&str; 2] = ["kayoinoba", "salon"];

#[derive(Serialize, utoipa::ToSchema)]
pub struct Gaps {
    /// The walking distance asked for, in metres (great-circle from the town's point).
    within_m: f64,
    /// The categories counted.
    categories: Vec<String>,
    /// How many towns the city has.
    towns_total: usize,
    /// The towns without such a place within `within_m`, the farthest from one first.
    towns: Vec<TownGap>,
    /// Where the town points come from.
    attribution: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TownGap {
    /// 「蔵持町原出」.
    name: String,
    koaza: Option<String>,
    /// The town's representative point `[longitude, latitude]`.
    point: [f64; 2],
    /// The nearest such place and how far it is, if there is one at all.
    nearest: Option<NearestPlace>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NearestPlace {
    id: String,
    name: String,
    distance_m: f64,
}

/// The towns that no place of the kinds asked for serves within walking distance.
#[utoipa::path(get, path = "/api/gaps", tag = "Staff",
    params(
        ("within" = Option<f64>, Query, description = "Walking distance in metres, 100 to 5000 (default 500)"),
        ("category" = Option<String>, Query, description = "Category codes, comma-separated (default kayoinoba,salon)"),
    ),
    responses(
        (status = 200, description = "Towns without such a place nearby", body = Gaps),
        (status = 400, description = "A parameter is unknown or out of range", content_type = "application/problem+json", body = Problem),
        (status = 401, description = "No staff session", content_type = "application/problem+json", body = Problem),
    ))]
pub async fn gaps(
    _: Editor,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut within = DEFAULT_WITHIN_M;
    let mut codes: Option<Vec<String>> = None;
    let mut seen = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        if seen.contains(&name) {
            return Err(ApiError::invalid_parameter(&name, "given more than once"));
        }
        seen.push(name.clone());
        match name.as_ref() {
            "within" => {
                within = value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|w| (MIN_WITHIN_M..=MAX_WITHIN_M).contains(w))
                    .ok_or_else(|| {
                        ApiError::invalid_parameter(
                            "within",
                            format!("must be metres from {MIN_WITHIN_M} to {MAX_WITHIN_M}, got {value:?}"),
                        )
                    })?;
            }
            "category" => {
                codes = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            other => {
                return Err(ApiError::invalid_parameter(
                    other,
                    "unknown parameter; this route takes within and category",
                ));
            }
        }
    }
    let codes = codes
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| DEFAULT_CATEGORIES.map(str::to_owned).to_vec());
    let index = state.places.read();
    let reference = index.reference();
    let categories = codes
        .iter()
        .map(|c| {
            reference.category_index(c).ok_or_else(|| {
                ApiError::invalid_parameter("category", format!("unknown code {c:?}"))
            })
        })
        .collect::<Result<Vec<u16>, _>>()?;
    let coverage = index.town_coverage(&categories);
    let towns_total = coverage.len();
    let mut towns: Vec<TownGap> = coverage
        .into_iter()
        .filter(|c| c.nearest.is_none_or(|(_, d)| d > within))
        .map(|c| TownGap {
            name: c.town.name.clone(),
            koaza: c.town.koaza.clone(),
            point: [c.town.point.lon(), c.town.point.lat()],
            nearest: c.nearest.map(|(slot, d)| {
                let entry = index.entry(slot);
                NearestPlace {
                    id: entry.id.to_string(),
                    name: entry.feature.name(),
                    distance_m: (d * 10.0).round() / 10.0,
                }
            }),
        })
        .collect();
    // The farthest from any such place first: there a walk finds the most.
    towns.sort_by(|a, b| {
        let far = |t: &TownGap| t.nearest.as_ref().map_or(f64::INFINITY, |n| n.distance_m);
        far(b).total_cmp(&far(a))
    });
    Ok(no_store(
        Json(Gaps {
            within_m: within,
            categories: codes,
            towns_total,
            towns,
            attribution: TOWNS_ATTRIBUTION,
        })
        .into_response(),
    ))
}
