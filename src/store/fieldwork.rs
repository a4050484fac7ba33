//! タネ and walks in the database: the SQL both backends share, and how rows decode. They
//! are not in the in-memory index (they are few and staff-only), so there is no change log to
//! follow: every read goes to the database, and every process sees every write at once.

use super::sql::{
    DATE_FORMAT, Q, Queries, format_date, format_time, optional_id, parse_time, versioned_from_row,
};
use super::{Change, Result, StoreError, Versioned};
use crate::domain::{
    LonLat, Place, Route, Tane, TaneFields, TaneSource, TaneStatus, Walk, WalkFields,
};
use serde::de::DeserializeOwned;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A private collection, as `record_history` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Tane,
    Walks,
}

impl Collection {
    fn as_str(self) -> &'static str {
        match self {
            Collection::Tane => "tane",
            Collection::Walks => "walks",
        }
    }
}

const INSERT_WALK: &str = "INSERT INTO walks (id, version, title, walked_on, notes, participants, \
     route, created_by, created_at, updated_at, updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

const UPDATE_WALK: &str = "UPDATE walks SET version = $1, title = $2, walked_on = $3, notes = $4, \
     participants = $5, route = $6, updated_at = $7, updated_by = $8 \
     WHERE id = $9 AND version = $10 RETURNING version";

const GET_WALK: &str = "SELECT * FROM walks WHERE id = $1";

const WALKS: &str = "SELECT * FROM walks ORDER BY walked_on DESC, seq DESC LIMIT $1 OFFSET $2";

const COUNT_WALKS: &str = "SELECT count(*) FROM walks";

const WALK_VERSION: &str = "SELECT version FROM walks WHERE id = $1";

const INSERT_TANE: &str = "INSERT INTO tane (id, version, text, lon, lat, source, found_on, \
     walk_id, status, place_id, recorded_by, created_at, updated_at, updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

const UPDATE_TANE: &str = "UPDATE tane SET version = $1, text = $2, lon = $3, lat = $4, \
     source = $5, found_on = $6, walk_id = $7, status = $8, place_id = $9, updated_at = $10, \
     updated_by = $11 WHERE id = $12 AND version = $13 RETURNING version";

const GET_TANE: &str = "SELECT * FROM tane WHERE id = $1";

const ALL_TANE: &str = "SELECT * FROM tane ORDER BY found_on DESC, seq DESC";

const TANE_OF_WALK: &str = "SELECT * FROM tane WHERE walk_id = $1 ORDER BY found_on DESC, seq DESC";

const TANE_VERSION: &str = "SELECT version FROM tane WHERE id = $1";

const TANE_PER_WALK: &str =
    "SELECT walk_id, count(*) AS n FROM tane WHERE walk_id IS NOT NULL GROUP BY walk_id";

const PLACES_PER_WALK: &str =
    "SELECT walk_id, count(*) AS n FROM places WHERE walk_id IS NOT NULL GROUP BY walk_id";

const PLACES_OF_WALK: &str = "SELECT id FROM places WHERE walk_id = $1 ORDER BY seq";

const INSERT_RECORD_HISTORY: &str = "INSERT INTO record_history \
     (collection, record_id, version, change, changed_at, changed_by, snapshot) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

const RECORD_HISTORY: &str = "SELECT version, change, changed_at, changed_by, snapshot \
     FROM record_history WHERE collection = $1 AND record_id = $2 ORDER BY version";

fn bind_walk<'q, DB>(query: Q<'q, DB>, f: &WalkFields) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> Option<i64>: Encode<'e, DB> + Type<DB>,
{
    query
        .bind(f.title.clone())
        .bind(format_date(f.walked_on))
        .bind(f.notes.clone())
        .bind(f.participants.map(i64::from))
        .bind(serde_json::to_string(&f.route).expect("a route always serialises"))
}

