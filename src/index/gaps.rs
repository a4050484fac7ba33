//! Where to walk next: the towns of the city with no place of the wanted kinds within walking
//! distance. Each town's representative point is asked for its nearest published place of
//! those categories, by great-circle distance, through the same query as `near`.

use super::{Filter, Near, PlaceIndex, PlaceQuery};
use crate::domain::{Status, Town};

/// A town and the nearest wanted place to its point, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct TownCoverage<'a> {
    pub town: &'a Town,
    /// The nearest place's slot and its distance in metres.
    pub nearest: Option<(u32, f64)>,
}

impl PlaceIndex {
    /// Every town of the reference with the nearest published place of `categories` (category
    /// indexes; empty for any), in the reference's order.
    pub fn town_coverage(&self, categories: &[u16]) -> Vec<TownCoverage<'_>> {
        let filter = Filter {
            categories: categories.to_vec(),
            statuses: vec![Status::Published],
            ..Filter::published()
        };
        self.reference()
            .towns()
            .iter()
            .map(|town| {
                let page = self.query(&PlaceQuery {
                    bbox: None,
                    near: Some(Near {
                        point: town.point,
                        radius: None,
                    }),
                    filter: filter.clone(),
                    offset: 0,
                    limit: 1,
                });
                TownCoverage {
                    town,
                    nearest: page
                        .hits
                        .first()
                        .map(|h| (h.slot, h.distance_m.expect("near answers carry distances"))),
                }
            })
            .collect()
    }
}
