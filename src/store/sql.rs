//! What both backends share: the SQL (numbered `$n` parameters, which SQLite and PostgreSQL
//! both accept), how a place's fields bind to its columns, and how rows decode into places.
//! The schemas use types that bind alike on both (see `migrations/postgres/0001_places.sql`).

use super::{
    AccountRecord, Change, HistoryEntry, PlaceChange, Result, SessionRecord, StoreError, Versioned,
};
use crate::domain::place::Origin;
use crate::domain::{LonLat, Place, PlaceFields, Reference, Role, Source, Status};
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::query::Query;
use sqlx::{
    AssertSqlSafe, ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type,
};
use std::sync::LazyLock;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub(super) const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

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

/// `$1` = id, `$2` = version, then the fields, then created_at, updated_at, updated_by, and
/// the place's origin (tane_id, walk_id), which edits never change.
static INSERT_PLACE: LazyLock<String> = LazyLock::new(|| {
    let n = FIELD_COLUMNS.len() + 7;
    let params: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO places (id, version, {}, created_at, updated_at, updated_by, tane_id, walk_id) \
         VALUES ({})",
        FIELD_COLUMNS.join(", "),
        params.join(", ")
    )
});

/// `$1` = new version, then the fields, then updated_at, updated_by, id, expected version.
static UPDATE_PLACE: LazyLock<String> = LazyLock::new(|| {
    let set: Vec<String> = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 2))
        .collect();
    let n = FIELD_COLUMNS.len() + 1;
    format!(
        "UPDATE places SET version = $1, {}, updated_at = ${}, updated_by = ${} \
         WHERE id = ${} AND version = ${} RETURNING version",
        set.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4
    )
});

const INSERT_HISTORY: &str = "INSERT INTO place_history \
     (place_id, version, change, changed_at, changed_by, snapshot) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING change_no";

const STREAM_PLACES: &str = "SELECT * FROM places WHERE seq > $1 ORDER BY seq LIMIT $2";

const GET_PLACE: &str = "SELECT * FROM places WHERE id = $1";

const PLACE_VERSION: &str = "SELECT version FROM places WHERE id = $1";

const ANY_PLACE: &str = "SELECT count(*) FROM (SELECT 1 FROM places LIMIT 1) AS any_place";

/// The poll that SQLite servers run a few times a second. The `change-log` comment marks the
/// statements that follow the change log on a timer or a notification (not requests) in traces.
pub const LAST_CHANGE: &str =
    "SELECT /* change-log */ coalesce(max(change_no), 0) FROM place_history";

const CHANGES_SINCE: &str = "SELECT /* change-log */ change_no, snapshot FROM place_history \
     WHERE change_no > $1 ORDER BY change_no LIMIT $2";

const PLACE_HISTORY: &str = "SELECT version, change, changed_at, changed_by, snapshot \
     FROM place_history WHERE place_id = $1 ORDER BY version";

const UPSERT_CATEGORY: &str = "INSERT INTO categories \
     (code, name_ja, name_en, color, icon, description_ja, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, \
     color = excluded.color, icon = excluded.icon, description_ja = excluded.description_ja, \
     sort_order = excluded.sort_order";

const UPSERT_AREA: &str = "INSERT INTO areas \
     (code, name_ja, name_kana, name_en, lon, lat, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja, \
     name_kana = excluded.name_kana, name_en = excluded.name_en, \
     lon = excluded.lon, lat = excluded.lat, sort_order = excluded.sort_order";

pub(super) type Q<'q, DB> = Query<'q, DB, <DB as Database>::Arguments>;

/// Binds a new place for [`INSERT_PLACE`].
fn bind_insert<'q, DB>(query: Q<'q, DB>, place: &Place) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> f64: Encode<'e, DB> + Type<DB>,
    for<'e> i64: Encode<'e, DB> + Type<DB>,
    for<'e> bool: Encode<'e, DB> + Type<DB>,
{
    let query = query.bind(place.id.to_string()).bind(place.version);
    bind_fields(query, &place.fields)
        .bind(format_time(place.created_at))
        .bind(format_time(place.updated_at))
        .bind(place.updated_by.clone())
        .bind(place.origin.tane_id.map(|id| id.to_string()))
        .bind(place.origin.walk_id.map(|id| id.to_string()))
}

/// Binds a new version of a place for [`UPDATE_PLACE`].
fn bind_update<'q, DB>(query: Q<'q, DB>, place: &Place) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> f64: Encode<'e, DB> + Type<DB>,
    for<'e> i64: Encode<'e, DB> + Type<DB>,
    for<'e> bool: Encode<'e, DB> + Type<DB>,
{
    let query = query.bind(place.version);
    bind_fields(query, &place.fields)
        .bind(format_time(place.updated_at))
        .bind(place.updated_by.clone())
        .bind(place.id.to_string())
        .bind(place.version - 1)
}