fn bind_tane<'q, DB>(query: Q<'q, DB>, tane: &Tane) -> Q<'q, DB>
where
    DB: Database,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> Option<f64>: Encode<'e, DB> + Type<DB>,
{
    let f = &tane.fields;
    query
        .bind(f.text.clone())
        .bind(f.location.map(LonLat::lon))
        .bind(f.location.map(LonLat::lat))
        .bind(f.source.as_str().to_owned())
        .bind(format_date(f.found_on))
        .bind(f.walk_id.map(|id| id.to_string()))
        .bind(f.status.as_str().to_owned())
        .bind(tane.place_id.map(|id| id.to_string()))
}

fn walk_from_row<'r, R>(row: &'r R) -> Result<Walk>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let corrupt = |what: &str| StoreError::Corrupt(format!("walks.{what}"));
    let text = |column: &str| -> Result<&'r str> { Ok(row.try_get(column)?) };
    let route: Route = serde_json::from_str(text("route")?).map_err(|_| corrupt("route"))?;
    let participants: Option<i64> = row.try_get("participants")?;
    Ok(Walk {
        id: Uuid::parse_str(text("id")?).map_err(|_| corrupt("id"))?,
        version: row.try_get("version")?,
        fields: WalkFields {
            title: text("title")?.to_owned(),
            walked_on: Date::parse(text("walked_on")?, DATE_FORMAT)
                .map_err(|_| corrupt("walked_on"))?,
            notes: row.try_get::<Option<&str>, _>("notes")?.map(str::to_owned),
            participants: participants
                .map(u32::try_from)
                .transpose()
                .map_err(|_| corrupt("participants"))?,
            route,
        },
        created_by: text("created_by")?.to_owned(),
        created_at: parse_time(text("created_at")?)?,
        updated_at: parse_time(text("updated_at")?)?,
        updated_by: text("updated_by")?.to_owned(),
    })
}

fn tane_from_row<'r, R>(row: &'r R) -> Result<Tane>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    f64: Decode<'r, R::Database> + Type<R::Database>,
{
    let corrupt = |what: &str| StoreError::Corrupt(format!("tane.{what}"));
    let text = |column: &str| -> Result<&'r str> { Ok(row.try_get(column)?) };
    let lon: Option<f64> = row.try_get("lon")?;
    let lat: Option<f64> = row.try_get("lat")?;
    let location = match (lon, lat) {
        (Some(lon), Some(lat)) => Some(LonLat::new(lon, lat).map_err(|_| corrupt("lon/lat"))?),
        _ => None,
    };
    Ok(Tane {
        id: Uuid::parse_str(text("id")?).map_err(|_| corrupt("id"))?,
        version: row.try_get("version")?,
        fields: TaneFields {
            text: text("text")?.to_owned(),
            location,
            source: TaneSource::parse(text("source")?).ok_or_else(|| corrupt("source"))?,
            found_on: Date::parse(text("found_on")?, DATE_FORMAT)
                .map_err(|_| corrupt("found_on"))?,
            walk_id: optional_id(row, "walk_id")?,
            status: TaneStatus::parse(text("status")?).ok_or_else(|| corrupt("status"))?,
        },
        place_id: optional_id(row, "place_id")?,
        recorded_by: text("recorded_by")?.to_owned(),
        created_at: parse_time(text("created_at")?)?,
        updated_at: parse_time(text("updated_at")?)?,
        updated_by: text("updated_by")?.to_owned(),
    })
}

/// Counts per walk id from a `walk_id, n` query.
fn counts_from_rows<'r, R>(rows: &'r [R]) -> Result<HashMap<Uuid, u32>>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    &'r str: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    rows.iter()
        .map(|row| {
            let id = optional_id(row, "walk_id")?
                .ok_or_else(|| StoreError::Corrupt("walk_id".into()))?;
            let n: i64 = row.try_get("n")?;
            Ok((id, u32::try_from(n).unwrap_or(u32::MAX)))
        })
        .collect()
}

