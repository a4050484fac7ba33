//! The query parameters of `…/items`, parsed strictly into domain types.
//!
//! [`ITEM_PARAMS`] is the one list of what the route accepts: the parser refuses any other
//! name, and the OpenAPI document describes exactly these (GDAL reads it to learn them).

use super::error::ApiError;
use crate::domain::{BBox, LonLat, Radius, Reference, Status, text};
use crate::index::{Filter, Near, PlaceQuery};

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 10_000;
const MAX_QUERY_CHARS: usize = 200;

/// The kind of value a parameter takes, for the OpenAPI document.
#[derive(Debug, Clone, Copy)]
pub enum ParamKind {
    Integer {
        minimum: i64,
        maximum: Option<i64>,
        default: Option<i64>,
    },
    Number {
        minimum: f64,
        maximum: f64,
    },
    NumberList {
        min_items: usize,
        max_items: usize,
    },
    StringList,
    String,
    Enum(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
}

pub const ITEM_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "bbox",
        description: "Only places inside minLon,minLat,maxLon,maxLat (WGS84 degrees). Six numbers \
                      (with heights) are also accepted; heights are ignored.",
        kind: ParamKind::NumberList {
            min_items: 4,
            max_items: 6,
        },
    },
    ParamSpec {
        name: "limit",
        description: "How many features one page holds.",
        kind: ParamKind::Integer {
            minimum: 1,
            maximum: Some(MAX_LIMIT as i64),
            default: Some(DEFAULT_LIMIT as i64),
        },
    },
    ParamSpec {
        name: "offset",
        description: "How many matching features to skip (paging; follow the `next` link).",
        kind: ParamKind::Integer {
            minimum: 0,
            maximum: None,
            default: Some(0),
        },
    },
    ParamSpec {
        name: "category",
        description: "Category codes, comma-separated (see /api/categories); any of them matches.",
        kind: ParamKind::StringList,
    },
    ParamSpec {
        name: "area",
        description: "Area codes, comma-separated (see /api/areas); any of them matches.",
        kind: ParamKind::StringList,
    },
    ParamSpec {
        name: "q",
        description: "Japanese text search: every space-separated word must occur in the name, \
                      reading, tags, description, address or schedule (width, kana and dash \
                      variants are ignored).",
        kind: ParamKind::String,
    },
    ParamSpec {
        name: "near",
        description: "lon,lat: sort by great-circle distance from this point and add \
                      properties.distance_m.",
        kind: ParamKind::NumberList {
            min_items: 2,
            max_items: 2,
        },
    },
    ParamSpec {
        name: "radius",
        description: "With near: only places within this many metres.",
        kind: ParamKind::Number {
            minimum: 0.0,
            maximum: crate::domain::location::MAX_RADIUS_M,
        },
    },
    ParamSpec {
        name: "status",
        description: "Statuses, comma-separated. Anything but published needs a staff session.",
        kind: ParamKind::Enum(&["draft", "published", "archived"]),
    },
    ParamSpec {
        name: "f",
        description: "Output format.",
        kind: ParamKind::Enum(&["json", "geojson"]),
    },
];

/// A parsed items request.
#[derive(Debug, Clone)]
pub struct ItemsParams {
    pub query: PlaceQuery,
    /// Statuses other than `published` were asked for.
    pub wants_private: bool,
    /// Every parameter as given (decoded), to rebuild `self` and `next` links.
    pub pairs: Vec<(String, String)>,
}

