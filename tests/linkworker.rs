//! A link worker's search near a client (`POST /api/linkworker/search`) and the town list the
//! page looks addresses up in (`GET /api/towns`), as a client of the API meets them.

mod common;

use common::{Answer, Session, TestServer, haversine_m};
use reqwest::Method;
use serde_json::{Value, json};
use tsunagari::domain::Role;

const SEARCH: &str = "/api/linkworker/search";
/// Near 蔵持町原出, in the middle of the sample's places.
const CLIENT: [f64; 2] = [136.110089, 34.634653];

async fn search(session: &Session, body: Value) -> Answer {
    session
        .send(session.request(Method::POST, SEARCH).json(&body))
        .await
}

fn ids(a: &Answer) -> Vec<String> {
    a.features()
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .collect()
}

fn distances(a: &Answer) -> Vec<f64> {
    a.features()
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().expect("distance_m"))
        .collect()
}

/// The items route's answer to the same search, the reference this route must equal.
async fn items(s: &TestServer, params: &str) -> Answer {
    let a = s
        .get(&format!(
            "/api/collections/places/items?near={},{}&limit=10000{params}",
            CLIENT[0], CLIENT[1]
        ))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a
}

#[tokio::test]
async fn only_link_workers_staff_and_admins_may_search() {
    let s = TestServer::start().await;
    let body = json!({"near": CLIENT, "radius": 1000});
    for role in [Role::Linkworker, Role::Staff, Role::Admin] {
        let a = search(&s.session_as(role).await, body.clone()).await;
        assert_eq!(a.status, 200, "{role}: {}", a.body);
        assert!(!a.features().is_empty(), "{role}");
    }
    let anonymous = s
        .client
        .post(s.url(SEARCH))
        .json(&body)
        .send()
        .await
        .unwrap();
    common::answer_of(anonymous).await.assert_problem(401);

    s.add_user("leaver", Role::Linkworker).await;
    let leaver = s.login("leaver").await;
    assert_eq!(search(&leaver, body.clone()).await.status, 200);
    tsunagari::accounts::Accounts::new(
        s.places.store().clone(),
        tsunagari::accounts::AuthConfig::default(),
    )
    .disable("leaver")
    .await
    .unwrap();
    search(&leaver, body).await.assert_problem(401);
}

#[tokio::test]
async fn the_search_is_offered_only_as_a_post_body_and_never_kept_by_a_cache() {
    let s = TestServer::start().await;
    let lw = s.session_as(Role::Linkworker).await;
    let a = search(&lw, json!({"near": CLIENT})).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/geo+json");
    assert_eq!(a.headers["cache-control"], "no-store");
    // Not a public read: no CORS.
    assert!(!a.headers.contains_key("access-control-allow-origin"));
    assert_eq!(a.body["type"], "FeatureCollection");
    // No query-string form: a URL would carry the client's point into logs and histories.
    let by_url = lw
        .get(&format!("{SEARCH}?near={},{}", CLIENT[0], CLIENT[1]))
        .await;
    by_url.assert_problem(405);
    assert!(by_url.body.get("features").is_none());
}

#[tokio::test]
async fn results_are_in_the_items_routes_distance_order_within_the_radius() {
    let s = TestServer::start().await;
    let lw = s.session_as(Role::Linkworker).await;
    for radius in [300.0, 1500.0, 5000.0] {
        let a = search(&lw, json!({"near": CLIENT, "radius": radius, "limit": 200})).await;
        let reference = items(&s, &format!("&radius={radius}")).await;
        assert!(!a.features().is_empty(), "{radius} m finds something");
        assert_eq!(
            ids(&a),
            ids(&reference),
            "{radius} m: same places, same order"
        );
        assert_eq!(distances(&a), distances(&reference), "{radius} m");
        assert_eq!(a.matched(), reference.matched());
        for f in a.features() {
            let d = f["properties"]["distance_m"].as_f64().unwrap();
            assert!(d <= radius, "{d} > {radius}");
            let independent = haversine_m(CLIENT, common::coords(f));
            assert!((d - independent).abs() < 1.0, "{d} vs {independent}");
            assert_eq!(f["properties"]["status"], "published");
        }
        assert!(
            distances(&a).windows(2).all(|w| w[0] <= w[1]),
            "nearest first"
        );
    }
    // A radius that holds more than the limit: the first `limit`, and the full count.
    let a = search(&lw, json!({"near": CLIENT, "radius": 5000, "limit": 3})).await;
    let reference = items(&s, "&radius=5000").await;
    assert_eq!(ids(&a), ids(&reference)[..3]);
    assert_eq!(a.matched(), reference.matched());
    assert!(a.matched() > 3);
    // Without a radius every published place is ranked; 50 by default.
    let a = search(&lw, json!({"near": CLIENT})).await;
    assert_eq!(a.features().len(), 50);
    assert_eq!(a.matched(), items(&s, "").await.matched());
}

