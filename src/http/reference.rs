//! Reference lists for clients (categories and areas, with how many public places each
//! holds) and the health check.

use super::query::OnlyFormat;
use crate::app::AppState;
use crate::domain::{Area, Category, Status};
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct CategoryWithCount {
    #[serde(flatten)]
    category: Category,
    /// Published places in this category.
    count: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AreaWithCount {
    #[serde(flatten)]
    area: Area,
    /// Published places in this area.
    count: usize,
}

/// The categories, in display order, with their colours and icons.
#[utoipa::path(get, path = "/api/categories", tag = "Reference",
    responses((status = 200, description = "Categories", body = Vec<CategoryWithCount>)))]
pub async fn categories(
    _: OnlyFormat,
    State(state): State<AppState>,
) -> Json<Vec<CategoryWithCount>> {
    let index = state.places.read();
    let (counts, _) = index.counts(&[Status::Published]);
    Json(
        index
            .reference()
            .categories()
            .iter()
            .zip(counts)
            .map(|(c, count)| CategoryWithCount {
                category: c.clone(),
                count,
            })
            .collect(),
    )
}

/// The areas of the city (地域づくり組織), with their approximate centres.
#[utoipa::path(get, path = "/api/areas", tag = "Reference",
    responses((status = 200, description = "Areas", body = Vec<AreaWithCount>)))]
pub async fn areas(_: OnlyFormat, State(state): State<AppState>) -> Json<Vec<AreaWithCount>> {
    let index = state.places.read();
    let (_, counts) = index.counts(&[Status::Published]);
    Json(
        index
            .reference()
            .areas()
            .iter()
            .zip(counts)
            .map(|(a, count)| AreaWithCount {
                area: a.clone(),
                count,
            })
            .collect(),
    )
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` once the index is built and requests are served.
    status: &'static str,
}

/// Liveness and readiness: answers once the index is built. It says nothing about the data
/// (a count would reveal unpublished places).
#[utoipa::path(get, path = "/healthz", tag = "Operations",
    responses((status = 200, description = "The service is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}
