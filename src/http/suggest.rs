//! `/api/suggest?q=`: names of published places as the user types, for the search box's
//! suggestion list. Answered from the text index like any search (see `index::suggest`).

use super::error::{ApiError, Problem};
use super::places::off_the_async_threads_if;
use super::query::search_words;
use crate::app::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use serde::Serialize;

const DEFAULT_LIMIT: usize = 8;
const MAX_LIMIT: usize = 20;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    /// Best first: exact name, name prefix, name, reading.
    suggestions: Vec<Suggestion>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The place's id (a UUID), for `…/items/{id}`.
    id: String,
    name: String,
    /// The category code.
    category: String,
}

/// Names of published places whose name or reading holds every word typed so far.
#[utoipa::path(get, path = "/api/suggest", tag = "Search",
    params(
        ("q" = String, Query, description = "What has been typed: every space-separated word must \
         occur in the name or its reading, normalised as `q` of the items (kana, width, \
         spelling variants). An empty `q` answers no suggestions."),
        ("limit" = Option<u32>, Query, description = "At most this many names (1–20, default 8).",
         minimum = 1, maximum = 20),
    ),
    responses(
        (status = 200, description = "Suggestions, best first, one per name", body = Suggestions),
        (status = 400, description = "`q` is missing, too long or holds control characters; \
         `limit` is out of range; or a parameter is unknown",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Suggestions>, ApiError> {
    let (words, limit) = parse(raw.as_deref())?;
    if words.is_empty() {
        return Ok(Json(Suggestions {
            suggestions: Vec::new(),
        }));
    }
    let suggestions = off_the_async_threads_if(false, move || {
        let index = state.places.read();
        index
            .suggest(&words, limit)
            .into_iter()
            .map(|slot| {
                let entry = index.entry(slot);
                Suggestion {
                    id: entry.id.to_string(),
                    name: entry.feature.name(),
                    category: index.reference().category(entry.category()).code.clone(),
                }
            })
            .collect()
    })
    .await?;
    Ok(Json(Suggestions { suggestions }))
}

fn parse(raw: Option<&str>) -> Result<(Vec<String>, usize), ApiError> {
    let mut q = None;
    let mut limit = None;
    for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let slot = match name.as_ref() {
            "q" => &mut q,
            "limit" => &mut limit,
            other => {
                return Err(ApiError::invalid_parameter(
                    other,
                    "unknown parameter; this route takes q, limit",
                ));
            }
        };
        if slot.is_some() {
            return Err(ApiError::invalid_parameter(&name, "given more than once"));
        }
        *slot = Some(value.into_owned());
    }
    let q = q.ok_or_else(|| ApiError::invalid_parameter("q", "is required"))?;
    let limit = match limit.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_parameter(
                    "limit",
                    format!("must be a whole number from 1 to {MAX_LIMIT}, got {v:?}"),
                )
            })?,
    };
    Ok((search_words(&q)?, limit))
}
