//! The ceiling for any route: a bare axum handler answering a fixed body, read from a file at
//! start, with the same content type as the items route. `scripts/bench.sh` serves the exact
//! bytes of a `near` and a `bbox` answer through it, so that each route is compared with a
//! handler that does nothing but send an answer of the same size, in the same run.
//!
//!     cargo run --release --example static_body -- 127.0.0.1:18101 near.json bbox.json
//!
//! serves the first file at `/near` and the second at `/bbox`.

use axum::Router;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:18101".to_owned());
    let near: Bytes = std::fs::read(args.next().expect("near body file"))?.into();
    let bbox: Bytes = std::fs::read(args.next().expect("bbox body file"))?.into();
    let app = Router::new()
        .route(
            "/near",
            get(move || {
                let body = near.clone();
                async move { ([(CONTENT_TYPE, "application/geo+json")], body) }
            }),
        )
        .route(
            "/bbox",
            get(move || {
                let body = bbox.clone();
                async move { ([(CONTENT_TYPE, "application/geo+json")], body) }
            }),
        );
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("static_body serving on {listen}");
    axum::serve(listener, app).await?;
    Ok(())
}
