//! The query parameters of `…/items`, parsed strictly into domain types.
//!
//! [`ITEM_PARAMS`] is the one list of what the route accepts: the parser refuses any other
//! name, and the OpenAPI document describes exactly these (GDAL reads it to learn them).

use super::error::ApiError;
use crate::domain::schedule::{Lang, OpenWindow};
use crate::domain::{BBox, LonLat, Radius, Reference, Status, TimeRange, text};
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
                      (with heights) are also accepted; heights are ignored. A box whose minLon is \
                      greater than its maxLon crosses the antimeridian.",
        kind: ParamKind::NumberList {
            min_items: 4,
            max_items: 6,
        },
    },
    ParamSpec {
        name: "limit",
        description: "How many features one page holds. A larger value is treated as the \
                      maximum (10000), not refused.",
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
        name: "datetime",
        description: "Only places last changed (`updated_at`) at this instant or in this \
                      interval (RFC 3339, both ends inclusive): `2020-01-01T00:00:00Z`, a date \
                      `2020-01-01` (that whole day, UTC), `2020-01-01/..`, `../2026-01-01`, \
                      `2020-01-01/2020-12-31`. A date as an interval's end means the end of \
                      that day.",
        kind: ParamKind::String,
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
                      reading, tags, description, address, schedule, audience, or the name of \
                      the place's category (Japanese or English) or area. Width, katakana and \
                      hiragana, small kana, long-vowel marks, punctuation, ケ/ヶ/が and 之/の \
                      between kanji, and the spelling variants of data/spelling-variants.txt \
                      (子供/子ども/こども …) are ignored. Without near, results are ranked: exact \
                      name, name prefix, name, reading, other fields; with near, by distance. \
                      Each feature gets properties.matched, the fields that held the words.",
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
        name: "open_at",
        description: "Only places whose schedule is open then (Japan time): an instant in RFC \
                      3339 (`2026-12-01T10:00:00+09:00`; without an offset, Japan time), a date \
                      (`2026-12-01`: open at any time that day), or an interval `start/end` \
                      (open at any moment of it, at most 31 days). Places without a schedule, \
                      or whose schedule cannot be read, are never counted open.",
        kind: ParamKind::String,
    },
    ParamSpec {
        name: "lang",
        description: "Language of rendered texts (`schedule_text`): ja or en. Without it, \
                      the Accept-Language header decides; Japanese by default.",
        kind: ParamKind::Enum(&["ja", "en"]),
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
    /// `lang`, when given.
    pub lang: Option<Lang>,
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
            Some(v) => parse_limit(v)?,
        };
        let updated = get("datetime")
            .map(|v| TimeRange::parse(v).map_err(|e| ApiError::invalid_parameter("datetime", e)))
            .transpose()?;
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
        let terms = get("q").map(search_words).transpose()?.unwrap_or_default();
        let open = get("open_at")
            .map(|v| OpenWindow::parse(v).map_err(|e| ApiError::invalid_parameter("open_at", e)))
            .transpose()?;
        let lang = get("lang").map(parse_lang).transpose()?;
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
        // Links show the limit in force, so a clamped limit is visible to the client.
        let mut pairs = pairs;
        if let Some((_, v)) = pairs
            .iter_mut()
            .find(|(k, v)| k == "limit" && !v.trim().is_empty())
        {
            *v = limit.to_string();
        }
        Ok(Self {
            query: PlaceQuery {
                bbox,
                near: point.map(|point| Near { point, radius }),
                filter: Filter {
                    categories,
                    areas,
                    terms,
                    statuses,
                    updated,
                    open,
                    audience: None,
                },
                offset,
                limit,
            },
            wants_private,
            pairs,
            lang,
        })
    }
}

/// The normalised words of a text search `q` (of `…/items` and `/api/suggest`).
pub fn search_words(q: &str) -> Result<Vec<String>, ApiError> {
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
    Ok(text::query_terms(q))
}

fn parse_lang(v: &str) -> Result<Lang, ApiError> {
    Lang::parse(v)
        .ok_or_else(|| ApiError::invalid_parameter("lang", format!("{v:?} is not one of ja, en")))
}

/// A whole number ≥ 1; above [`MAX_LIMIT`] it is clamped to it (OGC API – Features Part 1:
/// a larger limit shall not be an error).
fn parse_limit(v: &str) -> Result<usize, ApiError> {
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    match v.parse::<u64>() {
        Ok(0) => Err(ApiError::invalid_parameter(
            "limit",
            format!("must be a whole number ≥ 1, got {v:?}"),
        )),
        Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX).min(MAX_LIMIT)),
        // More digits than 64 bits hold: still a whole number, so the maximum.
        Err(_) if digits => Ok(MAX_LIMIT),
        Err(_) => Err(ApiError::invalid_parameter(
            "limit",
            format!("must be a whole number ≥ 1, got {v:?}"),
        )),
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

/// Like [`OnlyFormat`], for a single feature: `f=geojson` too, as `…/items` takes it, and
/// `lang` for its rendered texts.
pub struct FeatureFormat {
    pub lang: Option<Lang>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for OnlyFormat {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        format_and(parts.uri.query(), &["json"], &[]).map(|_| Self)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for FeatureFormat {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        let lang = format_and(parts.uri.query(), &["json", "geojson"], &["lang"])?
            .first()
            .map(|(_, value)| parse_lang(value))
            .transpose()?;
        Ok(Self { lang })
    }
}

/// Checks `f` against `formats` and refuses any parameter but `f` and `extra`, each at most
/// once; answers the `extra` parameters given, with their values.
fn format_and(
    query: Option<&str>,
    formats: &[&str],
    extra: &[&str],
) -> Result<Vec<(String, String)>, ApiError> {
    let mut given = Vec::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "f" if value.is_empty() || formats.contains(&value.as_ref()) => {}
            "f" => {
                return Err(ApiError::invalid_parameter(
                    "f",
                    format!("{value:?} is not one of {}", formats.join(", ")),
                ));
            }
            other if extra.contains(&other) => {
                if given.iter().any(|(n, _)| n == other) {
                    return Err(ApiError::invalid_parameter(other, "given more than once"));
                }
                given.push((other.to_owned(), value.into_owned()));
            }
            other => {
                let takes = match extra {
                    [] => "only f".to_owned(),
                    _ => format!("f and {}", extra.join(", ")),
                };
                return Err(ApiError::invalid_parameter(
                    other,
                    format!("unknown parameter; this route takes {takes}"),
                ));
            }
        }
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ItemsParams, ApiError> {
        ItemsParams::parse(Some(query), &Reference::builtin())
    }

    #[test]
    fn a_limit_above_the_maximum_is_clamped_and_shown_in_links() {
        for given in ["10001", "99999999", "123456789012345678901234567890"] {
            let p = parse(&format!("limit={given}")).unwrap();
            assert_eq!(p.query.limit, MAX_LIMIT, "{given}");
            assert_eq!(p.pairs, vec![("limit".to_owned(), "10000".to_owned())]);
        }
        assert_eq!(parse("limit=7").unwrap().query.limit, 7);
        for bad in ["0", "-1", "1.5", "abc"] {
            assert!(parse(&format!("limit={bad}")).is_err(), "{bad}");
        }
    }

    #[test]
    fn datetime_is_parsed_never_ignored() {
        assert!(
            parse("datetime=2020-01-01T%2F..")
                .unwrap()
                .query
                .filter
                .updated
                .is_some()
        );
        let e = parse("datetime=soon").unwrap_err();
        assert_eq!(e.problem().parameter.as_deref(), Some("datetime"));
    }
}
