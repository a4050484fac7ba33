//! Two promises of the read path, checked by listening to everything the process logs at
//! `trace` level (every crate, `sqlx` statements included):
//! - logs never hold a query string (a search's words or coordinates), nor a concrete path;
//! - reads never touch the database: many reads add no SQL statement.
//!
//! Both tests share one process-wide log capture, so they take turns (`TURN`).

mod common;
#[path = "common/log_capture.rs"]
mod log_capture;

use common::TestServer;

/// The SQL comment on the statements that follow the change log (the SQLite poll and the
/// catch-up after a poll or a notification): they run on a timer or a notification, whatever
/// the requests do, and are not reads. PostgreSQL's `LISTEN` is the same follower's.
const FOLLOWER_MARKS: [&str; 2] = ["/* change-log */", "LISTEN \"tsunagari_changes\""];

/// SQL statements executed (sqlx's `sqlx::query` events) among `lines`, the change-log
/// follower's excepted.
fn statements(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.starts_with("sqlx::query ") && !FOLLOWER_MARKS.iter().any(|m| l.contains(m)))
        .cloned()
        .collect()
}

/// One test at a time: both read the shared capture.
async fn take_turn() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_never_hold_a_query_string_or_a_concrete_path() {
    let _turn = take_turn().await;
    log_capture::assert_trace_is_on();
    let s = TestServer::start().await;
    let id = s.first_place_id().await;
    // Distinctive values: none of them may appear in any log line or span.
    let secrets = [
        "ひみつのことば",
        "136.123457",
        "34.654321",
        "4321.25",
        "136.111119",
        "987654321",
        "zzsecretpath",
    ];
    let requests = [
        "/api/collections/places/items?q=ひみつのことば".to_owned(),
        "/api/collections/places/items?near=136.123457,34.654321&radius=4321.25".to_owned(),
        "/api/collections/places/items?bbox=136.111119,34.6,136.2,34.7&limit=987654321".to_owned(),
        "/api/collections/places/items?limit=987654321abc".to_owned(),
        format!("/api/collections/places/items/{id}?near=136.123457,34.654321"),
        "/api/suggest?q=ひみつのことば".to_owned(),
        "/api/zzsecretpath?q=ひみつのことば".to_owned(),
        "/?q=ひみつのことば&near=136.123457,34.654321".to_owned(),
    ];
    let before = log_capture::count();
    for path in &requests {
        let status = s.get(path).await.status;
        assert!(status < 500, "{path}: {status}");
    }
    let lines = log_capture::since(before);
    // The capture does see the server's access log: one line per items request, by route.
    let access = lines
        .iter()
        .filter(|l| l.contains("route=/api/collections/places/items"))
        .count();
    assert!(access >= 5, "the access log is captured: {lines:#?}");
    let leaks: Vec<&String> = lines
        .iter()
        .filter(|l| secrets.iter().any(|secret| l.contains(secret)) || l.contains(&id))
        .collect();
    assert!(leaks.is_empty(), "logged: {leaks:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_never_touch_the_database() {
    let _turn = take_turn().await;
    log_capture::assert_trace_is_on();
    let s = TestServer::start().await;
    let id = s.first_place_id().await;
    // The capture does see statements: start-up ran some.
    assert!(
        !statements(&log_capture::since(0)).is_empty(),
        "sqlx statements are captured"
    );
    let before = log_capture::count();
    let reads = [
        "/api".to_owned(),
        "/api/conformance".to_owned(),
        "/api/collections".to_owned(),
        "/api/collections/places".to_owned(),
        "/api/collections/places/items".to_owned(),
        "/api/collections/places/items?limit=10000".to_owned(),
        "/api/collections/places/items?q=サロン&category=salon".to_owned(),
        "/api/collections/places/items?q=子供&near=136.1,34.62&limit=5".to_owned(),
        "/api/suggest?q=ききょう".to_owned(),
        "/api/collections/places/items?near=136.1,34.62&radius=3000".to_owned(),
        "/api/collections/places/items?near=136.1,34.62&limit=5&offset=5".to_owned(),
        "/api/collections/places/items?bbox=136.0,34.5,136.2,34.7&area=nabari".to_owned(),
        format!("/api/collections/places/items/{id}"),
        "/api/categories".to_owned(),
        "/api/areas".to_owned(),
        "/api/openapi.json".to_owned(),
        "/".to_owned(),
    ];
    for _ in 0..20 {
        for path in &reads {
            let status = s.get(path).await.status;
            assert_eq!(status, 200, "{path}");
        }
    }
    let statements = statements(&log_capture::since(before));
    assert!(
        statements.is_empty(),
        "{} reads ran SQL: {statements:#?}",
        reads.len() * 20
    );
}
