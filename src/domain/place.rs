//! A place: something a resident can go to, as staff recorded it.
//!
//! Writers hand in a [`PlaceInput`] (loose, straight from JSON); [`PlaceInput::validate`] turns
//! it into [`PlaceFields`], which hold only values that obey every rule below. The write path
//! takes nothing else, so the store and the index never see an invalid place.

use super::schedule::Schedule;
use super::{BBox, LonLat, Reference};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub const MAX_NAME_CHARS: usize = 200;
const MAX_SHORT_TEXT_CHARS: usize = 500;
const MAX_DESCRIPTION_CHARS: usize = 4000;
const MAX_URL_CHARS: usize = 2000;
const MAX_LIST_ITEMS: usize = 20;
const MAX_LIST_ITEM_CHARS: usize = 40;

/// Where places may lie: Japan, from Okinotorishima to Cape Soya, Yonaguni to Minamitorishima.
/// A point outside is almost always swapped or foreign coordinates.
pub fn service_area() -> BBox {
    BBox::new(
        LonLat::new(122.0, 20.0).unwrap(),
        LonLat::new(154.0, 46.0).unwrap(),
    )
    .unwrap()
}

/// Who can see a place: residents see only `Published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Draft, Status::Published, Status::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How staff came to know the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Found on a neighbourhood walk (まち歩き).
    Walk,
    /// Promoted from a タネ noted in an exchange diary or on a walk.
    Tane,
    /// Imported from open data or a spreadsheet.
    Import,
    /// Entered by staff.
    Staff,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Walk, Source::Tane, Source::Import, Source::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Walk => "walk",
            Source::Tane => "tane",
            Source::Import => "import",
            Source::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One rule a field broke, in words a client can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// A place as a writer hands it in, before any rule is checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlaceInput {
    pub name: Option<String>,
    pub name_kana: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub area: Option<String>,
    /// `[longitude, latitude]`; not range-checked yet.
    #[serde(skip)]
    pub location: Option<(f64, f64)>,
    pub schedule: Option<String>,
    pub schedule_note: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub cost: Option<String>,
    pub audience: Vec<String>,
    pub accessibility: Option<String>,
    pub source: Option<String>,
    pub status: Option<String>,
    pub verified_at: Option<String>,
    pub sample: bool,
}

/// The content of a place, every rule checked. Built only by [`PlaceInput::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaceFields {
    pub name: String,
    pub name_kana: Option<String>,
    pub category: String,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub area: Option<String>,
    pub location: LonLat,
    pub schedule: Option<String>,
    pub schedule_note: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub cost: Option<String>,
    pub audience: Vec<String>,
    pub accessibility: Option<String>,
    pub source: Source,
    pub status: Status,
    pub verified_at: Option<Date>,
    /// Sample data shipped with the service, not a real place.
    pub sample: bool,
}

/// A stored place: its content plus identity and bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: Uuid,
    /// 1 for a new place, one more on each change.
    pub version: i64,
    #[serde(flatten)]
    pub fields: PlaceFields,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The account (or tool) that made the latest change. Never shown to residents.
    pub updated_by: String,
    /// How staff came to know it; kept across edits.
    #[serde(flatten)]
    pub origin: Origin,
}

/// How a place came to be known: the タネ it was promoted from and the walk it was found on.
/// Set when the place is created and kept by every edit. Staff only: it is never part of a
/// public answer or an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tane_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk_id: Option<Uuid>,
}

impl PlaceInput {
    /// Checks every rule and returns the clean fields, or every broken rule at once.
    pub fn validate(self, reference: &Reference) -> Result<PlaceFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = Checker {
            errors: &mut errors,
        };

