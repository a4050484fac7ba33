//! タネ and walks as staff use them: noting a タネ (and being asked about personal data),
//! finding it again, editing it without overwriting a colleague, promoting it to a draft
//! place linked both ways, recording walks from a Feature or a GPX file, and seeing on a
//! walk's page what was found on it. Runs on SQLite and on PostgreSQL.

mod common;

use common::{Answer, Session, TestServer};
use reqwest::Method;
use serde_json::{Value, json};
use tsunagari::domain::Role;

const TANE: &str = "/api/collections/tane/items";
const WALKS: &str = "/api/collections/walks/items";
const PLACES: &str = "/api/collections/places/items";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/gpx/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn tane_feature(text: &str, point: Option<[f64; 2]>, properties: Value) -> Value {
    let mut p = json!({ "text": text });
    for (k, v) in properties.as_object().unwrap() {
        p[k] = v.clone();
    }
    json!({
        "type": "Feature",
        "geometry": point.map(|c| json!({"type": "Point", "coordinates": c})),
        "properties": p,
    })
}

async fn note(staff: &Session, text: &str, point: Option<[f64; 2]>, properties: Value) -> Value {
    let a = staff
        .write(
            Method::POST,
            TANE,
            None,
            Some(tane_feature(text, point, properties)),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.body
}

fn id(feature: &Value) -> &str {
    feature["id"].as_str().expect("an id")
}

async fn gpx(staff: &Session, body: Vec<u8>) -> Answer {
    staff
        .send(
            staff
                .request(Method::POST, WALKS)
                .header("content-type", "application/gpx+xml")
                .body(body),
        )
        .await
}

#[tokio::test]
async fn a_tane_is_noted_found_again_and_edited_without_overwriting_anyone() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let a = staff
        .write(
            Method::POST,
            TANE,
            None,
            Some(tane_feature(
                "毎朝ベンチに集まって体操している人たち",
                Some([136.1030, 34.6270]),
                json!({"source": "walk", "found_on": "2026-11-30"}),
            )),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.etag_version(), 1);
    assert_eq!(a.headers["cache-control"], "private, no-store");
    let location = a.headers["location"].to_str().unwrap().to_owned();
    let bench = a.body;
    assert!(location.ends_with(&format!("{TANE}/{}", id(&bench))));
    let p = &bench["properties"];
    assert_eq!(p["status"], "new");
    assert_eq!(p["source"], "walk");
    assert_eq!(p["found_on"], "2026-11-30");
    assert_eq!(p["recorded_by"], "staff-user");
    assert_eq!(bench["geometry"]["coordinates"], json!([136.103, 34.627]));

    // A タネ from a diary has no point; the date defaults to today.
    let shogi = note(
        &staff,
        "公民館で将棋を教えてくれる方がいる",
        None,
        json!({"source": "diary"}),
    )
    .await;
    assert_eq!(shogi["geometry"], Value::Null);
    assert!(shogi["properties"]["found_on"].as_str().unwrap().len() == 10);

    let read = staff.get(&location.replace(&s.url(""), "")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.etag_version(), 1);
    assert_eq!(read.body["properties"]["text"], bench["properties"]["text"]);

    // Filters: status, source, words (as search normalises them: full width, kana).
    let listed = staff.get(&format!("{TANE}?source=diary")).await;
    assert_eq!(listed.matched(), 1);
    assert_eq!(listed.features()[0]["id"], shogi["id"]);
    let by_words = staff.get(&format!("{TANE}?q=べんち%E3%80%80体操")).await;
    assert_eq!(by_words.matched(), 1, "{}", by_words.body);
    assert_eq!(by_words.features()[0]["id"], bench["id"]);
    let all = staff
        .get(&format!("{TANE}?status=new,looking&limit=1"))
        .await;
    assert_eq!(all.matched(), 2);
    assert_eq!(all.features().len(), 1);
    let next = all.link("next").expect("a next page");
    let page2 = staff.get(&next.replace(&s.url(""), "")).await;
    assert_eq!(page2.features().len(), 1);
    assert_ne!(page2.features()[0]["id"], all.features()[0]["id"]);
    staff
        .get(&format!("{TANE}?status=done"))
        .await
        .assert_problem(400);
    staff
        .get(&format!("{TANE}?colour=red"))
        .await
        .assert_problem(400);

    // Edits need the version seen; a stale one changes nothing.
    let path = format!("{TANE}/{}", id(&bench));
    let patch = json!({"properties": {"status": "looking"}});
    staff
        .write(Method::PATCH, &path, None, Some(patch.clone()))
        .await
        .assert_problem(428);
    let edited = staff
        .write(Method::PATCH, &path, Some(1), Some(patch.clone()))
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.etag_version(), 2);
    assert_eq!(edited.body["properties"]["status"], "looking");
    let stale = staff
        .write(
            Method::PATCH,
            &path,
            Some(1),
            Some(json!({"properties": {"text": "上書き"}})),
        )
        .await;
    stale.assert_problem(412);
    assert_eq!(
        staff.get(&path).await.body["properties"]["text"],
        bench["properties"]["text"]
    );
    // Only promotion makes a タネ a place.
    staff
        .write(
            Method::PATCH,
            &path,
            Some(2),
            Some(json!({"properties": {"status": "promoted"}})),
        )
        .await
        .assert_problem(422);
    // The point can be cleared.
    let cleared = staff
        .write(
            Method::PATCH,
            &path,
            Some(2),
            Some(json!({"geometry": null})),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.body);
    assert_eq!(cleared.body["geometry"], Value::Null);

    let history = staff.get(&format!("{path}/history")).await;
    assert_eq!(history.status, 200);
    let versions = history.body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0]["version"], 3);
    assert_eq!(versions[0]["diff"][0]["field"], "geometry");
    assert_eq!(
        versions[1]["diff"],
        json!([{"field": "status", "before": "new", "after": "looking"}])
    );
    assert_eq!(versions[2]["change"], "create");

    // Unknown ids and malformed bodies.
    let unknown = format!("{TANE}/00000000-0000-4000-8000-000000000000");
    staff.get(&unknown).await.assert_problem(404);
    staff
        .write(Method::PATCH, &unknown, Some(1), Some(patch))
        .await
        .assert_problem(404);
    staff
        .get(&format!("{TANE}/not-an-id"))
        .await
        .assert_problem(404);
    let bad = staff
        .write(
            Method::POST,
            TANE,
            None,
            Some(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [34.6, 136.1]},
                        "properties": {"text": "", "source": "rumour", "colour": "red"}})),
        )
        .await;
    let problem = bad.assert_problem(422);
    assert!(
        problem["errors"].to_string().contains("properties.colour"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_tane_that_looks_like_it_holds_personal_data_is_kept_only_when_confirmed() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let text = "田中さん（0595-63-1234）が毎週土曜に将棋を教えている";
    let refused = staff
        .write(
            Method::POST,
            TANE,
            None,
            Some(tane_feature(text, None, json!({}))),
        )
        .await;
    let problem = refused.assert_problem(422);
    assert!(problem["type"].as_str().unwrap().ends_with("personal-data"));
    assert_eq!(problem["errors"][0]["field"], "properties.text");
    let found: Vec<(&str, &str)> = problem["personal_data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["text"].as_str().unwrap()))
        .collect();
    assert_eq!(found, vec![("name", "田中さん"), ("phone", "0595-63-1234")]);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("電話番号「0595-63-1234」")
    );
    assert_eq!(
        staff.get(TANE).await.matched(),
        0,
        "nothing is kept before the writer confirms"
    );

    let kept = note(&staff, text, None, json!({"personal_data_confirmed": true})).await;
    assert_eq!(
        kept["properties"]["personal_data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(kept["properties"].get("personal_data_confirmed").is_none());

    // A status change keeps the confirmed text without asking again; a new text is asked.
    let path = format!("{TANE}/{}", id(&kept));
    let looking = staff
        .write(
            Method::PATCH,
            &path,
            Some(1),
            Some(json!({"properties": {"status": "looking"}})),
        )
        .await;
    assert_eq!(looking.status, 200, "{}", looking.body);
    staff
        .write(
            Method::PATCH,
            &path,
            Some(2),
            Some(json!({"properties": {"text": "連絡は tanaka@example.jp へ"}})),
        )
        .await
        .assert_problem(422);
    let plain = staff
        .write(
            Method::PATCH,
            &path,
            Some(2),
            Some(json!({"properties": {"text": "公民館で将棋を教えてくれる方がいる"}})),
        )
        .await;
    assert_eq!(plain.status, 200, "{}", plain.body);
    assert_eq!(plain.body["properties"]["personal_data"], json!([]));
}

#[tokio::test]
async fn promoting_a_tane_makes_a_draft_place_linked_both_ways() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let walk = staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(json!({"type": "Feature", "geometry": null,
                        "properties": {"title": "桔梗が丘まち歩き", "participants": 6}})),
        )
        .await;
    assert_eq!(walk.status, 201, "{}", walk.body);
    let walk_id = id(&walk.body).to_owned();
    let tane = note(
        &staff,
        "将棋を教えるおじいさんたち\n毎週土曜の午後、集会所で",
        Some([136.1321, 34.6335]),
        json!({"source": "walk", "walk_id": walk_id}),
    )
    .await;
    let path = format!("{TANE}/{}", id(&tane));

    staff
        .write(Method::POST, &format!("{path}/promote"), None, None)
        .await
        .assert_problem(428);
    let promoted = staff
        .write(Method::POST, &format!("{path}/promote"), Some(1), None)
        .await;
    assert_eq!(promoted.status, 201, "{}", promoted.body);
    let place = promoted.body;
    let place_id = id(&place).to_owned();
    assert!(
        promoted.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&format!("{PLACES}/{place_id}"))
    );
    let p = &place["properties"];
    assert_eq!(p["status"], "draft");
    assert_eq!(p["source"], "tane");
    assert_eq!(p["name"], "将棋を教えるおじいさんたち");
    assert_eq!(p["category"], "ibasho");
    assert_eq!(p["description"], tane["properties"]["text"]);
    assert_eq!(place["geometry"]["coordinates"], json!([136.1321, 34.6335]));
    // The public answer never says where a place came from.
    assert!(
        p.get("tane_id").is_none() && p.get("walk_id").is_none(),
        "{p}"
    );

    // The タネ names the place …
    let after = staff.get(&path).await;
    assert_eq!(after.etag_version(), 2);
    assert_eq!(after.body["properties"]["status"], "promoted");
    assert_eq!(after.body["properties"]["place_id"], place_id.as_str());
    let history = staff.get(&format!("{path}/history")).await;
    assert_eq!(history.body["versions"][0]["change"], "promote");
    // … and the place the タネ (and the walk), in its history, through every later edit.
    let edited = staff
        .write(
            Method::PATCH,
            &format!("{PLACES}/{place_id}"),
            Some(1),
            Some(json!({"properties": {"status": "published", "category": "learning"}})),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    let place_history = staff.get(&format!("{PLACES}/{place_id}/history")).await;
    for version in place_history.body["versions"].as_array().unwrap() {
        assert_eq!(version["properties"]["tane_id"], id(&tane));
        assert_eq!(version["properties"]["walk_id"], walk_id.as_str());
    }
    let found_by_place = staff.get(&format!("{TANE}?place={place_id}")).await;
    assert_eq!(found_by_place.matched(), 1);
    assert_eq!(found_by_place.features()[0]["id"], tane["id"]);
    // Published, it is on the public map like any place.
    let public = s.get(&format!("{PLACES}/{place_id}")).await;
    assert_eq!(public.status, 200);

    // Once is enough.
    staff
        .write(Method::POST, &format!("{path}/promote"), Some(2), None)
        .await
        .assert_problem(409);
    staff
        .write(
            Method::PATCH,
            &path,
            Some(2),
            Some(json!({"properties": {"status": "new"}})),
        )
        .await
        .assert_problem(422);

    // A タネ without a point needs one, and the staff's choices are taken.
    let diary = note(
        &staff,
        "サロンを開きたい方がいる",
        None,
        json!({"source": "diary"}),
    )
    .await;
    let diary_path = format!("{TANE}/{}", id(&diary));
    staff
        .write(
            Method::POST,
            &format!("{diary_path}/promote"),
            Some(1),
            None,
        )
        .await
        .assert_problem(422);
    staff
        .write(
            Method::POST,
            &format!("{diary_path}/promote"),
            Some(1),
            Some(json!({"category": "nope"})),
        )
        .await
        .assert_problem(422);
    let chosen = staff
        .write(
            Method::POST,
            &format!("{diary_path}/promote"),
            Some(1),
            Some(json!({"name": "新しいサロン", "category": "salon",
                        "geometry": {"type": "Point", "coordinates": [136.0912, 34.6212]}})),
        )
        .await;
    assert_eq!(chosen.status, 201, "{}", chosen.body);
    assert_eq!(chosen.body["properties"]["name"], "新しいサロン");
    assert_eq!(chosen.body["properties"]["category"], "salon");
}

#[tokio::test]
async fn walks_are_recorded_from_features_and_gpx_files() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;

    let drawn = staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(json!({"type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[136.1030, 34.6270], [136.1040, 34.6270]]},
                "properties": {"title": "駅前", "walked_on": "2026-11-28", "notes": "雨", "participants": 4}})),
        )
        .await;
    assert_eq!(drawn.status, 201, "{}", drawn.body);
    let p = &drawn.body["properties"];
    assert_eq!(p["title"], "駅前");
    assert_eq!(p["participants"], 4);
    // 0.001° of longitude at 34.627° N is 91.5 m.
    let length = p["length_m"].as_f64().unwrap();
    assert!((length - 91.5).abs() < 0.5, "{length}");

    // A paused recording: two segments; the gap is not walked.
    let path = format!("{WALKS}/{}", id(&drawn.body));
    let two = json!({"type": "MultiLineString", "coordinates": [
        [[136.1030, 34.6270], [136.1040, 34.6270]],
        [[136.1100, 34.6300], [136.1110, 34.6300]]]});
    let paused = staff
        .write(
            Method::PATCH,
            &path,
            Some(1),
            Some(json!({"geometry": two})),
        )
        .await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    assert_eq!(paused.body["geometry"]["type"], "MultiLineString");
    let length = paused.body["properties"]["length_m"].as_f64().unwrap();
    assert!((length - 183.0).abs() < 1.0, "{length}");
    let history = staff.get(&format!("{path}/history")).await;
    assert_eq!(history.body["versions"][0]["diff"][0]["field"], "geometry");

    for (geometry, why) in [
        (
            json!({"type": "LineString", "coordinates": [[136.1, 34.6]]}),
            "one point",
        ),
        (
            json!({"type": "LineString", "coordinates": [[34.6, 136.1], [34.7, 136.1]]}),
            "swapped",
        ),
        (
            json!({"type": "Point", "coordinates": [136.1, 34.6]}),
            "a point",
        ),
        (
            json!({"type": "LineString", "coordinates": [["a", 1], [136.1, 34.6]]}),
            "text",
        ),
    ] {
        let a = staff
            .write(
                Method::POST,
                WALKS,
                None,
                Some(
                    json!({"type": "Feature", "geometry": geometry, "properties": {"title": "x"}}),
                ),
            )
            .await;
        let problem = a.assert_problem(422);
        assert_eq!(
            problem["errors"][0]["field"], "geometry",
            "{why}: {problem}"
        );
    }
    staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(json!({"type": "Feature", "geometry": null, "properties": {}})),
        )
        .await
        .assert_problem(422);

    // A GPX file: its name, its day in Japan, one segment per track segment.
    let from_gpx = gpx(&staff, fixture("nabari-station.gpx")).await;
    assert_eq!(from_gpx.status, 201, "{}", from_gpx.body);
    let p = &from_gpx.body["properties"];
    assert_eq!(p["title"], "名張駅まわりのまち歩き");
    assert_eq!(p["walked_on"], "2026-12-05");
    assert_eq!(from_gpx.body["geometry"]["type"], "MultiLineString");
    assert_eq!(
        from_gpx.body["geometry"]["coordinates"][1],
        json!([[136.0979, 34.6229], [136.0985, 34.6233]])
    );

    let broken = gpx(&staff, fixture("broken.gpx")).await;
    let detail = broken.assert_problem(400)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains("line 7"), "{detail}");
    let entities = gpx(&staff, fixture("entities.gpx")).await;
    let detail = entities.assert_problem(400)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail.contains("DOCTYPE") && detail.contains("line 2"),
        "{detail}"
    );
    assert!(
        !entities.body.to_string().contains("root:"),
        "no file was read"
    );
    gpx(&staff, b"<gpx><trk>".to_vec())
        .await
        .assert_problem(400);
    gpx(&staff, "GPXではありません".as_bytes().to_vec())
        .await
        .assert_problem(400);

    // Too many points, and too many bytes.
    let mut many = String::from(r#"<gpx version="1.1" creator="t"><trk><trkseg>"#);
    for i in 0..50_001 {
        let lon = 136.1 + f64::from(i) * 1e-6;
        many.push_str(&format!(r#"<trkpt lat="34.62" lon="{lon:.6}"/>"#));
    }
    many.push_str("</trkseg></trk></gpx>");
    let too_many = gpx(&staff, many.into_bytes()).await;
    assert!(
        too_many.assert_problem(422)["detail"]
            .as_str()
            .unwrap()
            .contains("50000"),
        "{}",
        too_many.body
    );
    let huge = gpx(&staff, vec![b' '; 9 * 1024 * 1024]).await;
    huge.assert_problem(413);
    let wrong_type = staff
        .send(
            staff
                .request(Method::POST, WALKS)
                .header("content-type", "text/plain")
                .body("hello"),
        )
        .await;
    wrong_type.assert_problem(415);

    let listed = staff.get(WALKS).await;
    assert_eq!(listed.matched(), 2);
    assert_eq!(
        listed.features()[0]["properties"]["walked_on"],
        "2026-12-05"
    );
}

#[tokio::test]
async fn a_walks_page_lists_the_tane_and_places_found_on_it() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let walk = staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(
                json!({"type": "Feature", "geometry": null, "properties": {"title": "つつじが丘"}}),
            ),
        )
        .await;
    let walk_id = id(&walk.body).to_owned();
    let path = format!("{WALKS}/{walk_id}");
    let tane = note(
        &staff,
        "公園で毎朝ラジオ体操",
        Some([136.1500, 34.6400]),
        json!({"source": "walk", "walk_id": walk_id}),
    )
    .await;
    let place = staff
        .write(
            Method::POST,
            PLACES,
            None,
            Some(json!({"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [136.1510, 34.6410]},
                "properties": {"name": "つつじが丘の縁側カフェ", "category": "ibasho", "walk_id": walk_id}})),
        )
        .await;
    assert_eq!(place.status, 201, "{}", place.body);
    assert!(place.body["properties"].get("walk_id").is_none());

    let page = staff.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let found = &page.body["properties"]["found"];
    assert_eq!(found["tane"][0]["id"], tane["id"]);
    assert_eq!(found["places"][0]["id"], place.body["id"]);
    assert_eq!(found["places"][0]["properties"]["status"], "draft");
    let listed = staff.get(WALKS).await;
    assert_eq!(listed.features()[0]["properties"]["tane_count"], 1);
    assert_eq!(listed.features()[0]["properties"]["place_count"], 1);
    let by_walk = staff.get(&format!("{TANE}?walk={walk_id}")).await;
    assert_eq!(by_walk.matched(), 1);

    // Links to walks that do not exist are refused.
    let nowhere = "00000000-0000-4000-8000-000000000000";
    staff
        .write(
            Method::POST,
            TANE,
            None,
            Some(tane_feature("x", None, json!({"walk_id": nowhere}))),
        )
        .await
        .assert_problem(422);
    staff
        .write(
            Method::POST,
            PLACES,
            None,
            Some(json!({"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [136.1510, 34.6410]},
                "properties": {"name": "x", "category": "ibasho", "walk_id": nowhere}})),
        )
        .await
        .assert_problem(422);
    staff
        .get(&format!("{WALKS}/{nowhere}"))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn only_staff_reach_tane_and_walks_whatever_the_id() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let admin = s.session_as(Role::Admin).await;
    let linkworker = s.session_as(Role::Linkworker).await;
    let tane = note(&staff, "役割確認のタネ", Some([136.1, 34.63]), json!({})).await;
    let walk = staff
        .write(
            Method::POST,
            WALKS,
            None,
            Some(json!({"type": "Feature", "geometry": null, "properties": {"title": "役割確認の歩き"}})),
        )
        .await
        .body;
    let guessed = "00000000-0000-4000-8000-000000000000";
    let mut paths = vec![
        (Method::GET, "/api/collections/tane".to_owned()),
        (Method::GET, "/api/collections/walks".to_owned()),
        (Method::GET, TANE.to_owned()),
        (Method::GET, WALKS.to_owned()),
        (Method::POST, TANE.to_owned()),
        (Method::POST, WALKS.to_owned()),
    ];
    for id in [id(&tane), guessed] {
        paths.push((Method::GET, format!("{TANE}/{id}")));
        paths.push((Method::PATCH, format!("{TANE}/{id}")));
        paths.push((Method::GET, format!("{TANE}/{id}/history")));
        paths.push((Method::POST, format!("{TANE}/{id}/promote")));
    }
    for id in [id(&walk), guessed] {
        paths.push((Method::GET, format!("{WALKS}/{id}")));
        paths.push((Method::PATCH, format!("{WALKS}/{id}")));
        paths.push((Method::GET, format!("{WALKS}/{id}/history")));
    }
    for (method, path) in &paths {
        let body = Some(json!({"properties": {}}));
        let anonymous = common::answer_of(
            s.client
                .request(method.clone(), s.url(path))
                .header("if-match", "\"1\"")
                .json(&json!({}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        anonymous.assert_problem(401);
        let lw = linkworker
            .write(method.clone(), path, Some(1), body.clone())
            .await;
        lw.assert_problem(403);
        for answer in [&anonymous, &lw] {
            assert!(
                !answer.body.to_string().contains("役割確認"),
                "{method} {path}: {}",
                answer.body
            );
        }
    }
    // Staff and admins read both.
    for session in [&staff, &admin] {
        assert_eq!(session.get(TANE).await.matched(), 1);
        assert_eq!(session.get(WALKS).await.matched(), 1);
        let collections = session.get("/api/collections").await;
        let ids: Vec<&str> = collections.body["collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec!["places", "tane", "walks"]);
        assert_eq!(collections.headers["cache-control"], "private, no-store");
    }
    for answer in [
        s.get("/api/collections").await,
        linkworker.get("/api/collections").await,
    ] {
        let ids: Vec<&str> = answer.body["collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec!["places"]);
        assert_eq!(answer.headers["vary"], "Cookie");
    }
}

#[tokio::test]
async fn a_tane_noted_on_one_server_is_seen_by_another_at_once() {
    let s = TestServer::start().await;
    let other = TestServer::start_on(s.db().clone(), true).await;
    let staff = s.session_as(Role::Staff).await;
    let there = other.login("staff-user").await;
    let tane = note(&staff, "二つ目のサーバーからも見える", None, json!({})).await;
    let seen = there.get(&format!("{TANE}/{}", id(&tane))).await;
    assert_eq!(seen.status, 200);
    // And a promotion there reaches this server's index like any place change.
    let promoted = there
        .write(
            Method::POST,
            &format!("{TANE}/{}/promote", id(&tane)),
            Some(1),
            Some(json!({"geometry": {"type": "Point", "coordinates": [136.1, 34.63]}})),
        )
        .await;
    assert_eq!(promoted.status, 201, "{}", promoted.body);
    let place = format!("{PLACES}/{}", id(&promoted.body));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if staff.get(&place).await.status == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the place never reached the other server"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
