//! The single write path. Every change to a place — the sample loader, imports, staff edits —
//! goes through [`Places`], which writes the database first and then, holding the index's
//! write lock, applies the same change to the in-memory index. A write is therefore visible
//! to the very next read, and the index never holds something the database does not.

use crate::domain::{Place, PlaceFields, Reference, Status};
use crate::index::{IndexBuilder, PlaceIndex};
use crate::store::{Change, HistoryEntry, Store, StoreError};
use futures_util::TryStreamExt;
use parking_lot::{RwLock, RwLockReadGuard};
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

pub struct Places {
    store: Arc<dyn Store>,
    index: RwLock<PlaceIndex>,
    /// One writer at a time, so that the index applies changes in commit order.
    writer: tokio::sync::Mutex<()>,
}

impl Places {
    /// Reads every place from the store and builds the index.
    pub async fn open(
        store: Arc<dyn Store>,
        reference: Arc<Reference>,
    ) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        let mut builder = IndexBuilder::new(reference);
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

    /// Creates places, all or none, as version 1 with fresh ids.
    pub async fn create(
        &self,
        fields: Vec<PlaceFields>,
        actor: &str,
    ) -> Result<Vec<Place>, StoreError> {
        let _writer = self.writer.lock().await;
        let now = now();
        let places: Vec<Place> = fields
            .into_iter()
            .map(|fields| Place {
                id: Uuid::new_v4(),
                version: 1,
                fields,
                created_at: now,
                updated_at: now,
                updated_by: actor.to_owned(),
            })
            .collect();
        self.store.create_places(&places).await?;
        let mut index = self.index.write();
        for place in &places {
            index.upsert(place.clone());
        }
        Ok(places)
    }

    /// Replaces the content of a place whose current version is `expected_version`.
    pub async fn update(
        &self,
        id: Uuid,
        expected_version: i64,
        fields: PlaceFields,
        actor: &str,
    ) -> Result<Place, StoreError> {
        let change = if fields.status == Status::Archived {
            Change::Archive
        } else {
            Change::Update
        };
        self.change(id, expected_version, actor, change, |_| fields)
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
        let _writer = self.writer.lock().await;
        // The database, not the index, is the truth about the current version.
        let current = self
            .store
            .get_place(id)
            .await?
            .ok_or(StoreError::NotFound(id))?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict {
                id,
                expected: expected_version,
            });
        }
        let place = Place {
            version: current.version + 1,
            fields: edit(current.fields),
            updated_at: now(),
            updated_by: actor.to_owned(),
            ..current
        };
        self.store.update_place(&place, change).await?;
        self.index.write().upsert(place.clone());
        Ok(place)
    }

    pub async fn history(&self, id: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store.place_history(id).await
    }
}

/// Now, to the second: timestamps in the API and the store read like `2026-11-24T09:30:00Z`.
fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
}
