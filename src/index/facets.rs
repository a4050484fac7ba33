//! The places of each status, category, area and distinct schedule as sets of slots, so that a
//! query starts from the places a filter names instead of testing every place; and the
//! normalised labels of each category, area and schedule, so that a search for 「サロン」 or
//! "salon" finds every place of that category, and 「火曜」 every place whose schedule reads
//! so, without each place holding the label.

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
    /// Per distinct schedule (its id in the index's schedule table).
    schedules: Vec<RoaringBitmap>,
    /// Per distinct schedule: how it reads in Japanese and in English, normalised.
    schedule_labels: Vec<[String; 2]>,
}

/// What a place is filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filed {
    pub status: Status,
    pub category: u16,
    pub area: Option<u16>,
    pub schedule: Option<u32>,
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
            schedules: Vec::new(),
            schedule_labels: Vec::new(),
        }
    }

    /// The labels of schedule `id`, the next one not yet seen (ids are handed out in order).
    pub fn add_schedule(&mut self, id: u32, ja: &str, en: &str) {
        debug_assert_eq!(id as usize, self.schedules.len());
        self.schedules.push(RoaringBitmap::new());
        self.schedule_labels.push([normalize(ja), normalize(en)]);
    }

    pub fn knows_schedule(&self, id: u32) -> bool {
        (id as usize) < self.schedules.len()
    }

    pub fn add(&mut self, slot: u32, f: Filed) {
        self.statuses[status_slot(f.status)].insert(slot);
        self.categories[usize::from(f.category)].insert(slot);
        if let Some(a) = f.area {
            self.areas[usize::from(a)].insert(slot);
        }
        if let Some(s) = f.schedule {
            self.schedules[s as usize].insert(slot);
        }
    }

    pub fn remove(&mut self, slot: u32, f: Filed) {
        self.statuses[status_slot(f.status)].remove(slot);
        self.categories[usize::from(f.category)].remove(slot);
        if let Some(a) = f.area {
            self.areas[usize::from(a)].remove(slot);
        }
        if let Some(s) = f.schedule {
            self.schedules[s as usize].remove(slot);
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

    /// Places whose schedule reads with `term` (「火曜」, "tuesday").
    pub fn schedule_label_holds(&self, term: &str) -> Option<RoaringBitmap> {
        let sets: Vec<&RoaringBitmap> = self
            .schedule_labels
            .iter()
            .zip(&self.schedules)
            .filter(|(labels, _)| labels.iter().any(|l| l.contains(term)))
            .map(|(_, set)| set)
            .collect();
        (!sets.is_empty()).then(|| union(sets.into_iter()))
    }

    /// Whether a schedule's text holds `term`.
    pub fn schedule_holds(&self, schedule: Option<u32>, term: &str) -> bool {
        schedule.is_some_and(|s| {
            self.schedule_labels[s as usize]
                .iter()
                .any(|l| l.contains(term))
        })
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
