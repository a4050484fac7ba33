//! Nothing of a タネ or a walk reaches a public answer or a log line: タネ and walks are
//! written with a distinctive marker (noted, refused for personal data, confirmed, edited,
//! promoted to a draft place, found on a walk), everything the process logs is captured at
//! `trace`, and then every public route — and the link worker's search — is read and searched
//! for the marker. A control written on purpose into a public place is found by the same
//! reads, so they are known to look where data shows.
//!
//! Its own test binary: the log capture is process-wide.

mod common;
#[path = "common/log_capture.rs"]
mod log_capture;

use common::TestServer;
use reqwest::Method;
use serde_json::json;
use tsunagari::domain::Role;

/// What must never be seen outside the staff's private routes.
const MARKERS: [&str; 3] = ["秘密のタネQZX", "歩きの記録QZX", "田中QZXさん"];
/// Written on purpose into a published place: the public reads must find it.
const CONTROL: &str = "公開の対照QZY";

const TANE: &str = "/api/collections/tane/items";
const WALKS: &str = "/api/collections/walks/items";
const PLACES: &str = "/api/collections/places/items";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_tane_or_walk_text_reaches_a_public_answer_or_a_log() {
    log_capture::assert_trace_is_on();
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let lw = s.session_as(Role::Linkworker).await;
    let before = log_capture::count();
    let here = [136.1021, 34.6301];

    let walk = staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(json!({"type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [here, [136.1031, 34.6301]]},
                "properties": {"title": MARKERS[1], "notes": MARKERS[1]}})),
        )
        .await;
    assert_eq!(walk.status, 201, "{}", walk.body);
    let walk_id = walk.body["id"].as_str().unwrap().to_owned();

    let text = format!("{} {} 0595-63-9876", MARKERS[0], MARKERS[2]);
    let feature = |confirmed: bool| {
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": here},
               "properties": {"text": text, "source": "diary", "walk_id": walk_id,
                              "personal_data_confirmed": confirmed}})
    };
    let refused = staff
        .write(Method::POST, TANE, None, Some(feature(false)))
        .await;
    refused.assert_problem(422);
    let tane = staff
        .write(Method::POST, TANE, None, Some(feature(true)))
        .await;
    assert_eq!(tane.status, 201, "{}", tane.body);
    let tane_path = format!("{TANE}/{}", tane.body["id"].as_str().unwrap());
    let edited = staff
        .write(
            Method::PATCH,
            &tane_path,
            Some(1),
            Some(json!({"properties": {"text": format!("{} 追記", MARKERS[0])}})),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    // Promoted: the draft place holds the text as its description, but stays a draft.
    let promoted = staff
        .write(Method::POST, &format!("{tane_path}/promote"), Some(2), None)
        .await;
    assert_eq!(promoted.status, 201, "{}", promoted.body);
    let draft = promoted.body["id"].as_str().unwrap().to_owned();

    let control = staff
        .write(
            Method::POST,
            PLACES,
            None,
            Some(
                json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": here},
                "properties": {"name": CONTROL, "category": "salon", "status": "published",
                               "walk_id": walk_id}}),
            ),
        )
        .await;
    assert_eq!(control.status, 201, "{}", control.body);
    let control_id = control.body["id"].as_str().unwrap().to_owned();

    // Every public answer, as anyone reads it.
    let public = [
        "/".to_owned(),
        "/staff".to_owned(),
        "/linkworker".to_owned(),
        format!("/list?ids={draft},{control_id}"),
        "/api".to_owned(),
        "/api/conformance".to_owned(),
        "/api/collections".to_owned(),
        "/api/collections/places".to_owned(),
        "/api/collections/places/queryables".to_owned(),
        format!("{PLACES}?limit=10000"),
        format!("{PLACES}?limit=10000&f=json"),
        format!("{PLACES}?q=QZX"),
        format!("{PLACES}?q=秘密"),
        format!("{PLACES}/{draft}"),
        format!("{PLACES}/{control_id}"),
        format!("{PLACES}?near={},{}&radius=500", here[0], here[1]),
        "/api/suggest?q=秘密".to_owned(),
        "/api/suggest?q=QZX".to_owned(),
        "/api/suggest?q=公開".to_owned(),
        "/api/categories".to_owned(),
        "/api/areas".to_owned(),
        "/api/towns".to_owned(),
        "/api/map-config".to_owned(),
        "/api/openapi.json".to_owned(),
        "/healthz".to_owned(),
        format!("{TANE}?q=QZX"),
        format!("{WALKS}/{walk_id}"),
    ];
    let mut seen = String::new();
    for path in &public {
        let response = s.client.get(s.url(path)).send().await.unwrap();
        seen.push_str(&response.text().await.unwrap());
    }
    let search = lw
        .send(
            lw.request(Method::POST, "/api/linkworker/search")
                .json(&json!({"near": here, "radius": 2000})),
        )
        .await;
    assert_eq!(search.status, 200);
    seen.push_str(&search.body.to_string());
    assert!(
        seen.contains(CONTROL),
        "the public reads show public places"
    );
    for marker in MARKERS {
        assert!(!seen.contains(marker), "{marker} reached a public answer");
    }
    assert!(
        !seen.contains(&walk_id),
        "the walk's id reached a public answer"
    );
    assert!(
        !seen.contains(tane.body["id"].as_str().unwrap()),
        "the タネ's id reached a public answer"
    );

    let logged = log_capture::since(before);
    assert!(
        logged
            .iter()
            .any(|l| l.contains("route=/api/collections/tane/items")),
        "the access log is captured: {logged:#?}"
    );
    let leaks: Vec<&String> = logged
        .iter()
        .filter(|l| MARKERS.iter().any(|m| l.contains(m)) || l.contains("0595-63-9876"))
        .collect();
    assert!(leaks.is_empty(), "logged: {leaks:#?}");
}
