//! The staff workspace over HTTP: accounts and sessions, who may do what, and edits of places
//! (OGC API – Features Part 4) with optimistic locking and history.

mod common;

use common::{PASSWORD, Session, TestServer};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use tsunagari::accounts::AuthConfig;
use tsunagari::config::HttpConfig;
use tsunagari::domain::Role;

const ITEMS: &str = "/api/collections/places/items";

fn feature(name: &str) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [136.1009, 34.6197]},
        "properties": {"name": name, "category": "salon", "description": "まち歩きで見つけた"}
    })
}

/// Creates a place through the API; returns its id.
async fn create(staff: &Session, name: &str) -> String {
    let a = staff
        .write(Method::POST, ITEMS, None, Some(feature(name)))
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.body["id"].as_str().unwrap().to_owned()
}

fn item(id: &str) -> String {
    format!("{ITEMS}/{id}")
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_logout_ends_the_session() {
    let s = TestServer::start().await;
    s.add_user("tanaka", Role::Staff).await;
    let a = s.login_answer("tanaka", PASSWORD).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, json!({"username": "tanaka", "role": "staff"}));
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    assert_eq!(a.headers["cache-control"], "no-store");

    let session = s.login("tanaka").await;
    assert_ne!(
        session.cookie,
        cookie.split(';').next().unwrap(),
        "each login gets a new session id"
    );
    let me = session.get("/api/me").await;
    assert_eq!(me.body["username"], "tanaka");
    assert!(me.headers.get("access-control-allow-origin").is_none());

    let out = session.write(Method::POST, "/api/logout", None, None).await;
    assert_eq!(out.status, 204);
    assert!(
        out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    session.get("/api/me").await.assert_problem(401);
    s.get("/api/me").await.assert_problem(401);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_names_answer_the_same_401() {
    let s = TestServer::start().await;
    s.add_user("tanaka", Role::Staff).await;
    let wrong = s.login_answer("tanaka", "まちがい まちがい まちがい").await;
    let unknown = s.login_answer("nobody", PASSWORD).await;
    wrong.assert_problem(401);
    unknown.assert_problem(401);
    assert_eq!(wrong.body["detail"], unknown.body["detail"]);
    assert!(wrong.headers.get("set-cookie").is_none());
    let not_json = s
        .client
        .post(s.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=tanaka&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 415);
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_with_the_host_prefix() {
    let s = TestServer::start_with(HttpConfig {
        public_url: Some("https://map.example.jp".into()),
        ..HttpConfig::default()
    })
    .await;
    s.add_user("tanaka", Role::Staff).await;
    let a = s.login_answer("tanaka", PASSWORD).await;
    let cookie = a.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-tsunagari_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn repeated_failures_are_refused_for_a_while_and_other_accounts_are_unaffected() {
    let s = TestServer::start_with(HttpConfig {
        auth: AuthConfig {
            account_failures: 3,
            failure_delay: Duration::ZERO,
            ..AuthConfig::default()
        },
        ..HttpConfig::default()
    })
    .await;
    s.add_user("tanaka", Role::Staff).await;
    s.add_user("suzuki", Role::Staff).await;
    for _ in 0..3 {
        s.login_answer("tanaka", "まちがい まちがい まちがい")
            .await
            .assert_problem(401);
    }
    // Now even the right password is refused, before it is checked.
    let refused = s.login_answer("tanaka", PASSWORD).await;
    refused.assert_problem(429);
    let retry: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "Retry-After {retry}");
    assert_eq!(s.login_answer("suzuki", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn sessions_end_after_idle_time_and_absolutely() {
    // Session ages are kept in whole seconds, so a computed age can be up to a second more or
    // less than the real one: every wait below stays more than a second clear of its limit,
    // measured from the login, so that a slow moment on a shared machine cannot flip it.
    let idle = TestServer::start_with(HttpConfig {
        auth: AuthConfig {
            idle: Duration::from_secs(3),
            ..AuthConfig::default()
        },
        ..HttpConfig::default()
    })
    .await;
    idle.add_user("tanaka", Role::Staff).await;
    let session = idle.login("tanaka").await;
    let logged_in = tokio::time::Instant::now();
    assert_eq!(session.get("/api/me").await.status, 200);
    tokio::time::sleep_until(logged_in + Duration::from_millis(4500)).await;
    session.get("/api/me").await.assert_problem(401);

    let absolute = TestServer::start_with(HttpConfig {
        auth: AuthConfig {
            idle: Duration::from_secs(60),
            absolute: Duration::from_secs(6),
            ..AuthConfig::default()
        },
        ..HttpConfig::default()
    })
    .await;
    absolute.add_user("tanaka", Role::Staff).await;
    let session = absolute.login("tanaka").await;
    let logged_in = tokio::time::Instant::now();
    // Used every second, well inside the idle limit…
    for second in 0..3 {
        tokio::time::sleep_until(logged_in + Duration::from_secs(second)).await;
        assert_eq!(session.get("/api/me").await.status, 200, "in use");
    }
    // …and still ended once the absolute lifetime is over.
    tokio::time::sleep_until(logged_in + Duration::from_millis(7500)).await;
    session.get("/api/me").await.assert_problem(401);
}

#[tokio::test]
async fn disabling_an_account_or_changing_its_password_from_the_cli_ends_its_sessions_at_once() {
    let s = TestServer::start().await;
    s.add_user("tanaka", Role::Staff).await;
    s.add_user("suzuki", Role::Staff).await;
    let tanaka = s.login("tanaka").await;
    let suzuki = s.login("suzuki").await;
    let bin = env!("CARGO_BIN_EXE_tsunagari");
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(bin)
            .args(args)
            .args(["--database", &s.database])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["user", "disable", "tanaka"], "");
    tanaka.get("/api/me").await.assert_problem(401);
    s.login_answer("tanaka", PASSWORD).await.assert_problem(401);

    run(
        &["user", "password", "suzuki"],
        "あたらしい あいことば 2026\n",
    );
    suzuki.get("/api/me").await.assert_problem(401);
    assert_eq!(
        s.login_answer("suzuki", "あたらしい あいことば 2026")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn cross_site_writes_are_refused_and_change_nothing() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let id = create(&staff, "CSRF 確認").await;
    let before = staff.get(&item(&id)).await;
    let attacks: [(&str, &str); 3] = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ];
    let writes = [
        (Method::POST, ITEMS.to_owned()),
        (Method::PUT, item(&id)),
        (Method::PATCH, item(&id)),
        (Method::DELETE, item(&id)),
        (Method::POST, format!("{}/verify", item(&id))),
        (Method::POST, format!("{}/restore", item(&id))),
        (Method::POST, "/api/logout".to_owned()),
    ];
    for (method, path) in &writes {
        for (header, value) in attacks {
            let a = staff
                .send(
                    staff
                        .request(method.clone(), path)
                        .header(header, value)
                        .header("if-match", "\"1\"")
                        .json(&json!({"properties": {"status": "published"}})),
                )
                .await;
            a.assert_problem(403);
        }
        // An HTML form can post these without a preflight: refused by content type.
        for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
            if method == Method::DELETE || path.ends_with("/verify") || path.ends_with("/logout") {
                continue; // no body to forge
            }
            let a = staff
                .send(
                    staff
                        .request(method.clone(), path)
                        .header("content-type", content_type)
                        .header("if-match", "\"1\"")
                        .body("{\"properties\":{\"status\":\"published\"}}"),
                )
                .await;
            a.assert_problem(415);
        }
    }
    assert_eq!(staff.get(&item(&id)).await.body, before.body);
    assert_eq!(staff.get("/api/me").await.status, 200, "still logged in");
}

#[tokio::test]
async fn a_new_place_is_a_draft_that_only_staff_see_until_it_is_published() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let public_before = s.get(ITEMS).await.matched();
    let a = staff
        .write(Method::POST, ITEMS, None, Some(feature("下書きのサロン")))
        .await;
    assert_eq!(a.status, 201);
    let id = a.body["id"].as_str().unwrap().to_owned();
    assert!(
        a.headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&item(&id))
    );
    assert_eq!(a.etag_version(), 1);
    assert_eq!(a.body["properties"]["status"], "draft");
    assert_eq!(a.body["properties"]["source"], "staff");

    // Residents see nothing of it: not by id, not in counts, not by search.
    s.get(&item(&id)).await.assert_problem(404);
    assert_eq!(s.get(ITEMS).await.matched(), public_before);
    assert_eq!(
        s.get(&format!("{ITEMS}?q=下書きのサロン")).await.matched(),
        0
    );
    assert_eq!(
        staff
            .get(&format!("{ITEMS}?status=draft&q=下書きのサロン"))
            .await
            .matched(),
        1
    );

    let published = staff
        .write(
            Method::PATCH,
            &item(&id),
            Some(1),
            Some(json!({"properties": {"status": "published"}})),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    assert_eq!(published.etag_version(), 2);
    let public = s.get(&item(&id)).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body["properties"]["name"], "下書きのサロン");
    assert_eq!(public.etag_version(), 2);
    assert_eq!(s.get(ITEMS).await.matched(), public_before + 1);
}

#[tokio::test]
async fn writes_need_the_current_version_and_a_stale_one_changes_nothing() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let id = create(&staff, "版の確認").await;
    let patch = json!({"properties": {"cost": "100円"}});

    staff
        .write(Method::PATCH, &item(&id), None, Some(patch.clone()))
        .await
        .assert_problem(428);
    staff
        .write(Method::DELETE, &item(&id), None, None)
        .await
        .assert_problem(428);

    let first = staff
        .write(Method::PATCH, &item(&id), Some(1), Some(patch))
        .await;
    assert_eq!(first.status, 200);
    // A second editor still holding version 1.
    let stale = staff
        .write(
            Method::PUT,
            &item(&id),
            Some(1),
            Some(feature("上書きしようとした名前")),
        )
        .await;
    stale.assert_problem(412);
    let now = staff.get(&item(&id)).await;
    assert_eq!(now.etag_version(), 2);
    assert_eq!(now.body["properties"]["name"], "版の確認");
    assert_eq!(now.body["properties"]["cost"], "100円");

    let replaced = staff
        .write(
            Method::PUT,
            &item(&id),
            Some(2),
            Some(feature("新しい名前")),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(replaced.body["properties"]["name"], "新しい名前");
    assert_eq!(
        replaced.body["properties"]["cost"],
        Value::Null,
        "PUT replaces"
    );
}

#[tokio::test]
async fn delete_archives_and_history_shows_every_version_with_its_diff_and_restore_brings_one_back()
{
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let id = create(&staff, "歴史のあるサロン").await;
    staff
        .write(
            Method::PATCH,
            &item(&id),
            Some(1),
            Some(
                json!({"properties": {"status": "published", "name": "改名したサロン"},
                        "geometry": {"type": "Point", "coordinates": [136.11, 34.63]}}),
            ),
        )
        .await;
    assert_eq!(s.get(&item(&id)).await.status, 200);
    let archived = staff.write(Method::DELETE, &item(&id), Some(2), None).await;
    assert_eq!(archived.status, 200);
    assert_eq!(archived.body["properties"]["status"], "archived");
    s.get(&item(&id)).await.assert_problem(404);
    assert_eq!(staff.get(&item(&id)).await.status, 200, "kept for staff");

    let history = staff.get(&format!("{}/history", item(&id))).await;
    assert_eq!(history.status, 200);
    let versions = history.body["versions"].as_array().unwrap();
    let summary: Vec<(i64, &str)> = versions
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, vec![(3, "archive"), (2, "update"), (1, "create")]);
    assert_eq!(versions[0]["changed_by"], "staff-user");
    let fields = |v: &Value| -> Vec<String> {
        v["diff"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(fields(&versions[1]), vec!["geometry", "name", "status"]);
    assert_eq!(versions[1]["diff"][1]["before"], "歴史のあるサロン");
    assert_eq!(versions[1]["diff"][1]["after"], "改名したサロン");
    assert_eq!(fields(&versions[0]), vec!["status"]);
    assert!(fields(&versions[2]).is_empty());

    let restored = staff
        .write(
            Method::POST,
            &format!("{}/restore", item(&id)),
            Some(3),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(restored.status, 200, "{}", restored.body);
    assert_eq!(restored.etag_version(), 4);
    assert_eq!(restored.body["properties"]["name"], "歴史のあるサロン");
    assert_eq!(restored.body["properties"]["status"], "draft");
    assert_eq!(
        restored.body["geometry"]["coordinates"],
        json!([136.1009, 34.6197])
    );
    let history = staff.get(&format!("{}/history", item(&id))).await;
    assert_eq!(history.body["versions"][0]["change"], "restore");
    staff
        .write(
            Method::POST,
            &format!("{}/restore", item(&id)),
            Some(4),
            Some(json!({"version": 99})),
        )
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn verifying_a_place_takes_it_off_the_review_list() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let review = staff.get("/api/review?days=180").await;
    assert_eq!(review.status, 200);
    let listed = review.features();
    assert!(!listed.is_empty(), "some sample places are unverified");
    // Never verified first, then oldest first.
    let dates: Vec<Option<&str>> = listed
        .iter()
        .map(|f| f["properties"]["verified_at"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(
        listed
            .iter()
            .all(|f| f["properties"]["status"] == "published")
    );

    let first = &listed[0];
    let id = first["id"].as_str().unwrap();
    let version = first["properties"]["version"].as_i64().unwrap();
    let verified = staff
        .write(
            Method::POST,
            &format!("{}/verify", item(id)),
            Some(version),
            None,
        )
        .await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap())
        .date()
        .to_string();
    assert_eq!(verified.body["properties"]["verified_at"], today.as_str());
    let after = staff.get("/api/review?days=180").await;
    assert_eq!(after.matched(), review.matched() - 1);
    assert!(after.features().iter().all(|f| f["id"] != id));
    staff.get("/api/review?days=0").await.assert_problem(400);
    staff.get("/api/review?x=1").await.assert_problem(400);
}

#[tokio::test]
async fn bad_bodies_list_every_field_at_fault_and_store_nothing() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let before = staff
        .get(&format!("{ITEMS}?status=draft,published,archived"))
        .await
        .matched();
    let bad = json!({
        "type": "Feature",
        "id": "chosen-by-client",
        "geometry": {"type": "Point", "coordinates": [34.62, 136.10]},
        "properties": {"category": "no-such-category", "url": "javascript:alert(1)",
                       "colour": "red", "name": ""}
    });
    let a = staff.write(Method::POST, ITEMS, None, Some(bad)).await;
    a.assert_problem(422);
    let mut fields: Vec<&str> = a.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(fields, vec!["id", "properties.colour"]);

    let rules = json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [34.62, 136.10]},
        "properties": {"category": "no-such-category", "url": "javascript:alert(1)", "name": ""}
    });
    let a = staff.write(Method::POST, ITEMS, None, Some(rules)).await;
    a.assert_problem(422);
    let mut fields: Vec<&str> = a.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    fields.dedup();
    assert_eq!(fields, vec!["category", "geometry", "name", "url"]);

    for body in [
        json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[136.1, 34.6], [136.2, 34.7]]}, "properties": {"name": "線", "category": "salon"}}),
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.1, 34.6, 10.0]}, "properties": {"name": "3D", "category": "salon"}}),
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.1, 34.6]}, "properties": {"name": "x".repeat(201), "category": "salon"}}),
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.1, 34.6]}, "properties": {"name": "NUL\u{0}", "category": "salon"}}),
        json!([1, 2, 3]),
    ] {
        staff
            .write(Method::POST, ITEMS, None, Some(body))
            .await
            .assert_problem(422);
    }
    let not_json = staff
        .send(
            staff
                .request(Method::POST, ITEMS)
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    not_json.assert_problem(400);
    let too_big = staff
        .send(
            staff
                .request(Method::POST, ITEMS)
                .header("content-type", "application/json")
                .body(vec![b' '; 300 * 1024]),
        )
        .await;
    too_big.assert_problem(413);
    assert_eq!(
        staff
            .get(&format!("{ITEMS}?status=draft,published,archived"))
            .await
            .matched(),
        before
    );
}

