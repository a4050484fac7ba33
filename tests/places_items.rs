//! A client's story of `/api/collections/places/items`: listing, paging, every filter, near
//! search, single items, and what residents must never see.

mod common;

use common::{TestServer, coords, haversine_m};
use serde_json::Value;
use std::collections::HashSet;
use tsunagari::domain::Status;

const ITEMS: &str = "/api/collections/places/items";

fn published_count(s: &TestServer) -> u64 {
    s.places.read().count_with_status(Status::Published) as u64
}

#[tokio::test]
async fn lists_only_published_places_as_geojson() {
    let s = TestServer::start().await;
    let a = s.get(ITEMS).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/geo+json");
    assert_eq!(a.body["type"], "FeatureCollection");
    assert_eq!(a.matched(), published_count(&s));
    assert!(
        a.matched() >= 80 && a.matched() < 100,
        "the sample has drafts and archived places"
    );
    assert_eq!(
        a.body["numberReturned"].as_u64().unwrap() as usize,
        a.features().len()
    );
    for f in a.features() {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        assert_eq!(f["properties"]["status"], "published");
        assert_eq!(f["properties"]["sample"], true, "sample data says so");
        assert!(uuid::Uuid::parse_str(f["id"].as_str().unwrap()).is_ok());
        assert!(
            f["properties"].get("updated_by").is_none(),
            "staff bookkeeping stays private"
        );
        let [lon, lat] = coords(f);
        assert!((136.0..136.25).contains(&lon) && (34.5..34.75).contains(&lat));
    }
}

#[tokio::test]
async fn paging_visits_every_match_exactly_once_and_keeps_the_parameters() {
    let s = TestServer::start().await;
    let mut url = s.url(&format!(
        "{ITEMS}?limit=7&category=kayoinoba,exercise,salon"
    ));
    let mut seen = Vec::new();
    let mut matched = None;
    loop {
        let a = s.get_url(&url).await;
        assert_eq!(a.status, 200);
        assert!(a.features().len() <= 7);
        matched.get_or_insert(a.matched());
        assert_eq!(
            Some(a.matched()),
            matched,
            "numberMatched is stable across pages"
        );
        seen.extend(
            a.features()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_owned()),
        );
        match a.link("next") {
            Some(n) => {
                assert!(
                    n.contains("limit=7") && n.contains("category=kayoinoba%2Cexercise%2Csalon"),
                    "{n}"
                );
                url = n;
            }
            None => break,
        }
    }
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no place twice");
    assert_eq!(seen.len() as u64, matched.unwrap(), "every match once");
    assert!(seen.len() > 14, "more than two pages were walked");
}

#[tokio::test]
async fn offset_past_the_end_is_an_empty_page_not_an_error() {
    let s = TestServer::start().await;
    let a = s.get(&format!("{ITEMS}?offset=9223372036854775808")).await;
    assert_eq!(a.status, 200);
    assert!(a.features().is_empty());
    assert_eq!(a.matched(), published_count(&s));
    assert!(a.link("next").is_none());
}

#[tokio::test]
async fn bbox_returns_exactly_the_places_inside() {
    let s = TestServer::start().await;
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let (w, so, e, n) = (136.08, 34.60, 136.12, 34.64);
    let expected: HashSet<String> = all
        .features()
        .iter()
        .filter(|f| {
            let [lon, lat] = coords(f);
            (w..=e).contains(&lon) && (so..=n).contains(&lat)
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.features().len());
    let a = s
        .get(&format!("{ITEMS}?bbox={w},{so},{e},{n}&limit=10000"))
        .await;
    let got: HashSet<String> = a
        .features()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(a.matched() as usize, expected.len());
    // Six numbers (with heights) mean the same box.
    let six = s
        .get(&format!("{ITEMS}?bbox={w},{so},0,{e},{n},100&limit=10000"))
        .await;
    assert_eq!(six.matched(), a.matched());
}

#[tokio::test]
async fn category_and_area_filters_match_any_of_the_codes() {
    let s = TestServer::start().await;
    let a = s
        .get(&format!("{ITEMS}?category=salon,kodomo_shokudo&limit=1000"))
        .await;
    assert!(a.matched() > 0);
    for f in a.features() {
        let c = f["properties"]["category"].as_str().unwrap();
        assert!(c == "salon" || c == "kodomo_shokudo", "{c}");
    }
    let salons = s.get(&format!("{ITEMS}?category=salon")).await.matched();
    let shokudo = s
        .get(&format!("{ITEMS}?category=kodomo_shokudo"))
        .await
        .matched();
    assert_eq!(a.matched(), salons + shokudo);

    let area = s.get(&format!("{ITEMS}?area=nabari&limit=1000")).await;
    assert!(area.matched() > 0);
    assert!(
        area.features()
            .iter()
            .all(|f| f["properties"]["area"] == "nabari")
    );
    // Both filters: exactly the salons of the area, and not none (an empty answer would
    // satisfy every per-feature check below).
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let expected: HashSet<String> = all
        .features()
        .iter()
        .filter(|f| f["properties"]["area"] == "nabari" && f["properties"]["category"] == "salon")
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(expected.len() >= 2, "the sample has salons in 名張");
    let both = s
        .get(&format!("{ITEMS}?area=nabari&category=salon&limit=1000"))
        .await;
    assert_eq!(both.matched() as usize, expected.len());
    let got: HashSet<String> = both
        .features()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected);
    for f in both.features() {
        assert_eq!(f["properties"]["area"], "nabari");
        assert_eq!(f["properties"]["category"], "salon");
    }
}