impl<DB> Queries<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'e> String: Encode<'e, DB> + Type<DB>,
    for<'e> &'e String: Encode<'e, DB> + Type<DB>,
    for<'e> Option<String>: Encode<'e, DB> + Type<DB>,
    for<'e> Option<i64>: Encode<'e, DB> + Type<DB>,
    for<'e> Option<f64>: Encode<'e, DB> + Type<DB>,
    for<'e> f64: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> i64: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> bool: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'e> &'e str: Encode<'e, DB> + Decode<'e, DB> + Type<DB>,
    for<'c> &'c str: ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
    DB::Arguments: IntoArguments<DB>,
{
    pub async fn insert_walk(conn: &mut DB::Connection, walk: &Walk) -> Result<()> {
        let query = sqlx::query(INSERT_WALK)
            .bind(walk.id.to_string())
            .bind(walk.version);
        bind_walk(query, &walk.fields)
            .bind(walk.created_by.clone())
            .bind(format_time(walk.created_at))
            .bind(format_time(walk.updated_at))
            .bind(walk.updated_by.clone())
            .execute(&mut *conn)
            .await?;
        Self::insert_record_history(
            conn,
            Collection::Walks,
            walk.id,
            walk.version,
            Change::Create,
            walk.updated_at,
            &walk.updated_by,
            walk,
        )
        .await
    }

    /// Stores a walk's next version if its stored version is the one before.
    pub async fn update_walk(conn: &mut DB::Connection, walk: &Walk) -> Result<()> {
        let query = sqlx::query(UPDATE_WALK).bind(walk.version);
        let updated = bind_walk(query, &walk.fields)
            .bind(format_time(walk.updated_at))
            .bind(walk.updated_by.clone())
            .bind(walk.id.to_string())
            .bind(walk.version - 1)
            .fetch_optional(&mut *conn)
            .await?;
        if updated.is_none() {
            return Err(Self::why_not_updated(conn, WALK_VERSION, walk.id, walk.version - 1).await);
        }
        Self::insert_record_history(
            conn,
            Collection::Walks,
            walk.id,
            walk.version,
            Change::Update,
            walk.updated_at,
            &walk.updated_by,
            walk,
        )
        .await
    }

    pub async fn walk(pool: &Pool<DB>, id: Uuid) -> Result<Option<Walk>> {
        let row = sqlx::query(GET_WALK)
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(walk_from_row).transpose()
    }

    /// A page of walks, newest first, and how many there are.
    pub async fn walks(pool: &Pool<DB>, limit: u32, offset: u64) -> Result<(Vec<Walk>, u64)> {
        let rows = sqlx::query(WALKS)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(COUNT_WALKS).fetch_one(pool).await?;
        let walks = rows.iter().map(walk_from_row).collect::<Result<_>>()?;
        Ok((walks, u64::try_from(total).unwrap_or(0)))
    }

    /// How many タネ and places each walk found: `(tane, places)` by walk id.
    pub async fn finds_per_walk(pool: &Pool<DB>) -> Result<HashMap<Uuid, (u32, u32)>> {
        let tane = sqlx::query(TANE_PER_WALK).fetch_all(pool).await?;
        let places = sqlx::query(PLACES_PER_WALK).fetch_all(pool).await?;
        let mut counts: HashMap<Uuid, (u32, u32)> = HashMap::new();
        for (id, n) in counts_from_rows(&tane)? {
            counts.entry(id).or_default().0 = n;
        }
        for (id, n) in counts_from_rows(&places)? {
            counts.entry(id).or_default().1 = n;
        }
        Ok(counts)
    }

    /// The ids of the places found on a walk, in registration order.
    pub async fn places_of_walk(pool: &Pool<DB>, walk: Uuid) -> Result<Vec<Uuid>> {
        let rows = sqlx::query(PLACES_OF_WALK)
            .bind(walk.to_string())
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|row| {
                optional_id(row, "id")?.ok_or_else(|| StoreError::Corrupt("places.id".into()))
            })
            .collect()
    }

    pub async fn insert_tane(conn: &mut DB::Connection, tane: &Tane) -> Result<()> {
        let query = sqlx::query(INSERT_TANE)
            .bind(tane.id.to_string())
            .bind(tane.version);
        bind_tane(query, tane)
            .bind(tane.recorded_by.clone())
            .bind(format_time(tane.created_at))
            .bind(format_time(tane.updated_at))
            .bind(tane.updated_by.clone())
            .execute(&mut *conn)
            .await?;
        Self::insert_record_history(
            conn,
            Collection::Tane,
            tane.id,
            tane.version,
            Change::Create,
            tane.updated_at,
            &tane.updated_by,
            tane,
        )
        .await
    }

    /// Stores a タネ's next version if its stored version is the one before.
    pub async fn update_tane(conn: &mut DB::Connection, tane: &Tane, change: Change) -> Result<()> {
        let query = sqlx::query(UPDATE_TANE).bind(tane.version);
        let updated = bind_tane(query, tane)
            .bind(format_time(tane.updated_at))
            .bind(tane.updated_by.clone())
            .bind(tane.id.to_string())
            .bind(tane.version - 1)
            .fetch_optional(&mut *conn)
            .await?;
        if updated.is_none() {
            return Err(Self::why_not_updated(conn, TANE_VERSION, tane.id, tane.version - 1).await);
        }
        Self::insert_record_history(
            conn,
            Collection::Tane,
            tane.id,
            tane.version,
            change,
            tane.updated_at,
            &tane.updated_by,
            tane,
        )
        .await
    }

    pub async fn tane(pool: &Pool<DB>, id: Uuid) -> Result<Option<Tane>> {
        let row = sqlx::query(GET_TANE)
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(tane_from_row).transpose()
    }

    /// Every タネ, newest found first.
    pub async fn all_tane(pool: &Pool<DB>) -> Result<Vec<Tane>> {
        let rows = sqlx::query(ALL_TANE).fetch_all(pool).await?;
        rows.iter().map(tane_from_row).collect()
    }

    /// The タネ found on a walk, newest found first.
    pub async fn tane_of_walk(pool: &Pool<DB>, walk: Uuid) -> Result<Vec<Tane>> {
        let rows = sqlx::query(TANE_OF_WALK)
            .bind(walk.to_string())
            .fetch_all(pool)
            .await?;
        rows.iter().map(tane_from_row).collect()
    }

    pub async fn record_history<T: DeserializeOwned>(
        pool: &Pool<DB>,
        collection: Collection,
        id: Uuid,
    ) -> Result<Vec<Versioned<T>>> {
        let rows = sqlx::query(RECORD_HISTORY)
            .bind(collection.as_str().to_owned())
            .bind(id.to_string())
            .fetch_all(pool)
            .await?;
        rows.iter().map(versioned_from_row).collect()
    }

    /// An UPDATE matched no row: the record is missing, or its version moved on.
    async fn why_not_updated(
        conn: &mut DB::Connection,
        version_query: &'static str,
        id: Uuid,
        expected: i64,
    ) -> StoreError {
        let exists: std::result::Result<Option<i64>, _> = sqlx::query_scalar(version_query)
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await;
        match exists {
            Ok(None) => StoreError::NotFound(id),
            Ok(Some(_)) => StoreError::VersionConflict { id, expected },
            Err(e) => e.into(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_record_history<T: serde::Serialize>(
        conn: &mut DB::Connection,
        collection: Collection,
        id: Uuid,
        version: i64,
        change: Change,
        at: OffsetDateTime,
        by: &str,
        record: &T,
    ) -> Result<()> {
        sqlx::query(INSERT_RECORD_HISTORY)
            .bind(collection.as_str().to_owned())
            .bind(id.to_string())
            .bind(version)
            .bind(change.as_str().to_owned())
            .bind(format_time(at))
            .bind(by.to_owned())
            .bind(serde_json::to_string(record).expect("records always serialise"))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Creates the place a タネ became and stores the タネ's next version pointing at it, in
    /// the caller's transaction; returns the place's change number.
    pub async fn promote_tane(
        conn: &mut DB::Connection,
        tane: &Tane,
        place: &Place,
    ) -> Result<i64> {
        let change_no = Self::insert_places(conn, std::slice::from_ref(place))
            .await?
            .expect("one place was inserted");
        Self::update_tane(conn, tane, Change::Promote).await?;
        Ok(change_no)
    }
}
