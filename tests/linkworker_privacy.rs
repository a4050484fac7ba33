//! The client's location is never kept: link-worker searches with distinctive coordinates,
//! everything the process logs captured at `trace` (every crate, spans and their later
//! fields included), then the logs and the database — SQLite's file, WAL and shared memory,
//! or every table on PostgreSQL — searched for the digits. A place written on purpose is
//! found by the same scan, so the scan is known to look where data lands.
//!
//! Its own test binary: the log capture is process-wide.

mod common;
#[path = "common/log_capture.rs"]
mod log_capture;

use common::{TestServer, on_postgres};
use reqwest::Method;
use serde_json::json;
use tsunagari::domain::Role;

const LON: f64 = 136.0912345;
const LAT: f64 = 34.6212345;
const RADIUS: f64 = 1234.5678;
/// What must never appear: the digits as any text would write them.
const SECRETS: [&str; 4] = ["0912345", "6212345", "1234.5678", "5.6212345"];
/// A control: a place name written on purpose, which the scans must find.
const CONTROL: &str = "対照用の場所ZQX";

/// Every byte the database holds, as text: SQLite's files (WAL and shared memory included,
/// read while the server runs), or every row of every table on PostgreSQL and the WAL
/// segments written since `since`.
async fn database_contents(s: &TestServer, since: std::time::SystemTime) -> Vec<u8> {
    if on_postgres() {
        let mut conn = {
            use sqlx::Connection;
            sqlx::PgConnection::connect(&s.database).await.unwrap()
        };
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert!(tables.len() > 3, "{tables:?}");
        let mut all = Vec::new();
        // The server's write-ahead log too, where this process may read it (the same machine,
        // as root or the postgres user): every segment written to since the test began.
        let data_dir: String = sqlx::query_scalar("SHOW data_directory")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let wal = std::path::Path::new(&data_dir).join("pg_wal");
        match std::fs::read_dir(&wal) {
            Ok(entries) => {
                let mut segments = Vec::new();
                for entry in entries.flatten() {
                    let recent = entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t >= since);
                    if recent && entry.path().is_file() {
                        segments.extend(std::fs::read(entry.path()).unwrap());
                    }
                }
                assert!(
                    holds(&segments, CONTROL.as_bytes()),
                    "the WAL segments read hold the place written on purpose"
                );
                all.extend(segments);
            }
            Err(e) => common::skipped(&format!(
                "the PostgreSQL WAL at {} is not readable here ({e}); tables only",
                wal.display()
            )),
        }
        for table in tables {
            let sql =
                format!("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \"{table}\" t");
            let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut conn)
                .await
                .unwrap();
            all.extend_from_slice(text.as_bytes());
        }
        all
    } else {
        let mut all = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let path = s.db().dir().join(format!("test.db{suffix}"));
            match std::fs::read(&path) {
                Ok(bytes) => all.extend(bytes),
                Err(e) if suffix == "-shm" => eprintln!("{}: {e}", path.display()),
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        all
    }
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_location_is_never_logged_nor_stored() {
    log_capture::assert_trace_is_on();
    let started = std::time::SystemTime::now();
    let s = TestServer::start().await;
    let lw = s.session_as(Role::Linkworker).await;
    let staff = s.session_as(Role::Staff).await;
    let before = log_capture::count();

    let search = |body: serde_json::Value| {
        lw.request(Method::POST, "/api/linkworker/search")
            .json(&body)
    };
    let good = lw
        .send(search(
            json!({"near": [LON, LAT], "radius": RADIUS, "categories": ["salon"],
                             "audience": "高齢者", "open_at": "2026-12-01", "limit": 20}),
        ))
        .await;
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(!good.features().is_empty(), "the search found places");
    let plain = lw.send(search(json!({"near": [LON, LAT]}))).await;
    assert_eq!(plain.status, 200);
    // Refused searches carry the digits too.
    let out_of_range = lw
        .send(search(json!({"near": [LON, 95.6212345], "radius": RADIUS})))
        .await;
    assert_eq!(out_of_range.status, 422);
    let broken = lw
        .send(
            lw.request(Method::POST, "/api/linkworker/search")
                .header("content-type", "application/json")
                .body(format!("{{\"near\": [{LON}, {LAT}], \"radius\": {RADIUS},")),
        )
        .await;
    assert_eq!(broken.status, 400);
    // Someone trying the search in a URL: refused, and still not logged.
    let by_url = lw
        .get(&format!(
            "/api/linkworker/search?near={LON},{LAT}&radius={RADIUS}"
        ))
        .await;
    assert_eq!(by_url.status, 405);

    // The control: a place written on purpose reaches the database files.
    let control = staff
        .write(
            Method::POST,
            "/api/collections/places/items",
            None,
            Some(json!({"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [136.1, 34.63]},
                "properties": {"name": CONTROL, "category": "salon"}})),
        )
        .await;
    assert_eq!(control.status, 201, "{}", control.body);

    let logged = log_capture::since(before);
    let searches_logged = logged
        .iter()
        .filter(|l| l.contains("route=/api/linkworker/search"))
        .count();
    assert!(
        searches_logged >= 4,
        "the access log is captured: {logged:#?}"
    );
    assert!(
        logged.iter().any(|l| l.contains(" TRACE")),
        "trace-level events are captured"
    );
    let leaks: Vec<&String> = logged
        .iter()
        .filter(|l| SECRETS.iter().any(|secret| l.contains(secret)))
        .collect();
    assert!(leaks.is_empty(), "logged: {leaks:#?}");

    let stored = database_contents(&s, started).await;
    assert!(
        holds(&stored, CONTROL.as_bytes()),
        "the scan sees what was written"
    );
    for secret in SECRETS {
        assert!(
            !holds(&stored, secret.as_bytes()),
            "{secret} is in the database"
        );
    }
    // Nor as binary floating-point numbers.
    for number in [LON, LAT, RADIUS] {
        for bytes in [number.to_le_bytes(), number.to_be_bytes()] {
            assert!(
                !holds(&stored, &bytes),
                "{number} is in the database as binary"
            );
        }
    }
}
