//! The embedded default store: one SQLite file in WAL mode.
//!
//! `synchronous=FULL` makes every acknowledged write durable on power loss (at least one fsync
//! per commit); a municipal map writes a few times a minute, so durability wins over speed.
//! Write transactions start with `BEGIN IMMEDIATE`: a transaction that reads before it writes
//! would otherwise fail at once with SQLITE_BUSY when another process (an import) writes.

use super::{Change, HistoryEntry, Result, Store, StoreError};
use crate::domain::{LonLat, Place, PlaceFields, Reference, Source, Status};
use async_trait::async_trait;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, Transaction};
use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

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
    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn sync_reference(&self, reference: &Reference) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (i, c) in reference.categories().iter().enumerate() {
            sqlx::query(
                "INSERT INTO categories (code, name_ja, name_en, color, icon, description_ja, sort_order)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja,
                   name_en = excluded.name_en, color = excluded.color, icon = excluded.icon,
                   description_ja = excluded.description_ja, sort_order = excluded.sort_order",
            )
            .bind(&c.code)
            .bind(&c.name_ja)
            .bind(&c.name_en)
            .bind(&c.color)
            .bind(&c.icon)
            .bind(&c.description_ja)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (i, a) in reference.areas().iter().enumerate() {
            sqlx::query(
                "INSERT INTO areas (code, name_ja, name_kana, name_en, lon, lat, sort_order)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja,
                   name_kana = excluded.name_kana, name_en = excluded.name_en,
                   lon = excluded.lon, lat = excluded.lat, sort_order = excluded.sort_order",
            )
            .bind(&a.code)
            .bind(&a.name_ja)
            .bind(&a.name_kana)
            .bind(&a.name_en)
            .bind(a.centroid[0])
            .bind(a.centroid[1])
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    fn stream_places(&self) -> BoxStream<'_, Result<Place>> {
        // Pages of rows by registration order: bounded memory, and far fewer trips through
        // sqlx's worker thread than one row at a time.
        const PAGE: i64 = 4096;
        let pages = futures_util::stream::try_unfold(Some(0_i64), move |after| async move {
            let Some(after) = after else { return Ok(None) };
            let rows = sqlx::query("SELECT * FROM places WHERE seq > ? ORDER BY seq LIMIT ?")
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

    async fn get_place(&self, id: Uuid) -> Result<Option<Place>> {
        let row = sqlx::query("SELECT * FROM places WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(place_from_row).transpose()
    }

    async fn create_places(&self, places: &[Place]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for place in places {
            insert_place(&mut tx, place).await?;
            insert_history(&mut tx, place, Change::Create).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_place(&self, place: &Place, change: Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let expected = place.version - 1;
        let query = sqlx::query(AssertSqlSafe(UPDATE_SQL.as_str())).bind(place.version);
        let done = bind_fields(query, &place.fields)
            .bind(format_time(place.updated_at))
            .bind(&place.updated_by)
            .bind(place.id.to_string())
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM places WHERE id = ?")
                .bind(place.id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match exists {
                None => StoreError::NotFound(place.id),
                Some(_) => StoreError::VersionConflict {
                    id: place.id,
                    expected,
                },
            });
        }
        insert_history(&mut tx, place, change).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn place_history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let rows = sqlx::query(
            "SELECT version, change, changed_at, changed_by, snapshot FROM place_history
             WHERE place_id = ? ORDER BY version",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let change = match row.try_get::<&str, _>("change")? {
                    "create" => Change::Create,
                    "update" => Change::Update,
                    "archive" => Change::Archive,
                    other => return Err(StoreError::Corrupt(format!("history change {other:?}"))),
                };
                let snapshot: &str = row.try_get("snapshot")?;
                Ok(HistoryEntry {
                    version: row.try_get("version")?,
                    change,
                    changed_at: parse_time(row.try_get("changed_at")?)?,
                    changed_by: row.try_get("changed_by")?,
                    place: serde_json::from_str(snapshot)
                        .map_err(|e| StoreError::Corrupt(format!("history snapshot: {e}")))?,
                })
            })
            .collect()
    }

    async fn count_places(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM places")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }
}

/// The columns that hold a place's content, in the order [`bind_fields`] binds them.
const FIELD_COLUMNS: [&str; 21] = [
    "name",
    "name_kana",
    "category",
    "tags",
    "description",
    "address",
    "area",
    "lon",
    "lat",
    "schedule",
    "schedule_note",
    "phone",
    "email",
    "url",
    "cost",
    "audience",
    "accessibility",
    "source",
    "status",
    "sample",
    "verified_at",
];

static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO places (id, version, {}, created_at, updated_at, updated_by) VALUES ({})",
        FIELD_COLUMNS.join(", "),
        vec!["?"; FIELD_COLUMNS.len() + 5].join(", ")
    )
});

static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    let set: Vec<String> = FIELD_COLUMNS.iter().map(|c| format!("{c} = ?")).collect();
    format!(
        "UPDATE places SET version = ?, {}, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        set.join(", ")
    )
});

