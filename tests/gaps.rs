//! Where to walk next: the towns with no published 通いの場 or サロン within walking distance,
//! as staff see them — checked against a brute-force haversine scan, and changed at once by a
//! new place.

mod common;

use common::{TestServer, coords, haversine_m};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tsunagari::domain::Role;

/// Town (name and 小字) → distance to the nearest published place of the categories, by a
/// plain haversine scan over the public API's answer.
async fn brute_force(s: &TestServer, categories: &str) -> BTreeMap<String, Option<f64>> {
    let places = s
        .get(&format!(
            "/api/collections/places/items?limit=10000&category={categories}"
        ))
        .await;
    let points: Vec<[f64; 2]> = places.features().iter().map(coords).collect();
    assert!(!points.is_empty());
    let index = s.places.read();
    index
        .reference()
        .towns()
        .iter()
        .map(|t| {
            let here = [t.point.lon(), t.point.lat()];
            let nearest = points
                .iter()
                .map(|p| haversine_m(here, *p))
                .min_by(f64::total_cmp);
            (key(&t.name, t.koaza.as_deref()), nearest)
        })
        .collect()
}

fn key(name: &str, koaza: Option<&str>) -> String {
    format!(
        "{name}{}",
        koaza.map(|k| format!("（{k}）")).unwrap_or_default()
    )
}

fn listed(answer: &Value) -> BTreeMap<String, Option<f64>> {
    answer["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                key(t["name"].as_str().unwrap(), t["koaza"].as_str()),
                t["nearest"]["distance_m"].as_f64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_towns_listed_are_exactly_those_with_no_such_place_within_walking_distance() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let everywhere = brute_force(&s, "kayoinoba,salon").await;
    assert_eq!(everywhere.len(), 183, "Nabari's towns");
    for within in [500.0, 1000.0] {
        let a = staff.get(&format!("/api/gaps?within={within}")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.headers["cache-control"], "private, no-store");
        assert_eq!(a.body["towns_total"], 183);
        let got = listed(&a.body);
        let expected: BTreeMap<String, Option<f64>> = everywhere
            .iter()
            .filter(|(_, d)| d.is_none_or(|d| d > within))
            .map(|(k, d)| (k.clone(), *d))
            .collect();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "within {within} m"
        );
        for (town, d) in &got {
            let want = expected[town].unwrap();
            assert!((d.unwrap() - want).abs() < 0.2, "{town}: {d:?} vs {want}");
        }
        // The farthest first.
        let distances: Vec<f64> = a.body["towns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["nearest"]["distance_m"].as_f64().unwrap())
            .collect();
        assert!(distances.windows(2).all(|w| w[0] >= w[1]), "{distances:?}");
        assert!(
            !got.is_empty() && got.len() < 183,
            "some towns, not all: {}",
            got.len()
        );
        assert!(
            a.body["attribution"]
                .as_str()
                .unwrap()
                .contains("CC BY 4.0")
        );
    }
    let wide = listed(&staff.get("/api/gaps?within=1000").await.body);
    let near = listed(&staff.get("/api/gaps?within=500").await.body);
    assert!(
        wide.keys().all(|k| near.contains_key(k)),
        "1 km gaps are 500 m gaps too"
    );
}

#[tokio::test]
async fn a_salon_opened_in_a_gap_closes_it_at_once() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let before = staff.get("/api/gaps").await;
    let first = &before.body["towns"][0];
    let (name, point) = (
        first["name"].as_str().unwrap().to_owned(),
        first["point"].clone(),
    );
    let a = staff
        .write(
            Method::POST,
            "/api/collections/places/items",
            None,
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {"name": "まち歩きで見つけたサロン", "category": "salon", "status": "published"}
            })),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let after = staff.get("/api/gaps").await;
    assert!(
        !listed(&after.body).contains_key(&key(&name, first["koaza"].as_str())),
        "{name} is no longer a gap"
    );
    // Another category asked for: the new salon does not count.
    let volunteers = staff.get("/api/gaps?category=volunteer").await;
    assert_eq!(volunteers.status, 200);
    assert_eq!(volunteers.body["categories"], json!(["volunteer"]));
}

#[tokio::test]
async fn only_staff_see_it_and_bad_parameters_are_named() {
    let s = TestServer::start().await;
    s.get("/api/gaps").await.assert_problem(401);
    let link = s.session_as(Role::Linkworker).await;
    link.get("/api/gaps").await.assert_problem(403);
    let staff = s.session_as(Role::Staff).await;
    for (query, parameter) in [
        ("within=50", "within"),
        ("within=abc", "within"),
        ("within=NaN", "within"),
        ("within=5001", "within"),
        ("category=nope", "category"),
        ("within=500&within=600", "within"),
        ("radius=500", "radius"),
    ] {
        let a = staff.get(&format!("/api/gaps?{query}")).await;
        assert_eq!(a.assert_problem(400)["parameter"], parameter, "{query}");
    }
}
