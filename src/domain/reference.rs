//! Reference data that places point to: categories, areas and the city's towns. The lists
//! live in `data/` and are compiled into the binary, so every replica agrees on them; the store
//! keeps a copy of categories and areas so that its foreign keys hold.

use crate::domain::LonLat;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The attribution that must accompany the built-in town list, or anything derived from it,
/// wherever it is shipped or shown (CC BY 4.0).
pub const TOWNS_ATTRIBUTION: &str =
    "Geolonia 住所データ（CC BY 4.0）、国土交通省 位置参照情報を加工";

/// A kind of place (通いの場, サロン, 子ども食堂 …).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Category {
    /// Stable code used in the API (`category=salon`).
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    /// Marker colour, `#rrggbb`, dark enough for white text.
    pub color: String,
    /// Pictogram name for the map's markers.
    pub icon: String,
    pub description_ja: String,
}

/// An area of the city (地域づくり組織 / 小学校区).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Area {
    pub code: String,
    pub name_ja: String,
    pub name_kana: String,
    pub name_en: String,
    /// Approximate centre, `[longitude, latitude]`.
    pub centroid: [f64; 2],
    /// What public sources do not confirm about this area (its name or reading), if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `data/areas.json`: the areas, and what is known about those the list lacks.
#[derive(Debug, Clone, Deserialize)]
struct AreaList {
    /// How many areas the city has; more than `areas.len()` when some are unconfirmed.
    areas_in_city: usize,
    areas: Vec<Area>,
}

/// A town of the city (町丁目 / 大字, or a 小字 of one) with a representative point, as in
/// 国土交通省 位置参照情報 (大字・町丁目レベル). Used to place sample data, to check that an
/// address and a point agree, and to look up an address typed by a user.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Town {
    /// 「桔梗が丘一番町」, 「蔵持町原出」, 「夏見」.
    pub name: String,
    /// 小字 within the town, when the source lists one (the same town may then appear again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub koaza: Option<String>,
    /// Representative point, `[longitude, latitude]` in GeoJSON order.
    #[schema(value_type = [f64; 2])]
    pub point: LonLat,
}

/// The categories and areas in display order, with look-ups by code.
#[derive(Debug, Clone)]
pub struct Reference {
    categories: Vec<Category>,
    areas: Vec<Area>,
    areas_in_city: usize,
    towns: Vec<Town>,
    category_by_code: HashMap<String, u16>,
    area_by_code: HashMap<String, u16>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("reference data file {file} is malformed: {source}")]
    Malformed {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error("reference data has a duplicate code {0:?}")]
    Duplicate(String),
    #[error("town list, line {line}: {reason}")]
    Town { line: usize, reason: String },
}

impl Reference {
    /// The reference data compiled in from `data/`.
    pub fn builtin() -> Self {
        let reference = Self::from_json(
            include_str!("../../data/categories.json"),
            include_str!("../../data/areas.json"),
        )
        .expect("data/categories.json and data/areas.json are checked by the test suite");
        reference.with_towns(
            parse_towns_csv(include_str!("../../data/nabari-towns.csv"))
                .expect("data/nabari-towns.csv is checked by the test suite"),
        )
    }

    /// Categories and areas from their JSON files; no towns (see [`Self::with_towns`]).
    pub fn from_json(categories: &str, areas: &str) -> Result<Self, ReferenceError> {
        let categories: Vec<Category> =
            serde_json::from_str(categories).map_err(|source| ReferenceError::Malformed {
                file: "categories.json",
                source,
            })?;
        let areas: AreaList =
            serde_json::from_str(areas).map_err(|source| ReferenceError::Malformed {
                file: "areas.json",
                source,
            })?;
        let mut reference = Self::new(categories, areas.areas)?;
        reference.areas_in_city = areas.areas_in_city.max(reference.areas.len());
        Ok(reference)
    }

