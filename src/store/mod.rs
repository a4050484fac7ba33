//! The database: the source of truth. [`Store`] is what the rest of the service needs from
//! it; `sqlite` is the embedded default, and a PostgreSQL backend implements the same trait.
//!
//! The store only persists: rules are checked before (in `domain`), and the in-memory index is
//! kept in step by the single write path in `crate::places`.

mod sqlite;

pub use sqlite::SqliteStore;

use crate::domain::{Place, Reference};
use async_trait::async_trait;
use futures_util::stream::BoxStream;
use serde::Serialize;
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://FILE")]
    UnsupportedUrl(String),
    #[error("place {id} was changed by someone else (expected version {expected})")]
    VersionConflict { id: Uuid, expected: i64 },
    #[error("place {0} does not exist")]
    NotFound(Uuid),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Create,
    Update,
    Archive,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Archive => "archive",
        }
    }
}

/// One version of a place, as its history keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub change: Change,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    pub changed_by: String,
    pub place: Place,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<()>;

    /// Makes the stored categories and areas equal the given reference data.
    async fn sync_reference(&self, reference: &Reference) -> Result<()>;

    /// Every place, archived ones included, in registration order, one at a time so that
    /// start-up never holds the whole table twice.
    fn stream_places(&self) -> BoxStream<'_, Result<Place>>;

    /// The current version of one place, archived ones included.
    async fn get_place(&self, id: Uuid) -> Result<Option<Place>>;

    /// Stores new places (version 1) and their first history entries, all or none.
    async fn create_places(&self, places: &[Place]) -> Result<()>;

    /// Replaces a place whose stored version is `place.version - 1`, and records the change.
    async fn update_place(&self, place: &Place, change: Change) -> Result<()>;

    /// Every version of a place, oldest first; empty for an unknown id.
    async fn place_history(&self, id: Uuid) -> Result<Vec<HistoryEntry>>;

    async fn count_places(&self) -> Result<u64>;
}

/// Opens the store a database URL names, creating the database if it does not exist.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(Arc::new(SqliteStore::open(path).await?));
    }
    Err(StoreError::UnsupportedUrl(url.to_owned()))
}
