//! The read side: every query is answered from memory, never from the database.
//!
//! The index holds every place (drafts and archived ones too, for staff) in a slot that never
//! changes, an R-tree of unit vectors for space, a normalised text key per place for search,
//! and each place's GeoJSON already encoded. It is built from the store at start-up and
//! updated by the write path (`crate::places`) right after each commit.

mod audiences;
mod feature;
mod schedules;
mod spatial;

pub use feature::{PreparedFeature, PublicProperties};
pub use schedules::ScheduleId;

use crate::domain::location::chord_squared;
use crate::domain::schedule::{Lang, OpenWindow};
use crate::domain::{BBox, LonLat, Place, Radius, Reference, Status, TimeRange, datetime, text};
use crate::store::PlaceChange;
use audiences::{AudienceId, AudienceTable};
use bytes::Bytes;
use chrono::NaiveDateTime;
use rstar::{AABB, RTree};
use schedules::ScheduleTable;
use spatial::SpherePoint;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// One place in the index: only what queries test, and the place's GeoJSON. The full record
/// stays in the database, so that memory holds each text once (as encoded JSON) plus its
/// search key.
#[derive(Debug)]
pub struct Entry {
    pub id: Uuid,
    pub version: i64,
    pub location: LonLat,
    pub status: Status,
    pub feature: PreparedFeature,
    /// `updated_at` in nanoseconds since 1970, for `datetime` queries.
    updated_at: i64,
    /// When staff last confirmed the place is still as described.
    pub verified_at: Option<time::Date>,
    category: u16,
    area: Option<u16>,
    /// The place's schedule in the index's table of distinct schedules.
    schedule: Option<ScheduleId>,
    search_key: Box<str>,
    /// Who the place is for (高齢者, 子育て, どなたでも …): its list in the index's table.
    audience: AudienceId,
}

/// Which places a query wants, besides where they are.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Category indexes (see [`Reference::category_index`]); empty means every category.
    pub categories: Vec<u16>,
    /// Area indexes; empty means every area.
    pub areas: Vec<u16>,
    /// Normalised terms that must all occur in the place's text.
    pub terms: Vec<String>,
    pub statuses: Vec<Status>,
    /// Only places whose `updated_at` is in this range.
    pub updated: Option<TimeRange>,
    /// Only places whose schedule is open then. A place without a schedule never is.
    pub open: Option<OpenWindow>,
    /// Only places for this audience, or for everyone ([`FOR_EVERYONE`]): a link worker
    /// looking for an older client wants the places open to all as well.
    pub audience: Option<Box<str>>,
}

/// The audience value that means a place welcomes anyone.
pub const FOR_EVERYONE: &str = "どなたでも";

impl Filter {
    /// What a resident may see: published places, nothing else narrowed.
    pub fn published() -> Self {
        Self {
            categories: vec![],
            areas: vec![],
            terms: vec![],
            statuses: vec![Status::Published],
            updated: None,
            open: None,
            audience: None,
        }
    }

    fn only_status(&self) -> bool {
        self.categories.is_empty()
            && self.areas.is_empty()
            && self.terms.is_empty()
            && self.updated.is_none()
            && self.open.is_none()
            && self.audience.is_none()
    }
}

/// Near a point, optionally within a radius; results are sorted nearest first.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub point: LonLat,
    pub radius: Option<Radius>,
}

#[derive(Debug, Clone)]
pub struct PlaceQuery {
    pub bbox: Option<BBox>,
    pub near: Option<Near>,
    pub filter: Filter,
    pub offset: usize,
    pub limit: usize,
}

/// One result: the slot of the place and, for `near` queries, its distance in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub slot: u32,
    pub distance_m: Option<f64>,
}

/// One page of results, and how many matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub matched: usize,
    pub hits: Vec<Hit>,
}

pub struct PlaceIndex {
    reference: Arc<Reference>,
    entries: Vec<Entry>,
    by_id: HashMap<Uuid, u32>,
    tree: RTree<SpherePoint>,
    status_counts: [usize; 3],
    schedules: ScheduleTable,
    audiences: AudienceTable,
    /// The number of the latest change of the store's change log that this index reflects.
    last_change: i64,
}

impl PlaceIndex {
    /// Builds the index from places in registration order.
    pub fn build(reference: Arc<Reference>, places: impl IntoIterator<Item = Place>) -> Self {
        let mut builder = IndexBuilder::new(reference);
        places.into_iter().for_each(|p| builder.push(p));
        builder.finish()
    }