    pub fn new(categories: Vec<Category>, areas: Vec<Area>) -> Result<Self, ReferenceError> {
        let category_by_code = index_codes(categories.iter().map(|c| c.code.as_str()))?;
        let area_by_code = index_codes(areas.iter().map(|a| a.code.as_str()))?;
        Ok(Self {
            areas_in_city: areas.len(),
            categories,
            areas,
            towns: Vec::new(),
            category_by_code,
            area_by_code,
        })
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// How many areas the city has. More than [`Self::areas`] holds when public sources do not
    /// confirm them all (Nabari has 15; 14 are listed).
    pub fn areas_in_city(&self) -> usize {
        self.areas_in_city
    }

    /// Replaces the town list (a city loading its own file, see [`parse_towns_csv`]).
    pub fn with_towns(mut self, towns: Vec<Town>) -> Self {
        self.towns = towns;
        self
    }

    /// The city's towns in the order of their file.
    pub fn towns(&self) -> &[Town] {
        &self.towns
    }

    /// The town an address names: the longest town name that starts the address once the
    /// prefecture and city are removed (「三重県名張市桔梗が丘一番町2-14」 → 桔梗が丘一番町).
    /// A town listed with several 小字 answers its first entry.
    pub fn town_of_address(&self, address: &str, pref_city: &str) -> Option<&Town> {
        let rest = address.trim().strip_prefix(pref_city)?;
        self.towns
            .iter()
            .filter(|t| rest.starts_with(t.name.as_str()))
            .max_by_key(|t| t.name.len())
            .and_then(|longest| self.towns.iter().find(|t| t.name == longest.name))
    }

    /// The position of a category in [`Self::categories`].
    pub fn category_index(&self, code: &str) -> Option<u16> {
        self.category_by_code.get(code).copied()
    }

    /// The position of an area in [`Self::areas`].
    pub fn area_index(&self, code: &str) -> Option<u16> {
        self.area_by_code.get(code).copied()
    }

    pub fn category(&self, index: u16) -> &Category {
        &self.categories[usize::from(index)]
    }

    pub fn area(&self, index: u16) -> &Area {
        &self.areas[usize::from(index)]
    }
}

/// Reads a town list: UTF-8 CSV with a header naming at least `town`, `lat` and `lng` (and
/// optionally `koaza`), in any order — the columns of `data/nabari-towns.csv` (`pref,city,town,
/// koaza,lat,lng`), into which a city can convert its own 国土交通省 位置参照情報 file.
/// Fields are plain (no quoted commas): town names never hold commas.
pub fn parse_towns_csv(text: &str) -> Result<Vec<Town>, ReferenceError> {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header: Vec<&str> = match lines.next() {
        Some((_, h)) => h.split(',').map(str::trim).collect(),
        None => return Ok(Vec::new()),
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| ReferenceError::Town {
                line: 1,
                reason: format!("no column {name:?} in the header"),
            })
    };
    let (town, lat, lng) = (column("town")?, column("lat")?, column("lng")?);
    let koaza = header.iter().position(|h| *h == "koaza");
    lines
        .map(|(i, line)| {
            let line_no = i + 1;
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad = |reason: String| ReferenceError::Town {
                line: line_no,
                reason,
            };
            if fields.len() != header.len() {
                return Err(bad(format!(
                    "{} fields where the header has {}",
                    fields.len(),
                    header.len()
                )));
            }
            let number = |i: usize| {
                fields[i]
                    .parse::<f64>()
                    .map_err(|_| bad(format!("{:?} is not a number", fields[i])))
            };
            let point = LonLat::new(number(lng)?, number(lat)?).map_err(|e| bad(e.to_string()))?;
            let name = fields[town];
            if name.is_empty() {
                return Err(bad("empty town name".into()));
            }
            Ok(Town {
                name: name.to_owned(),
                koaza: koaza
                    .map(|k| fields[k])
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned),
                point,
            })
        })
        .collect()
}

