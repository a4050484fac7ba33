//! A client's story of the OGC API – Features documents: landing page, conformance,
//! collections, the OpenAPI document, and the reference lists.

mod common;

use common::TestServer;

#[tokio::test]
async fn landing_page_links_to_everything_a_client_needs() {
    let s = TestServer::start().await;
    let a = s.get("/api").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "application/json");
    for (rel, path) in [
        ("self", "/api"),
        ("service-desc", "/api/openapi.json"),
        ("conformance", "/api/conformance"),
        ("data", "/api/collections"),
    ] {
        let href = a.link(rel).unwrap_or_else(|| panic!("no {rel} link"));
        assert_eq!(href, s.url(path), "{rel}");
        assert_eq!(s.get_url(&href).await.status, 200, "{rel} link resolves");
    }
}

#[tokio::test]
async fn conformance_declares_core_geojson_and_oas30() {
    let s = TestServer::start().await;
    let a = s.get("/api/conformance").await;
    let classes: Vec<&str> = a.body["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for class in ["core", "geojson", "oas30"] {
        let uri = format!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{class}");
        assert!(classes.contains(&uri.as_str()), "{class} missing");
    }
    // oas30 is only honest if the document served is OpenAPI 3.0.
    let doc = s.get("/api/openapi.json").await;
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.0."));
}

#[tokio::test]
async fn collections_describe_places_with_an_extent_over_nabari() {
    let s = TestServer::start().await;
    let a = s.get("/api/collections").await;
    let places = &a.body["collections"][0];
    assert_eq!(places["id"], "places");
    assert_eq!(places["itemType"], "feature");
    let bbox = &places["extent"]["spatial"]["bbox"][0];
    let b: Vec<f64> = bbox
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        b[0] > 136.0 && b[2] < 136.25 && b[1] > 34.5 && b[3] < 34.75,
        "{b:?}"
    );
    let items = places["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "items")
        .unwrap();
    assert_eq!(items["type"], "application/geo+json");
    assert_eq!(items["href"], s.url("/api/collections/places/items"));
    let single = s.get("/api/collections/places").await;
    assert_eq!(single.body["id"], "places");
}

#[tokio::test]
async fn openapi_document_describes_every_route_and_items_parameter() {
    let s = TestServer::start().await;
    let a = s.get("/api/openapi.json").await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.content_type,
        "application/vnd.oai.openapi+json;version=3.0"
    );
    // Paths are relative to the server, the landing page: GDAL and ogctests look up
    // `paths["/collections/places/items"]` to learn the parameters they may send.
    assert_eq!(a.body["servers"][0]["url"], "/api");
    let paths = a.body["paths"].as_object().unwrap();
    for p in [
        "/",
        "/conformance",
        "/collections",
        "/collections/places",
        "/collections/places/items",
        "/collections/places/items/{id}",
        "/collections/places/queryables",
        "/categories",
        "/areas",
        "/towns",
        "/linkworker/search",
    ] {
        assert!(paths.contains_key(p), "{p} undocumented");
    }
    let params = a.body["paths"]["/collections/places/items"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in [
        "bbox", "limit", "offset", "category", "area", "q", "near", "radius", "datetime", "f",
    ] {
        assert!(names.contains(&name), "{name} undocumented");
    }
    let responses = &a.body["paths"]["/collections/places/items"]["get"]["responses"];
    for status in ["200", "400", "401", "503"] {
        assert!(
            responses[status].is_object(),
            "items: {status} undocumented"
        );
    }
}

#[tokio::test]
async fn categories_and_areas_list_reference_data_with_public_counts() {
    let s = TestServer::start().await;
    let cats = s.get("/api/categories").await;
    let cats = cats.body.as_array().unwrap();
    assert!(cats.len() >= 10);
    let codes: Vec<&str> = cats.iter().map(|c| c["code"].as_str().unwrap()).collect();
    for code in [
        "kayoinoba",
        "salon",
        "volunteer",
        "kodomo_shokudo",
        "machi_hokenshitsu",
    ] {
        assert!(codes.contains(&code));
    }
    let total: u64 = cats.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    let items = s.get("/api/collections/places/items").await;
    assert_eq!(
        total,
        items.matched(),
        "category counts cover exactly the published places"
    );

    let areas = s.get("/api/areas").await;
    let areas = areas.body.as_array().unwrap();
    assert!(areas.len() >= 10);
    for a in areas {
        assert!(a["name_ja"].is_string() && a["centroid"].as_array().unwrap().len() == 2);
    }
}

