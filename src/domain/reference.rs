//! Reference data that places point to: categories and areas. The lists live in `data/` and
//! are compiled into the binary, so every replica agrees on them; the store keeps a copy so
//! that its foreign keys hold.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
}

/// The categories and areas in display order, with look-ups by code.
#[derive(Debug, Clone)]
pub struct Reference {
    categories: Vec<Category>,
    areas: Vec<Area>,
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
}

impl Reference {
    /// The reference data compiled in from `data/`.
    pub fn builtin() -> Self {
        Self::from_json(
            include_str!("../../data/categories.json"),
            include_str!("../../data/areas.json"),
        )
        .expect("data/categories.json and data/areas.json are checked by the test suite")
    }

    pub fn from_json(categories: &str, areas: &str) -> Result<Self, ReferenceError> {
        let categories: Vec<Category> =
            serde_json::from_str(categories).map_err(|source| ReferenceError::Malformed {
                file: "categories.json",
                source,
            })?;
        let areas: Vec<Area> =
            serde_json::from_str(areas).map_err(|source| ReferenceError::Malformed {
                file: "areas.json",
                source,
            })?;
        Self::new(categories, areas)
    }

    pub fn new(categories: Vec<Category>, areas: Vec<Area>) -> Result<Self, ReferenceError> {
        let category_by_code = index_codes(categories.iter().map(|c| c.code.as_str()))?;
        let area_by_code = index_codes(areas.iter().map(|a| a.code.as_str()))?;
        Ok(Self {
            categories,
            areas,
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
}