/// Every route × every kind of caller: allowed or denied as the table says, and a private
/// record never shows through a body, a count or a 403-versus-404 difference.
#[tokio::test]
async fn the_role_matrix_holds_for_every_route() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let admin = s.session_as(Role::Admin).await;
    let linkworker = s.session_as(Role::Linkworker).await;
    s.add_user("gone", Role::Staff).await;
    let disabled = s.login("gone").await;
    tsunagari::accounts::Accounts::new(s.places.store().clone(), AuthConfig::default())
        .disable("gone")
        .await
        .unwrap();
    let draft = create(&staff, "役割確認の下書き").await;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Who {
        Anonymous,
        Linkworker,
        Staff,
        Admin,
        Disabled,
    }
    use Who::*;
    let everyone = [Anonymous, Linkworker, Staff, Admin, Disabled];
    let caller = |who: Who| -> Option<&Session> {
        match who {
            Anonymous => None,
            Linkworker => Some(&linkworker),
            Staff => Some(&staff),
            Admin => Some(&admin),
            Disabled => Some(&disabled),
        }
    };
    // (method, path, body, status for anonymous/disabled, for a link worker, for staff/admin)
    let published = s.first_place_id().await;
    let routes: Vec<(Method, String, Option<Value>, u16, u16, u16)> = vec![
        (Method::GET, "/api/me".into(), None, 401, 200, 200),
        (
            Method::GET,
            format!("{ITEMS}?status=draft"),
            None,
            401,
            403,
            200,
        ),
        (Method::GET, item(&draft), None, 404, 404, 200),
        (Method::GET, item(&published), None, 200, 200, 200),
        (
            Method::GET,
            format!("{}/history", item(&draft)),
            None,
            401,
            403,
            200,
        ),
        (Method::GET, "/api/review".into(), None, 401, 403, 200),
        (Method::GET, "/api/gaps".into(), None, 401, 403, 200),
        (
            Method::POST,
            ITEMS.into(),
            Some(feature("行列")),
            401,
            403,
            201,
        ),
        (
            Method::PATCH,
            item(&draft),
            Some(json!({"properties": {"cost": "無料"}})),
            401,
            403,
            200,
        ),
        (
            Method::POST,
            format!("{}/verify", item(&draft)),
            None,
            401,
            403,
            200,
        ),
        (
            Method::PUT,
            item(&draft),
            Some(feature("行列 改")),
            401,
            403,
            200,
        ),
        (
            Method::POST,
            format!("{}/restore", item(&draft)),
            Some(json!({"version": 1})),
            401,
            403,
            200,
        ),
        (
            Method::POST,
            "/api/schedules/interpret".into(),
            Some(json!({"text": "毎週火曜 10時〜12時"})),
            401,
            403,
            200,
        ),
        (
            Method::POST,
            "/api/linkworker/search".into(),
            Some(json!({"near": [136.1, 34.63], "radius": 2000})),
            401,
            200,
            200,
        ),
        (Method::GET, "/api/towns".into(), None, 200, 200, 200),
        (Method::DELETE, item(&draft), None, 401, 403, 200),
    ];
    for (method, path, body, outside, link, inside) in &routes {
        for who in everyone {
            let expected = match who {
                Anonymous | Disabled => *outside,
                Linkworker => *link,
                Staff | Admin => *inside,
            };
            // Each write needs the place's current version.
            let version = staff.get(&item(&draft)).await.etag_version();
            let a = match caller(who) {
                Some(session) => {
                    session
                        .write(method.clone(), path, Some(version), body.clone())
                        .await
                }
                None => {
                    let mut r = s
                        .client
                        .request(method.clone(), s.url(path))
                        .header("if-match", format!("\"{version}\""));
                    if let Some(b) = body {
                        r = r.json(b);
                    }
                    common::answer_of(r.send().await.unwrap()).await
                }
            };
            assert_eq!(a.status, expected, "{method} {path} as {who:?}: {}", a.body);
            if a.status >= 400 {
                assert_eq!(a.content_type, "application/problem+json");
                assert!(
                    !a.body.to_string().contains("役割確認"),
                    "{method} {path} as {who:?} leaks the draft: {}",
                    a.body
                );
            }
        }
    }
}
