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

use super::columns::{self, change_from_row, history_from_row, place_from_row};
use super::{Change, ChangeListener, HistoryEntry, PlaceChange, Result, Store, StoreError};
use crate::domain::{Place, Reference};
use async_trait::async_trait;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, Transaction};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

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
        sync_reference(&mut tx, reference).await?;
        let any: i64 = sqlx::query_scalar(columns::ANY_PLACE)
            .fetch_one(&mut *tx)
            .await?;
        let loaded = if any == 0 {
            insert_places(&mut tx, sample).await?;
            sample.len()
        } else {
            0
        };
        tx.commit().await?;
        Ok(loaded)
    }

    fn stream_places(&self) -> BoxStream<'_, Result<Place>> {
        // Pages of rows by registration order: bounded memory, and far fewer trips through
        // sqlx's worker thread than one row at a time.
        const PAGE: i64 = 4096;
        let pages = futures_util::stream::try_unfold(Some(0_i64), move |after| async move {
            let Some(after) = after else { return Ok(None) };
            let rows = sqlx::query(columns::STREAM_PLACES)
                .bind(after)
                .bind(PAGE)
                .fetch_all(&self.pool)
                .await?;
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => {
                    Some(sqlx::Row::try_get::<i64, _>(last, "seq")?)
                }
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
        Ok(Box::new(PollListener {
            pool: self.pool.clone(),
            seen: self.last_change().await?,
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
        insert_history(&mut tx, place, change).await?;
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

async fn sync_reference(conn: &mut SqliteConnection, reference: &Reference) -> Result<()> {
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

async fn insert_places(conn: &mut SqliteConnection, places: &[Place]) -> Result<()> {
    for place in places {
        let query = sqlx::query(AssertSqlSafe(columns::INSERT_PLACE.as_str()));
        columns::bind_insert(query, place)
            .execute(&mut *conn)
            .await?;
        insert_history(conn, place, Change::Create).await?;
    }
    Ok(())
}

async fn insert_history(conn: &mut SqliteConnection, place: &Place, change: Change) -> Result<i64> {
    let query = sqlx::query(columns::INSERT_HISTORY);
    let row = columns::bind_history(query, place, change)
        .fetch_one(&mut *conn)
        .await?;
    Ok(sqlx::Row::try_get(&row, "change_no")?)
}
