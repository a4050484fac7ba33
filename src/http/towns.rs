//! `GET /api/towns`: the city's towns and landmarks with their points, for the link worker
//! page to look an address up in the browser. The list is public and the same for everyone,
//! so the address a link worker types is matched on their own screen and never sent here.

use super::query::OnlyFormat;
use crate::app::AppState;
use crate::domain::Town;
use crate::domain::landmark::{self, Landmark};
use crate::domain::reference::TOWNS_ATTRIBUTION;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct TownList {
    /// Must be shown wherever the points are used (CC BY 4.0).
    attribution: &'static str,
    /// 町丁目・大字 (and 小字 where listed) with their representative points.
    towns: Vec<Town>,
    /// Stations and public buildings, each at its town's point.
    landmarks: Vec<Landmark>,
}

/// The towns of the city and a few landmarks, with representative points (town level).
#[utoipa::path(get, path = "/api/towns", tag = "Reference",
    responses((status = 200, description = "Towns and landmarks", body = TownList)))]
pub async fn towns(_: OnlyFormat, State(state): State<AppState>) -> Json<TownList> {
    let index = state.places.read();
    let reference = index.reference();
    // A city that loads its own town list may lack a landmark's town: the towns still serve.
    let landmarks = landmark::parse_landmarks_csv(landmark::BUILTIN_CSV, reference.towns())
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "landmarks left out");
            Vec::new()
        });
    Json(TownList {
        attribution: TOWNS_ATTRIBUTION,
        towns: reference.towns().to_vec(),
        landmarks,
    })
}
