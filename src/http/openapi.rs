//! `/api/openapi.json`: the OpenAPI document, generated from the handlers, their parameter
//! table and the response types.
//!
//! utoipa writes OpenAPI 3.1; clients of OGC API – Features (and the `oas30` conformance
//! class) expect 3.0, so the document is rewritten into 3.0 form once, at first request:
//! `type: [T, "null"]` and `oneOf [null, X]` become `nullable: true`.
//!
//! Paths are relative to the server `/api`, the landing page: GDAL and ogctests look up
//! `paths["/collections/places/items"]` to learn the items parameters, and with `/api/…`
//! keys GDAL found none and filtered `-where` itself. `/healthz`, outside the API, carries
//! its own `servers`.

use super::error::Problem;
use super::links::{Link, OPENAPI_JSON};
use super::query::ParamKind;
use crate::index::PublicProperties;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tsunagari Map つながりマップ API",
        description = "Community resources for social prescribing (社会的処方), as OGC API – Features. \
            Errors are application/problem+json. Besides the answers listed for each operation, \
            any request may answer 414 (URI over 8 KiB) or 431 (headers over 16 KiB or more \
            than 64 of them).",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        super::ogc::landing,
        super::ogc::conformance,
        super::ogc::collections,
        super::ogc::places_collection,
        super::places::items,
        super::places::item,
        super::ogc::queryables,
        super::reference::categories,
        super::reference::areas,
        super::towns::towns,
        super::linkworker::search,
        super::suggest::suggest,
        super::reference::healthz,
        super::pages::map_config,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::place_edits::create,
        super::place_edits::replace,
        super::place_edits::update,
        super::place_edits::archive,
        super::place_edits::history,
        super::place_edits::restore,
        super::place_edits::verify,
        super::place_edits::review,
        super::schedules::interpret,
        super::gaps::gaps,
        super::ogc::tane_collection,
        super::tane::items,
        super::tane::create,
        super::tane::item,
        super::tane::update,
        super::tane::tane_history,
        super::tane::promote,
        super::ogc::walks_collection,
        super::walks::items,
        super::walks::create,
        super::walks::item,
        super::walks::update,
        super::walks::walk_history,
    ),
    components(schemas(
        Problem,
        Link,
        FeatureCollectionDoc,
        FeatureDoc,
        PropertiesDoc,
        PointDoc
    ))
)]
struct ApiDoc;

/// A GeoJSON Point (described for the document; features are encoded by `index::feature`).
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PointDoc {
    #[serde(rename = "type")]
    #[schema(example = "Point")]
    kind: String,
    /// `[longitude, latitude]`, WGS84.
    coordinates: Vec<f64>,
}

/// A place as a GeoJSON Feature.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FeatureDoc {
    #[serde(rename = "type")]
    #[schema(example = "Feature")]
    kind: String,
    /// The place's id, a UUID.
    id: String,
    geometry: PointDoc,
    properties: PropertiesDoc,
    links: Option<Vec<Link>>,
}

/// A place's properties: what staff recorded, and what each answer adds.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PropertiesDoc {
    #[serde(flatten)]
    recorded: PublicProperties<'static>,
    /// With `near`: great-circle distance from the point, in metres (0.1 m).
    distance_m: Option<f64>,
    /// `schedule` in words, in the answer's language (`lang` or Accept-Language):
    /// 「第2・第4水曜 13:30〜15:30」 / "2nd and 4th Wednesday 13:30–15:30". Null without a
    /// schedule.
    schedule_text: Option<String>,
    /// The start of the next session after the time of the answer (Japan time, RFC 3339),
    /// within 60 days; null when there is none.
    #[schema(format = DateTime)]
    next_open: Option<String>,
    /// When the session under way ends, if one is under way at the time of the answer.
    #[schema(format = DateTime)]
    open_until: Option<String>,
}

