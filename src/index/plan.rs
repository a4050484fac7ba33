//! Query planning: which places a query looks at, and in what order it answers.
//!
//! A filter is mostly sets: the places of a status, of the categories asked for, of the areas,
//! holding the words (see [`super::text`]). Their intersection is computed first — set
//! algebra over compressed bitmaps, never a pass over every place — and the per-place tests
//! that no set answers (`datetime`; `open_at`, a look-up per place in a table computed once
//! per distinct schedule) run only on what is left. Space comes last and depends on how many candidates are left:
//!
//! - `near` with few candidates (a rare word, a filter that matches nothing): the distance of
//!   each candidate is computed directly and the nearest are selected, instead of walking the
//!   R-tree outwards past every place that fails the filter;
//! - `near` with many candidates: the R-tree is walked outwards and each place is tested for
//!   membership of the candidate set (a bitmap look-up);
//! - `bbox`: with few candidates, each is tested against the box; otherwise the box is asked of
//!   the R-tree and intersected with the candidates.
//!
//! Order: with `near`, results are by distance (a map's user asked for what is near; a text
//! query there narrows, it does not reorder). Without `near`, a text query ranks its results
//! (exact name, name prefix, name, reading, other fields; registration order within each),
//! and anything else is in registration order. Both orders are fixed for a given index, so
//! paging with `next` visits each match once.

use super::rank::Tier;
use super::text::Terms;
use super::{Filter, Hit, Near, Page, PlaceIndex, PlaceQuery};
use crate::domain::BBox;
use crate::domain::location::chord_squared;
use roaring::RoaringBitmap;
use rstar::AABB;
use std::cmp::Ordering;
use std::ops::ControlFlow;

/// Up to this many candidates, `near` and `bbox` test each candidate directly rather than
/// asking the R-tree. A direct test costs one distance per candidate (≈ 20–40 ns); walking the
/// tree costs, for k results among candidates that are a fraction f of all places, about k / f
/// places visited — so the direct test also wins beyond this while candidates² < k · places ·
/// [`DIRECT_FACTOR`].
const DIRECT_MAX: u64 = 4096;
const DIRECT_FACTOR: u64 = 16;

impl PlaceIndex {
    /// The places passing every part of `filter` that sets answer, then its per-place tests.
    /// `None` when the filter names nothing but statuses (every place of those statuses).
    pub(super) fn candidates(
        &self,
        filter: &Filter,
        terms: Option<&Terms>,
    ) -> Option<RoaringBitmap> {
        if filter.categories.is_empty()
            && filter.areas.is_empty()
            && terms.is_none_or(Terms::is_empty)
            && !filter.tests_each_place()
        {
            return None;
        }
        let mut set = self.facets.with_statuses(&filter.statuses);
        if !filter.categories.is_empty() {
            set &= self.facets.in_categories(&filter.categories);
        }
        if !filter.areas.is_empty() {
            set &= self.facets.in_areas(&filter.areas);
        }
        if let Some(terms) = terms.filter(|t| !t.is_empty()) {
            let facets = &self.facets;
            let labels = |term: &str| {
                let mut more = facets.category_label_holds(term);
                for other in [
                    facets.area_label_holds(term),
                    facets.schedule_label_holds(term),
                ]
                .into_iter()
                .flatten()
                {
                    more = Some(match more {
                        Some(m) => m | other,
                        None => other,
                    });
                }
                more
            };
            set = self.text.matching(terms, &labels, Some(&set));
        }
        if filter.tests_each_place() {
            // Whether each distinct schedule is open in the window: once per query, not per
            // place.
            let open = filter.open.map(|w| self.schedules.open_in(&w));
            // Likewise whether each distinct audience list admits the audience asked for.
            let audience = filter
                .audience
                .as_deref()
                .map(|a| self.audiences.admitting(a));
            set.retain(|slot| {
                self.matches(
                    self.entry(slot),
                    filter,
                    open.as_deref().map(Vec::as_slice),
                    audience.as_deref(),
                )
            });
        }
        Some(set)
    }