fn index_codes<'a>(
    codes: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, u16>, ReferenceError> {
    let mut map = HashMap::new();
    for (i, code) in codes.enumerate() {
        let i = u16::try_from(i).expect("fewer than 65536 reference entries");
        if map.insert(code.to_owned(), i).is_some() {
            return Err(ReferenceError::Duplicate(code.to_owned()));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_reference_data_is_complete() {
        let r = Reference::builtin();
        for code in [
            "kayoinoba",
            "salon",
            "volunteer",
            "kodomo_shokudo",
            "machi_hokenshitsu",
            "ibasho",
            "exercise",
            "learning",
            "consultation",
            "work",
        ] {
            assert!(r.category_index(code).is_some(), "category {code} missing");
        }
        assert!(r.areas().len() >= 10);
        assert_eq!(
            r.areas_in_city(),
            15,
            "Nabari has 15 areas; one is unconfirmed"
        );
        assert!(
            r.area_index("aobadai").is_none(),
            "青葉台 is not a town of Nabari"
        );
        for c in r.categories() {
            assert!(
                c.color.len() == 7 && c.color.starts_with('#'),
                "{}",
                c.color
            );
        }
        for a in r.areas() {
            let [lon, lat] = a.centroid;
            assert!(
                (136.0..136.25).contains(&lon) && (34.5..34.75).contains(&lat),
                "{}",
                a.code
            );
        }
    }

    #[test]
    fn builtin_towns_are_nabari_s_183_with_points_in_the_city() {
        let r = Reference::builtin();
        assert_eq!(r.towns().len(), 183);
        for t in r.towns() {
            let (lon, lat) = (t.point.lon(), t.point.lat());
            assert!(
                (136.0..136.25).contains(&lon) && (34.5..34.75).contains(&lat),
                "{}",
                t.name
            );
        }
        let natsumi: Vec<_> = r.towns().iter().filter(|t| t.name == "夏見").collect();
        assert_eq!(natsumi.len(), 4, "夏見 and three of its 小字");
        assert_eq!(natsumi[0].koaza, None);
        assert_eq!(natsumi[1].koaza.as_deref(), Some("下出"));
    }

    #[test]
    fn an_address_names_the_longest_matching_town() {
        let r = Reference::builtin();
        let town = |a: &str| {
            r.town_of_address(a, "三重県名張市")
                .map(|t| t.name.as_str())
        };
        assert_eq!(
            town("三重県名張市桔梗が丘一番町2-14"),
            Some("桔梗が丘一番町")
        );
        assert_eq!(
            town("三重県名張市桔梗が丘西一番町5"),
            Some("桔梗が丘西一番町")
        );
        assert_eq!(town("三重県名張市美旗町中一番1234"), Some("美旗町中一番"));
        assert_eq!(town("三重県名張市夏見1876"), Some("夏見"));
        assert_eq!(
            town("三重県名張市中村2150"),
            None,
            "名張市中村 does not exist"
        );
        assert_eq!(town("三重県名張市青葉台1番町100"), None);
        assert_eq!(town("三重県津市本町1"), None);
    }

    #[test]
    fn a_city_can_load_its_own_town_file_with_columns_in_any_order() {
        let towns =
            parse_towns_csv("\u{feff}lat,lng,town\n34.6,136.1,本町\n\n35.0,135.5,元町\n").unwrap();
        assert_eq!(towns.len(), 2);
        assert_eq!(towns[1].name, "元町");
        assert_eq!(towns[1].point, LonLat::new(135.5, 35.0).unwrap());
        for bad in [
            "town,lat\n本町,34.6\n",
            "town,lat,lng\n本町,34.6\n",
            "town,lat,lng\n本町,north,136\n",
            "town,lat,lng\n本町,95,136\n",
            "town,lat,lng\n,34.6,136\n",
        ] {
            assert!(parse_towns_csv(bad).is_err(), "{bad:?}");
        }
    }
}
