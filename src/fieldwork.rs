//! The staff's fieldwork: タネ and walks, and the step that turns a タネ into a place.
//!
//! Like places, every edit names the version the editor saw and is refused if someone else
//! changed the record meanwhile (the UPDATE checks it again, so two processes never both win).
//! Unlike places, these records are read from the database on every request: they are few,
//! staff-only, and never part of a public answer, so they need no index.

use crate::domain::personal_data::Finding;
use crate::domain::place::Origin;
use crate::domain::{
    FieldError, Place, PlaceInput, Tane, TaneInput, TaneRefusal, TaneStatus, Walk, WalkInput,
};
use crate::places::{Places, now};
use crate::store::{Store, StoreError, Versioned};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// The category a promoted タネ starts with: 居場所 fits most タネ, and staff choose the right
/// one in the place form before publishing.
pub const PROMOTED_CATEGORY: &str = "ibasho";

/// How many characters of a タネ's first line make the promoted place's name.
const PROMOTED_NAME_CHARS: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum FieldworkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("breaks rules: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the text looks like it holds personal data")]
    PersonalData(Vec<Finding>),
    #[error("this タネ already became place {0}")]
    AlreadyPromoted(Uuid),
}

impl From<TaneRefusal> for FieldworkError {
    fn from(r: TaneRefusal) -> Self {
        match r {
            TaneRefusal::Invalid(errors) => Self::Invalid(errors),
            TaneRefusal::PersonalData(found) => Self::PersonalData(found),
        }
    }
}

pub type Result<T, E = FieldworkError> = std::result::Result<T, E>;

/// Which タネ to list. Empty sets match everything.
#[derive(Debug, Clone, Default)]
pub struct TaneFilter {
    pub statuses: Vec<TaneStatus>,
    pub sources: Vec<crate::domain::TaneSource>,
    pub walk: Option<Uuid>,
    pub place: Option<Uuid>,
    /// Words the text must hold, normalised as search normalises them (full/half width,
    /// kana): `domain::text::query_terms` of what was typed.
    pub words: Vec<String>,
}

impl TaneFilter {
    fn matches(&self, tane: &Tane) -> bool {
        let f = &tane.fields;
        (self.statuses.is_empty() || self.statuses.contains(&f.status))
            && (self.sources.is_empty() || self.sources.contains(&f.source))
            && self.walk.is_none_or(|w| f.walk_id == Some(w))
            && self.place.is_none_or(|p| tane.place_id == Some(p))
            && (self.words.is_empty() || {
                let text = crate::domain::text::normalize(&f.text);
                self.words.iter().all(|word| text.contains(word.as_str()))
            })
    }
}

/// What staff choose when a タネ becomes a place; each defaults from the タネ.
#[derive(Debug, Clone, Default)]
pub struct Promotion {
    pub name: Option<String>,
    pub category: Option<String>,
    pub location: Option<(f64, f64)>,
}

/// A walk with what was found on it.
#[derive(Debug, Clone)]
pub struct WalkFinds {
    pub tane: Vec<Tane>,
    pub places: Vec<Uuid>,
}

pub struct Fieldwork {
    store: Arc<dyn Store>,
    places: Arc<Places>,
}

impl Fieldwork {
    pub fn new(places: Arc<Places>) -> Self {
        Self {
            store: places.store().clone(),
            places,
        }
    }

    pub async fn create_tane(&self, input: TaneInput, actor: &str) -> Result<Tane> {
        let fields = input.validate(None)?;
        self.check_walk(fields.walk_id).await?;
        let now = now();
        let tane = Tane {
            id: Uuid::new_v4(),
            version: 1,
            fields,
            place_id: None,
            recorded_by: actor.to_owned(),
            created_at: now,
            updated_at: now,
            updated_by: actor.to_owned(),
        };
        self.store.create_tane(&tane).await?;
        Ok(tane)
    }

    /// Stores the タネ that `edit` makes of the current one, if the current version is
    /// `expected_version`.
    pub async fn edit_tane(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
        edit: impl FnOnce(&Tane) -> Result<TaneInput>,
    ) -> Result<Tane> {
        let current = self.current_tane(id, expected_version).await?;
        let fields = edit(&current)?.validate(Some(&current))?;
        if fields.walk_id != current.fields.walk_id {
            self.check_walk(fields.walk_id).await?;
        }
        let tane = Tane {
            version: current.version + 1,
            fields,
            updated_at: now(),
            updated_by: actor.to_owned(),
            ..current
        };
        self.store.update_tane(&tane).await?;
        Ok(tane)
    }

    pub async fn tane(&self, id: Uuid) -> Result<Option<Tane>> {
        Ok(self.store.tane(id).await?)
    }

    /// The タネ that match, newest found first.
    pub async fn find_tane(&self, filter: &TaneFilter) -> Result<Vec<Tane>> {
        let mut all = self.store.all_tane().await?;
        all.retain(|t| filter.matches(t));
        Ok(all)
    }

    pub async fn tane_history(&self, id: Uuid) -> Result<Vec<Versioned<Tane>>> {
        Ok(self.store.tane_history(id).await?)
    }