    /// The one way changes enter a built index: idempotent and version-checked. A place is
    /// never moved to an older version, and applying a change twice changes nothing. Returns
    /// whether the index changed.
    pub fn apply(&mut self, change: &PlaceChange) -> bool {
        self.last_change = self.last_change.max(change.change_no);
        let place = &change.place;
        if self
            .get(&place.id)
            .is_some_and(|e| e.version >= place.version)
        {
            return false;
        }
        self.upsert(place.clone());
        true
    }

    /// The latest change of the store's log this index reflects (0 for none).
    pub fn last_change(&self) -> i64 {
        self.last_change
    }

    /// Adds a new place or replaces the current version of a known one.
    fn upsert(&mut self, place: Place) {
        match self.by_id.get(&place.id).copied() {
            Some(slot) => {
                let old = self.sphere_point(slot);
                self.status_counts[status_slot(self.entries[slot as usize].status)] -= 1;
                let entry = self.make_entry(place);
                self.status_counts[status_slot(entry.status)] += 1;
                self.entries[slot as usize] = entry;
                let new = self.sphere_point(slot);
                if old != new {
                    self.tree.remove(&old);
                    self.tree.insert(new);
                }
            }
            None => {
                let slot = self.push(place);
                self.tree.insert(self.sphere_point(slot));
            }
        }
    }

    fn push(&mut self, place: Place) -> u32 {
        let slot = u32::try_from(self.entries.len()).expect("fewer than 4 billion places");
        self.by_id.insert(place.id, slot);
        let entry = self.make_entry(place);
        self.status_counts[status_slot(entry.status)] += 1;
        self.entries.push(entry);
        slot
    }

    fn make_entry(&mut self, place: Place) -> Entry {
        let schedule = place
            .fields
            .schedule
            .as_deref()
            .map(|s| self.schedules.intern(s));
        let audience = self.audiences.intern(&place.fields.audience);
        let r = &self.reference;
        let f = &place.fields;
        let category = r.category_index(&f.category).expect("validated category");
        let area = f.area.as_deref().and_then(|a| r.area_index(a));
        // Every text a resident might search for, each normalised, kept apart by a character
        // that normalised queries never contain so that no match spans two fields.
        let mut parts: Vec<&str> = vec![&f.name];
        parts.extend(f.name_kana.as_deref());
        parts.extend(f.tags.iter().map(String::as_str));
        parts.extend(f.description.as_deref());
        parts.extend(f.address.as_deref());
        parts.extend(f.schedule_note.as_deref());
        parts.extend(f.audience.iter().map(String::as_str));
        parts.push(&r.category(category).name_ja);
        if let Some(a) = area {
            parts.push(&r.area(a).name_ja);
        }
        let search_key = parts
            .iter()
            .map(|p| text::normalize(p))
            .collect::<Vec<_>>()
            .join("\u{1}")
            .into_boxed_str();
        Entry {
            verified_at: f.verified_at,
            id: place.id,
            version: place.version,
            location: f.location,
            status: f.status,
            feature: PreparedFeature::new(&place),
            updated_at: datetime::nanos(place.updated_at),
            category,
            area,
            schedule,
            search_key,
            audience,
        }
    }

