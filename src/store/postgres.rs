//! PostgreSQL, for several stateless replicas behind a load balancer.
//!
//! Every write transaction first takes one transaction-level advisory lock, so writers are
//! serialised and change numbers are assigned in commit order (a sequence alone would let a
//! later number commit before an earlier one, and a replica could skip the earlier). The last
//! step of each write is `pg_notify('tsunagari_changes', <change number>)`, which PostgreSQL
//! delivers at commit; each replica LISTENs and then reads `changes_since` its own last change.
//! Notifications are lost while a connection is down, so a replica catches up after every
//! reconnection, and also polls every few seconds as a safety net.

use super::columns::{self, change_from_row, history_from_row, place_from_row};
use super::{Change, ChangeListener, HistoryEntry, PlaceChange, Result, Store, StoreError};
use crate::domain::{Place, Reference};
use async_trait::async_trait;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, PgConnection, Postgres, Row, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel that carries change numbers.
const CHANNEL: &str = "tsunagari_changes";

/// The advisory lock every write transaction holds ("tsunagar" in ASCII).
const WRITE_LOCK: i64 = 0x7473_756e_6167_6172;

/// How often a replica checks the last change number even without a notification.
const SAFETY_POLL: Duration = Duration::from_secs(5);

pub struct PostgresStore {
    pool: PgPool,
    url: String,
}

impl PostgresStore {
    pub async fn open(url: &str) -> Result<Self> {
        if !Postgres::database_exists(url).await? {
            // Two replicas may race to create it; the loser finds it there.
            if let Err(e) = Postgres::create_database(url).await
                && !Postgres::database_exists(url).await?
            {
                return Err(e.into());
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        Ok(Self {
            pool,
            url: url.to_owned(),
        })
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn initialize(&self, reference: &Reference, sample: &[Place]) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        // `run_direct` is `run` on a connection we hold; `run` itself trips the compiler's
        // "Acquire is not general enough" inside an async trait (sqlx documents the workaround).
        MIGRATOR.run_direct(None, &mut *tx, false).await?;
        sync_reference(&mut tx, reference).await?;
        let any: i64 = sqlx::query_scalar(columns::ANY_PLACE)
            .fetch_one(&mut *tx)
            .await?;
        let loaded = if any == 0 && !sample.is_empty() {
            insert_places(&mut tx, sample).await?;
            sample.len()
        } else {
            0
        };
        tx.commit().await?;
        Ok(loaded)
    }

    fn stream_places(&self) -> BoxStream<'_, Result<Place>> {
        const PAGE: i64 = 4096;
        let pages = futures_util::stream::try_unfold(Some(0_i64), move |after| async move {
            let Some(after) = after else { return Ok(None) };
            let rows = sqlx::query(columns::STREAM_PLACES)
                .bind(after)
                .bind(PAGE)
                .fetch_all(&self.pool)
                .await?;
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => Some(last.try_get::<i64, _>("seq")?),
                _ => None,
            };
            let places: Vec<Result<Place>> = rows.iter().map(place_from_row).collect();
            Ok::<_, StoreError>(Some((futures_util::stream::iter(places), next)))
        });
        pages.try_flatten().boxed()
    }