        let name = check.text("name", self.name, MAX_NAME_CHARS, false);
        if name.is_none() && !check.has("name") {
            check.fail("name", "is required");
        }
        let name_kana = check.text("name_kana", self.name_kana, MAX_NAME_CHARS, false);
        let category = match self.category.as_deref().map(str::trim) {
            None | Some("") => {
                check.fail("category", "is required");
                None
            }
            Some(code) if reference.category_index(code).is_none() => {
                check.fail("category", format!("unknown category code {code:?}"));
                None
            }
            Some(code) => Some(code.to_owned()),
        };
        let tags = check.list("tags", self.tags);
        let description = check.text("description", self.description, MAX_DESCRIPTION_CHARS, true);
        let address = check.text("address", self.address, MAX_SHORT_TEXT_CHARS, false);
        let area = match self.area.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) if reference.area_index(code).is_none() => {
                check.fail("area", format!("unknown area code {code:?}"));
                None
            }
            Some(code) => Some(code.to_owned()),
        };
        let location = match self.location {
            None => {
                check.fail("geometry", "a Point [longitude, latitude] is required");
                None
            }
            Some((lon, lat)) => point_in_japan(lon, lat)
                .map_err(|reason| check.fail("geometry", reason))
                .ok(),
        };
        // Stored as OSM `opening_hours` syntax; Japanese as staff say it is converted.
        let schedule = check
            .text("schedule", self.schedule, MAX_SHORT_TEXT_CHARS, false)
            .and_then(|text| match Schedule::read(&text) {
                Ok(s) => Some(s.osm().to_owned()),
                Err(e) => {
                    check.fail("schedule", e.reason);
                    None
                }
            });
        let schedule_note = check.text(
            "schedule_note",
            self.schedule_note,
            MAX_SHORT_TEXT_CHARS,
            true,
        );
        let phone = check.text("phone", self.phone, 40, false);
        if let Some(p) = &phone
            && !p.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c))
        {
            check.fail("phone", "may hold only digits, spaces and + - ( )");
        }
        let email = check.text("email", self.email, 254, false);
        if let Some(e) = &email
            && !is_plausible_email(e)
        {
            check.fail("email", "is not an e-mail address");
        }
        let url = check.text("url", self.url, MAX_URL_CHARS, false);
        if let Some(u) = &url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            check.fail("url", "must start with https:// or http://");
        }
        let cost = check.text("cost", self.cost, MAX_SHORT_TEXT_CHARS, false);
        let audience = check.list("audience", self.audience);
        let accessibility = check.text(
            "accessibility",
            self.accessibility,
            MAX_SHORT_TEXT_CHARS,
            true,
        );
        let source = match self.source.as_deref() {
            None | Some("") => Some(Source::Staff),
            Some(s) => Source::parse(s).or_else(|| {
                check.fail("source", "must be one of walk, tane, import, staff");
                None
            }),
        };
        let status = match self.status.as_deref() {
            None | Some("") => Some(Status::Draft),
            Some(s) => Status::parse(s).or_else(|| {
                check.fail("status", "must be one of draft, published, archived");
                None
            }),
        };
        let verified_at = match self.verified_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                match Date::parse(d, &format) {
                    Ok(date) => Some(date),
                    Err(_) => {
                        check.fail("verified_at", "must be a date YYYY-MM-DD");
                        None
                    }
                }
            }
        };

        match (name, category, location, source, status) {
            (Some(name), Some(category), Some(location), Some(source), Some(status))
                if errors.is_empty() =>
            {
                Ok(PlaceFields {
                    name,
                    name_kana,
                    category,
                    tags,
                    description,
                    address,
                    area,
                    location,
                    schedule,
                    schedule_note,
                    phone,
                    email,
                    url,
                    cost,
                    audience,
                    accessibility,
                    source,
                    status,
                    verified_at,
                    sample: self.sample,
                })
            }
            _ => Err(errors),
        }
    }
}

struct Checker<'a> {
    errors: &'a mut Vec<FieldError>,
}

