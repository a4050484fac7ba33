//! The web pages and their assets are served by the binary itself, with the security headers,
//! revalidation, and nothing outside `web/`.

mod common;

use common::TestServer;

#[tokio::test]
async fn the_map_page_and_its_libraries_are_served_without_a_cdn() {
    let s = TestServer::start().await;
    let page = s.client.get(s.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("lang=\"ja\""), "Japanese by default");
    for asset in [
        "/js/main.js",
        "/css/app.css",
        "/vendor/leaflet/leaflet.js",
        "/vendor/markercluster/leaflet.markercluster.js",
    ] {
        assert!(html.contains(asset), "{asset} not referenced");
        let r = s.client.get(s.url(asset)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{asset} (run `npm ci --prefix web` first)");
    }
    assert!(
        !html.contains("://unpkg") && !html.contains("://cdn"),
        "no CDN"
    );
}

#[tokio::test]
async fn the_staff_page_is_served_with_the_same_policy_and_holds_no_data() {
    let s = TestServer::start().await;
    let page = s.client.get(s.url("/staff")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("lang=\"ja\""), "Japanese by default");
    for asset in ["/js/staff.js", "/css/app.css", "/css/staff.css"] {
        assert!(html.contains(asset), "{asset} not referenced");
        let r = s.client.get(s.url(asset)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{asset}");
    }
    // The page is a shell: everything it shows comes from routes that check the session.
    assert!(!html.contains("<script>") && !html.contains("style="));
}

#[tokio::test]
async fn the_link_worker_page_and_the_shared_list_are_shells_with_their_qr_library() {
    let s = TestServer::start().await;
    for (path, assets) in [
        (
            "/linkworker",
            &["/js/linkworker.js", "/css/linkworker.css", "/css/staff.css"][..],
        ),
        ("/list", &["/js/shared-list.js", "/css/linkworker.css"][..]),
    ] {
        let page = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let csp = page.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        let html = page.text().await.unwrap();
        assert!(html.contains("lang=\"ja\""), "{path}");
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "{path}"
        );
        for asset in assets {
            assert!(html.contains(asset), "{path}: {asset} not referenced");
            let r = s.client.get(s.url(asset)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{asset}");
        }
    }
    // The QR code library comes from npm (web/node_modules), as a JavaScript module.
    let qr = s
        .client
        .get(s.url("/vendor/qrcode-generator/qrcode.mjs"))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.status(), 200);
    assert!(
        qr.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(qr.text().await.unwrap().contains("export default qrcode"));
    // Only the module is served from the package.
    let other = s
        .client
        .get(s.url("/vendor/qrcode-generator/qrcode.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn assets_revalidate_with_etags() {
    let s = TestServer::start().await;
    let first = s.client.get(s.url("/js/main.js")).send().await.unwrap();
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].clone();
    let again = s
        .client
        .get(s.url("/js/main.js"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn nothing_outside_the_asset_folders_is_served() {
    let s = TestServer::start().await;
    // reqwest normalises `..` away, so send the raw request line ourselves.
    let addr = s.base.trim_start_matches("http://").to_owned();
    for path in [
        "/js/../../Cargo.toml",
        "/css/../index.html",
        "/js/..%2f..%2fCargo.toml",
        "/vendor/leaflet/../../package.json",
        "/js/./main.js",
        "/package.json",
        "/index.html",
    ] {
        let status = raw_get_status(&addr, path).await;
        assert_eq!(status, 404, "{path}");
    }
}

async fn raw_get_status(addr: &str, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let head = String::from_utf8_lossy(&response);
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line")
}