#[tokio::test]
async fn text_search_ignores_kana_width_and_finds_every_word() {
    let s = TestServer::start().await;
    let katakana = s.get(&format!("{ITEMS}?q=サロン")).await;
    assert!(katakana.matched() > 0);
    assert!(katakana.names().iter().any(|n| n.contains("サロン")));
    for variant in ["さろん", "ｻﾛﾝ", "%E3%80%80サロン%20"] {
        let a = s.get(&format!("{ITEMS}?q={variant}")).await;
        assert_eq!(a.matched(), katakana.matched(), "{variant}");
    }
    // Every word must match: a Tuesday salon is a salon.
    let tuesday = s.get(&format!("{ITEMS}?q=サロン 火曜")).await;
    assert!(tuesday.matched() > 0 && tuesday.matched() < katakana.matched());
    let none = s.get(&format!("{ITEMS}?q=存在しない場所の名前")).await;
    assert_eq!(none.status, 200);
    assert_eq!(none.matched(), 0);
}

fn distances(a: &common::Answer) -> Vec<f64> {
    a.features()
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().expect("distance_m"))
        .collect()
}

#[tokio::test]
async fn near_with_radius_sorts_by_distance_and_keeps_only_places_within() {
    let s = TestServer::start().await;
    let centre = [136.103, 34.6235];
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let expected = all
        .features()
        .iter()
        .filter(|f| haversine_m(centre, coords(f)) <= 2000.0)
        .count();
    let a = s
        .get(&format!(
            "{ITEMS}?near={},{}&radius=2000&limit=10000",
            centre[0], centre[1]
        ))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.matched() as usize, expected);
    assert!(expected > 3);
    let d = distances(&a);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first: {d:?}");
    for (f, reported) in a.features().iter().zip(&d) {
        let own = haversine_m(centre, coords(f));
        assert!(*reported <= 2000.0 + 0.05);
        assert!(
            (own - reported).abs() < 0.1,
            "distance_m {reported} vs haversine {own}"
        );
    }
}

