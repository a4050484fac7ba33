//! Builds the service from its configuration: binds the port, opens the store (loading the
//! sample data into an empty database), builds the index, follows the store's change log, and
//! serves the router. `main` and the integration
//! tests start the server through the same [`start`].

use crate::accounts::Accounts;
use crate::config::{HttpConfig, ReadingsConfig, ServeConfig};
use crate::domain::Reference;
use crate::places::{Places, follow_changes, new_places};
use crate::readings::Readings;
use crate::sample::{self, SAMPLE_ACTOR, SampleError};
use crate::store::{self, Store, StoreError};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub places: Arc<Places>,
    pub fieldwork: Arc<crate::fieldwork::Fieldwork>,
    pub accounts: Arc<Accounts>,
    pub config: Arc<HttpConfig>,
    pub large_answers: crate::http::LargeAnswers,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("sample data: {0}")]
    Sample(#[from] SampleError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database, creating and migrating it as needed, and brings its reference data up
/// to date. With `load_sample`, the sample Nabari data is stored if the database holds no
/// place — decided inside the same write transaction as the migration, so that servers
/// started together on a new database load it exactly once.
pub async fn open_store(
    database: &str,
    load_sample: bool,
) -> Result<(Arc<dyn Store>, Arc<Reference>), StartError> {
    let store = store::open(database).await?;
    let reference = Arc::new(Reference::builtin());
    let sample = if load_sample {
        new_places(sample::sample_places(&reference)?, SAMPLE_ACTOR)
    } else {
        Vec::new()
    };
    let loaded = store.initialize(&reference, &sample).await?;
    if loaded > 0 {
        tracing::info!(
            places = loaded,
            "loaded the sample Nabari data into an empty database"
        );
    }
    Ok((store, reference))
}

/// Opens the store and builds the index from it, without readings.
pub async fn open_places(database: &str, load_sample: bool) -> Result<Arc<Places>, StartError> {
    let (store, reference) = open_store(database, load_sample).await?;
    Ok(Arc::new(Places::open(store, reference, None).await?))
}

/// Starts loading the dictionary of readings on a blocking thread, so that it is read (or
/// compiled) while the database is opened. A dictionary that cannot be loaded is not an
/// error: the service runs on `name_kana` alone, and says so once.
fn load_readings(config: &ReadingsConfig) -> JoinHandle<Option<Arc<Readings>>> {
    let config = config.clone();
    tokio::task::spawn_blocking(move || {
        let Some(dir) = config.dictionary else {
            tracing::info!(
                "readings are off (no dictionary configured): search uses name_kana alone"
            );
            return None;
        };
        match Readings::load(&dir, config.cache.as_deref()) {
            Ok(readings) => Some(Arc::new(readings)),
            Err(e) => {
                tracing::warn!(
                    "readings are off: {e}. Search finds kana names by kanji (and kanji names \
                     by kana) only through name_kana. Install Debian's mecab-ipadic-utf8, or \
                     point --dictionary (TSUNAGARI_DICTIONARY) at IPADIC's sources."
                );
                None
            }
        }
    })
}

/// The address a connection came from (the load balancer's, behind one).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub places: Arc<Places>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    follower: JoinHandle<()>,
}

impl Server {
    /// Stops accepting connections, finishes the requests under way, and returns.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.follower.abort();
        self.task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn run_until_signal(self) -> std::io::Result<()> {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await
    }
}

/// Opens everything and starts serving on `config.listen` (port 0 picks a free port).
///
/// The port is bound first, so that a port already in use fails at once, before the database
/// is created or the sample loaded.
pub async fn start(config: ServeConfig) -> Result<Server, StartError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.listen,
        source,
    })?;
    let readings = load_readings(&config.readings);
    let (store, reference) = open_store(&config.database, config.load_sample).await?;
    let readings = readings.await.unwrap_or_else(|e| {
        tracing::warn!("readings are off: loading the dictionary failed: {e}");
        None
    });
    let places = Arc::new(Places::open(store, reference, readings).await?);
    let follower = tokio::spawn(follow_changes(Arc::downgrade(&places)));
    let accounts = Arc::new(Accounts::new(
        places.store().clone(),
        config.http.auth.clone(),
    ));
    let write_timeout = config.http.write_timeout;
    let state = AppState {
        places: places.clone(),
        fieldwork: Arc::new(crate::fieldwork::Fieldwork::new(places.clone())),
        accounts,
        large_answers: crate::http::LargeAnswers::new(config.http.large_answers),
        config: Arc::new(config.http),
    };
    let router = crate::http::router(state);
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(serve_connections(
        listener,
        router,
        config.header_read_timeout,
        write_timeout,
        rx,
    ));
    tracing::info!(%addr, "serving");
    Ok(Server {
        addr,
        places,
        shutdown: Some(tx),
        task,
        follower,
    })
}

/// Accepts connections until `shutdown` fires, then lets the requests under way finish.
///
/// Unlike `axum::serve`, this bounds how long a client may take to send its headers.
async fn serve_connections(
    listener: TcpListener,
    router: axum::Router,
    header_read_timeout: Duration,
    write_timeout: Duration,
    mut shutdown: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        // Above our own limits (`http::limits`), so that those answer first, in problem+json.
        .max_headers(crate::http::HYPER_MAX_HEADERS);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: back off rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // The peer's address, for counting failed logins per address.
        let service = TowerToHyperService::new(router.clone().map_request(
            move |mut request: axum::extract::Request<_>| {
                request.extensions_mut().insert(ClientAddr(peer.ip()));
                request
            },
        ));
        let io = crate::http::WriteTimeout::new(stream, write_timeout);
        let connection = builder.serve_connection(TokioIo::new(io), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(10)) => {
            tracing::warn!("requests still under way after 10 s; stopping anyway");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