    /// The candidates inside `bbox`.
    fn inside(&self, mut set: RoaringBitmap, bbox: BBox) -> RoaringBitmap {
        if set.len() <= DIRECT_MAX {
            set.retain(|slot| bbox.contains(self.entry(slot).location));
            return set;
        }
        // The envelopes hold every point of the box and some outside it (a box on the sphere
        // is not a box in 3-D): membership is decided by the box itself.
        let mut in_box = RoaringBitmap::new();
        for (lo, hi) in bbox.unit_vector_envelopes() {
            in_box.extend(
                self.tree
                    .locate_in_envelope(AABB::from_corners(lo, hi))
                    .map(|p| p.slot)
                    .filter(|&slot| bbox.contains(self.entry(slot).location)),
            );
        }
        set & in_box
    }

    /// Answers a query whose filter is a set of candidates.
    pub(super) fn query_candidates(
        &self,
        q: &PlaceQuery,
        terms: Option<&Terms>,
        mut set: RoaringBitmap,
    ) -> Page {
        if let Some(bbox) = q.bbox {
            set = self.inside(set, bbox);
        }
        if let Some(near) = q.near {
            return self.near_among(near, q, &set);
        }
        let matched = set.len() as usize;
        let wanted = q.offset.saturating_add(q.limit);
        let mut slots: Vec<u32> = Vec::with_capacity(q.limit.min(matched));
        match terms.filter(|t| !t.is_empty()) {
            Some(terms) => {
                let mut n = 0;
                self.text.ranked_each(terms, &set, Tier::Other, |_, slot| {
                    n += 1;
                    if n > q.offset {
                        slots.push(slot);
                    }
                    if n >= wanted {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                });
            }
            None => slots.extend(set.iter().skip(q.offset).take(q.limit)),
        }
        let hits = slots
            .into_iter()
            .map(|slot| Hit {
                slot,
                distance_m: None,
            })
            .collect();
        Page { matched, hits }
    }

    /// `near` among a set of candidates: their distances computed directly when they are few,
    /// else the R-tree walked outwards with a membership test.
    fn near_among(&self, near: Near, q: &PlaceQuery, set: &RoaringBitmap) -> Page {
        let wanted = q.offset.saturating_add(q.limit);
        let n = set.len();
        let direct = n <= DIRECT_MAX
            || n.saturating_mul(n)
                <= DIRECT_FACTOR
                    .saturating_mul(wanted as u64)
                    .saturating_mul(self.len() as u64);
        if !direct {
            let mut page = self.query_near(near, q, |slot| set.contains(slot));
            if near.radius.is_none() {
                page.matched = n as usize;
            }
            return page;
        }
        let centre = near.point;
        let radius = near.radius.map(|r| r.metres());
        let mut found: Vec<(f64, u32)> = set
            .iter()
            .map(|slot| (self.entry(slot).location.distance_m(centre), slot))
            .filter(|&(d, _)| radius.is_none_or(|r| d <= r))
            .collect();
        let matched = found.len();
        Page {
            matched,
            hits: nearest_page(&mut found, q.offset, wanted),
        }
    }

    /// `near` over every place of the filter's statuses: the R-tree walked outwards.
    pub(super) fn query_near(
        &self,
        near: Near,
        q: &PlaceQuery,
        keep: impl Fn(u32) -> bool,
    ) -> Page {
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
                // Every place of the statuses asked for; a caller with a narrower set
                // replaces this with its size.
                matched = q
                    .filter
                    .statuses
                    .iter()
                    .map(|&s| self.count_with_status(s))
                    .sum();
            }
        }
        Page {
            matched,
            hits: nearest_page(&mut found, q.offset, wanted),
        }
    }
}

/// The hits `offset..wanted` of `found` in great-circle order, ties by registration order.
fn nearest_page(found: &mut Vec<(f64, u32)>, offset: usize, wanted: usize) -> Vec<Hit> {
    let by_distance =
        |a: &(f64, u32), b: &(f64, u32)| -> Ordering { a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)) };
    if wanted < found.len() {
        found.select_nth_unstable_by(wanted, by_distance);
        found.truncate(wanted);
    }
    found.sort_unstable_by(by_distance);
    found
        .iter()
        .skip(offset)
        .map(|&(d, slot)| Hit {
            slot,
            distance_m: Some(d),
        })
        .collect()
}
