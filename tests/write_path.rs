//! The single write path: a change is in the database and in the index at once, every
//! version is kept in the history, and a restart rebuilds the same index from the database.

mod common;

use common::TestServer;
use tsunagari::domain::{PlaceFields, PlaceInput, Reference, Status};
use tsunagari::store::{Change, StoreError};

const ITEMS: &str = "/api/collections/places/items";

fn fields(name: &str, lon: f64, lat: f64, status: &str) -> PlaceFields {
    PlaceInput {
        name: Some(name.into()),
        category: Some("kodomo_shokudo".into()),
        location: Some((lon, lat)),
        status: Some(status.into()),
        description: Some("毎月第2土曜のお昼ごはん".into()),
        ..Default::default()
    }
    .validate(&Reference::builtin())
    .expect("valid")
}

#[tokio::test]
async fn a_new_place_is_visible_to_the_very_next_read() {
    let s = TestServer::start().await;
    let before = s.get(ITEMS).await.matched();
    let created = s
        .places
        .create(
            vec![fields(
                "すずらん子ども食堂 テスト",
                136.15,
                34.60,
                "published",
            )],
            "staff-a",
        )
        .await
        .unwrap();
    let id = created[0].id;
    assert_eq!(created[0].version, 1);
    let after = s.get(ITEMS).await;
    assert_eq!(after.matched(), before + 1);
    let found = s.get(&format!("{ITEMS}?q=すずらん子ども食堂")).await;
    assert_eq!(found.names(), vec!["すずらん子ども食堂 テスト"]);
    let near = s.get(&format!("{ITEMS}?near=136.15,34.60&limit=1")).await;
    assert_eq!(near.features()[0]["id"], id.to_string().as_str());
}

#[tokio::test]
async fn moving_editing_and_archiving_are_reflected_at_once_and_kept_in_history() {
    let s = TestServer::start().await;
    let created = s
        .places
        .create(
            vec![fields("旧名 食堂", 136.15, 34.60, "published")],
            "staff-a",
        )
        .await
        .unwrap();
    let id = created[0].id;

    // Move it about 5 km north and rename it.
    let moved = s
        .places
        .update(
            id,
            1,
            fields("新名 食堂", 136.15, 34.645, "published"),
            "staff-b",
        )
        .await
        .unwrap();
    assert_eq!(moved.version, 2);
    let old_spot = s
        .get(&format!("{ITEMS}?near=136.15,34.60&radius=100"))
        .await;
    assert!(
        !old_spot
            .features()
            .iter()
            .any(|f| f["id"] == id.to_string().as_str()),
        "not at the old spot"
    );
    let new_spot = s
        .get(&format!("{ITEMS}?near=136.15,34.645&radius=100"))
        .await;
    assert_eq!(new_spot.names(), vec!["新名 食堂"]);
    assert_eq!(
        s.get(&format!("{ITEMS}?q=旧名")).await.matched(),
        0,
        "the old name is no longer found"
    );
    let item = s.get(&format!("{ITEMS}/{id}")).await;
    assert_eq!(item.body["properties"]["version"], 2);

    // Archive: gone from every public view, but kept.
    let archived = s.places.archive(id, 2, "staff-c").await.unwrap();
    assert_eq!(archived.fields.status, Status::Archived);
    s.get(&format!("{ITEMS}/{id}")).await.assert_problem(404);
    assert_eq!(s.get(&format!("{ITEMS}?q=新名")).await.matched(), 0);

    let history = s.places.history(id).await.unwrap();
    let summary: Vec<(i64, Change, &str, &str)> = history
        .iter()
        .map(|h| {
            (
                h.version,
                h.change,
                h.changed_by.as_str(),
                h.record.fields.name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, Change::Create, "staff-a", "旧名 食堂"),
            (2, Change::Update, "staff-b", "新名 食堂"),
            (3, Change::Archive, "staff-c", "新名 食堂"),
        ]
    );
    assert_eq!(
        history[0].record.fields.location.lat(),
        34.60,
        "each version keeps its own content"
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_and_changes_nothing() {
    let s = TestServer::start().await;
    let id = s
        .places
        .create(vec![fields("版 テスト", 136.1, 34.6, "published")], "a")
        .await
        .unwrap()[0]
        .id;
    s.places
        .update(id, 1, fields("版 テスト 2", 136.1, 34.6, "published"), "a")
        .await
        .unwrap();
    let stale = s
        .places
        .update(id, 1, fields("上書き", 136.1, 34.6, "published"), "b")
        .await;
    assert!(
        matches!(stale, Err(StoreError::VersionConflict { .. })),
        "{stale:?}"
    );
    assert_eq!(s.get(&format!("{ITEMS}?q=上書き")).await.matched(), 0);
    assert_eq!(s.places.history(id).await.unwrap().len(), 2);
    let unknown = s.places.archive(uuid::Uuid::new_v4(), 1, "a").await;
    assert!(matches!(unknown, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn a_restart_rebuilds_the_same_index_and_does_not_reload_the_sample() {
    let s = TestServer::start().await;
    let id = s
        .places
        .create(vec![fields("再起動 テスト", 136.12, 34.61, "draft")], "a")
        .await
        .unwrap()[0]
        .id;
    s.places
        .update(
            id,
            1,
            fields("再起動 テスト", 136.12, 34.61, "published"),
            "a",
        )
        .await
        .unwrap();
    let before = s.get(&format!("{ITEMS}?limit=10000")).await;
    let total_before = s.places.read().len();

    let s = s.restart().await;
    assert_eq!(
        s.places.read().len(),
        total_before,
        "sample not loaded twice"
    );
    let after = s.get(&format!("{ITEMS}?limit=10000")).await;
    assert_eq!(
        after.body["features"], before.body["features"],
        "same places, same order, same content"
    );
    assert_eq!(
        s.get(&format!("{ITEMS}/{id}")).await.body["properties"]["version"],
        2
    );
}

#[tokio::test]
async fn an_empty_server_serves_empty_collections() {
    let s = TestServer::start_empty().await;
    let a = s.get(ITEMS).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.matched(), 0);
    assert!(a.features().is_empty());
    let c = s.get("/api/collections/places").await;
    assert!(c.body.get("extent").is_none(), "no extent without places");
    let near = s.get(&format!("{ITEMS}?near=136.1,34.6&limit=5")).await;
    assert_eq!(near.matched(), 0);
}

#[tokio::test]
async fn start_up_reads_every_place_across_many_pages_in_order() {
    let s = TestServer::start_empty().await;
    let reference = Reference::builtin();
    // Two full pages of the loader and one more place.
    let fields: Vec<PlaceFields> = tsunagari::generate::synthetic_places(4096 * 2 + 1, 3)
        .map(|p| p.validate(&reference).expect("valid"))
        .collect();
    let created = s.places.create(fields, "bulk").await.unwrap();
    let s = s.restart().await;
    let ids: Vec<uuid::Uuid> = s.places.read().entries().map(|e| e.id).collect();
    let expected: Vec<uuid::Uuid> = created.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), expected.len());
    assert!(ids == expected, "every place, once, in registration order");
}
