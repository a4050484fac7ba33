//! Clients that do not play along: ones that ask for large answers and then read nothing,
//! and requests so malformed that they are refused before any handler runs.

mod common;

use common::TestServer;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tsunagari::config::HttpConfig;

const LARGE: &str = "/api/collections/places/items?limit=10000";

/// A server holding enough places that one `limit=10000` answer (several MB) is larger than
/// every buffer between the server and a client that does not read.
async fn server_with_many_places(http: HttpConfig) -> TestServer {
    let s = TestServer::start_with(http).await;
    let reference = s.places.read().reference().clone();
    let fields = tsunagari::generate::synthetic_places(12_000, 7)
        .map(|p| p.validate(&reference).expect("generated places are valid"))
        .collect();
    s.places.create(fields, "test").await.expect("created");
    s
}

/// Connects with a small receive window, sends `path`, reads the status line and headers
/// only, and returns the connection (unread) with the status and Content-Length.
async fn ask_and_stop_reading(s: &TestServer, path: &str) -> (TcpStream, u16, usize) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let addr = s.base.trim_start_matches("http://").parse().unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).await.unwrap(),
            1,
            "headers ended early"
        );
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let status = head[9..12].parse().unwrap();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .map_or(0, |v| v.trim().parse().unwrap());
    (stream, status, length)
}

/// A large answer is streamed (its size is never built up in memory per client) and holds
/// one of a bounded number of permits while a client leaves it unread: beyond them, large
/// requests answer 503 with Retry-After, while small ones are still served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_answers_in_flight_are_bounded() {
    let s = server_with_many_places(HttpConfig {
        large_answers: 1,
        // Never, within this test: the unread answer must stay in flight.
        write_timeout: Duration::from_secs(3600),
        ..HttpConfig::default()
    })
    .await;
    let (slow, status, length) = ask_and_stop_reading(&s, LARGE).await;
    assert_eq!(status, 200);
    let buffers = kernel_send_buffer_max() + 2_000_000;
    assert!(
        length > buffers,
        "the answer ({length} bytes) must outgrow the buffers ({buffers}) for this test to \
         mean anything: add places"
    );

    let busy = s.get(LARGE).await;
    busy.assert_problem(503);
    let retry: u64 = busy.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert!(busy.headers.contains_key("content-security-policy"));

    let small = s.get("/api/collections/places/items?limit=50").await;
    assert_eq!(small.status, 200, "small answers need no permit");
    assert_eq!(small.features().len(), 50);

    // The client goes away: its permit comes back.
    drop(slow);
    wait_until_a_large_answer_is_served(&s).await;
}

/// A client that asks for a large answer and reads nothing is disconnected after the write
/// timeout, and its permit is returned to others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_reads_nothing_is_disconnected() {
    let s = server_with_many_places(HttpConfig {
        large_answers: 1,
        write_timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    })
    .await;
    let (mut slow, status, length) = ask_and_stop_reading(&s, LARGE).await;
    assert_eq!(status, 200);
    // The permit is only returned when the server gives up on the silent client.
    wait_until_a_large_answer_is_served(&s).await;
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), slow.read_to_end(&mut rest))
        .await
        .expect("the server closed the connection");
    assert!(
        rest.len() < length,
        "the silent client got all {length} bytes; it should have been cut off"
    );
}

/// The most a socket's send buffer may grow to (Linux `tcp_wmem`), where the kernel can hold
/// part of an answer the client has not read.
fn kernel_send_buffer_max() -> usize {
    std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
        .ok()
        .and_then(|s| s.split_whitespace().last()?.parse().ok())
        .unwrap_or(4 * 1024 * 1024)
}

/// Polls until a large answer is served in full (a permit is free again). The bound only
/// keeps a regression from hanging the suite.
async fn wait_until_a_large_answer_is_served(s: &TestServer) {
    for _ in 0..600 {
        let a = s.get(LARGE).await;
        if a.status == 200 {
            assert_eq!(a.features().len(), 10_000);
            return;
        }
        a.assert_problem(503);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no permit came back");
}

fn assert_security_headers(a: &common::Answer, what: &str) {
    assert!(
        a.headers.contains_key("content-security-policy"),
        "{what}: no CSP"
    );
    assert_eq!(a.headers["x-content-type-options"], "nosniff", "{what}");
}

/// Requests refused before a handler runs answer problem+json with the security headers:
/// a path segment that is not UTF-8, an over-long URI, too many or too large headers.
#[tokio::test]
async fn requests_refused_before_the_handlers_answer_problem_json() {
    let s = TestServer::start().await;

    let a = s.get("/api/collections/places/items/%FF%FE").await;
    a.assert_problem(400);
    assert_security_headers(&a, "invalid UTF-8 in the path");

    let long = format!("/api/collections/places/items?q={}", "a".repeat(10_000));
    let a = s.get(&long).await;
    a.assert_problem(414);
    assert_security_headers(&a, "long URI");

    let big = s
        .client
        .get(s.url("/api"))
        .header("x-big", "a".repeat(20_000))
        .send()
        .await
        .unwrap();
    let a = common::answer(big).await;
    a.assert_problem(431);
    assert_security_headers(&a, "large header");

    let mut many = s.client.get(s.url("/api"));
    for i in 0..80 {
        many = many.header(format!("x-h{i}"), "1");
    }
    let a = common::answer(many.send().await.unwrap()).await;
    a.assert_problem(431);
    assert_security_headers(&a, "many headers");

    // Beyond hyper's own limit (a URI over 65,534 bytes) hyper answers by itself, bare:
    // what README says remains.
    let mut raw = TcpStream::connect(s.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let huge = format!(
        "GET /api?{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    let _ = raw.write_all(huge.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = raw.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 414"), "{answer}");
}
