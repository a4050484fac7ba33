//! The read side: every query is answered from memory, never from the database.
//!
//! The index holds every place (drafts and archived ones too, for staff) in a slot that never
//! changes, an R-tree of unit vectors for space, an n-gram index of each place's normalised
//! text, the places of each status, category and area as sets, and each place's GeoJSON
//! already encoded. It is built from the store at start-up and updated by the write path
//! (`crate::places`) right after each commit; `plan` decides how a query uses the parts.

mod audiences;
mod facets;
mod feature;
mod gaps;
mod keys;
mod plan;
mod rank;
mod schedules;
mod spatial;
mod suggest;
pub mod text;

pub use feature::{PreparedFeature, PublicProperties, matched_member};
pub use rank::Tier;
pub use schedules::ScheduleId;
pub use text::{Field, FieldMask, Terms};

use crate::domain::schedule::{Lang, OpenWindow};
use crate::domain::spelling::Spellings;
use crate::domain::{BBox, LonLat, Place, Radius, Reference, Status, TimeRange, datetime};
use crate::readings::Readings;
use crate::store::PlaceChange;
use audiences::{AudienceId, AudienceTable};
use bytes::Bytes;
use chrono::NaiveDateTime;
use facets::{Facets, Filed};
use rstar::RTree;
use schedules::ScheduleTable;
use spatial::SpherePoint;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// One place in the index: only what queries test, and the place's GeoJSON. The full record
/// stays in the database, so that memory holds each text once (as encoded JSON) plus its
/// normalised form in the text index.
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

    /// Whether the filter tests each place with a predicate that no set of the index answers
    /// (`datetime`, `open_at`, `audience`): the planner applies such tests only to the places
    /// the sets leave. A new per-place filter must be named here, or it would be skipped.
    fn tests_each_place(&self) -> bool {
        self.updated.is_some() || self.open.is_some() || self.audience.is_some()
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
    text: text::TextIndex,
    facets: Facets,
    status_counts: [usize; 3],
    schedules: ScheduleTable,
    audiences: AudienceTable,
    /// The number of the latest change of the store's change log that this index reflects.
    last_change: i64,
}

impl PlaceIndex {
    /// Builds the index from places in registration order, without readings.
    pub fn build(reference: Arc<Reference>, places: impl IntoIterator<Item = Place>) -> Self {
        Self::build_with(reference, None, places)
    }

    /// Builds the index from places in registration order, with readings from `readings`.
    pub fn build_with(
        reference: Arc<Reference>,
        readings: Option<Arc<Readings>>,
        places: impl IntoIterator<Item = Place>,
    ) -> Self {
        let mut builder = IndexBuilder::new(reference, readings);
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
                let old_entry = &self.entries[slot as usize];
                self.status_counts[status_slot(old_entry.status)] -= 1;
                self.facets.remove(slot, old_entry.filed());
                self.text.set(slot, self.place_text(&place));
                let entry = self.make_entry(place);
                self.status_counts[status_slot(entry.status)] += 1;
                self.file_schedule(entry.schedule);
                self.facets.add(slot, entry.filed());
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
        self.text.set(slot, self.place_text(&place));
        let entry = self.make_entry(place);
        self.status_counts[status_slot(entry.status)] += 1;
        self.file_schedule(entry.schedule);
        self.facets.add(slot, entry.filed());
        self.entries.push(entry);
        slot
    }

    /// Gives a schedule seen for the first time its set and its labels for text search.
    fn file_schedule(&mut self, schedule: Option<ScheduleId>) {
        if let Some(id) = schedule.filter(|&id| !self.facets.knows_schedule(id)) {
            let (ja, en) = (
                self.schedules.words(id, Lang::Ja),
                self.schedules.words(id, Lang::En),
            );
            self.facets.add_schedule(id, ja, en);
        }
    }

