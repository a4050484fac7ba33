//! Test helpers: start the real server on a random port against a fresh database, and talk
//! to it like any client would.
#![allow(dead_code)] // each test binary uses a different part of this module

use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tempfile::TempDir;
use tsunagari::app::{self, Server};
use tsunagari::config::{HttpConfig, ReadingsConfig, ServeConfig};
use tsunagari::places::Places;

/// Short, so that the slow-client test runs quickly.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub places: Arc<Places>,
    pub database: String,
    server: Option<Server>,
    db: Arc<TestDatabase>,
}

/// A fresh database for one test, on the backend the suite runs against: SQLite by default,
/// PostgreSQL when `TSUNAGARI_TEST_BACKEND=postgres` (`make rust-test` runs the suite both
/// ways). A PostgreSQL database is created by the server on first use and dropped with this.
pub struct TestDatabase {
    pub url: String,
    dir: TempDir,
    postgres_name: Option<String>,
}

/// The PostgreSQL server the tests use; its `postgres` database serves for administration.
pub fn postgres_admin_url() -> String {
    std::env::var("TSUNAGARI_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn on_postgres() -> bool {
    std::env::var("TSUNAGARI_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

impl TestDatabase {
    pub fn new() -> Arc<Self> {
        let dir = TempDir::new().expect("temp dir");
        let (url, postgres_name) = if on_postgres() {
            let name = format!("tsunagari_test_{}", uuid::Uuid::new_v4().simple());
            let admin = postgres_admin_url();
            let base = admin.rsplit_once('/').expect("a database URL").0;
            (format!("{base}/{name}"), Some(name))
        } else {
            let path = dir.path().join("test.db");
            (format!("sqlite://{}", path.display()), None)
        };
        Arc::new(Self {
            url,
            dir,
            postgres_name,
        })
    }

    /// A directory that lives as long as the database, for files a test writes.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop may run inside a runtime; use a thread with its own.
        let admin = postgres_admin_url();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl TestServer {
    /// A server with the sample Nabari data.
    pub async fn start() -> Self {
        Self::start_on(TestDatabase::new(), true).await
    }

    /// A server with the sample Nabari data and this HTTP configuration.
    pub async fn start_with(http: HttpConfig) -> Self {
        Self::start_configured(TestDatabase::new(), true, http, ReadingsConfig::default()).await
    }

    /// A server with the sample Nabari data and readings from a dictionary (see
    /// [`dictionary`]).
    pub async fn start_with_readings(readings: ReadingsConfig) -> Self {
        Self::start_configured(TestDatabase::new(), true, HttpConfig::default(), readings).await
    }

    /// A server with an empty database.
    pub async fn start_empty() -> Self {
        Self::start_on(TestDatabase::new(), false).await
    }

    /// A server on a given database, which another server may share (as replicas do).
    pub async fn start_on(db: Arc<TestDatabase>, load_sample: bool) -> Self {
        Self::start_configured(
            db,
            load_sample,
            HttpConfig::default(),
            ReadingsConfig::default(),
        )
        .await
    }

    async fn start_configured(
        db: Arc<TestDatabase>,
        load_sample: bool,
        http: HttpConfig,
        readings: ReadingsConfig,
    ) -> Self {
        let database = db.url.clone();
        let config = ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: database.clone(),
            load_sample,
            header_read_timeout: HEADER_READ_TIMEOUT,
            http,
            readings,
        };
        let server = app::start(config).await.expect("server starts");
        Self {
            base: format!("http://{}", server.addr),
            // The server closes idle keep-alive connections at its (short, in tests) header
            // deadline; a client must not reuse one it may be closing.
            client: reqwest::Client::builder()
                .pool_idle_timeout(HEADER_READ_TIMEOUT / 2)
                .build()
                .expect("client"),
            places: server.places.clone(),
            database,
            server: Some(server),
            db,
        }
    }

    pub fn db(&self) -> &Arc<TestDatabase> {
        &self.db
    }

    /// Stops this server and starts a new one on the same database (as after a restart).
    pub async fn restart(mut self) -> Self {
        self.server
            .take()
            .expect("running")
            .stop()
            .await
            .expect("clean stop");
        Self::start_on(self.db.clone(), true).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Answer {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }

    pub async fn get_url(&self, url: &str) -> Answer {
        let response = self.client.get(url).send().await.expect("request sent");
        answer(response).await
    }

    /// The id of the first published place.
    pub async fn first_place_id(&self) -> String {
        let a = self.get("/api/collections/places/items?limit=1").await;
        a.features()[0]["id"].as_str().expect("an id").to_owned()
    }

    pub async fn request(&self, method: reqwest::Method, path: &str) -> Answer {
        let response = self
            .client
            .request(method, self.url(path))
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response.bytes().await.expect("body read");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

impl Answer {
    pub fn features(&self) -> &Vec<Value> {
        self.body["features"]
            .as_array()
            .expect("a FeatureCollection")
    }

    pub fn matched(&self) -> u64 {
        self.body["numberMatched"].as_u64().expect("numberMatched")
    }

    pub fn link(&self, rel: &str) -> Option<String> {
        self.body["links"]
            .as_array()?
            .iter()
            .find(|l| l["rel"] == rel)
            .map(|l| l["href"].as_str().expect("href").to_owned())
    }

    pub fn names(&self) -> Vec<String> {
        self.features()
            .iter()
            .map(|f| f["properties"]["name"].as_str().expect("name").to_owned())
            .collect()
    }

    /// Asserts a problem+json answer with this status, and returns it.
    pub fn assert_problem(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "status; body {}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "content type"
        );
        for key in ["type", "title", "status", "detail"] {
            assert!(
                self.body.get(key).is_some(),
                "problem lacks {key}: {}",
                self.body
            );
        }
        assert_eq!(self.body["status"], status);
        &self.body
    }
}

/// Great-circle distance as an independent check: haversine on R = 6 371 008.8 m.
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let r = 6_371_008.8_f64;
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = la2 - la1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

pub fn coords(feature: &Value) -> [f64; 2] {
    let c = &feature["geometry"]["coordinates"];
    [c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat")]
}

/// Whether this is a CI run: `CI` set and non-empty (the rule the browser tests use too).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// In CI a missing tool fails the test; locally the test is skipped with a loud message.
///
/// libtest captures `eprintln!` and shows it only for failed tests, so a skipped test would
/// read as a plain `ok`. The message goes to the process's real standard error instead, which
/// libtest does not capture: it shows in every run, next to the test's `ok`.
pub fn require_tool(tool: &str, why: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if in_ci() {
            panic!("{tool} is not installed, so {why} cannot be tested; .ci/run must install it");
        }
        skipped(&format!(
            "{tool} is not installed, so {why} is NOT tested here"
        ));
    }
    found
}

/// IPADIC's sources (`TSUNAGARI_DICTIONARY`, or where Debian's `mecab-ipadic` puts them),
/// with the compiled dictionary cached in the build's temporary directory so that tests read
/// it rather than compile it each time. In CI a missing dictionary fails the test; elsewhere
/// the test is skipped with a loud message.
pub fn dictionary(why: &str) -> Option<ReadingsConfig> {
    let dir = std::env::var_os("TSUNAGARI_DICTIONARY")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tsunagari::readings::DEFAULT_DICTIONARY.into());
    if !dir.join("matrix.def").is_file() {
        if in_ci() {
            panic!(
                "no IPADIC at {}, so {why} cannot be tested; .ci/run must install mecab-ipadic-utf8",
                dir.display()
            );
        }
        skipped(&format!(
            "no IPADIC at {} (apt-get install mecab-ipadic-utf8), so {why} is NOT tested here",
            dir.display()
        ));
        return None;
    }
    Some(ReadingsConfig {
        dictionary: Some(dir),
        cache: Some(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dictionary")),
    })
}

/// The dictionary of [`dictionary`], loaded once per test binary.
pub fn readings(why: &str) -> Option<Arc<tsunagari::readings::Readings>> {
    static LOADED: std::sync::OnceLock<Option<Arc<tsunagari::readings::Readings>>> =
        std::sync::OnceLock::new();
    let config = dictionary(why)?;
    LOADED
        .get_or_init(|| {
            let dir = config.dictionary.as_deref().expect("a dictionary");
            let loaded = tsunagari::readings::Readings::load(dir, config.cache.as_deref());
            Some(Arc::new(loaded.expect("IPADIC loads")))
        })
        .clone()
}

/// Says loudly, on the real standard error, that a test did not run its checks.
pub fn skipped(message: &str) {
    use std::io::Write;
    let line = format!("\n!!! SKIPPED: {message} !!!\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A password every test account uses: long enough and not a common one.
pub const PASSWORD: &str = "なばり まちあるき 2026";

/// A logged-in client: sends the session cookie with every request.
pub struct Session {
    pub cookie: String,
    base: String,
    client: reqwest::Client,
}

impl TestServer {
    /// Adds an account (as `tsunagari user add` does) with [`PASSWORD`].
    pub async fn add_user(&self, name: &str, role: tsunagari::domain::Role) {
        tsunagari::accounts::Accounts::new(
            self.places.store().clone(),
            tsunagari::accounts::AuthConfig::default(),
        )
        .add(name, role, PASSWORD)
        .await
        .expect("account added");
    }

    /// Logs in and returns the raw answer.
    pub async fn login_answer(&self, name: &str, password: &str) -> Answer {
        let response = self
            .client
            .post(self.url("/api/login"))
            .json(&serde_json::json!({"username": name, "password": password}))
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }

    /// Logs in with [`PASSWORD`] and returns the session.
    pub async fn login(&self, name: &str) -> Session {
        let a = self.login_answer(name, PASSWORD).await;
        assert_eq!(a.status, 200, "login of {name}: {}", a.body);
        let set_cookie = a.headers["set-cookie"].to_str().unwrap();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        Session {
            cookie,
            base: self.base.clone(),
            client: self.client.clone(),
        }
    }

    /// A user of `role` named after it, logged in.
    pub async fn session_as(&self, role: tsunagari::domain::Role) -> Session {
        let name = format!("{role}-user");
        self.add_user(&name, role).await;
        self.login(&name).await
    }
}

impl Session {
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        answer(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    /// A JSON write, with `If-Match` when a version is given.
    pub async fn write(
        &self,
        method: reqwest::Method,
        path: &str,
        version: Option<i64>,
        body: Option<Value>,
    ) -> Answer {
        let mut r = self.request(method, path);
        if let Some(v) = version {
            r = r.header("if-match", format!("\"{v}\""));
        }
        if let Some(body) = body {
            r = r.json(&body);
        }
        self.send(r).await
    }
}

impl Answer {
    /// The version an `ETag` header names.
    pub fn etag_version(&self) -> i64 {
        self.headers["etag"]
            .to_str()
            .unwrap()
            .trim_matches('"')
            .parse()
            .expect("ETag is a version")
    }
}

/// The answer to a request a test built itself.
pub async fn answer_of(response: reqwest::Response) -> Answer {
    answer(response).await
}
