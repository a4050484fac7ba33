//! `…/collections/places/items`: the places as GeoJSON, answered from the in-memory index.

use super::error::{ApiError, Problem};
use super::links::{BaseUrl, GEO_JSON, JSON, Link};
use super::query::{ITEM_PARAMS, ItemsParams, OnlyFormat};
use crate::app::AppState;
use crate::domain::Status;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use uuid::Uuid;

/// The items parameters for the OpenAPI document, generated from [`ITEM_PARAMS`].
pub struct ItemsParamsDoc;

impl IntoParams for ItemsParamsDoc {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ITEM_PARAMS
            .iter()
            .map(|p| {
                ParameterBuilder::new()
                    .name(p.name)
                    .parameter_in(ParameterIn::Query)
                    .description(Some(p.description))
                    .required(utoipa::openapi::Required::False)
                    .schema(Some(super::openapi::param_schema(p.kind)))
                    .build()
            })
            .collect()
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
    ))]
pub async fn items(
    State(state): State<AppState>,
    base: BaseUrl,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let index = state.places.read();
    let params = ItemsParams::parse(raw.as_deref(), index.reference())?;
    if params.wants_private {
        return Err(ApiError::unauthorized(
            "draft and archived places need a staff session",
        ));
    }
    let q = &params.query;
    let page = index.query(q);

    let items_url = base.url("/api/collections/places/items");
    let link_with_offset = |offset: Option<usize>| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.pairs.iter().filter(|(k, _)| k != "offset") {
            s.append_pair(k, v);
        }
        if let Some(o) = offset.filter(|&o| o > 0) {
            s.append_pair("offset", &o.to_string());
        }
        let query = s.finish();
        if query.is_empty() {
            items_url.clone()
        } else {
            format!("{items_url}?{query}")
        }
    };
    let mut links = vec![Link::new(
        link_with_offset(Some(q.offset)),
        "self",
        GEO_JSON,
        Some("This page"),
    )];
    let end = q.offset.saturating_add(page.hits.len());
    if end < page.matched {
        links.push(Link::new(
            link_with_offset(Some(end)),
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
            link_with_offset(Some(prev)),
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

    let header = serde_json::json!({
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.hits.len(),
        "timeStamp": OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or(OffsetDateTime::UNIX_EPOCH).format(&Rfc3339).unwrap_or_default(),
        "links": links,
    })
    .to_string();
    let mut body = Vec::with_capacity(header.len() + page.hits.len() * 1200 + 16);
    body.extend_from_slice(&header.as_bytes()[..header.len() - 1]);
    body.extend_from_slice(b",\"features\":[");
    for (i, hit) in page.hits.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let feature = &index.entry(hit.slot).feature;
        match hit.distance_m {
            Some(d) => feature.write_with_distance(&mut body, d),
            None => feature.write(&mut body),
        }
    }
    body.extend_from_slice(b"]}");
    drop(index);
    Ok(geo_json(body))
}

/// One place as a GeoJSON Feature.
#[utoipa::path(get, path = "/api/collections/places/items/{id}", tag = "OGC API – Features",
    params(("id" = String, Path, description = "The place's id (a UUID)")),
    responses(
        (status = 200, description = "The place", content_type = "application/geo+json",
         body = super::openapi::FeatureDoc),
        (status = 404, description = "No published place has this id",
         content_type = "application/problem+json", body = Problem),
    ))]
pub async fn item(
    _: OnlyFormat,
    State(state): State<AppState>,
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
        .filter(|e| e.place.fields.status == Status::Published)
        .ok_or_else(not_found)?;
    let links = vec![
        Link::new(
            base.url(&format!("/api/collections/places/items/{uuid}")),
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
    Ok(geo_json(entry.feature.with_members(&members).into_bytes()))
}

fn geo_json(body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(GEO_JSON));
    response
}