    /// Every text of the place a resident might search for, normalised, field by field. The
    /// category's and area's names are searched through [`Facets`], not held per place.
    ///
    /// Without a `name_kana`, the reading is the name's reading from the dictionary, if one
    /// is loaded and the name holds a word it reads differently from how it is written: so a
    /// kana query finds a kanji name, and ranks it in the reading's tier, as if staff had
    /// typed the reading. Only the name is read: its reading is what a resident types to find
    /// a place, while reading descriptions and addresses would double the text the index holds
    /// for matches no one asked for (a query in kanji still finds kana in every field, by its
    /// reading: see [`text::TextIndex::terms`]).
    fn place_text(&self, place: &Place) -> text::PlaceText {
        let f = &place.fields;
        let n = |v: Option<&String>| -> Vec<String> {
            v.map(|s| crate::domain::text::normalize(s))
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect()
        };
        let list = |v: &[String]| -> Vec<String> { v.iter().flat_map(|s| n(Some(s))).collect() };
        let name = n(Some(&f.name));
        let mut reading = n(f.name_kana.as_ref());
        if let (true, Some(readings)) = (reading.is_empty(), self.text.readings()) {
            reading = n(Some(&readings.reading(&f.name)))
                .into_iter()
                .filter(|r| !name.contains(r))
                .collect();
        }
        text::PlaceText::new([
            name,
            reading,
            list(&f.tags),
            n(f.description.as_ref()),
            n(f.address.as_ref()),
            n(f.schedule_note.as_ref()),
            list(&f.audience),
        ])
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

    /// Whether a place passes the filter's per-place tests (the text is tested by the text
    /// index, not here). `open` is [`ScheduleTable::open_in`] for the filter's window and
    /// `audience` [`AudienceTable::admitting`] for its audience, each computed once per query.
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
            && filter.updated.is_none_or(|r| r.contains(entry.updated_at))
    }

    /// Answers a query: the page `offset..offset + limit` and the number matched in all.
    ///
    /// With `near`, results are in great-circle order (ties by registration order) and carry
    /// their distance; with `q` and no `near`, they are ranked (see [`Tier`]); otherwise
    /// they are in registration order, which never changes, so paging through a result visits
    /// each place exactly once. How each part of the index is used is decided in `plan`.
    pub fn query(&self, q: &PlaceQuery) -> Page {
        let terms = self.search_terms(&q.filter.terms);
        let terms = terms.as_ref();
        match (self.candidates(&q.filter, terms), q.near, q.bbox) {
            (Some(set), _, _) => self.query_candidates(q, terms, set),
            (None, Some(near), None) => {
                let statuses = &q.filter.statuses;
                self.query_near(near, q, |slot| statuses.contains(&self.entry(slot).status))
            }
            (None, _, _) => {
                let set = self.facets.with_statuses(&q.filter.statuses);
                self.query_candidates(q, None, set)
            }
        }
    }

    /// Approximate bytes the text index holds (its keys and gram sets), for benchmarks and logs.
    pub fn text_heap_bytes(&self) -> usize {
        self.text.heap_bytes()
    }

    /// A query's normalised words with their spellings (see [`Spellings`]); `None` for none.
    pub fn search_terms(&self, words: &[String]) -> Option<Terms> {
        (!words.is_empty()).then(|| self.text.terms(words))
    }

    /// Where a place holds the words of a query: its own fields, and its category's or area's
    /// name.
    pub fn matched_fields(&self, slot: u32, terms: &Terms) -> FieldMask {
        let entry = self.entry(slot);
        let mut mask = self.text.matched_fields(slot, terms);
        for term in terms.spellings() {
            let (category, area) = self.facets.label_fields(entry.category, entry.area, term);
            if category {
                mask |= Field::Category.bit();
            }
            if area {
                mask |= Field::Area.bit();
            }
            if self.facets.schedule_holds(entry.schedule, term) {
                mask |= Field::Schedule.bit();
            }
        }
        mask
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
    /// A builder; with `readings`, names without a `name_kana` are given their reading and
    /// query words in kanji are searched by theirs too.
    pub fn new(reference: Arc<Reference>, readings: Option<Arc<Readings>>) -> Self {
        let mut text = text::TextIndex::new(Spellings::builtin(), readings);
        text.begin_bulk();
        let index = PlaceIndex {
            text,
            facets: Facets::new(&reference),
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
        self.index.text.end_bulk();
        self.index.entries.shrink_to_fit();
        self.index.text.shrink_to_fit();
        self.index.tree = RTree::bulk_load(self.points);
        self.index
    }
}

use facets::status_slot;

impl Entry {
    /// The category's index in [`Reference::categories`].
    pub fn category(&self) -> u16 {
        self.category
    }

    fn filed(&self) -> Filed {
        Filed {
            status: self.status,
            category: self.category,
            area: self.area,
            schedule: self.schedule,
        }
    }
}