/// Binds a place's content in the order of [`FIELD_COLUMNS`].
fn bind_fields<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    f: &'q PlaceFields,
) -> Query<'q, Sqlite, SqliteArguments> {
    query
        .bind(&f.name)
        .bind(&f.name_kana)
        .bind(&f.category)
        .bind(json_list(&f.tags))
        .bind(&f.description)
        .bind(&f.address)
        .bind(&f.area)
        .bind(f.location.lon())
        .bind(f.location.lat())
        .bind(&f.schedule)
        .bind(&f.schedule_note)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.url)
        .bind(&f.cost)
        .bind(json_list(&f.audience))
        .bind(&f.accessibility)
        .bind(f.source.as_str())
        .bind(f.status.as_str())
        .bind(f.sample)
        .bind(f.verified_at.map(format_date))
}

async fn insert_place(tx: &mut Transaction<'static, Sqlite>, place: &Place) -> Result<()> {
    let query = sqlx::query(AssertSqlSafe(INSERT_SQL.as_str()))
        .bind(place.id.to_string())
        .bind(place.version);
    bind_fields(query, &place.fields)
        .bind(format_time(place.created_at))
        .bind(format_time(place.updated_at))
        .bind(&place.updated_by)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_history(
    tx: &mut Transaction<'static, Sqlite>,
    place: &Place,
    change: Change,
) -> Result<()> {
    let snapshot = serde_json::to_string(place).expect("a place always serialises");
    sqlx::query(
        "INSERT INTO place_history (place_id, version, change, changed_at, changed_by, snapshot)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(place.id.to_string())
    .bind(place.version)
    .bind(change.as_str())
    .bind(format_time(place.updated_at))
    .bind(&place.updated_by)
    .bind(snapshot)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn place_from_row(row: &SqliteRow) -> Result<Place> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("places.{what}"));
    let id: &str = row.try_get("id")?;
    let lon: f64 = row.try_get("lon")?;
    let lat: f64 = row.try_get("lat")?;
    let list = |column: &str| -> Result<Vec<String>> {
        serde_json::from_str(row.try_get::<&str, _>(column)?).map_err(|_| corrupt(column))
    };
    let verified_at: Option<&str> = row.try_get("verified_at")?;
    Ok(Place {
        id: Uuid::parse_str(id).map_err(|_| corrupt("id"))?,
        version: row.try_get("version")?,
        fields: PlaceFields {
            name: row.try_get("name")?,
            name_kana: row.try_get("name_kana")?,
            category: row.try_get("category")?,
            tags: list("tags")?,
            description: row.try_get("description")?,
            address: row.try_get("address")?,
            area: row.try_get("area")?,
            location: LonLat::new(lon, lat).map_err(|_| corrupt("lon/lat"))?,
            schedule: row.try_get("schedule")?,
            schedule_note: row.try_get("schedule_note")?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            url: row.try_get("url")?,
            cost: row.try_get("cost")?,
            audience: list("audience")?,
            accessibility: row.try_get("accessibility")?,
            source: Source::parse(row.try_get("source")?).ok_or_else(|| corrupt("source"))?,
            status: Status::parse(row.try_get("status")?).ok_or_else(|| corrupt("status"))?,
            verified_at: verified_at
                .map(|d| Date::parse(d, DATE_FORMAT))
                .transpose()
                .map_err(|_| corrupt("verified_at"))?,
            sample: row.try_get("sample")?,
        },
        created_at: parse_time(row.try_get("created_at")?)?,
        updated_at: parse_time(row.try_get("updated_at")?)?,
        updated_by: row.try_get("updated_by")?,
    })
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("strings always serialise")
}

fn format_date(d: Date) -> String {
    d.format(DATE_FORMAT).expect("dates always format")
}

fn format_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .expect("timestamps of this era always format")
}

fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| StoreError::Corrupt(format!("timestamp {s:?}")))
}