#[tokio::test]
async fn near_without_radius_ranks_every_place_and_pages_in_distance_order() {
    let s = TestServer::start().await;
    let first = s.get(&format!("{ITEMS}?near=136.12,34.65&limit=5")).await;
    assert_eq!(first.matched(), published_count(&s));
    let second = s.get_url(&first.link("next").expect("next page")).await;
    let mut d = distances(&first);
    d.extend(distances(&second));
    assert_eq!(d.len(), 10);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    // They are the ten nearest, as a brute-force haversine scan of every place says: the same
    // distances, and no place left out that is nearer than the tenth.
    let centre = [136.12, 34.65];
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let mut scan: Vec<(f64, String)> = all
        .features()
        .iter()
        .map(|f| {
            (
                haversine_m(centre, coords(f)),
                f["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    scan.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (got, want) in d.iter().zip(&scan) {
        assert!(
            (got - want.0).abs() < 0.1,
            "{got} vs brute force {}",
            want.0
        );
    }
    let tenth = scan[9].0;
    let returned: HashSet<String> = first
        .features()
        .iter()
        .chain(second.features())
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    for (dist, id) in scan.iter().filter(|(dist, _)| *dist < tenth - 0.1) {
        assert!(
            returned.contains(id),
            "{id} at {dist} m is nearer than the tenth"
        );
    }
    // Filters combine with near.
    let salons = s
        .get(&format!("{ITEMS}?near=136.12,34.65&category=salon&limit=3"))
        .await;
    assert_eq!(salons.features().len(), 3);
    assert!(
        salons
            .features()
            .iter()
            .all(|f| f["properties"]["category"] == "salon")
    );
    let mut salon_scan: Vec<f64> = all
        .features()
        .iter()
        .filter(|f| f["properties"]["category"] == "salon")
        .map(|f| haversine_m(centre, coords(f)))
        .collect();
    salon_scan.sort_by(f64::total_cmp);
    for (got, want) in distances(&salons).iter().zip(&salon_scan) {
        assert!(
            (got - want).abs() < 0.1,
            "salon at {got} m, brute force {want}"
        );
    }
}

#[tokio::test]
async fn single_item_has_links_and_unknown_or_private_ids_are_not_found() {
    let s = TestServer::start().await;
    let list = s.get(&format!("{ITEMS}?limit=1")).await;
    let id = list.features()[0]["id"].as_str().unwrap().to_owned();
    let a = s.get(&format!("{ITEMS}/{id}")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/geo+json");
    assert_eq!(a.body["id"], id.as_str());
    assert_eq!(a.link("self").unwrap(), s.url(&format!("{ITEMS}/{id}")));
    assert!(a.link("collection").is_some());

    s.get(&format!("{ITEMS}/00000000-0000-0000-0000-000000000000"))
        .await
        .assert_problem(404);
    s.get(&format!("{ITEMS}/not-a-uuid"))
        .await
        .assert_problem(404);

    // A draft and an archived place answer exactly like an unknown id.
    let hidden: Vec<(String, Status)> = s
        .places
        .read()
        .entries()
        .filter(|e| e.status != Status::Published)
        .map(|e| (e.id.to_string(), e.status))
        .collect();
    assert!(hidden.iter().any(|(_, st)| *st == Status::Draft));
    assert!(hidden.iter().any(|(_, st)| *st == Status::Archived));
    let unknown = s
        .get(&format!("{ITEMS}/00000000-0000-0000-0000-000000000000"))
        .await;
    for (id, _) in &hidden {
        let a = s.get(&format!("{ITEMS}/{id}")).await;
        a.assert_problem(404);
        assert_eq!(a.body["title"], unknown.body["title"]);
        let listed = s.get(&format!("{ITEMS}?limit=10000")).await;
        assert!(!listed.features().iter().any(|f| f["id"] == id.as_str()));
    }
}

#[tokio::test]
async fn drafts_and_archived_places_need_a_staff_session() {
    let s = TestServer::start().await;
    for status in ["draft", "archived", "published,draft"] {
        s.get(&format!("{ITEMS}?status={status}"))
            .await
            .assert_problem(401);
    }
    let published = s.get(&format!("{ITEMS}?status=published")).await;
    assert_eq!(published.matched(), published_count(&s));
}

/// Every malformed parameter answers 400 problem+json naming the parameter.
#[tokio::test]
async fn malformed_parameters_answer_400_naming_the_parameter() {
    let s = TestServer::start().await;
    let cases: &[(&str, &str)] = &[
        ("bbox=1,2,3", "bbox"),
        ("bbox=1,2,3,4,5", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=NaN,34,137,35", "bbox"),
        ("bbox=136,inf,137,35", "bbox"),
        ("bbox=136,34,1e309,35", "bbox"),
        ("bbox=136,34,137,91", "bbox"),
        ("bbox=181,34,182,35", "bbox"),
        ("bbox=136,35,137,34", "bbox"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=18446744073709551616", "offset"),
        ("near=NaN,34", "near"),
        ("near=inf,34", "near"),
        ("near=1e309,34", "near"),
        ("near=136", "near"),
        ("near=136,34,5", "near"),
        ("near=136,91", "near"),
        ("near=181,34", "near"),
        ("radius=500", "radius"),
        ("near=136,34&radius=-1", "radius"),
        ("near=136,34&radius=0", "radius"),
        ("near=136,34&radius=NaN", "radius"),
        ("near=136,34&radius=1e309", "radius"),
        ("near=136,34&radius=abc", "radius"),
        ("near=136,34&radius=100001", "radius"),
        ("category=no_such_category", "category"),
        ("category=salon,nope", "category"),
        ("area=atlantis", "area"),
        ("status=deleted", "status"),
        ("f=xml", "f"),
        ("color=red", "color"),
        ("limit=1&limit=2", "limit"),
        ("q=%00", "q"),
    ];
    for (query, parameter) in cases {
        let a = s.get(&format!("{ITEMS}?{query}")).await;
        let problem = a.assert_problem(400);
        assert_eq!(problem["parameter"], *parameter, "{query}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().starts_with(parameter),
            "{query}: {problem}"
        );
        assert_eq!(problem["type"], "urn:tsunagari:problem:invalid-parameter");
    }
    let long = "あ".repeat(201);
    s.get(&format!("{ITEMS}?q={long}"))
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn empty_parameters_mean_no_filter() {
    let s = TestServer::start().await;
    let a = s
        .get(&format!("{ITEMS}?q=&category=&area=&bbox=&limit="))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.matched(), published_count(&s));
    let _: &Vec<Value> = a.features();
}
