//! What real OGC API – Features clients rely on beyond the basics: `datetime` (as GDAL and
//! QGIS send it), a `limit` above the maximum, a `bbox` across the antimeridian, `f=geojson`
//! on a single feature, CORS preflight, and the queryables.

mod common;

use common::{TestServer, coords};
use proptest::prelude::*;
use std::sync::Arc;
use time::OffsetDateTime;
use tsunagari::domain::{BBox, LonLat, Place, PlaceInput, Reference};
use tsunagari::index::{Filter, PlaceIndex, PlaceQuery};
use uuid::Uuid;

const ITEMS: &str = "/api/collections/places/items";

#[tokio::test]
async fn datetime_filters_on_updated_at_in_every_form_clients_send() {
    let s = TestServer::start().await;
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let total = all.matched();
    assert!(total > 0);
    // Every sample place was written at start-up, after 2020 and before 2262.
    let updated: Vec<String> = all
        .features()
        .iter()
        .map(|f| f["properties"]["updated_at"].as_str().unwrap().to_owned())
        .collect();
    let last = updated.iter().max().unwrap();
    let first = updated.iter().min().unwrap();

    for (datetime, expected) in [
        // GDAL 3.6 for -where "updated_at >= '2020-01-01'" (malformed, accepted).
        ("2020-01-01T%2F..", total),
        // QGIS 3.22 for the same filter.
        ("2020-01-01%2F9999-12-31T00:00:00Z", total),
        ("2020-01-01%2F..", total),
        ("..%2F2020-01-01", 0),
        ("2019-06-01", 0),
        ("2019-06-01T00:00:00Z", 0),
    ] {
        let a = s.get(&format!("{ITEMS}?datetime={datetime}")).await;
        assert_eq!(a.status, 200, "{datetime}: {}", a.body);
        assert_eq!(a.matched(), expected, "datetime={datetime}");
    }
    // Instants and closed intervals at the places' own times: applied, not ignored.
    let instant = s
        .get(&format!("{ITEMS}?datetime={}&limit=10000", enc(first)))
        .await;
    let at_first = updated.iter().filter(|u| *u == first).count() as u64;
    assert_eq!(instant.matched(), at_first);
    let both = s
        .get(&format!("{ITEMS}?datetime={}%2F{}", enc(first), enc(last)))
        .await;
    assert_eq!(both.matched(), total);
    // `next` keeps the filter.
    let paged = s
        .get(&format!("{ITEMS}?datetime=2020-01-01%2F..&limit=1"))
        .await;
    assert!(
        paged
            .link("next")
            .unwrap()
            .contains("datetime=2020-01-01%2F..")
    );

    for bad in [
        "yesterday",
        "2020-13-01",
        "2021-01-01%2F2020-01-01",
        "..",
        "2020-01-01T10:00",
    ] {
        let a = s.get(&format!("{ITEMS}?datetime={bad}")).await;
        a.assert_problem(400);
        assert_eq!(a.body["parameter"], "datetime", "{bad}");
    }

    // The collection states the temporal extent `datetime` applies to.
    let c = s.get("/api/collections/places").await;
    let temporal = &c.body["extent"]["temporal"];
    assert_eq!(temporal["interval"][0][0], first.as_str());
    assert_eq!(temporal["interval"][0][1], last.as_str());
    assert_eq!(
        temporal["trs"],
        "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
    );
}

fn enc(t: &str) -> String {
    t.replace(':', "%3A").replace('+', "%2B")
}