/// Binds a history row for [`INSERT_HISTORY`].
fn bind_history<'q, DB>(query: Q<'q, DB>, place: &Place, change: Change) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> i64: Encode<'e, DB> + Type<DB>,
{
    let snapshot = serde_json::to_string(place).expect("a place always serialises");
    query
        .bind(place.id.to_string())
        .bind(place.version)
        .bind(change.as_str().to_owned())
        .bind(format_time(place.updated_at))
        .bind(place.updated_by.clone())
        .bind(snapshot)
}

/// Binds a place's content in the order of [`FIELD_COLUMNS`].
fn bind_fields<'q, DB>(query: Q<'q, DB>, f: &PlaceFields) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> f64: Encode<'e, DB> + Type<DB>,
    for<'e> bool: Encode<'e, DB> + Type<DB>,
{
    query
        .bind(f.name.clone())
        .bind(f.name_kana.clone())
        .bind(f.category.clone())
        .bind(json_list(&f.tags))
        .bind(f.description.clone())
        .bind(f.address.clone())
        .bind(f.area.clone())
        .bind(f.location.lon())
        .bind(f.location.lat())
        .bind(f.schedule.clone())
        .bind(f.schedule_note.clone())
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.url.clone())
        .bind(f.cost.clone())
        .bind(json_list(&f.audience))
        .bind(f.accessibility.clone())
        .bind(f.source.as_str().to_owned())
        .bind(f.status.as_str().to_owned())
        .bind(f.sample)
        .bind(f.verified_at.map(format_date))
}

/// A row of `places`.
fn place_from_row<'r, R>(row: &'r R) -> Result<Place>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    f64: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
{
    let corrupt = |what: &str| StoreError::Corrupt(format!("places.{what}"));
    let text = |column: &str| -> Result<&'r str> { Ok(row.try_get(column)?) };
    let opt = |column: &str| -> Result<Option<String>> {
        Ok(row.try_get::<Option<&str>, _>(column)?.map(str::to_owned))
    };
    let list = |column: &str| -> Result<Vec<String>> {
        serde_json::from_str(text(column)?).map_err(|_| corrupt(column))
    };
    let lon: f64 = row.try_get("lon")?;
    let lat: f64 = row.try_get("lat")?;
    Ok(Place {
        id: Uuid::parse_str(text("id")?).map_err(|_| corrupt("id"))?,
        version: row.try_get("version")?,
        fields: PlaceFields {
            name: text("name")?.to_owned(),
            name_kana: opt("name_kana")?,
            category: text("category")?.to_owned(),
            tags: list("tags")?,
            description: opt("description")?,
            address: opt("address")?,
            area: opt("area")?,
            location: LonLat::new(lon, lat).map_err(|_| corrupt("lon/lat"))?,
            schedule: opt("schedule")?,
            schedule_note: opt("schedule_note")?,
            phone: opt("phone")?,
            email: opt("email")?,
            url: opt("url")?,
            cost: opt("cost")?,
            audience: list("audience")?,
            accessibility: opt("accessibility")?,
            source: Source::parse(text("source")?).ok_or_else(|| corrupt("source"))?,
            status: Status::parse(text("status")?).ok_or_else(|| corrupt("status"))?,
            verified_at: row
                .try_get::<Option<&str>, _>("verified_at")?
                .map(|d| Date::parse(d, DATE_FORMAT))
                .transpose()
                .map_err(|_| corrupt("verified_at"))?,
            sample: row.try_get("sample")?,
        },
        created_at: parse_time(text("created_at")?)?,
        updated_at: parse_time(text("updated_at")?)?,
        updated_by: text("updated_by")?.to_owned(),
        origin: Origin {
            tane_id: optional_id(row, "tane_id")?,
            walk_id: optional_id(row, "walk_id")?,
        },
    })
}

/// An optional id column.
pub(super) fn optional_id<'r, R>(row: &'r R, column: &str) -> Result<Option<Uuid>>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
{
    row.try_get::<Option<&str>, _>(column)?
        .map(Uuid::parse_str)
        .transpose()
        .map_err(|_| StoreError::Corrupt(format!("{column} is not an id")))
}

/// A row of [`CHANGES_SINCE`].
fn change_from_row<'r, R>(row: &'r R) -> Result<PlaceChange>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(PlaceChange {
        change_no: row.try_get("change_no")?,
        place: snapshot(row.try_get("snapshot")?)?,
    })
}

