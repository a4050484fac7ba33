//! What both backends share: the SQL (numbered `$n` parameters, which SQLite and PostgreSQL
//! both accept), how a place's fields bind to its columns, and how rows decode into places.
//! The schemas use types that bind alike on both (see `migrations/postgres/0001_places.sql`).

use super::{Change, HistoryEntry, PlaceChange, Result, StoreError};
use crate::domain::{LonLat, Place, PlaceFields, Source, Status};
use sqlx::query::Query;
use sqlx::{ColumnIndex, Database, Decode, Encode, Row, Type};
use std::sync::LazyLock;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
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

/// `$1` = id, `$2` = version, then the fields, then created_at, updated_at, updated_by.
pub static INSERT_PLACE: LazyLock<String> = LazyLock::new(|| {
    let n = FIELD_COLUMNS.len() + 5;
    let params: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO places (id, version, {}, created_at, updated_at, updated_by) VALUES ({})",
        FIELD_COLUMNS.join(", "),
        params.join(", ")
    )
});

/// `$1` = new version, then the fields, then updated_at, updated_by, id, expected version.
pub static UPDATE_PLACE: LazyLock<String> = LazyLock::new(|| {
    let set: Vec<String> = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 2))
        .collect();
    let n = FIELD_COLUMNS.len() + 1;
    format!(
        "UPDATE places SET version = $1, {}, updated_at = ${}, updated_by = ${} \
         WHERE id = ${} AND version = ${}",
        set.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4
    )
});

pub const INSERT_HISTORY: &str = "INSERT INTO place_history \
     (place_id, version, change, changed_at, changed_by, snapshot) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING change_no";

pub const STREAM_PLACES: &str = "SELECT * FROM places WHERE seq > $1 ORDER BY seq LIMIT $2";

pub const GET_PLACE: &str = "SELECT * FROM places WHERE id = $1";

pub const PLACE_VERSION: &str = "SELECT version FROM places WHERE id = $1";

pub const ANY_PLACE: &str = "SELECT count(*) FROM (SELECT 1 FROM places LIMIT 1) AS any_place";

/// The poll that SQLite servers run a few times a second; the comment names it in traces.
pub const LAST_CHANGE: &str =
    "SELECT /* change-poll */ coalesce(max(change_no), 0) FROM place_history";

pub const CHANGES_SINCE: &str = "SELECT change_no, snapshot FROM place_history \
     WHERE change_no > $1 ORDER BY change_no LIMIT $2";

pub const PLACE_HISTORY: &str = "SELECT version, change, changed_at, changed_by, snapshot \
     FROM place_history WHERE place_id = $1 ORDER BY version";

pub const UPSERT_CATEGORY: &str = "INSERT INTO categories \
     (code, name_ja, name_en, color, icon, description_ja, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, \
     color = excluded.color, icon = excluded.icon, description_ja = excluded.description_ja, \
     sort_order = excluded.sort_order";

pub const UPSERT_AREA: &str = "INSERT INTO areas \
     (code, name_ja, name_kana, name_en, lon, lat, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja, \
     name_kana = excluded.name_kana, name_en = excluded.name_en, \
     lon = excluded.lon, lat = excluded.lat, sort_order = excluded.sort_order";

type Q<'q, DB> = Query<'q, DB, <DB as Database>::Arguments>;

/// Binds a new place for [`INSERT_PLACE`].
pub fn bind_insert<'q, DB>(query: Q<'q, DB>, place: &Place) -> Q<'q, DB>
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
}

/// Binds a new version of a place for [`UPDATE_PLACE`].
pub fn bind_update<'q, DB>(query: Q<'q, DB>, place: &Place) -> Q<'q, DB>
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
pub fn bind_history<'q, DB>(query: Q<'q, DB>, place: &Place, change: Change) -> Q<'q, DB>
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
pub fn place_from_row<'r, R>(row: &'r R) -> Result<Place>
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
    })
}

/// A row of [`CHANGES_SINCE`].
pub fn change_from_row<'r, R>(row: &'r R) -> Result<PlaceChange>
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

/// A row of [`PLACE_HISTORY`].
pub fn history_from_row<'r, R>(row: &'r R) -> Result<HistoryEntry>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let change: &str = row.try_get("change")?;
    Ok(HistoryEntry {
        version: row.try_get("version")?,
        change: Change::parse(change)
            .ok_or_else(|| StoreError::Corrupt(format!("history change {change:?}")))?,
        changed_at: parse_time(row.try_get("changed_at")?)?,
        changed_by: row.try_get::<&str, _>("changed_by")?.to_owned(),
        place: snapshot(row.try_get("snapshot")?)?,
    })
}

fn snapshot(json: &str) -> Result<Place> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("history snapshot: {e}")))
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
