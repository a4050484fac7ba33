//! The index must answer exactly as a brute-force haversine scan would, anywhere in Japan:
//! the same places within a radius (points right on the edge included), in the same order,
//! and the same k nearest. Properties over random points, 256 cases by default
//! (`PROPTEST_CASES=10000` for a long local run).

use proptest::prelude::*;
use std::sync::Arc;
use time::OffsetDateTime;
use tsunagari::domain::{BBox, LonLat, Place, PlaceInput, Radius, Reference};
use tsunagari::index::{Filter, Near, PlaceIndex, PlaceQuery};
use uuid::Uuid;

const CATEGORIES: [&str; 3] = ["salon", "kayoinoba", "exercise"];

fn japan_point() -> impl Strategy<Value = (f64, f64)> {
    (122.0..154.0f64, 24.0..46.0f64)
}

/// Places clustered around a few centres, as real data is, plus some scattered ones.
fn places() -> impl Strategy<Value = Vec<(f64, f64, usize)>> {
    (
        japan_point(),
        prop::collection::vec(
            (-0.05..0.05f64, -0.05..0.05f64, 0..3usize, any::<bool>()),
            1..300,
        ),
    )
        .prop_flat_map(|((clon, clat), offsets)| {
            let clustered: Vec<(f64, f64, usize)> = offsets
                .iter()
                .map(|&(dx, dy, c, _)| {
                    (
                        (clon + dx).clamp(122.0, 154.0),
                        (clat + dy).clamp(24.0, 46.0),
                        c,
                    )
                })
                .collect();
            (
                Just(clustered),
                prop::collection::vec((japan_point(), 0..3usize), 0..40),
            )
        })
        .prop_map(|(mut clustered, scattered)| {
            clustered.extend(scattered.into_iter().map(|((lon, lat), c)| (lon, lat, c)));
            clustered
        })
}

fn build(points: &[(f64, f64, usize)]) -> PlaceIndex {
    let reference = Arc::new(Reference::builtin());
    let now = OffsetDateTime::now_utc();
    let places: Vec<Place> = points
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat, c))| Place {
            id: Uuid::new_v4(),
            version: 1,
            fields: PlaceInput {
                name: Some(format!("place {i}")),
                category: Some(CATEGORIES[c].into()),
                location: Some((lon, lat)),
                status: Some("published".into()),
                ..Default::default()
            }
            .validate(&reference)
            .expect("valid"),
            created_at: now,
            updated_at: now,
            updated_by: "test".into(),
        })
        .collect();
    PlaceIndex::build(reference, places)
}

fn near_query(
    centre: LonLat,
    radius: Option<f64>,
    limit: usize,
    categories: Vec<u16>,
) -> PlaceQuery {
    PlaceQuery {
        bbox: None,
        near: Some(Near {
            point: centre,
            radius: radius.map(|r| Radius::new(r).unwrap()),
        }),
        filter: Filter {
            categories,
            ..Filter::published()
        },
        offset: 0,
        limit,
    }
}

/// The brute-force answer: every place within `radius` (or all), by (distance, slot).
fn brute_force(
    points: &[(f64, f64, usize)],
    centre: LonLat,
    radius: Option<f64>,
    category: Option<usize>,
) -> Vec<(u32, f64)> {
    let mut all: Vec<(u32, f64)> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| category.is_none_or(|c| p.2 == c))
        .map(|(i, &(lon, lat, _))| (i as u32, centre.distance_m(LonLat::new(lon, lat).unwrap())))
        .filter(|&(_, d)| radius.is_none_or(|r| d <= r))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all
}

fn answer(index: &PlaceIndex, q: &PlaceQuery) -> (usize, Vec<(u32, f64)>) {
    let page = index.query(q);
    (
        page.matched,
        page.hits
            .iter()
            .map(|h| (h.slot, h.distance_m.unwrap()))
            .collect(),
    )
}