    fn sphere_point(&self, slot: u32) -> SpherePoint {
        SpherePoint {
            xyz: self.entries[slot as usize].location.unit_vector(),
            slot,
        }
    }

    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, slot: u32) -> &Entry {
        &self.entries[slot as usize]
    }

    pub fn get(&self, id: &Uuid) -> Option<&Entry> {
        self.by_id.get(id).map(|&slot| self.entry(slot))
    }

    pub fn count_with_status(&self, status: Status) -> usize {
        self.status_counts[status_slot(status)]
    }

    /// Every entry in registration order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Whether an entry passes a filter. `open` is [`ScheduleTable::open_in`] for the
    /// filter's window and `audience` [`AudienceTable::admitting`] for its audience, each
    /// computed once per query.
    fn matches(
        &self,
        entry: &Entry,
        filter: &Filter,
        open: Option<&[bool]>,
        audience: Option<&[bool]>,
    ) -> bool {
        open.is_none_or(|open| entry.schedule.is_some_and(|s| open[s as usize]))
            && audience.is_none_or(|admits| admits[entry.audience as usize])
            && filter.statuses.contains(&entry.status)
            && (filter.categories.is_empty() || filter.categories.contains(&entry.category))
            && (filter.areas.is_empty() || entry.area.is_some_and(|a| filter.areas.contains(&a)))
            && filter
                .terms
                .iter()
                .all(|t| entry.search_key.contains(t.as_str()))
            && filter.updated.is_none_or(|r| r.contains(entry.updated_at))
    }

    /// Answers a query: the page `offset..offset + limit` and the number matched in all.
    ///
    /// With `near`, results are in great-circle order (ties by registration order) and carry
    /// their distance; otherwise they are in registration order, which never changes, so
    /// paging through a result visits each place exactly once.
    pub fn query(&self, q: &PlaceQuery) -> Page {
        let open = q.filter.open.map(|w| self.schedules.open_in(&w));
        let audience = q
            .filter
            .audience
            .as_deref()
            .map(|a| self.audiences.admitting(a));
        let keep = |slot: u32| {
            let e = self.entry(slot);
            self.matches(
                e,
                &q.filter,
                open.as_deref().map(Vec::as_slice),
                audience.as_deref(),
            ) && q.bbox.is_none_or(|b| b.contains(e.location))
        };
        match q.near {
            Some(near) => self.query_near(near, q, keep),
            None => {
                let mut slots: Vec<u32> = match q.bbox {
                    Some(bbox) => {
                        let mut s: Vec<u32> = Vec::new();
                        for (lo, hi) in bbox.unit_vector_envelopes() {
                            s.extend(
                                self.tree
                                    .locate_in_envelope(AABB::from_corners(lo, hi))
                                    .map(|p| p.slot)
                                    .filter(|&s| keep(s)),
                            );
                        }
                        s.sort_unstable();
                        // A box across the antimeridian is searched in two parts, which
                        // meet at ±180°.
                        s.dedup();
                        s
                    }
                    None if q.filter.only_status() && q.filter.statuses.len() == 1 => {
                        // Common case of an unfiltered list: count without scanning.
                        let status = q.filter.statuses[0];
                        let matched = self.count_with_status(status);
                        let hits = (0..self.entries.len() as u32)
                            .filter(|&s| self.entry(s).status == status)
                            .skip(q.offset)
                            .take(q.limit)
                            .map(|slot| Hit {
                                slot,
                                distance_m: None,
                            })
                            .collect();
                        return Page { matched, hits };
                    }
                    None => (0..self.entries.len() as u32)
                        .filter(|&s| keep(s))
                        .collect(),
                };
                let matched = slots.len();
                let start = q.offset.min(matched);
                let end = start.saturating_add(q.limit).min(matched);
                slots.truncate(end);
                let hits = slots[start..]
                    .iter()
                    .map(|&slot| Hit {
                        slot,
                        distance_m: None,
                    })
                    .collect();
                Page { matched, hits }
            }
        }
    }

    fn query_near(&self, near: Near, q: &PlaceQuery, keep: impl Fn(u32) -> bool) -> Page {
        let centre = near.point;
        let xyz = centre.unit_vector();
        let distance = |slot: u32| self.entry(slot).location.distance_m(centre);
        let wanted = q.offset.saturating_add(q.limit);
        let mut found: Vec<(f64, u32)>;
        let matched;
        match near.radius {
            Some(radius) => {
                // The tree prunes by chord length; membership is decided by the haversine
                // distance itself, so a point on the edge is in or out exactly as a brute-force
                // haversine scan says. The slack only widens the candidates.
                let r = radius.metres();
                let chord2 = chord_squared(r) * (1.0 + 1e-9) + 1e-18;
                found = self
                    .tree
                    .locate_within_distance(xyz, chord2)
                    .map(|p| p.slot)
                    .filter(|&s| keep(s))
                    .map(|s| (distance(s), s))
                    .filter(|&(d, _)| d <= r)
                    .collect();
                matched = found.len();
            }
            None => {
                // Walk outwards until `wanted` matches are found, then on past every candidate
                // whose chord is within rounding of the last one, so that haversine order
                // decides near-ties rather than the tree's.
                found = Vec::with_capacity(wanted.min(1024));
                let mut last_chord2 = None;
                for (p, chord2) in self.tree.nearest_neighbor_iter_with_distance_2(xyz) {
                    if let Some(limit) = last_chord2
                        && chord2 > limit
                    {
                        break;
                    }
                    if keep(p.slot) {
                        found.push((distance(p.slot), p.slot));
                        if found.len() == wanted && last_chord2.is_none() {
                            last_chord2 = Some(chord2 * (1.0 + 1e-9) + 1e-18);
                        }
                    }
                }
                matched = if q.bbox.is_none() && q.filter.only_status() {
                    q.filter
                        .statuses
                        .iter()
                        .map(|&s| self.count_with_status(s))
                        .sum()
                } else {
                    (0..self.entries.len() as u32).filter(|&s| keep(s)).count()
                };
            }
        }
        let by_distance = |a: &(f64, u32), b: &(f64, u32)| -> Ordering {
            a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
        };
        if wanted < found.len() {
            found.select_nth_unstable_by(wanted, by_distance);
            found.truncate(wanted);
        }
        found.sort_unstable_by(by_distance);
        let hits = found
            .into_iter()
            .skip(q.offset)
            .map(|(d, slot)| Hit {
                slot,
                distance_m: Some(d),
            })
            .collect();
        Page { matched, hits }
    }

    /// What an entry's feature carries about its schedule, in `lang`, as of `now` (Japan
    /// time): `schedule_text`, `next_open` and `open_until`, ready to splice.
    pub fn schedule_pieces(&self, entry: &Entry, lang: Lang, now: NaiveDateTime) -> [Bytes; 2] {
        match entry.schedule {
            Some(id) => [self.schedules.text(id, lang), self.schedules.next(id, now)],
            None => [Bytes::from_static(schedules::NO_SCHEDULE), Bytes::new()],
        }
    }

    /// How many distinct schedules the index holds.
    pub fn distinct_schedules(&self) -> usize {
        self.schedules.len()
    }

    /// Published places not verified since `before` (or never), oldest first, the never
    /// verified ones first of all: the 要確認 list.
    pub fn unverified_since(&self, before: time::Date) -> Vec<u32> {
        let mut slots: Vec<u32> = (0..self.entries.len() as u32)
            .filter(|&s| {
                let e = self.entry(s);
                e.status == Status::Published && e.verified_at.is_none_or(|d| d < before)
            })
            .collect();
        slots.sort_by_key(|&s| (self.entry(s).verified_at, s));
        slots
    }

    /// The smallest box holding every place with one of `statuses`.
    pub fn extent(&self, statuses: &[Status]) -> Option<BBox> {
        let mut points = self
            .entries
            .iter()
            .filter(|e| statuses.contains(&e.status))
            .map(|e| e.location);
        let first = points.next()?;
        let start = BBox::new(first, first).expect("a point is a box");
        Some(points.fold(start, BBox::extend))
    }

    /// The earliest and latest `updated_at` (nanoseconds since 1970) of places with one of
    /// `statuses`.
    pub fn updated_range(&self, statuses: &[Status]) -> Option<(i64, i64)> {
        self.entries
            .iter()
            .filter(|e| statuses.contains(&e.status))
            .map(|e| (e.updated_at, e.updated_at))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
    }

    /// How many places with one of `statuses` each category and each area holds.
    pub fn counts(&self, statuses: &[Status]) -> (Vec<usize>, Vec<usize>) {
        let mut by_category = vec![0; self.reference.categories().len()];
        let mut by_area = vec![0; self.reference.areas().len()];
        for e in self.entries.iter().filter(|e| statuses.contains(&e.status)) {
            by_category[usize::from(e.category)] += 1;
            if let Some(a) = e.area {
                by_area[usize::from(a)] += 1;
            }
        }
        (by_category, by_area)
    }
}

