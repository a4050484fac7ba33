//! The write path and the index's one way of following the database.
//!
//! Every change to a place — the sample loader, imports, staff edits, in this process or any
//! other — is committed to the store first, where it gets a change number. The index follows
//! the store's change log through [`Places::catch_up`], which applies every change after the
//! last one it has seen, in order, through the idempotent, version-checked
//! [`PlaceIndex::apply`]. A local write catches up before it returns, so it is visible to the
//! very next read; changes made by other processes arrive through [`follow_changes`], woken by
//! the store's listener (a poll on SQLite, LISTEN/NOTIFY on PostgreSQL).

use crate::domain::place::Origin;
use crate::domain::{FieldError, Place, PlaceFields, Reference, Status, Tane};
use crate::index::{IndexBuilder, PlaceIndex};
use crate::readings::Readings;
use crate::store::{Change, HistoryEntry, Store, StoreError};
use futures_util::TryStreamExt;
use parking_lot::{RwLock, RwLockReadGuard};
use std::sync::{Arc, Weak};
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// How many changes one catch-up step reads and applies under the index's write lock, so that
/// a large import elsewhere pauses reads only briefly at a time.
const CATCH_UP_BATCH: u32 = 2000;

pub struct Places {
    store: Arc<dyn Store>,
    index: RwLock<PlaceIndex>,
    /// One catch-up or local write at a time, so that changes are applied in log order.
    writer: tokio::sync::Mutex<()>,
}

impl Places {
    /// Reads every place from the store and builds the index, with `readings` if given.
    pub async fn open(
        store: Arc<dyn Store>,
        reference: Arc<Reference>,
        readings: Option<Arc<Readings>>,
    ) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        let mut builder = IndexBuilder::new(reference, readings);
        // Read the log position first: rows read after it may be newer, which the
        // version check of `apply` makes harmless; nothing committed later is missed.
        builder.set_last_change(store.last_change().await?);
        let mut rows = store.stream_places();
        while let Some(place) = rows.try_next().await? {
            builder.push(place);
        }
        drop(rows);
        let index = builder.finish();
        tracing::info!(
            places = index.len(),
            ms = started.elapsed().as_millis() as u64,
            "index built from the database"
        );
        Ok(Self {
            store,
            index: RwLock::new(index),
            writer: tokio::sync::Mutex::new(()),
        })
    }

    /// The index, for reading. Hold the guard only while building one response.
    pub fn read(&self) -> RwLockReadGuard<'_, PlaceIndex> {
        self.index.read()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Applies every change committed since the index's last one. Returns how many changes
    /// were read.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let _writer = self.writer.lock().await;
        self.catch_up_locked().await
    }

    async fn catch_up_locked(&self) -> Result<usize, StoreError> {
        let mut read = 0;
        loop {
            let after = self.index.read().last_change();
            let changes = self.store.changes_since(after, CATCH_UP_BATCH).await?;
            if changes.is_empty() {
                return Ok(read);
            }
            read += changes.len();
            let mut index = self.index.write();
            for change in &changes {
                index.apply(change);
            }
        }
    }

    /// Creates places, all or none, as version 1 with fresh ids.
    pub async fn create(
        &self,
        fields: Vec<PlaceFields>,
        actor: &str,
    ) -> Result<Vec<Place>, StoreError> {
        let places = new_places(fields, actor);
        let _writer = self.writer.lock().await;
        self.store.create_places(&places).await?;
        self.catch_up_locked().await?;
        Ok(places)
    }

    /// Creates one place with its origin (the walk it was found on).
    pub async fn create_found(
        &self,
        fields: PlaceFields,
        origin: Origin,
        actor: &str,
    ) -> Result<Place, StoreError> {
        let mut places = new_places(vec![fields], actor);
        places[0].origin = origin;
        let _writer = self.writer.lock().await;
        self.store.create_places(&places).await?;
        self.catch_up_locked().await?;
        Ok(places.remove(0))
    }

    /// Stores the place a タネ became and the タネ's new version, in one transaction (see
    /// `crate::fieldwork`).
    pub async fn promote(&self, tane: &Tane, place: Place) -> Result<Place, StoreError> {
        let _writer = self.writer.lock().await;
        self.store.promote_tane(tane, &place).await?;
        self.catch_up_locked().await?;
        Ok(place)
    }

    /// Replaces the content of a place whose current version is `expected_version`.
    pub async fn update(
        &self,
        id: Uuid,
        expected_version: i64,
        fields: PlaceFields,
        actor: &str,
    ) -> Result<Place, StoreError> {
        self.change(id, expected_version, actor, Change::Update, |_| fields)
            .await
    }

    /// Archives a place: it leaves every public view but is kept, with its history.
    pub async fn archive(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
    ) -> Result<Place, StoreError> {
        self.change(
            id,
            expected_version,
            actor,
            Change::Archive,
            |mut fields| {
                fields.status = Status::Archived;
                fields
            },
        )
        .await
    }

    async fn change(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
        change: Change,
        edit: impl FnOnce(PlaceFields) -> PlaceFields,
    ) -> Result<Place, StoreError> {
        self.edit(id, expected_version, actor, change, |current| {
            Ok(edit(current.fields.clone()))
        })
        .await
        .map_err(|e| match e {
            EditError::Store(e) => e,
            EditError::Invalid(_) => unreachable!("an infallible edit"),
        })
    }

    /// Stores a new version of a place made by `edit` from the current one, if the current
    /// version is `expected_version`; an edit may refuse with the rules its result breaks.
    pub async fn edit(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
        change: Change,
        edit: impl FnOnce(&Place) -> Result<PlaceFields, Vec<FieldError>>,
    ) -> Result<Place, EditError> {
        let _writer = self.writer.lock().await;
        // The database, not the index, is the truth about the current version; the UPDATE
        // checks it again, so a write from another process in between is refused too.
        let current = self
            .store
            .get_place(id)
            .await?
            .ok_or(StoreError::NotFound(id))?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict {
                id,
                expected: expected_version,
            }
            .into());
        }
        let fields = edit(&current).map_err(EditError::Invalid)?;
        // An edit that archives is recorded as an archive, whichever route made it.
        let change = if change == Change::Update
            && fields.status == Status::Archived
            && current.fields.status != Status::Archived
        {
            Change::Archive
        } else {
            change
        };
        let place = Place {
            version: current.version + 1,
            fields,
            updated_at: now(),
            updated_by: actor.to_owned(),
            ..current
        };
        self.store.update_place(&place, change).await?;
        self.catch_up_locked().await?;
        Ok(place)
    }

    pub async fn history(&self, id: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store.place_history(id).await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the edited place breaks rules: {0:?}")]
    Invalid(Vec<FieldError>),
}

