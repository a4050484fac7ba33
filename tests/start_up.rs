//! Start-up: a server that cannot listen leaves nothing behind.

mod common;

use common::TestServer;
use std::net::SocketAddr;
use tsunagari::app::{self, StartError};
use tsunagari::config::{HttpConfig, ServeConfig};

#[tokio::test]
async fn a_port_already_in_use_fails_before_the_database_is_created() {
    let running = TestServer::start().await;
    let taken: SocketAddr = running.base.trim_start_matches("http://").parse().unwrap();
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("never.db");
    let config = ServeConfig {
        listen: taken,
        database: format!("sqlite://{}", file.display()),
        load_sample: true,
        header_read_timeout: common::HEADER_READ_TIMEOUT,
        http: HttpConfig::default(),
        readings: Default::default(),
    };
    let result = app::start(config).await;
    assert!(matches!(result, Err(StartError::Listen { .. })));
    assert!(
        !file.exists(),
        "the database was created although the server could not listen"
    );
}