/// Readiness only: a count of places would reveal how many are unpublished.
#[tokio::test]
async fn health_check_reports_readiness_without_counts() {
    let s = TestServer::start().await;
    let a = s.get("/healthz").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_problem_json() {
    let s = TestServer::start().await;
    s.get("/api/nothing-here").await.assert_problem(404);
    s.get("/api/collections/notes/items")
        .await
        .assert_problem(404);
    s.request(reqwest::Method::POST, "/api/collections/places")
        .await
        .assert_problem(405);
    s.request(reqwest::Method::DELETE, "/api/conformance")
        .await
        .assert_problem(405);
}

fn assert_security_headers(a: &common::Answer, what: &str) {
    let csp = a
        .headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    let csp = csp.to_str().unwrap();
    for directive in [
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: CSP lacks {directive}");
    }
    assert_eq!(a.headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(a.headers["referrer-policy"], "no-referrer", "{what}");
}

/// Every route the OpenAPI document lists, the pages and assets, a 404 and a 405.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let s = TestServer::start().await;
    let doc = s.get("/api/openapi.json").await;
    let id = s.first_place_id().await;
    let server = doc.body["servers"][0]["url"].as_str().unwrap();
    let mut paths: Vec<String> = doc.body["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(p, item)| {
            let base = item["servers"][0]["url"].as_str().unwrap_or(server);
            format!("{}{}", base.trim_end_matches('/'), p.replace("{id}", &id))
        })
        .collect();
    assert!(paths.len() >= 10);
    paths.extend(
        [
            "/",
            "/js/main.js",
            "/css/app.css",
            "/vendor/leaflet/leaflet.js",
            "/vendor/qrcode-generator/qrcode.mjs",
            "/linkworker",
            "/list",
            "/api/nothing",
            "/api?bad=1",
        ]
        .map(String::from),
    );
    for path in &paths {
        let a = s.get(path).await;
        assert!(a.status < 500, "{path}");
        assert_security_headers(&a, path);
    }
    let a = s.request(reqwest::Method::PUT, "/api").await;
    assert_eq!(a.status, 405);
    assert_security_headers(&a, "PUT /api");
}

#[tokio::test]
async fn public_reads_allow_any_origin_without_credentials() {
    let s = TestServer::start().await;
    let a = s.get("/api/collections/places/items?limit=1").await;
    assert_eq!(a.headers["access-control-allow-origin"], "*");
    assert!(!a.headers.contains_key("access-control-allow-credentials"));
    let health = s.get("/healthz").await;
    assert!(!health.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn other_routes_refuse_unknown_parameters_too() {
    let s = TestServer::start().await;
    for path in [
        "/api?foo=1",
        "/api/conformance?x",
        "/api/collections?limit=5",
        "/api/categories?lang=en",
        "/api/areas?f=xml",
    ] {
        let a = s.get(path).await;
        a.assert_problem(400);
        assert!(a.body["parameter"].is_string(), "{path}");
    }
    assert_eq!(s.get("/api?f=json").await.status, 200);
    let id = s.first_place_id().await;
    s.get(&format!("/api/collections/places/items/{id}?bbox=1,2,3,4"))
        .await
        .assert_problem(400);
}

/// A client that trickles its headers, a byte every 100 ms, is cut off at the header-read
/// deadline: each byte does not buy it more time. Other clients are served meanwhile.
#[tokio::test]
async fn a_client_that_trickles_its_headers_is_disconnected_at_the_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::time::{Duration, Instant, interval};
    let s = TestServer::start().await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = slow.into_split();
    let trickle = tokio::spawn(async move {
        let mut tick = interval(Duration::from_millis(100));
        let mut sent = 0usize;
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
            .iter()
            .chain(std::iter::repeat(&b'a'))
        {
            tick.tick().await;
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            sent += 1;
        }
        sent
    });
    assert_eq!(
        s.get("/healthz").await.status,
        200,
        "others are served meanwhile"
    );
    let mut rest = Vec::new();
    // A bound so that a regression fails instead of hanging; the assertion is below.
    let closed = tokio::time::timeout(
        common::HEADER_READ_TIMEOUT * 20,
        reader.read_to_end(&mut rest),
    )
    .await;
    let lasted = started.elapsed();
    assert!(
        closed.is_ok(),
        "the server kept a trickling connection open past the header deadline"
    );
    assert!(
        lasted >= common::HEADER_READ_TIMEOUT,
        "closed after {lasted:?}, before the deadline"
    );
    let text = String::from_utf8_lossy(&rest);
    assert!(
        rest.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    trickle.abort();
}