impl Checker<'_> {
    fn fail(&mut self, field: &str, reason: impl Into<String>) {
        self.errors.push(FieldError::new(field, reason));
    }

    fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Trims, turns empty into `None`, and checks length and control characters.
    fn text(
        &mut self,
        field: &str,
        value: Option<String>,
        max: usize,
        multiline: bool,
    ) -> Option<String> {
        let value = value?;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match text_problem(value, max, multiline) {
            Some(reason) => {
                self.fail(field, reason);
                None
            }
            None => Some(value.to_owned()),
        }
    }

    /// Trims each item, drops empty and repeated ones, and checks count and length.
    fn list(&mut self, field: &str, items: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in items {
            if let Some(item) = self.text(field, Some(item), MAX_LIST_ITEM_CHARS, false)
                && !out.contains(&item)
            {
                out.push(item);
            }
        }
        if out.len() > MAX_LIST_ITEMS {
            self.fail(field, format!("has more than {MAX_LIST_ITEMS} items"));
        }
        out
    }
}

/// What is wrong with a text field's (trimmed, non-empty) value, if anything: too long, or
/// control characters (newlines and tabs allowed in `multiline` fields).
pub(super) fn text_problem(value: &str, max: usize, multiline: bool) -> Option<String> {
    if value.chars().count() > max {
        return Some(format!("is longer than {max} characters"));
    }
    value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
        .then(|| "contains control characters".to_owned())
}

/// A position where anything the service records may lie: WGS84, in [`service_area`].
pub(super) fn point_in_japan(lon: f64, lat: f64) -> Result<LonLat, String> {
    match LonLat::new(lon, lat) {
        Err(e) => Err(e.to_string()),
        Ok(p) if !service_area().contains(p) => Err(format!(
            "[{lon}, {lat}] is outside Japan; coordinates are [longitude, latitude]"
        )),
        Ok(p) => Ok(p),
    }
}

fn is_plausible_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PlaceInput {
        PlaceInput {
            name: Some("  サロン ひだまり ".into()),
            category: Some("salon".into()),
            location: Some((136.108, 34.628)),
            status: Some("published".into()),
            tags: vec!["お茶".into(), "お茶".into(), " ".into()],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_is_trimmed_and_deduplicated() {
        let f = input().validate(&Reference::builtin()).unwrap();
        assert_eq!(f.name, "サロン ひだまり");
        assert_eq!(f.tags, vec!["お茶"]);
        assert_eq!(f.status, Status::Published);
        assert_eq!(f.source, Source::Staff);
    }

    #[test]
    fn every_broken_rule_is_reported() {
        let bad = PlaceInput {
            name: Some("x".repeat(MAX_NAME_CHARS + 1)),
            category: Some("nope".into()),
            location: Some((34.628, 136.108)),
            url: Some("javascript:alert(1)".into()),
            email: Some("a b@c".into()),
            description: Some("a\0b".into()),
            status: Some("deleted".into()),
            ..Default::default()
        };
        let errors = bad.validate(&Reference::builtin()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "name",
            "category",
            "geometry",
            "url",
            "email",
            "description",
            "status",
        ] {
            assert!(fields.contains(&f), "{f} not reported in {errors:?}");
        }
    }

    #[test]
    fn schedules_are_stored_as_osm_and_unreadable_ones_refused() {
        let mut i = input();
        i.schedule = Some("第2・第4水曜日 13:30-15:30".into());
        let f = i.validate(&Reference::builtin()).unwrap();
        assert_eq!(f.schedule.as_deref(), Some("We[2,4] 13:30-15:30"));
        let mut i = input();
        i.schedule = Some("毎週火曜 ほげ".into());
        let errors = i.validate(&Reference::builtin()).unwrap_err();
        assert_eq!(errors[0].field, "schedule");
        assert!(errors[0].reason.contains("ほげ"), "{errors:?}");
    }

    #[test]
    fn foreign_coordinates_are_refused() {
        let mut i = input();
        i.location = Some((2.35, 48.85));
        assert!(i.validate(&Reference::builtin()).is_err());
    }
}
