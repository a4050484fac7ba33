//! A real GIS client reads the service: GDAL's OGC API – Features driver (`ogrinfo`, from
//! Debian's gdal-bin) lists the layer, reads every feature with its attributes, and forwards
//! attribute filters to our query parameters.

mod common;

use common::{TestServer, require_tool};
use std::process::Command;

async fn ogrinfo(args: Vec<String>) -> String {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("ogrinfo")
            .args(&args)
            .env("GDAL_HTTP_TIMEOUT", "30")
            .output()
            .expect("ogrinfo runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "ogrinfo {args:?} failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
        text
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

    // GDAL forwards -where on a declared parameter to the server.
    let salons = s
        .get("/api/collections/places/items?category=salon")
        .await
        .matched();
    let filtered = ogrinfo(vec![
        "-ro".into(),
        "-al".into(),
        "-q".into(),
        "-where".into(),
        "category='salon'".into(),
        source,
        "places".into(),
    ])
    .await;
    assert_eq!(
        filtered.matches("OGRFeature(places):").count() as u64,
        salons
    );
}
