//! A real GIS client reads the service: GDAL's OGC API – Features driver (`ogrinfo`, from
//! Debian's gdal-bin) lists the layer, reads every feature with its attributes, and forwards
//! attribute filters to our query parameters.

mod common;

use common::{TestServer, require_tool};
use std::process::Command;

async fn ogrinfo(args: Vec<String>) -> String {
    ogrinfo_fetching(args).await.0
}

/// Runs ogrinfo with GDAL's debug output on, and returns its output and every URL it
/// fetched, as GDAL itself reports them (`HTTP: Fetch(…)`).
async fn ogrinfo_fetching(args: Vec<String>) -> (String, Vec<String>) {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("ogrinfo")
            .args(&args)
            .env("GDAL_HTTP_TIMEOUT", "30")
            .env("CPL_DEBUG", "ON")
            .output()
            .expect("ogrinfo runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let debug = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "ogrinfo {args:?} failed: {text}{debug}"
        );
        // Debug lines may be interleaved with the output on the same stream; find each
        // `HTTP: Fetch(` wherever it starts.
        let both = format!("{debug}\n{text}");
        let fetched = both
            .split("HTTP: Fetch(")
            .skip(1)
            .filter_map(|rest| rest.split_once(')').map(|(url, _)| url.to_owned()))
            .collect();
        (text, fetched)
    })
    .await
    .expect("ogrinfo task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_lists_the_layer_and_reads_every_feature_with_its_attributes() {
    if !require_tool("ogrinfo", "reading the API with GDAL") {
        return;
    }
    let s = TestServer::start().await;
    let source = format!("OAPIF:{}/api", s.base);
    let api = s.get("/api/collections/places/items?limit=10000").await;
    let published = api.matched();

    let summary = ogrinfo(vec![
        "-ro".into(),
        "-so".into(),
        source.clone(),
        "places".into(),
    ])
    .await;
    assert!(summary.contains("Geometry: Point"), "{summary}");
    assert!(
        summary.contains(&format!("Feature Count: {published}")),
        "{summary}"
    );
    for field in [
        "name: String",
        "category: String",
        "area: String",
        "tags: StringList",
        "verified_at: Date",
        "version: Integer",
    ] {
        assert!(
            summary.contains(field),
            "GDAL did not see {field}: {summary}"
        );
    }

    let all = ogrinfo(vec![
        "-ro".into(),
        "-al".into(),
        "-q".into(),
        source.clone(),
        "places".into(),
    ])
    .await;
    assert_eq!(
        all.matches("OGRFeature(places):").count() as u64,
        published,
        "every feature read"
    );
    for f in api.features() {
        let name = f["properties"]["name"].as_str().unwrap();
        assert!(
            all.contains(&format!("name (String) = {name}\n")),
            "{name} missing from GDAL's read"
        );
    }
    // One feature in full: attributes and geometry agree with the API.
    let first = &api.features()[0];
    let id = first["id"].as_str().unwrap();
    let block = all
        .split("OGRFeature(places):")
        .find(|b| b.contains(id))
        .expect("feature by id");
    let p = &first["properties"];
    assert!(block.contains(&format!(
        "category (String) = {}",
        p["category"].as_str().unwrap()
    )));
    let c = &first["geometry"]["coordinates"];
    assert!(
        block.contains(&format!("POINT ({} {})", c[0], c[1])),
        "{block}"
    );
}

/// GDAL forwards `-where` on a declared parameter to the server instead of filtering every
/// feature itself: what it fetched says so (a count alone cannot tell, since filtering on the
/// client finds the same features). It finds the items parameters in the OpenAPI document at
/// `paths["/collections/places/items"]`, relative to the landing page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_sends_attribute_and_time_filters_to_the_server() {
    if !require_tool("ogrinfo", "GDAL forwarding filters to the server") {
        return;
    }
    let s = TestServer::start().await;
    let source = format!("OAPIF:{}/api", s.base);
    let items = format!("{}/api/collections/places/items", s.base);
    let salons = s
        .get("/api/collections/places/items?category=salon")
        .await
        .matched();
    assert!(salons > 0);
    let (filtered, fetched) = ogrinfo_fetching(vec![
        "-ro".into(),
        "-al".into(),
        "-q".into(),
        "-where".into(),
        "category='salon'".into(),
        source.clone(),
        "places".into(),
    ])
    .await;
    assert_eq!(
        filtered.matches("OGRFeature(places):").count() as u64,
        salons
    );
    let pages: Vec<&String> = fetched
        .iter()
        .filter(|u| u.starts_with(&items) && !u.ends_with("?limit=10"))
        .collect();
    assert!(
        !pages.is_empty(),
        "GDAL fetched no filtered page: {fetched:?}"
    );
    for url in &pages {
        assert!(
            url.contains("category=salon"),
            "GDAL fetched {url} without the filter (all: {fetched:?})"
        );
    }

    // `updated_at >= '2020-01-01'` becomes `datetime=2020-01-01T%2F..`, which is answered.
    let all = s.get("/api/collections/places/items").await.matched();
    let (since, fetched) = ogrinfo_fetching(vec![
        "-ro".into(),
        "-al".into(),
        "-q".into(),
        "-oo".into(),
        "PAGE_SIZE=1000".into(),
        "-where".into(),
        "updated_at >= '2020-01-01'".into(),
        source,
        "places".into(),
    ])
    .await;
    assert!(
        fetched.iter().any(|u| u.contains("datetime=2020-01-01")),
        "GDAL did not send datetime: {fetched:?}"
    );
    assert_eq!(since.matches("OGRFeature(places):").count() as u64, all);
}