/// A row of a history table (`place_history`, `record_history`): a version and its snapshot.
pub(super) fn versioned_from_row<'r, R, T>(row: &'r R) -> Result<Versioned<T>>
where
    R: Row,
    T: serde::de::DeserializeOwned,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let change: &str = row.try_get("change")?;
    let snapshot: &str = row.try_get("snapshot")?;
    Ok(Versioned {
        version: row.try_get("version")?,
        change: Change::parse(change)
            .ok_or_else(|| StoreError::Corrupt(format!("history change {change:?}")))?,
        changed_at: parse_time(row.try_get("changed_at")?)?,
        changed_by: row.try_get::<&str, _>("changed_by")?.to_owned(),
        record: serde_json::from_str(snapshot)
            .map_err(|e| StoreError::Corrupt(format!("history snapshot: {e}")))?,
    })
}

fn snapshot(json: &str) -> Result<Place> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("history snapshot: {e}")))
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("strings always serialise")
}

pub(super) fn format_date(d: Date) -> String {
    d.format(DATE_FORMAT).expect("dates always format")
}

pub(super) fn format_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .expect("timestamps of this era always format")
}

pub(super) fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| StoreError::Corrupt(format!("timestamp {s:?}")))
}

const INSERT_ACCOUNT: &str = "INSERT INTO accounts \
     (username, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5)";

const ACCOUNT: &str = "SELECT * FROM accounts WHERE username = $1";

const ACCOUNTS: &str = "SELECT * FROM accounts ORDER BY username";

const SET_PASSWORD: &str =
    "UPDATE accounts SET password_hash = $2 WHERE username = $1 RETURNING username";

const DISABLE_ACCOUNT: &str =
    "UPDATE accounts SET disabled = $2 WHERE username = $1 RETURNING username";

const END_SESSIONS_OF: &str = "DELETE FROM sessions WHERE username = $1";

const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, username, created_at, last_seen_at) \
     VALUES ($1, $2, $3, $3)";

const SESSION: &str = "SELECT s.username, a.role, a.disabled, s.created_at, s.last_seen_at \
     FROM sessions s JOIN accounts a ON a.username = s.username WHERE s.token_hash = $1";

const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";

const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

fn account_from_row<'r, R>(row: &'r R) -> Result<AccountRecord>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
{
    let role: &str = row.try_get("role")?;
    Ok(AccountRecord {
        username: row.try_get::<&str, _>("username")?.to_owned(),
        role: Role::parse(role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        password_hash: row.try_get::<&str, _>("password_hash")?.to_owned(),
        disabled: row.try_get("disabled")?,
        created_at: parse_time(row.try_get("created_at")?)?,
    })
}

fn session_from_row<'r, R>(row: &'r R) -> Result<SessionRecord>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let role: &str = row.try_get("role")?;
    Ok(SessionRecord {
        username: row.try_get::<&str, _>("username")?.to_owned(),
        role: Role::parse(role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        disabled: row.try_get("disabled")?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
    })
}

/// The queries themselves, written once for both backends (`DB` is `Sqlite` or `Postgres`).
/// The bounds say only that the backend binds and decodes the types the schema uses.
pub struct Queries<DB: Database>(std::marker::PhantomData<DB>);