proptest! {
    #[test]
    fn radius_search_equals_brute_force(points in places(), centre in japan_point(), r in 10.0..100_000.0f64) {
        let index = build(&points);
        let centre = LonLat::new(centre.0, centre.1).unwrap();
        let expected = brute_force(&points, centre, Some(r), None);
        let (matched, got) = answer(&index, &near_query(centre, Some(r), 10_000, vec![]));
        prop_assert_eq!(matched, expected.len());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn a_place_exactly_on_the_radius_is_in_and_just_beyond_is_out(
        points in places(), pick in any::<prop::sample::Index>(), offset in (-0.06..0.06f64, -0.06..0.06f64)
    ) {
        let index = build(&points);
        let (lon, lat, _) = points[pick.index(points.len())];
        let centre = LonLat::new((lon + offset.0).clamp(122.0, 154.0), (lat + offset.1).clamp(24.0, 46.0)).unwrap();
        let edge = centre.distance_m(LonLat::new(lon, lat).unwrap());
        prop_assume!(edge > 0.0 && edge <= 100_000.0);
        for r in [edge, edge.next_down(), edge.next_up()] {
            prop_assume!(r > 0.0 && r <= 100_000.0);
            let expected = brute_force(&points, centre, Some(r), None);
            let (_, got) = answer(&index, &near_query(centre, Some(r), 10_000, vec![]));
            prop_assert_eq!(got, expected, "radius {}", r);
        }
    }

    #[test]
    fn k_nearest_equals_brute_force(points in places(), centre in japan_point(), k in 1..30usize, offset in 0..10usize) {
        let index = build(&points);
        let centre = LonLat::new(centre.0, centre.1).unwrap();
        let expected = brute_force(&points, centre, None, None);
        let mut q = near_query(centre, None, k, vec![]);
        q.offset = offset;
        let (matched, got) = answer(&index, &q);
        prop_assert_eq!(matched, points.len());
        let want: Vec<(u32, f64)> = expected.into_iter().skip(offset).take(k).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn k_nearest_with_a_category_equals_brute_force(points in places(), centre in japan_point(), k in 1..20usize, c in 0..3usize) {
        let index = build(&points);
        let reference = Reference::builtin();
        let centre = LonLat::new(centre.0, centre.1).unwrap();
        let expected = brute_force(&points, centre, None, Some(c));
        let code = reference.category_index(CATEGORIES[c]).unwrap();
        let (matched, got) = answer(&index, &near_query(centre, None, k, vec![code]));
        prop_assert_eq!(matched, expected.len());
        prop_assert_eq!(got, expected.into_iter().take(k).collect::<Vec<_>>());
    }

    #[test]
    fn bbox_equals_brute_force(points in places(), a in japan_point(), size in (0.001..3.0f64, 0.001..3.0f64)) {
        let index = build(&points);
        let (w, s) = a;
        let (e, n) = ((w + size.0).min(154.0), (s + size.1).min(46.0));
        let bbox = BBox::new(LonLat::new(w, s).unwrap(), LonLat::new(e, n).unwrap()).unwrap();
        let expected: Vec<u32> = points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.0 >= w && p.0 <= e && p.1 >= s && p.1 <= n)
            .map(|(i, _)| i as u32)
            .collect();
        let q = PlaceQuery { bbox: Some(bbox), near: None, filter: Filter::published(), offset: 0, limit: 10_000 };
        let page = index.query(&q);
        prop_assert_eq!(page.matched, expected.len());
        prop_assert_eq!(page.hits.iter().map(|h| h.slot).collect::<Vec<_>>(), expected);
    }
}

#[test]
fn a_box_whose_edge_passes_through_a_place_holds_it() {
    let points = [(136.1, 34.6, 0), (136.2, 34.7, 0), (136.15, 34.65, 1)];
    let index = build(&points);
    let bbox = BBox::new(
        LonLat::new(136.1, 34.6).unwrap(),
        LonLat::new(136.2, 34.7).unwrap(),
    )
    .unwrap();
    let q = PlaceQuery {
        bbox: Some(bbox),
        near: None,
        filter: Filter::published(),
        offset: 0,
        limit: 10,
    };
    assert_eq!(index.query(&q).matched, 3);
}