    /// Makes a draft place of a タネ (its point, its text as the description, source
    /// `tane`), and marks the タネ promoted and pointing at the place, in one transaction.
    pub async fn promote(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
        promotion: Promotion,
    ) -> Result<Place> {
        let current = self.current_tane(id, expected_version).await?;
        if let Some(place) = current.place_id {
            return Err(FieldworkError::AlreadyPromoted(place));
        }
        let location = promotion
            .location
            .or(current.fields.location.map(|p| (p.lon(), p.lat())));
        if location.is_none() {
            return Err(FieldworkError::Invalid(vec![FieldError::new(
                "geometry",
                "this タネ has no point: send the place's point as a GeoJSON Point",
            )]));
        }
        let input = PlaceInput {
            name: Some(
                promotion
                    .name
                    .unwrap_or_else(|| name_from(&current.fields.text)),
            ),
            category: Some(
                promotion
                    .category
                    .unwrap_or_else(|| PROMOTED_CATEGORY.to_owned()),
            ),
            description: Some(current.fields.text.clone()),
            location,
            source: Some("tane".into()),
            status: Some("draft".into()),
            ..Default::default()
        };
        let reference = self.places.read().reference().clone();
        let fields = input
            .validate(&reference)
            .map_err(FieldworkError::Invalid)?;
        let at = now();
        let place = Place {
            id: Uuid::new_v4(),
            version: 1,
            fields,
            created_at: at,
            updated_at: at,
            updated_by: actor.to_owned(),
            origin: Origin {
                tane_id: Some(current.id),
                walk_id: current.fields.walk_id,
            },
        };
        let mut tane = Tane {
            version: current.version + 1,
            place_id: Some(place.id),
            updated_at: at,
            updated_by: actor.to_owned(),
            ..current
        };
        tane.fields.status = TaneStatus::Promoted;
        self.places.promote(&tane, place).await.map_err(Into::into)
    }

    pub async fn create_walk(&self, input: WalkInput, actor: &str) -> Result<Walk> {
        let fields = input.validate().map_err(FieldworkError::Invalid)?;
        let now = now();
        let walk = Walk {
            id: Uuid::new_v4(),
            version: 1,
            fields,
            created_by: actor.to_owned(),
            created_at: now,
            updated_at: now,
            updated_by: actor.to_owned(),
        };
        self.store.create_walk(&walk).await?;
        Ok(walk)
    }

    /// Stores the walk that `edit` makes of the current one, if the current version is
    /// `expected_version`.
    pub async fn edit_walk(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: &str,
        edit: impl FnOnce(&Walk) -> Result<WalkInput>,
    ) -> Result<Walk> {
        let current = as_seen(self.store.walk(id).await?, id, expected_version, |w| {
            w.version
        })?;
        let fields = edit(&current)?
            .validate()
            .map_err(FieldworkError::Invalid)?;
        let walk = Walk {
            version: current.version + 1,
            fields,
            updated_at: now(),
            updated_by: actor.to_owned(),
            ..current
        };
        self.store.update_walk(&walk).await?;
        Ok(walk)
    }

    pub async fn walk(&self, id: Uuid) -> Result<Option<Walk>> {
        Ok(self.store.walk(id).await?)
    }

    /// A page of walks, newest first, the number of walks, and what each found.
    pub async fn walks(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Walk>, u64, HashMap<Uuid, (u32, u32)>)> {
        let (walks, total) = self.store.walks(limit, offset).await?;
        let finds = self.store.finds_per_walk().await?;
        Ok((walks, total, finds))
    }

    /// The タネ and places found on a walk.
    pub async fn finds(&self, walk: Uuid) -> Result<WalkFinds> {
        Ok(WalkFinds {
            tane: self.store.tane_of_walk(walk).await?,
            places: self.store.places_of_walk(walk).await?,
        })
    }

    pub async fn walk_history(&self, id: Uuid) -> Result<Vec<Versioned<Walk>>> {
        Ok(self.store.walk_history(id).await?)
    }

    /// Refuses a walk id that names no walk.
    pub async fn check_walk(&self, walk: Option<Uuid>) -> Result<()> {
        match walk {
            Some(id) if self.store.walk(id).await?.is_none() => {
                Err(FieldworkError::Invalid(vec![FieldError::new(
                    "walk_id",
                    format!("no walk with id {id}"),
                )]))
            }
            _ => Ok(()),
        }
    }

    async fn current_tane(&self, id: Uuid, expected_version: i64) -> Result<Tane> {
        as_seen(self.store.tane(id).await?, id, expected_version, |t| {
            t.version
        })
    }
}

/// The stored record, if it is at the version the editor saw (the UPDATE checks it again).
fn as_seen<T>(stored: Option<T>, id: Uuid, expected: i64, version: fn(&T) -> i64) -> Result<T> {
    let current = stored.ok_or(StoreError::NotFound(id))?;
    if version(&current) != expected {
        return Err(StoreError::VersionConflict { id, expected }.into());
    }
    Ok(current)
}

/// A place's name from a タネ's text: its first line, at most a few words long.
fn name_from(text: &str) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(text);
    let mut name: String = first.chars().take(PROMOTED_NAME_CHARS).collect();
    if first.chars().count() > PROMOTED_NAME_CHARS {
        name.push('…');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promoted_name_is_the_first_line_shortened() {
        assert_eq!(name_from("\n 将棋を教える人\n毎週土曜"), "将棋を教える人");
        let long = "あ".repeat(50);
        assert_eq!(name_from(&long).chars().count(), PROMOTED_NAME_CHARS + 1);
    }
}