impl<DB> Queries<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> &'e String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> f64: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> i64: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> bool: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> &'e str: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'c> &'c str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
    DB::Arguments: IntoArguments<DB>,
{
    /// Makes the stored categories and areas equal the reference data.
    pub async fn sync_reference(conn: &mut DB::Connection, reference: &Reference) -> Result<()> {
        for (i, c) in reference.categories().iter().enumerate() {
            sqlx::query(UPSERT_CATEGORY)
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
            sqlx::query(UPSERT_AREA)
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

    /// Whether the database holds any place.
    pub async fn any_place(conn: &mut DB::Connection) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(ANY_PLACE).fetch_one(&mut *conn).await?;
        Ok(n > 0)
    }

    /// Inserts new places and their first history entries; returns the last change number.
    pub async fn insert_places(conn: &mut DB::Connection, places: &[Place]) -> Result<Option<i64>> {
        let mut last = None;
        for place in places {
            let query = sqlx::query(AssertSqlSafe(INSERT_PLACE.as_str()));
            bind_insert(query, place).execute(&mut *conn).await?;
            last = Some(Self::insert_history(conn, place, Change::Create).await?);
        }
        Ok(last)
    }

    /// Stores a place's next version if its stored version is the one before; returns the
    /// change number.
    pub async fn update_place(
        conn: &mut DB::Connection,
        place: &Place,
        change: Change,
    ) -> Result<i64> {
        let query = sqlx::query(AssertSqlSafe(UPDATE_PLACE.as_str()));
        let updated = bind_update(query, place).fetch_optional(&mut *conn).await?;
        if updated.is_none() {
            let exists: Option<i64> = sqlx::query_scalar(PLACE_VERSION)
                .bind(place.id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
            return Err(match exists {
                None => StoreError::NotFound(place.id),
                Some(_) => StoreError::VersionConflict {
                    id: place.id,
                    expected: place.version - 1,
                },
            });
        }
        Self::insert_history(conn, place, change).await
    }

    async fn insert_history(
        conn: &mut DB::Connection,
        place: &Place,
        change: Change,
    ) -> Result<i64> {
        let query = sqlx::query(INSERT_HISTORY);
        let row = bind_history(query, place, change)
            .fetch_one(&mut *conn)
            .await?;
        Ok(row.try_get("change_no")?)
    }

    /// Every place in registration order, in pages: bounded memory, and far fewer round
    /// trips than one row at a time.
    pub fn stream_places(pool: &Pool<DB>) -> BoxStream<'_, Result<Place>> {
        const PAGE: i64 = 4096;
        let pages = futures_util::stream::try_unfold(Some(0_i64), move |after| async move {
            let Some(after) = after else { return Ok(None) };
            let rows = sqlx::query(STREAM_PLACES)
                .bind(after)
                .bind(PAGE)
                .fetch_all(pool)
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

    pub async fn last_change(pool: &Pool<DB>) -> Result<i64> {
        Ok(sqlx::query_scalar(LAST_CHANGE).fetch_one(pool).await?)
    }

    pub async fn changes_since(
        pool: &Pool<DB>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<PlaceChange>> {
        let rows = sqlx::query(CHANGES_SINCE)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
        rows.iter().map(change_from_row).collect()
    }

    pub async fn get_place(pool: &Pool<DB>, id: Uuid) -> Result<Option<Place>> {
        let row = sqlx::query(GET_PLACE)
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(place_from_row).transpose()
    }

    pub async fn place_history(pool: &Pool<DB>, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let rows = sqlx::query(PLACE_HISTORY)
            .bind(id.to_string())
            .fetch_all(pool)
            .await?;
        rows.iter().map(versioned_from_row).collect()
    }

    pub async fn create_account(pool: &Pool<DB>, account: &AccountRecord) -> Result<()> {
        let done = sqlx::query(INSERT_ACCOUNT)
            .bind(account.username.clone())
            .bind(account.role.as_str().to_owned())
            .bind(account.password_hash.clone())
            .bind(account.disabled)
            .bind(format_time(account.created_at))
            .execute(pool)
            .await;
        match done {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::AccountExists(account.username.clone()))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn account(pool: &Pool<DB>, username: &str) -> Result<Option<AccountRecord>> {
        let row = sqlx::query(ACCOUNT)
            .bind(username.to_owned())
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    pub async fn accounts(pool: &Pool<DB>) -> Result<Vec<AccountRecord>> {
        let rows = sqlx::query(ACCOUNTS).fetch_all(pool).await?;
        rows.iter().map(account_from_row).collect()
    }

    /// Sets the password hash and ends the account's sessions, in the caller's transaction.
    pub async fn set_password(
        conn: &mut DB::Connection,
        username: &str,
        password_hash: &str,
    ) -> Result<bool> {
        let found = sqlx::query(SET_PASSWORD)
            .bind(username.to_owned())
            .bind(password_hash.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
        Self::end_sessions_of(conn, username).await?;
        Ok(found.is_some())
    }

    /// Disables the account and ends its sessions, in the caller's transaction.
    pub async fn disable_account(conn: &mut DB::Connection, username: &str) -> Result<bool> {
        let found = sqlx::query(DISABLE_ACCOUNT)
            .bind(username.to_owned())
            .bind(true)
            .fetch_optional(&mut *conn)
            .await?;
        Self::end_sessions_of(conn, username).await?;
        Ok(found.is_some())
    }

    async fn end_sessions_of(conn: &mut DB::Connection, username: &str) -> Result<()> {
        sqlx::query(END_SESSIONS_OF)
            .bind(username.to_owned())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub async fn create_session(
        pool: &Pool<DB>,
        token_hash: &str,
        username: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(INSERT_SESSION)
            .bind(token_hash.to_owned())
            .bind(username.to_owned())
            .bind(now)
            .execute(pool)
            .await?;
        Ok(())
    }

    pub async fn session(pool: &Pool<DB>, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(SESSION)
            .bind(token_hash.to_owned())
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    pub async fn touch_session(pool: &Pool<DB>, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query(TOUCH_SESSION)
            .bind(token_hash.to_owned())
            .bind(now)
            .execute(pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(pool: &Pool<DB>, token_hash: &str) -> Result<()> {
        sqlx::query(DELETE_SESSION)
            .bind(token_hash.to_owned())
            .execute(pool)
            .await?;
        Ok(())
    }
}