/// Builds an index one place at a time (as rows stream from the database), then loads the
/// R-tree in one go, which packs it better and faster than inserting point by point.
pub struct IndexBuilder {
    index: PlaceIndex,
    points: Vec<SpherePoint>,
}

impl IndexBuilder {
    pub fn new(reference: Arc<Reference>) -> Self {
        let index = PlaceIndex {
            reference,
            entries: Vec::new(),
            by_id: HashMap::new(),
            tree: RTree::new(),
            status_counts: [0; 3],
            schedules: ScheduleTable::default(),
            audiences: AudienceTable::default(),
            last_change: 0,
        };
        Self {
            index,
            points: Vec::new(),
        }
    }

    /// Records that the places pushed reflect at least the store's change `change_no`.
    pub fn set_last_change(&mut self, change_no: i64) {
        self.index.last_change = change_no;
    }

    /// Adds a place not seen before, after every place already added.
    pub fn push(&mut self, place: Place) {
        let slot = self.index.push(place);
        self.points.push(self.index.sphere_point(slot));
    }

    pub fn finish(mut self) -> PlaceIndex {
        self.index.entries.shrink_to_fit();
        self.index.tree = RTree::bulk_load(self.points);
        self.index
    }
}

fn status_slot(status: Status) -> usize {
    match status {
        Status::Draft => 0,
        Status::Published => 1,
        Status::Archived => 2,
    }
}