/// Part 1: a limit above the maximum is not an error; the links show the limit in force.
#[tokio::test]
async fn a_limit_above_the_maximum_is_clamped() {
    let s = TestServer::start().await;
    let a = s.get(&format!("{ITEMS}?limit=10001&category=salon")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let own = a.link("self").unwrap();
    assert!(own.contains("limit=10000"), "{own}");
    assert_eq!(
        a.matched(),
        s.get(&format!("{ITEMS}?category=salon")).await.matched()
    );
    assert_eq!(
        s.get(&format!("{ITEMS}?limit=99999999999999999999999"))
            .await
            .status,
        200
    );
    s.get(&format!("{ITEMS}?limit=0")).await.assert_problem(400);
}

/// A box whose west edge is east of its east edge crosses the antimeridian: around Nabari,
/// `136.10,…,136.09,…` is everything but a 0.01° strip, exactly as a scan of every place says.
#[tokio::test]
async fn a_bbox_across_the_antimeridian_answers_what_a_scan_finds() {
    let s = TestServer::start().await;
    let all = s.get(&format!("{ITEMS}?limit=10000")).await;
    let (west, south, east, north) = (136.10, 34.0, 136.09, 35.0);
    let expected: Vec<String> = all
        .features()
        .iter()
        .filter(|f| {
            let [lon, lat] = coords(f);
            (lon >= west || lon <= east) && (south..=north).contains(&lat)
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty() && (expected.len() as u64) < all.matched());
    let a = s
        .get(&format!(
            "{ITEMS}?bbox={west},{south},{east},{north}&limit=10000"
        ))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let got: Vec<String> = a
        .features()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected);
    let pacific = s.get(&format!("{ITEMS}?bbox=170,-10,-170,10")).await;
    assert_eq!(pacific.status, 200);
    assert_eq!(pacific.matched(), 0);
}

fn index_of(points: &[(f64, f64)]) -> PlaceIndex {
    let reference = Arc::new(Reference::builtin());
    let now = OffsetDateTime::now_utc();
    let places: Vec<Place> = points
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat))| {
            let mut fields = PlaceInput {
                name: Some(format!("place {i}")),
                category: Some("salon".into()),
                location: Some((136.1, 34.6)),
                status: Some("published".into()),
                ..Default::default()
            }
            .validate(&reference)
            .expect("valid");
            // Places are validated to lie in Japan; the index itself works on the whole
            // sphere, which is what is tested here.
            fields.location = LonLat::new(lon, lat).unwrap();
            Place {
                id: Uuid::new_v4(),
                version: 1,
                fields,
                created_at: now,
                updated_at: now,
                updated_by: "test".into(),
                origin: Default::default(),
            }
        })
        .collect();
    PlaceIndex::build(reference, places)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The index answers a box across the antimeridian exactly as a brute-force scan does,
    /// for places on both sides of it, ±180° included.
    #[test]
    fn index_bbox_across_the_antimeridian_matches_brute_force(
        points in prop::collection::vec(
            (prop_oneof![170.0..=180.0f64, -180.0..=-170.0f64, Just(180.0), Just(-180.0)],
             -30.0..30.0f64),
            1..200),
        west in 170.0..180.0f64,
        east in -180.0..-170.0f64,
        south in -30.0..0.0f64,
        north in 0.0..30.0f64,
    ) {
        let index = index_of(&points);
        let bbox = BBox::new(LonLat::new(west, south).unwrap(), LonLat::new(east, north).unwrap())
            .unwrap();
        let page = index.query(&PlaceQuery {
            bbox: Some(bbox),
            near: None,
            filter: Filter::published(),
            offset: 0,
            limit: 10_000,
        });
        let got: Vec<u32> = page.hits.iter().map(|h| h.slot).collect();
        let expected: Vec<u32> = points
            .iter()
            .enumerate()
            .filter(|(_, (lon, lat))| (*lon >= west || *lon <= east) && (south..=north).contains(lat))
            .map(|(i, _)| i as u32)
            .collect();
        prop_assert_eq!(page.matched, expected.len());
        prop_assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn a_single_feature_answers_f_geojson_like_the_list() {
    let s = TestServer::start().await;
    let id = s.first_place_id().await;
    for f in ["geojson", "json"] {
        let a = s.get(&format!("{ITEMS}/{id}?f={f}")).await;
        assert_eq!(a.status, 200, "f={f}: {}", a.body);
        assert_eq!(a.content_type, "application/geo+json");
        assert_eq!(a.body["id"], id.as_str());
    }
    s.get(&format!("{ITEMS}/{id}?f=xml"))
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn a_browser_preflight_for_public_reads_is_answered_without_credentials() {
    let s = TestServer::start().await;
    let preflight = |path: &str, method: &str| {
        s.client
            .request(reqwest::Method::OPTIONS, s.url(path))
            .header("Origin", "https://other.example.jp")
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", "accept-language")
            .send()
    };
    for path in [ITEMS, "/api/collections/places", "/api/categories"] {
        let a = preflight(path, "GET").await.unwrap();
        assert!(a.status().is_success(), "{path}: {}", a.status());
        let h = a.headers();
        assert_eq!(h["access-control-allow-origin"], "*", "{path}");
        let methods = h["access-control-allow-methods"].to_str().unwrap();
        assert!(
            methods.contains("GET") && !methods.contains("POST"),
            "{methods}"
        );
        assert!(
            h["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .contains("accept-language")
        );
        assert!(
            !h.contains_key("access-control-allow-credentials"),
            "{path}"
        );
        assert!(h.contains_key("content-security-policy"), "{path}");
    }
    // A preflight for a write gets no CORS allowance, so the browser will not send it.
    let write = preflight(ITEMS, "POST").await.unwrap();
    assert!(!write.headers().contains_key("access-control-allow-origin"));
    assert!(!write.headers().contains_key("access-control-allow-methods"));
    // Outside the public API, none either.
    let health = preflight("/healthz", "GET").await.unwrap();
    assert!(!health.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn queryables_describe_the_filters_and_are_linked_and_declared() {
    let s = TestServer::start().await;
    let a = s.get("/api/collections/places/queryables").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/schema+json");
    assert_eq!(a.body["type"], "object");
    let props = a.body["properties"].as_object().unwrap();
    for p in ["category", "area", "geometry", "updated_at"] {
        assert!(props.contains_key(p), "{p} not queryable");
    }
    let categories = s.get("/api/categories").await;
    let codes: Vec<&serde_json::Value> = categories
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["code"])
        .collect();
    assert_eq!(
        props["category"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        codes
    );
    // Each queryable property is a query parameter of …/items.
    let first = codes[0].as_str().unwrap();
    assert_eq!(
        s.get(&format!("{ITEMS}?category={first}")).await.status,
        200
    );

    let c = s.get("/api/collections/places").await;
    let link = c.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables")
        .expect("a queryables link");
    assert_eq!(link["href"], s.url("/api/collections/places/queryables"));
    assert_eq!(link["type"], "application/schema+json");

    let conformance = s.get("/api/conformance").await;
    let classes = conformance.body["conformsTo"].as_array().unwrap();
    assert!(
        classes
            .iter()
            .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables")
    );
}