#[tokio::test]
async fn drafts_are_never_found() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let draft = staff
        .write(
            Method::POST,
            "/api/collections/places/items",
            None,
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": CLIENT},
                "properties": {"name": "まだ下書きのサロン", "category": "salon",
                               "address": "三重県名張市蔵持町原出"}
            })),
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.body);
    let a = search(&staff, json!({"near": CLIENT, "radius": 100})).await;
    assert!(!a.names().contains(&"まだ下書きのサロン".to_owned()));
}

#[tokio::test]
async fn categories_audience_and_open_at_narrow_the_search() {
    let s = TestServer::start().await;
    let lw = s.session_as(Role::Linkworker).await;
    let everything = search(&lw, json!({"near": CLIENT, "limit": 200})).await;
    let total = everything.features().len();

    // Categories: exactly the items route's answer for the same codes.
    let a = search(
        &lw,
        json!({"near": CLIENT, "categories": ["salon", "kodomo_shokudo"], "limit": 200}),
    )
    .await;
    assert_eq!(
        ids(&a),
        ids(&items(&s, "&category=salon,kodomo_shokudo").await)
    );
    assert!(!a.features().is_empty() && a.features().len() < total);
    assert!(a.features().iter().all(|f| {
        let c = &f["properties"]["category"];
        c == "salon" || c == "kodomo_shokudo"
    }));

    // Audience: places for that audience or for everyone, and no other.
    let audience_of = |f: &Value| -> Vec<String> {
        f["properties"]["audience"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    };
    let a = search(
        &lw,
        json!({"near": CLIENT, "audience": "子育て", "limit": 200}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let expected: Vec<String> = everything
        .features()
        .iter()
        .filter(|f| {
            let who = audience_of(f);
            who.iter().any(|w| w == "子育て" || w == "どなたでも")
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&a), expected);
    assert!(
        a.features()
            .iter()
            .any(|f| audience_of(f).contains(&"子育て".to_owned())),
        "some places are for families in particular"
    );
    assert!(expected.len() < total, "the filter leaves places out");

    // open_at: the items route's answer for the same window.
    for window in [
        "2026-12-01T10:30:00+09:00",
        "2026-12-02",
        "2026-12-05T00:00/2026-12-05T12:00",
    ] {
        let a = search(
            &lw,
            json!({"near": CLIENT, "open_at": window, "limit": 200}),
        )
        .await;
        assert_eq!(a.status, 200, "{window}: {}", a.body);
        let reference = items(&s, &format!("&open_at={}", window.replace('+', "%2B"))).await;
        assert_eq!(ids(&a), ids(&reference), "{window}");
        assert!(!a.features().is_empty(), "{window} finds something");
        assert!(a.features().len() < total, "{window} leaves places out");
    }

    // Every feature reads its schedule out, as on the public map.
    assert!(
        everything
            .features()
            .iter()
            .any(|f| f["properties"]["schedule_text"].is_string())
    );
}

#[tokio::test]
async fn bad_bodies_answer_problems_naming_every_field_at_fault_without_the_coordinates() {
    let s = TestServer::start().await;
    let lw = s.session_as(Role::Linkworker).await;
    // Not JSON, or not an object: 400.
    for raw in ["", "{", "[136.1, 34.6]", "\"near\"", "null"] {
        let a = lw
            .send(
                lw.request(Method::POST, SEARCH)
                    .header("content-type", "application/json")
                    .body(raw),
            )
            .await;
        a.assert_problem(400);
    }
    // Not JSON at all: 415, so that a form on another site cannot post here.
    let a = lw
        .send(
            lw.request(Method::POST, SEARCH)
                .header("content-type", "text/plain")
                .body("{}"),
        )
        .await;
    a.assert_problem(415);

    // Well-formed but wrong: 422 with each field named.
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({}), vec!["near"]),
        (json!({"near": [136.1]}), vec!["near"]),
        (json!({"near": [181.4321987, 34.6]}), vec!["near"]),
        (json!({"near": [136.1, 94.4321987]}), vec!["near"]),
        (json!({"near": ["136.1", "34.6"]}), vec!["near"]),
        (json!({"near": CLIENT, "radius": 0}), vec!["radius"]),
        (json!({"near": CLIENT, "radius": -5}), vec!["radius"]),
        (json!({"near": CLIENT, "radius": 100_001}), vec!["radius"]),
        (json!({"near": CLIENT, "radius": "1km"}), vec!["radius"]),
        (
            json!({"near": CLIENT, "categories": ["nope"]}),
            vec!["categories"],
        ),
        (
            json!({"near": CLIENT, "categories": "salon"}),
            vec!["categories"],
        ),
        (json!({"near": CLIENT, "audience": ""}), vec!["audience"]),
        (json!({"near": CLIENT, "audience": 3}), vec!["audience"]),
        (json!({"near": CLIENT, "open_at": "soon"}), vec!["open_at"]),
        (
            json!({"near": CLIENT, "open_at": "2026-12-01/2027-03-01"}),
            vec!["open_at"],
        ),
        (json!({"near": CLIENT, "limit": 0}), vec!["limit"]),
        (json!({"near": CLIENT, "limit": 201}), vec!["limit"]),
        (json!({"near": CLIENT, "limit": -1}), vec!["limit"]),
        (json!({"near": CLIENT, "lang": "fr"}), vec!["lang"]),
        (
            json!({"near": CLIENT, "address": "蔵持町原出"}),
            vec!["address"],
        ),
        (
            json!({"near": [500, 500], "radius": -1, "limit": "x", "bbox": [1, 2, 3, 4]}),
            vec!["near", "radius", "limit", "bbox"],
        ),
    ];
    for (body, fields) in cases {
        let a = search(&lw, body.clone()).await;
        let problem = a.assert_problem(422);
        let mut named: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}: no errors in {problem}"))
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        named.sort_unstable();
        let mut fields = fields;
        fields.sort_unstable();
        assert_eq!(named, fields, "{body}");
        // The answer never echoes a client's coordinates.
        assert!(
            !a.body.to_string().contains("4321987"),
            "{body}: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn the_town_list_is_public_with_every_town_landmarks_and_the_attribution() {
    let s = TestServer::start().await;
    let a = s.get("/api/towns").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let towns = a.body["towns"].as_array().unwrap();
    assert_eq!(towns.len(), 183);
    let town = |name: &str| {
        towns
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    assert_eq!(town("蔵持町原出")["point"], json!([136.110089, 34.634653]));
    assert_eq!(
        town("桔梗が丘三番町")["point"],
        json!([136.1189, 34.644335])
    );
    let landmarks = a.body["landmarks"].as_array().unwrap();
    let station = landmarks
        .iter()
        .find(|l| l["name"] == "名張駅")
        .expect("名張駅 listed");
    assert_eq!(station["kana"], "なばりえき");
    assert_eq!(
        station["point"],
        town(station["town"].as_str().unwrap())["point"]
    );
    let p = common::coords(&json!({"geometry": {"coordinates": station["point"]}}));
    assert!(haversine_m(p, [136.0959, 34.6217]) < 200.0, "{p:?}");
    for l in landmarks {
        let t = town(l["town"].as_str().unwrap());
        assert_eq!(l["point"], t["point"], "{l}");
    }
    assert!(
        a.body["attribution"]
            .as_str()
            .unwrap()
            .contains("Geolonia 住所データ（CC BY 4.0）")
    );
    // Like every public read: no session, no parameters but `f`.
    s.get("/api/towns?q=名張").await.assert_problem(400);
}
