//! The embedded default store: one SQLite file in WAL mode.
//!
//! `synchronous=FULL` makes every acknowledged write durable on power loss (at least one fsync
//! per commit); a municipal map writes a few times a minute, so durability wins over speed.
//! Write transactions start with `BEGIN IMMEDIATE`: a transaction that reads before it writes
//! would otherwise fail at once with SQLITE_BUSY when another process (an import) writes, and
//! it makes change numbers follow commit order.
//!
//! Other processes on the same file (a CLI import, a second server) are noticed by polling the
//! last change number a few times a second: one primary-key look-up, far cheaper than any read
//! the service answers.

use super::fieldwork::Collection;
use super::sql::{self, Queries};
use super::{
    AccountRecord, Change, ChangeListener, HistoryEntry, PlaceChange, Result, SessionRecord, Store,
    StoreError, Versioned,
};
use crate::domain::{Place, Reference, Tane, Walk};
use async_trait::async_trait;
use futures_util::stream::BoxStream;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

type Q = Queries<Sqlite>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How often a server looks for changes made by other processes.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let store = Self { pool };
        store.check_pragmas().await?;
        Ok(store)
    }

    /// Reads the settings back: a pragma SQLite ignored would silently weaken durability.
    async fn check_pragmas(&self) -> Result<()> {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&self.pool)
            .await?;
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&self.pool)
            .await?;
        if !mode.eq_ignore_ascii_case("wal") || sync != 2 || fk != 1 {
            return Err(StoreError::Corrupt(format!(
                "SQLite settings not applied: journal_mode={mode}, synchronous={sync}, foreign_keys={fk}"
            )));
        }
        Ok(())
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn initialize(&self, reference: &Reference, sample: &[Place]) -> Result<usize> {
        // The migrator's own transactions become savepoints inside this one, so a second
        // process waits at BEGIN IMMEDIATE and then finds everything done.
        let mut tx = self.begin_write().await?;
        // `run_direct` is `run` on a connection we hold; `run` itself trips the compiler's
        // "Acquire is not general enough" inside an async trait (sqlx documents the workaround).
        MIGRATOR.run_direct(None, &mut *tx, false).await?;
        Q::sync_reference(&mut tx, reference).await?;
        let loaded = if Q::any_place(&mut tx).await? {
            0
        } else {
            Q::insert_places(&mut tx, sample).await?;
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
        Ok(Box::new(PollListener {
            pool: self.pool.clone(),
            seen: self.last_change().await?,
        }))
    }

    async fn get_place(&self, id: Uuid) -> Result<Option<Place>> {
        Q::get_place(&self.pool, id).await
    }

    async fn create_places(&self, places: &[Place]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::insert_places(&mut tx, places).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_place(&self, place: &Place, change: Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Q::update_place(&mut tx, place, change).await?;
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
        Q::promote_tane(&mut tx, tane, place).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Notices commits of any process by polling the last change number.
struct PollListener {
    pool: SqlitePool,
    seen: i64,
}

#[async_trait]
impl ChangeListener for PollListener {
    async fn changed(&mut self) -> Result<()> {
        loop {
            tokio::time::sleep(POLL_INTERVAL).await;
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