impl ItemsParams {
    pub fn parse(raw: Option<&str>, reference: &Reference) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        for (name, _) in &pairs {
            if !ITEM_PARAMS.iter().any(|p| p.name == name) {
                let known: Vec<&str> = ITEM_PARAMS.iter().map(|p| p.name).collect();
                return Err(ApiError::invalid_parameter(
                    name,
                    format!("unknown parameter; this route takes {}", known.join(", ")),
                ));
            }
            if seen.contains(&name.as_str()) {
                return Err(ApiError::invalid_parameter(name, "given more than once"));
            }
            seen.push(name);
        }
        // An empty value means the same as no value: forms send empty fields.
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, v)| k == name && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
        };

        let bbox = get("bbox").map(parse_bbox).transpose()?;
        let limit = match get("limit") {
            None => DEFAULT_LIMIT,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(ApiError::invalid_parameter(
                        "limit",
                        format!("must be a whole number from 1 to {MAX_LIMIT}, got {v:?}"),
                    ));
                }
            },
        };
        let offset = match get("offset") {
            None => 0,
            Some(v) => v
                .parse::<u64>()
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                .map_err(|_| {
                    ApiError::invalid_parameter(
                        "offset",
                        format!("must be a whole number ≥ 0, got {v:?}"),
                    )
                })?,
        };
        let categories = codes(get("category"), "category", |c| reference.category_index(c))?;
        let areas = codes(get("area"), "area", |a| reference.area_index(a))?;
        let terms = match get("q") {
            None => Vec::new(),
            Some(q) => {
                if q.chars().count() > MAX_QUERY_CHARS {
                    return Err(ApiError::invalid_parameter(
                        "q",
                        format!("is longer than {MAX_QUERY_CHARS} characters"),
                    ));
                }
                if q.chars().any(char::is_control) {
                    return Err(ApiError::invalid_parameter(
                        "q",
                        "contains control characters",
                    ));
                }
                text::query_terms(q)
            }
        };
        let point = get("near").map(|v| parse_point("near", v)).transpose()?;
        let radius = match get("radius") {
            None => None,
            Some(_) if point.is_none() => {
                return Err(ApiError::invalid_parameter("radius", "needs near=lon,lat"));
            }
            Some(v) => Some(
                Radius::new(parse_number("radius", v)?)
                    .map_err(|e| ApiError::invalid_parameter("radius", e))?,
            ),
        };
        let statuses = match get("status") {
            None => vec![Status::Published],
            Some(v) => {
                let mut statuses = Vec::new();
                for s in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let status = Status::parse(s).ok_or_else(|| {
                        ApiError::invalid_parameter(
                            "status",
                            format!("{s:?} is not one of draft, published, archived"),
                        )
                    })?;
                    if !statuses.contains(&status) {
                        statuses.push(status);
                    }
                }
                statuses
            }
        };
        if let Some(f) = get("f")
            && !matches!(f, "json" | "geojson")
        {
            return Err(ApiError::invalid_parameter(
                "f",
                format!("{f:?} is not one of json, geojson"),
            ));
        }

        let wants_private = statuses.iter().any(|&s| s != Status::Published);
        Ok(Self {
            query: PlaceQuery {
                bbox,
                near: point.map(|point| Near { point, radius }),
                filter: Filter {
                    categories,
                    areas,
                    terms,
                    statuses,
                },
                offset,
                limit,
            },
            wants_private,
            pairs,
        })
    }
}

fn parse_number(name: &str, v: &str) -> Result<f64, ApiError> {
    match v.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(ApiError::invalid_parameter(
            name,
            format!("{v:?} is not a finite number"),
        )),
    }
}

fn parse_numbers(name: &str, v: &str) -> Result<Vec<f64>, ApiError> {
    v.split(',').map(|n| parse_number(name, n)).collect()
}

fn parse_point(name: &str, v: &str) -> Result<LonLat, ApiError> {
    match parse_numbers(name, v)?.as_slice() {
        &[lon, lat] => LonLat::new(lon, lat).map_err(|e| ApiError::invalid_parameter(name, e)),
        other => Err(ApiError::invalid_parameter(
            name,
            format!("needs 2 numbers lon,lat, got {}", other.len()),
        )),
    }
}

fn parse_bbox(v: &str) -> Result<BBox, ApiError> {
    let n = parse_numbers("bbox", v)?;
    let (min, max) = match n.as_slice() {
        &[a, b, c, d] => ((a, b), (c, d)),
        &[a, b, _, d, e, _] => ((a, b), (d, e)),
        other => {
            return Err(ApiError::invalid_parameter(
                "bbox",
                format!(
                    "needs 4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights), got {}",
                    other.len()
                ),
            ));
        }
    };
    let corner =
        |(lon, lat)| LonLat::new(lon, lat).map_err(|e| ApiError::invalid_parameter("bbox", e));
    BBox::new(corner(min)?, corner(max)?).map_err(|e| ApiError::invalid_parameter("bbox", e))
}

fn codes(
    value: Option<&str>,
    name: &str,
    lookup: impl Fn(&str) -> Option<u16>,
) -> Result<Vec<u16>, ApiError> {
    let mut out = Vec::new();
    for code in value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let i = lookup(code)
            .ok_or_else(|| ApiError::invalid_parameter(name, format!("unknown code {code:?}")))?;
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Ok(out)
}

/// For routes that take no parameters but the format: refuses anything else, as `…/items`
/// does, so that a typo never passes silently.
pub struct OnlyFormat;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for OnlyFormat {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        let raw = parts.uri.query().unwrap_or("");
        for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
            match (name.as_ref(), value.as_ref()) {
                ("f", "json" | "") => {}
                ("f", other) => {
                    return Err(ApiError::invalid_parameter(
                        "f",
                        format!("{other:?} is not json"),
                    ));
                }
                (other, _) => {
                    return Err(ApiError::invalid_parameter(
                        other,
                        "unknown parameter; this route takes only f",
                    ));
                }
            }
        }
        Ok(Self)
    }
}
