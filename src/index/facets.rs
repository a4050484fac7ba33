//! The places of each status, category and area as sets of slots, so that a query starts from
//! the places a filter names instead of testing every place; and the normalised labels of each
//! category and area, so that a search for 「サロン」 or "salon" finds every place of that
//! category without each place holding the label.

use crate::domain::{Reference, Status, text::normalize};
use roaring::RoaringBitmap;

pub struct Facets {
    statuses: [RoaringBitmap; 3],
    categories: Vec<RoaringBitmap>,
    areas: Vec<RoaringBitmap>,
    /// Per category: its Japanese and English labels, normalised.
    category_labels: Vec<[String; 2]>,
    /// Per area: its name, reading and English name, normalised.
    area_labels: Vec<[String; 3]>,
}

/// What a place is filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filed {
    pub status: Status,
    pub category: u16,
    pub area: Option<u16>,
}

impl Facets {
    pub fn new(reference: &Reference) -> Self {
        Self {
            statuses: Default::default(),
            categories: vec![RoaringBitmap::new(); reference.categories().len()],
            areas: vec![RoaringBitmap::new(); reference.areas().len()],
            category_labels: reference
                .categories()
                .iter()
                .map(|c| [normalize(&c.name_ja), normalize(&c.name_en)])
                .collect(),
            area_labels: reference
                .areas()
                .iter()
                .map(|a| {
                    [
                        normalize(&a.name_ja),
                        normalize(&a.name_kana),
                        normalize(&a.name_en),
                    ]
                })
                .collect(),
        }
    }

    pub fn add(&mut self, slot: u32, f: Filed) {
        self.statuses[status_slot(f.status)].insert(slot);
        self.categories[usize::from(f.category)].insert(slot);
        if let Some(a) = f.area {
            self.areas[usize::from(a)].insert(slot);
        }
    }

    pub fn remove(&mut self, slot: u32, f: Filed) {
        self.statuses[status_slot(f.status)].remove(slot);
        self.categories[usize::from(f.category)].remove(slot);
        if let Some(a) = f.area {
            self.areas[usize::from(a)].remove(slot);
        }
    }

    /// Places with any of `statuses`.
    pub fn with_statuses(&self, statuses: &[Status]) -> RoaringBitmap {
        union(statuses.iter().map(|&s| &self.statuses[status_slot(s)]))
    }

    pub fn in_categories(&self, categories: &[u16]) -> RoaringBitmap {
        union(categories.iter().map(|&c| &self.categories[usize::from(c)]))
    }

    pub fn in_areas(&self, areas: &[u16]) -> RoaringBitmap {
        union(areas.iter().map(|&a| &self.areas[usize::from(a)]))
    }

    /// Places whose category's label contains `term`.
    pub fn category_label_holds(&self, term: &str) -> Option<RoaringBitmap> {
        let hits: Vec<u16> = (0..self.category_labels.len() as u16)
            .filter(|&c| {
                self.category_labels[usize::from(c)]
                    .iter()
                    .any(|l| l.contains(term))
            })
            .collect();
        (!hits.is_empty()).then(|| self.in_categories(&hits))
    }

    /// Places whose area's name contains `term`.
    pub fn area_label_holds(&self, term: &str) -> Option<RoaringBitmap> {
        let hits: Vec<u16> = (0..self.area_labels.len() as u16)
            .filter(|&a| {
                self.area_labels[usize::from(a)]
                    .iter()
                    .any(|l| l.contains(term))
            })
            .collect();
        (!hits.is_empty()).then(|| self.in_areas(&hits))
    }

    /// Whether a category's or an area's label holds `term`.
    pub fn label_fields(&self, category: u16, area: Option<u16>, term: &str) -> (bool, bool) {
        let c = self.category_labels[usize::from(category)]
            .iter()
            .any(|l| l.contains(term));
        let a = area.is_some_and(|a| {
            self.area_labels[usize::from(a)]
                .iter()
                .any(|l| l.contains(term))
        });
        (c, a)
    }
}

fn union<'a>(sets: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
    let mut out = RoaringBitmap::new();
    for s in sets {
        out |= s;
    }
    out
}

pub fn status_slot(status: Status) -> usize {
    match status {
        Status::Draft => 0,
        Status::Published => 1,
        Status::Archived => 2,
    }
}