/// A page of places.
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FeatureCollectionDoc {
    #[serde(rename = "type")]
    #[schema(example = "FeatureCollection")]
    kind: String,
    #[serde(rename = "numberMatched")]
    number_matched: u64,
    #[serde(rename = "numberReturned")]
    number_returned: u64,
    #[serde(rename = "timeStamp")]
    time_stamp: String,
    links: Vec<Link>,
    features: Vec<FeatureDoc>,
}

/// The schema of one query parameter.
pub fn param_schema(kind: ParamKind) -> RefOr<Schema> {
    let schema: Schema = match kind {
        ParamKind::Integer {
            minimum,
            maximum,
            default,
        } => ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .minimum(Some(minimum as f64))
            .maximum(maximum.map(|m| m as f64))
            .default(default.map(Value::from))
            .into(),
        ParamKind::Number { minimum, maximum } => ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Number))
            .exclusive_minimum(Some(minimum))
            .maximum(Some(maximum))
            .into(),
        ParamKind::NumberList {
            min_items,
            max_items,
        } => ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(SchemaType::new(Type::Number)))
            .min_items(Some(min_items))
            .max_items(Some(max_items))
            .into(),
        ParamKind::StringList => ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(SchemaType::new(Type::String)))
            .into(),
        ParamKind::String => ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .into(),
        ParamKind::Enum(values) => ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(values.iter().copied()))
            .into(),
    };
    RefOr::T(schema)
}

/// The document as served: OpenAPI 3.0.3.
pub fn document_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
        downgrade_to_3_0(&mut doc);
        every_api_operation_takes_f(&mut doc);
        relative_to_api(&mut doc);
        doc.to_string()
    })
}

pub async fn document(_: super::query::OnlyFormat) -> Response {
    let mut response = document_json().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENAPI_JSON));
    response
}

/// Every operation of the API refuses unknown parameters with 400 and takes `f=json`.
fn every_api_operation_takes_f(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if !path.starts_with("/api") {
            continue;
        }
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut().filter_map(Value::as_object_mut) {
            let params = operation.entry("parameters").or_insert_with(|| json!([]));
            if let Some(params) = params.as_array_mut()
                && !params
                    .iter()
                    .any(|p| p["name"] == "f" && p["in"] == "query")
            {
                params.push(json!({
                    "name": "f", "in": "query", "required": false,
                    "description": "Output format; only json (the default).",
                    "schema": {"type": "string", "enum": ["json"]},
                }));
            }
            let responses = operation.entry("responses").or_insert_with(|| json!({}));
            if let Some(responses) = responses.as_object_mut() {
                responses.entry("400").or_insert_with(|| {
                    json!({
                        "description": "A parameter other than `f` was given, or `f` is not json",
                        "content": {"application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}}},
                    })
                });
            }
        }
    }
}

/// `servers: [/api]` and paths relative to it; paths outside `/api` keep their own server.
fn relative_to_api(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths").map(Value::take) else {
        return;
    };
    let relative: Map<String, Value> = paths
        .into_iter()
        .map(|(path, mut item)| {
            let key = match path.strip_prefix("/api") {
                Some("") => "/".to_owned(),
                Some(rest) if rest.starts_with('/') => rest.to_owned(),
                _ => {
                    item["servers"] = json!([{"url": "/"}]);
                    path
                }
            };
            (key, item)
        })
        .collect();
    doc["paths"] = Value::Object(relative);
    doc["servers"] = json!([{
        "url": "/api",
        "description": "This service's API (relative to this document's origin)",
    }]);
}

/// Rewrites the 3.1 constructs utoipa emits into their 3.0 equivalents.
fn downgrade_to_3_0(doc: &mut Value) {
    doc["openapi"] = json!("3.0.3");
    rewrite(doc);
}