/// New places (version 1, fresh ids) from validated fields.
pub fn new_places(fields: Vec<PlaceFields>, actor: &str) -> Vec<Place> {
    let now = now();
    fields
        .into_iter()
        .map(|fields| Place {
            id: Uuid::new_v4(),
            version: 1,
            fields,
            created_at: now,
            updated_at: now,
            updated_by: actor.to_owned(),
            origin: Origin::default(),
        })
        .collect()
}

/// Keeps the index in step with changes made by other processes until `places` is dropped:
/// waits on the store's listener and catches up each time it wakes. A broken listener (the
/// database went away) is replaced, retrying every second, and the index catches up as soon
/// as a new one is listening, so nothing is missed and nothing is applied twice.
pub async fn follow_changes(places: Weak<Places>) {
    const RETRY: Duration = Duration::from_secs(1);
    loop {
        let Some(store) = places.upgrade().map(|p| p.store.clone()) else {
            return;
        };
        let mut listener = match store.listen().await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for changes; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        drop(store);
        loop {
            let Some(p) = places.upgrade() else { return };
            let caught_up = p.catch_up().await;
            drop(p);
            match caught_up {
                Ok(0) => {}
                Ok(n) => tracing::info!(changes = n, "applied changes from the database"),
                Err(e) => {
                    // The listener has already seen this change: retry rather than wait.
                    tracing::warn!(error = %e, "catching up with the database failed; retrying");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            }
            if let Err(e) = listener.changed().await {
                tracing::warn!(error = %e, "lost the change listener; reconnecting");
                tokio::time::sleep(RETRY).await;
                break;
            }
        }
    }
}

/// Now, to the second: timestamps in the API and the store read like `2026-11-24T09:30:00Z`.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
}
