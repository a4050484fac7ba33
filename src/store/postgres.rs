//! PostgreSQL, for several stateless replicas behind a load balancer.
//!
//! Every write transaction first takes one transaction-level advisory lock, so writers are
//! serialised and change numbers are assigned in commit order (a sequence alone would let a
//! later number commit before an earlier one, and a replica could skip the earlier). The last
//! step of each write is `pg_notify('tsunagari_changes', <change number>)`, which PostgreSQL
//! delivers at commit; each replica LISTENs and then reads `changes_since` its own last change.
//! Notifications are lost while a connection is down, so a replica catches up after every
//! reconnection, and also polls every few seconds as a safety net.

use super::fieldwork::Collection;
use super::sql::{self, Queries};
use super::{
    AccountRecord, Change, ChangeListener, HistoryEntry, PlaceChange, Result, SessionRecord, Store,
    StoreError, Versioned,
};
use crate::domain::{Place, Reference, Tane, Walk};
use async_trait::async_trait;
use futures_util::stream::BoxStream;
use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, Transaction};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

type Q = Queries<Postgres>;

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
        Q::sync_reference(&mut tx, reference).await?;
        let loaded = if Q::any_place(&mut tx).await? {
            0
        } else {
            if let Some(change_no) = Q::insert_places(&mut tx, sample).await? {
                notify(&mut tx, change_no).await?;
            }
            sample.len()
        };
        tx.commit().await?;
        Ok(loaded)
    }

    fn stream_places(&self) -> BoxStream<'_, Result<Place>> {
        Q::stream_places(&self.pool)
    }

    async fn last_change(&self) -> Result<i64> {
        Q::last_change(&self.pool).await
    }

    async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<PlaceChange>> {
        Q::changes_since(&self.pool, after, limit).await
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
        Q::get_place(&self.pool, id).await
    }

    async fn create_places(&self, places: &[Place]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let Some(change_no) = Q::insert_places(&mut tx, places).await? {
            notify(&mut tx, change_no).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_place(&self, place: &Place, change: Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let change_no = Q::update_place(&mut tx, place, change).await?;
        notify(&mut tx, change_no).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn place_history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        Q::place_history(&self.pool, id).await
    }

    async fn create_account(&self, account: &AccountRecord) -> Result<()> {
        Q::create_account(&self.pool, account).await
    }

    async fn account(&self, username: &str) -> Result<Option<AccountRecord>> {
        Q::account(&self.pool, username).await
    }

    async fn accounts(&self) -> Result<Vec<AccountRecord>> {
        Q::accounts(&self.pool).await
    }

    async fn set_password(&self, username: &str, password_hash: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let found = Q::set_password(&mut tx, username, password_hash).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn disable_account(&self, username: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let found = Q::disable_account(&mut tx, username).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn create_session(&self, token_hash: &str, username: &str, now: i64) -> Result<()> {
        Q::create_session(&self.pool, token_hash, username, now).await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        Q::session(&self.pool, token_hash).await
    }

    async fn touch_session(&self, token_hash: &str, now: i64) -> Result<()> {
        Q::touch_session(&self.pool, token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        Q::delete_session(&self.pool, token_hash).await
    }

    async fn create_walk(&self, walk: &Walk) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::insert_walk(&mut tx, walk).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_walk(&self, walk: &Walk) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::update_walk(&mut tx, walk).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_tane(&self, tane: &Tane) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::insert_tane(&mut tx, tane).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_tane(&self, tane: &Tane) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::update_tane(&mut tx, tane, Change::Update).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn walk(&self, id: Uuid) -> Result<Option<Walk>> {
        Q::walk(&self.pool, id).await
    }

    async fn walks(&self, limit: u32, offset: u64) -> Result<(Vec<Walk>, u64)> {
        Q::walks(&self.pool, limit, offset).await
    }

    async fn finds_per_walk(&self) -> Result<HashMap<Uuid, (u32, u32)>> {
        Q::finds_per_walk(&self.pool).await
    }

    async fn places_of_walk(&self, walk: Uuid) -> Result<Vec<Uuid>> {
        Q::places_of_walk(&self.pool, walk).await
    }

    async fn walk_history(&self, id: Uuid) -> Result<Vec<Versioned<Walk>>> {
        Q::record_history(&self.pool, Collection::Walks, id).await
    }

    async fn tane(&self, id: Uuid) -> Result<Option<Tane>> {
        Q::tane(&self.pool, id).await
    }

    async fn all_tane(&self) -> Result<Vec<Tane>> {
        Q::all_tane(&self.pool).await
    }

    async fn tane_of_walk(&self, walk: Uuid) -> Result<Vec<Tane>> {
        Q::tane_of_walk(&self.pool, walk).await
    }

    async fn tane_history(&self, id: Uuid) -> Result<Vec<Versioned<Tane>>> {
        Q::record_history(&self.pool, Collection::Tane, id).await
    }

    async fn promote_tane(&self, tane: &Tane, place: &Place) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let change_no = Q::promote_tane(&mut tx, tane, place).await?;
        notify(&mut tx, change_no).await?;
        tx.commit().await?;
        Ok(())
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
            let last: i64 = sqlx::query_scalar(sql::LAST_CHANGE)
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
