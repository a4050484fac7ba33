//! The database: the source of truth. [`Store`] is what the rest of the service needs from
//! it; `sqlite` is the embedded default and `postgres` the backend for several replicas. Both
//! share their SQL, column mapping and queries (`sql`) and pass the same test suite.
//!
//! The store only persists: rules are checked before (in `domain`), and the in-memory index
//! follows the store's change log (`crate::places`).
//!
//! Every committed change to a place is one row of `place_history` with a global, increasing
//! change number, assigned in commit order because writers are serialised (SQLite's
//! `BEGIN IMMEDIATE`, PostgreSQL's transaction-level advisory lock). A process that has applied
//! change `n` catches up with [`Store::changes_since`]`(n)`; [`Store::listen`] tells it when to.

mod fieldwork;
mod postgres;
mod sql;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::domain::{Place, Reference, Role, Tane, Walk};
use async_trait::async_trait;
use futures_util::stream::BoxStream;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    #[error("{id} was changed by someone else (expected version {expected})")]
    VersionConflict { id: Uuid, expected: i64 },
    #[error("{0} does not exist")]
    NotFound(Uuid),
    #[error("an account named {0:?} already exists")]
    AccountExists(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Create,
    Update,
    Archive,
    Restore,
    /// A タネ became a place.
    Promote,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Archive => "archive",
            Change::Restore => "restore",
            Change::Promote => "promote",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "create" => Change::Create,
            "update" => Change::Update,
            "archive" => Change::Archive,
            "restore" => Change::Restore,
            "promote" => Change::Promote,
            _ => return None,
        })
    }
}

/// One version of a place, タネ or walk, as its history keeps it.
#[derive(Debug, Clone)]
pub struct Versioned<T> {
    pub version: i64,
    pub change: Change,
    pub changed_at: OffsetDateTime,
    pub changed_by: String,
    pub record: T,
}

/// One version of a place.
pub type HistoryEntry = Versioned<Place>;

/// One committed change from the change log: the place as that change left it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceChange {
    /// Global and increasing, in commit order.
    pub change_no: i64,
    pub place: Place,
}

/// An account as stored.
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub username: String,
    pub role: Role,
    /// argon2id in PHC string form.
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
}

/// A live session and the account it belongs to, as one look-up finds them.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub last_seen_at: i64,
}

/// Tells a process that the store may hold changes it has not applied yet.
#[async_trait]
pub trait ChangeListener: Send {
    /// Returns when there may be new changes: a notification arrived, a poll saw a newer change
    /// number, or the connection was re-established (notifications may have been lost, so the
    /// caller catches up). An error means the listener is broken; open a new one.
    async fn changed(&mut self) -> Result<()>;
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Brings the schema up to date, makes the stored categories and areas equal `reference`,
    /// and stores `sample` if the database holds no place — all in one write transaction, so
    /// that processes starting together on a new database migrate once and load the sample
    /// once. Returns how many sample places were stored.
    async fn initialize(&self, reference: &Reference, sample: &[Place]) -> Result<usize>;

    /// Every place, archived ones included, in registration order, one page at a time so
    /// that start-up never holds the whole table twice.
    fn stream_places(&self) -> BoxStream<'_, Result<Place>>;

    /// The number of the latest committed change, 0 for none.
    async fn last_change(&self) -> Result<i64>;

    /// Up to `limit` changes committed after change `after`, oldest first.
    async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<PlaceChange>>;

    /// Waits for changes made by this or any other process.
    async fn listen(&self) -> Result<Box<dyn ChangeListener>>;

    /// The current version of one place, archived ones included.
    async fn get_place(&self, id: Uuid) -> Result<Option<Place>>;

    /// Stores new places (version 1) and their first history entries, all or none.
    async fn create_places(&self, places: &[Place]) -> Result<()>;

    /// Replaces a place whose stored version is `place.version - 1` — checked in the UPDATE
    /// itself, so that two processes never both win — and records the change.
    async fn update_place(&self, place: &Place, change: Change) -> Result<()>;

    /// Every version of a place, oldest first; empty for an unknown id.
    async fn place_history(&self, id: Uuid) -> Result<Vec<HistoryEntry>>;

    /// Stores a new account; [`StoreError::AccountExists`] if the name is taken.
    async fn create_account(&self, account: &AccountRecord) -> Result<()>;

    async fn account(&self, username: &str) -> Result<Option<AccountRecord>>;

    /// Every account, by name.
    async fn accounts(&self) -> Result<Vec<AccountRecord>>;

    /// Replaces an account's password hash and ends all its sessions. False for an unknown name.
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<bool>;

    /// Disables an account and ends all its sessions. False for an unknown name.
    async fn disable_account(&self, username: &str) -> Result<bool>;

    /// Stores a new session (by the hash of its token).
    async fn create_session(&self, token_hash: &str, username: &str, now: i64) -> Result<()>;

    /// The session with this token hash and its account, if any.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>>;

    /// Records that the session was used at `now`.
    async fn touch_session(&self, token_hash: &str, now: i64) -> Result<()>;

    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    // タネ and walks: staff's private records, read from the database by every process.

    /// Stores a new walk (version 1) and its first history entry.
    async fn create_walk(&self, walk: &Walk) -> Result<()>;

    /// Replaces a walk whose stored version is `walk.version - 1` and records the change.
    async fn update_walk(&self, walk: &Walk) -> Result<()>;

    async fn walk(&self, id: Uuid) -> Result<Option<Walk>>;

    /// A page of walks, newest walked first, and how many there are in all.
    async fn walks(&self, limit: u32, offset: u64) -> Result<(Vec<Walk>, u64)>;

    /// How many タネ and places each walk found, `(tane, places)` by walk id.
    async fn finds_per_walk(&self) -> Result<HashMap<Uuid, (u32, u32)>>;

    /// The ids of the places found on a walk.
    async fn places_of_walk(&self, walk: Uuid) -> Result<Vec<Uuid>>;

    async fn walk_history(&self, id: Uuid) -> Result<Vec<Versioned<Walk>>>;

    /// Stores a new タネ (version 1) and its first history entry.
    async fn create_tane(&self, tane: &Tane) -> Result<()>;

    /// Replaces a タネ whose stored version is `tane.version - 1` and records the change.
    async fn update_tane(&self, tane: &Tane) -> Result<()>;

    async fn tane(&self, id: Uuid) -> Result<Option<Tane>>;

    /// Every タネ, newest found first.
    async fn all_tane(&self) -> Result<Vec<Tane>>;

    /// The タネ found on a walk, newest found first.
    async fn tane_of_walk(&self, walk: Uuid) -> Result<Vec<Tane>>;

    async fn tane_history(&self, id: Uuid) -> Result<Vec<Versioned<Tane>>>;

    /// Creates `place` (version 1, its origin naming the タネ) and stores `tane`'s next version
    /// (promoted, naming the place), all or nothing.
    async fn promote_tane(&self, tane: &Tane, place: &Place) -> Result<()>;
}

/// Opens the store a database URL names: `sqlite://FILE` (created if missing) or
/// `postgres://…` (the database is created if the server allows it).
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(Arc::new(SqliteStore::open(path).await?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(PostgresStore::open(url).await?));
    }
    Err(StoreError::UnsupportedUrl(url.to_owned()))
}