    async fn last_change(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(columns::LAST_CHANGE)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<PlaceChange>> {
        let rows = sqlx::query(columns::CHANGES_SINCE)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(change_from_row).collect()
    }

    async fn listen(&self) -> Result<Box<dyn ChangeListener>> {
        let mut listener = PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        let wake = Arc::new(Notify::new());
        let broken = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let task = tokio::spawn(receive(listener, wake.clone(), broken.clone()));
        Ok(Box::new(NotifyListener {
            pool: self.pool.clone(),
            seen: self.last_change().await?,
            wake,
            broken,
            task,
        }))
    }

    async fn get_place(&self, id: Uuid) -> Result<Option<Place>> {
        let row = sqlx::query(columns::GET_PLACE)
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(place_from_row).transpose()
    }

    async fn create_places(&self, places: &[Place]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        insert_places(&mut tx, places).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_place(&self, place: &Place, change: Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let query = sqlx::query(AssertSqlSafe(columns::UPDATE_PLACE.as_str()));
        let done = columns::bind_update(query, place).execute(&mut *tx).await?;
        if done.rows_affected() != 1 {
            let exists: Option<i64> = sqlx::query_scalar(columns::PLACE_VERSION)
                .bind(place.id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match exists {
                None => StoreError::NotFound(place.id),
                Some(_) => StoreError::VersionConflict {
                    id: place.id,
                    expected: place.version - 1,
                },
            });
        }
        let change_no = insert_history(&mut tx, place, change).await?;
        notify(&mut tx, change_no).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn place_history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let rows = sqlx::query(columns::PLACE_HISTORY)
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(history_from_row).collect()
    }
}

/// Wakes on every notification and after every reconnection; polls as a safety net.
struct NotifyListener {
    pool: PgPool,
    seen: i64,
    wake: Arc<Notify>,
    broken: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for NotifyListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[async_trait]
impl ChangeListener for NotifyListener {
    async fn changed(&mut self) -> Result<()> {
        loop {
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(SAFETY_POLL) => {}
            }
            if self.broken.load(std::sync::atomic::Ordering::Acquire) {
                return Err(StoreError::Database(sqlx::Error::PoolClosed));
            }
            let last: i64 = sqlx::query_scalar(columns::LAST_CHANGE)
                .fetch_one(&self.pool)
                .await?;
            if last != self.seen {
                self.seen = last;
                return Ok(());
            }
        }
    }
}

/// Owns the LISTEN connection. `try_recv` answers `None` after it has reconnected (and
/// listens again); whatever was sent meanwhile is lost, so that also wakes the catch-up.
async fn receive(
    mut listener: PgListener,
    wake: Arc<Notify>,
    broken: Arc<std::sync::atomic::AtomicBool>,
) {
    loop {
        match listener.try_recv().await {
            Ok(Some(_)) => wake.notify_one(),
            Ok(None) => {
                tracing::warn!("the PostgreSQL LISTEN connection was lost and re-established");
                wake.notify_one();
            }
            Err(e) => {
                tracing::warn!(error = %e, "the PostgreSQL LISTEN connection failed");
                broken.store(true, std::sync::atomic::Ordering::Release);
                wake.notify_one();
                return;
            }
        }
    }
}

async fn notify(conn: &mut PgConnection, change_no: i64) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(change_no.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn sync_reference(conn: &mut PgConnection, reference: &Reference) -> Result<()> {
    for (i, c) in reference.categories().iter().enumerate() {
        sqlx::query(columns::UPSERT_CATEGORY)
            .bind(&c.code)
            .bind(&c.name_ja)
            .bind(&c.name_en)
            .bind(&c.color)
            .bind(&c.icon)
            .bind(&c.description_ja)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    for (i, a) in reference.areas().iter().enumerate() {
        sqlx::query(columns::UPSERT_AREA)
            .bind(&a.code)
            .bind(&a.name_ja)
            .bind(&a.name_kana)
            .bind(&a.name_en)
            .bind(a.centroid[0])
            .bind(a.centroid[1])
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn insert_places(conn: &mut PgConnection, places: &[Place]) -> Result<()> {
    let mut last = None;
    for place in places {
        let query = sqlx::query(AssertSqlSafe(columns::INSERT_PLACE.as_str()));
        columns::bind_insert(query, place)
            .execute(&mut *conn)
            .await?;
        last = Some(insert_history(conn, place, Change::Create).await?);
    }
    if let Some(change_no) = last {
        notify(conn, change_no).await?;
    }
    Ok(())
}

async fn insert_history(conn: &mut PgConnection, place: &Place, change: Change) -> Result<i64> {
    let query = sqlx::query(columns::INSERT_HISTORY);
    let row = columns::bind_history(query, place, change)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("change_no")?)
}