fn rewrite(value: &mut Value) {
    match value {
        Value::Object(map) => {
            nullable_type(map);
            nullable_one_of(map);
            if let Some(Value::Array(examples)) = map.remove("examples")
                && let Some(first) = examples.into_iter().next()
            {
                map.insert("example".into(), first);
            }
            if let Some(minimum) = map.get("exclusiveMinimum").and_then(Value::as_f64) {
                map.insert("minimum".into(), json!(minimum));
                map.insert("exclusiveMinimum".into(), json!(true));
            }
            map.values_mut().for_each(rewrite);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

/// `"type": ["string", "null"]` → `"type": "string", "nullable": true`.
fn nullable_type(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type") {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        map.insert(
            "type".into(),
            rest.into_iter().next().unwrap_or(json!("object")),
        );
        if nullable {
            map.insert("nullable".into(), json!(true));
        }
    }
}

/// `"oneOf": [{"type": "null"}, X]` → `X` with `nullable: true` (via `allOf` for a `$ref`).
fn nullable_one_of(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(options)) = map.get(key) else {
            continue;
        };
        if !options
            .iter()
            .any(|o| o.get("type") == Some(&json!("null")))
        {
            continue;
        }
        let rest: Vec<Value> = options
            .iter()
            .filter(|o| o.get("type") != Some(&json!("null")))
            .cloned()
            .collect();
        map.remove(key);
        map.insert("nullable".into(), json!(true));
        match <[Value; 1]>::try_from(rest) {
            Ok([only]) if only.get("$ref").is_some() => {
                map.insert("allOf".into(), json!([only]));
            }
            Ok([Value::Object(only)]) => {
                for (k, v) in only {
                    map.entry(k).or_insert(v);
                }
            }
            Ok([other]) => {
                map.insert("allOf".into(), json!([other]));
            }
            Err(rest) => {
                map.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        out.push(v);
        match v {
            Value::Object(m) => m.values().for_each(|c| walk(c, out)),
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }

    #[test]
    fn document_is_openapi_3_0_without_3_1_constructs() {
        let doc: Value = serde_json::from_str(document_json()).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
        let mut all = Vec::new();
        walk(&doc, &mut all);
        for v in all {
            if let Some(t) = v.get("type") {
                assert!(
                    t.is_string() || !v.is_object() || t.is_object(),
                    "type array left: {v}"
                );
                assert_ne!(t, "null", "null type left: {v}");
            }
            assert!(v.get("examples").is_none_or(|e| !e.is_array()) || v.get("in").is_some());
        }
        assert_eq!(doc["servers"][0]["url"], "/api");
        assert!(doc["paths"]["/"].is_object(), "the landing page");
        assert_eq!(doc["paths"]["/healthz"]["servers"][0]["url"], "/");
        for (path, item) in doc["paths"].as_object().unwrap() {
            assert!(
                !path.starts_with("/api"),
                "{path} is not relative to the server"
            );
            for (method, op) in item.as_object().unwrap() {
                if method == "servers" || path == "/healthz" {
                    continue;
                }
                assert!(
                    op["responses"]["400"].is_object(),
                    "{method} {path}: no 400"
                );
                let takes_f = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == "f"));
                assert!(takes_f, "{method} {path}: no f");
            }
        }
        let item_f = doc["paths"]["/collections/places/items/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "f")
            .unwrap();
        assert_eq!(item_f["schema"]["enum"], json!(["json", "geojson"]));
        let items = &doc["paths"]["/collections/places/items"]["get"]["parameters"];
        let names: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for p in super::super::query::ITEM_PARAMS {
            assert!(names.contains(&p.name), "{} undocumented", p.name);
        }
        let limit = items
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "limit")
            .unwrap();
        assert_eq!(limit["schema"]["default"], 100);
        for list in ["bbox", "near", "category", "area"] {
            let p = items
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == list)
                .unwrap();
            assert_eq!(p["style"], "form", "{list}");
            assert_eq!(p["explode"], false, "{list}");
        }
        assert_eq!(limit["schema"]["maximum"], 10000.0);
    }
}
