//! `POST /api/schedules/interpret`: how the service reads a schedule, before staff save it.
//!
//! Staff type a schedule as they say it (「第2・第4水曜 13:30〜15:30」) or as OSM syntax; the
//! answer is the OSM text that would be stored, its reading in Japanese and English, and the
//! next few sessions, so a misreading is seen before it reaches residents. When the text
//! cannot be read, the 422 names the part where reading stopped.

use super::auth::Editor;
use super::error::{ApiError, Problem};
use super::json::JsonBody;
use crate::domain::FieldError;
use crate::domain::schedule::{self, Lang, Schedule};
use axum::Json;
use serde::{Deserialize, Serialize};

/// How many upcoming sessions the answer lists.
const UPCOMING: usize = 3;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterpretRequest {
    /// The schedule as typed: Japanese (「毎週火曜 10時〜12時」) or OSM `opening_hours`.
    text: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Interpretation {
    /// What would be stored, in OSM `opening_hours` syntax.
    schedule: String,
    /// The reading in Japanese.
    text_ja: String,
    /// The reading in English.
    text_en: String,
    /// The next sessions' starts from now (Japan time, RFC 3339), at most three, within 60
    /// days.
    upcoming: Vec<String>,
}

/// Reads a schedule as it would be stored, without storing anything.
#[utoipa::path(post, path = "/api/schedules/interpret", tag = "Staff",
    request_body = InterpretRequest,
    responses(
        (status = 200, description = "How the schedule reads", body = Interpretation),
        (status = 401, description = "No staff session", content_type = "application/problem+json", body = Problem),
        (status = 422, description = "The text cannot be read; `errors` says where",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn interpret(
    _: Editor,
    JsonBody(request): JsonBody<InterpretRequest>,
) -> Result<Json<Interpretation>, ApiError> {
    let text = request.text.trim();
    if text.is_empty() || text.chars().count() > 500 || text.chars().any(char::is_control) {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "text",
            "must be 1 to 500 characters without control characters",
        )]));
    }
    let schedule = Schedule::read(text)
        .map_err(|e| ApiError::invalid_fields(vec![FieldError::new("text", e.reason)]))?;
    let mut upcoming = Vec::new();
    let mut now = schedule::jst_now();
    while upcoming.len() < UPCOMING {
        let Some(start) = schedule.next_session(now).next_start else {
            break;
        };
        upcoming.push(schedule::format_jst(start));
        now = start;
    }
    Ok(Json(Interpretation {
        schedule: schedule.osm().to_owned(),
        text_ja: schedule.text(Lang::Ja),
        text_en: schedule.text(Lang::En),
        upcoming,
    }))
}
