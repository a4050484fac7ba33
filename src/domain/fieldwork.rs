//! What staff find in the field, before it is a place: タネ (seed notes from exchange diaries,
//! walks and conversations) and walks (まち歩き) with their routes. Both are private to staff:
//! nothing here ever reaches a public answer.
//!
//! As with places, writers hand in loose inputs and `validate` returns fields that obey every
//! rule, or every broken rule at once.

use super::place::{FieldError, point_in_japan, text_problem};
use super::schedule::JST;
use super::{LonLat, personal_data};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub const MAX_TANE_TEXT_CHARS: usize = 4000;
const MAX_TITLE_CHARS: usize = 200;
const MAX_NOTES_CHARS: usize = 4000;
const MAX_PARTICIPANTS: i64 = 10_000;
/// A three-hour walk recorded every second has 10,800 points; five times that is a mistake.
pub const MAX_ROUTE_POINTS: usize = 50_000;
const MAX_ROUTE_SEGMENTS: usize = 1_000;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Today in Japan: the default day a タネ was found or a walk was walked.
pub fn today_in_japan() -> Date {
    OffsetDateTime::now_utc().to_offset(JST).date()
}

/// Where a タネ was noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaneSource {
    /// An exchange diary (交換日記, ステイホームダイアリー).
    Diary,
    /// A neighbourhood walk.
    Walk,
    /// Something someone said.
    Conversation,
    Other,
}

impl TaneSource {
    pub const ALL: [Self; 4] = [Self::Diary, Self::Walk, Self::Conversation, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Diary => "diary",
            Self::Walk => "walk",
            Self::Conversation => "conversation",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How far staff have got with a タネ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaneStatus {
    /// 新規: just noted.
    New,
    /// 調べている: staff are looking into it.
    Looking,
    /// 場所になった: promoted to a place (only promotion sets this).
    Promoted,
    /// 見送り: set aside.
    SetAside,
}

impl TaneStatus {
    pub const ALL: [Self; 4] = [Self::New, Self::Looking, Self::Promoted, Self::SetAside];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Looking => "looking",
            Self::Promoted => "promoted",
            Self::SetAside => "set_aside",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A タネ's content, every rule checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaneFields {
    pub text: String,
    /// Where it is, if anyone knows: a タネ from a diary often has no point.
    pub location: Option<LonLat>,
    pub source: TaneSource,
    #[serde(with = "iso_date")]
    pub found_on: Date,
    /// The walk it was found on.
    pub walk_id: Option<Uuid>,
    pub status: TaneStatus,
}

/// A stored タネ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tane {
    pub id: Uuid,
    pub version: i64,
    #[serde(flatten)]
    pub fields: TaneFields,
    /// The place it became; set by promotion only.
    pub place_id: Option<Uuid>,
    /// The account that noted it.
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl Tane {
    /// What in its text looks like personal data (shown to staff as a warning).
    pub fn personal_data(&self) -> Vec<personal_data::Finding> {
        personal_data::scan(&self.fields.text)
    }
}

/// A タネ as a writer hands it in. `location` is `None` when not given, `Some(None)` when
/// cleared.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaneInput {
    pub text: Option<String>,
    pub source: Option<String>,
    pub found_on: Option<String>,
    pub walk_id: Option<String>,
    pub status: Option<String>,
    /// The writer saw what looks like personal data and keeps it anyway. Not stored.
    pub personal_data_confirmed: bool,
    #[serde(skip)]
    pub location: Option<(f64, f64)>,
}

/// Why a タネ was not stored.
#[derive(Debug, Clone, PartialEq)]
pub enum TaneRefusal {
    Invalid(Vec<FieldError>),
    /// The text looks like it holds personal data and the writer has not confirmed it.
    PersonalData(Vec<personal_data::Finding>),
}

impl TaneInput {
    /// Checks every rule. `was` is the stored タネ when editing: its status may stay
    /// `promoted`, and a text it already had needs no new confirmation.
    pub fn validate(self, was: Option<&Tane>) -> Result<TaneFields, TaneRefusal> {
        let mut errors = Vec::new();
        let text = match self.text.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push(FieldError::new("text", "is required"));
                None
            }
            Some(t) => check_text(&mut errors, "text", t, MAX_TANE_TEXT_CHARS, true),
        };
        let source = match self.source.as_deref().map(str::trim) {
            None | Some("") => Some(TaneSource::Other),
            Some(s) => TaneSource::parse(s).or_else(|| {
                errors.push(FieldError::new(
                    "source",
                    "must be one of diary, walk, conversation, other",
                ));
                None
            }),
        };
        let found_on = date(&mut errors, "found_on", self.found_on.as_deref());
        let walk_id = uuid(&mut errors, "walk_id", self.walk_id.as_deref());
        let promoted = was.is_some_and(|t| t.fields.status == TaneStatus::Promoted);
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") if promoted => Some(TaneStatus::Promoted),
            None | Some("") => Some(TaneStatus::New),
            Some(s) => match TaneStatus::parse(s) {
                Some(TaneStatus::Promoted) if !promoted => {
                    errors.push(FieldError::new(
                        "status",
                        "becomes promoted only through …/promote, which makes the place",
                    ));
                    None
                }
                Some(s) if promoted && s != TaneStatus::Promoted => {
                    errors.push(FieldError::new(
                        "status",
                        "this タネ already became a place; it stays promoted",
                    ));
                    None
                }
                Some(s) => Some(s),
                None => {
                    errors.push(FieldError::new(
                        "status",
                        "must be one of new, looking, set_aside (promoted comes from …/promote)",
                    ));
                    None
                }
            },
        };
        let location = self.location.and_then(|(lon, lat)| {
            point_in_japan(lon, lat)
                .map_err(|reason| errors.push(FieldError::new("geometry", reason)))
                .ok()
        });
        let (Some(text), Some(source), Some(status)) = (text, source, status) else {
            return Err(TaneRefusal::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(TaneRefusal::Invalid(errors));
        }
        let unchanged = was.is_some_and(|t| t.fields.text == text);
        if !self.personal_data_confirmed && !unchanged {
            let found = personal_data::scan(&text);
            if !found.is_empty() {
                return Err(TaneRefusal::PersonalData(found));
            }
        }
        Ok(TaneFields {
            text,
            location,
            source,
            found_on: found_on.unwrap_or_else(today_in_japan),
            walk_id,
            status,
        })
    }
}

/// A walk's route: one or more segments (a recording paused and resumed starts a new one),
/// each of at least two points. Empty until one is recorded, drawn or uploaded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Route(Vec<Vec<LonLat>>);

impl Route {
    /// Checks a route from raw coordinates: every point a WGS84 position in Japan, every
    /// segment at least two points, at most [`MAX_ROUTE_POINTS`] in all.
    pub fn new(segments: Vec<Vec<(f64, f64)>>) -> Result<Self, FieldError> {
        let fail = |reason: String| FieldError::new("geometry", reason);
        if segments.len() > MAX_ROUTE_SEGMENTS {
            return Err(fail(format!(
                "has {} segments; at most {MAX_ROUTE_SEGMENTS}",
                segments.len()
            )));
        }
        let points: usize = segments.iter().map(Vec::len).sum();
        if points > MAX_ROUTE_POINTS {
            return Err(fail(format!(
                "has {points} points; at most {MAX_ROUTE_POINTS} (record less often or simplify)"
            )));
        }
        let mut out = Vec::with_capacity(segments.len());
        for (s, segment) in segments.into_iter().enumerate() {
            if segment.len() < 2 {
                return Err(fail(format!(
                    "segment {s} has {} point(s); a line needs at least two",
                    segment.len()
                )));
            }
            let mut line = Vec::with_capacity(segment.len());
            for (i, (lon, lat)) in segment.into_iter().enumerate() {
                line.push(point_in_japan(lon, lat).map_err(|e| fail(format!("point {i}: {e}")))?);
            }
            out.push(line);
        }
        Ok(Self(out))
    }

    pub fn segments(&self) -> &[Vec<LonLat>] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The length walked, in metres along the great circle between points; the jumps between
    /// segments (while paused) are not counted.
    pub fn length_m(&self) -> f64 {
        self.0
            .iter()
            .flat_map(|segment| segment.windows(2))
            .map(|pair| pair[0].distance_m(pair[1]))
            .sum()
    }
}

/// A walk's content, every rule checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WalkFields {
    pub title: String,
    #[serde(with = "iso_date")]
    pub walked_on: Date,
    pub notes: Option<String>,
    pub participants: Option<u32>,
    pub route: Route,
}

/// A stored walk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    pub id: Uuid,
    pub version: i64,
    #[serde(flatten)]
    pub fields: WalkFields,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

/// A walk as a writer hands it in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WalkInput {
    pub title: Option<String>,
    pub walked_on: Option<String>,
    pub notes: Option<String>,
    pub participants: Option<i64>,
    #[serde(skip)]
    pub route: Option<Route>,
}

impl WalkInput {
    pub fn validate(self) -> Result<WalkFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = match self.title.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push(FieldError::new("title", "is required"));
                None
            }
            Some(t) => check_text(&mut errors, "title", t, MAX_TITLE_CHARS, false),
        };
        let walked_on = date(&mut errors, "walked_on", self.walked_on.as_deref());
        let notes = match self.notes.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => check_text(&mut errors, "notes", t, MAX_NOTES_CHARS, true),
        };
        let participants = match self.participants {
            None => None,
            Some(n) if (0..=MAX_PARTICIPANTS).contains(&n) => Some(n as u32),
            Some(_) => {
                errors.push(FieldError::new(
                    "participants",
                    format!("must be a whole number from 0 to {MAX_PARTICIPANTS}"),
                ));
                None
            }
        };
        match title {
            Some(title) if errors.is_empty() => Ok(WalkFields {
                title,
                walked_on: walked_on.unwrap_or_else(today_in_japan),
                notes,
                participants,
                route: self.route.unwrap_or_default(),
            }),
            _ => Err(errors),
        }
    }
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Option<String> {
    match text_problem(value, max, multiline) {
        Some(reason) => {
            errors.push(FieldError::new(field, reason));
            None
        }
        None => Some(value.to_owned()),
    }
}

fn date(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>) -> Option<Date> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(value, &format) {
        Ok(d) if d.year() >= 1900 && d <= today_in_japan() + time::Duration::days(1) => Some(d),
        Ok(_) => {
            errors.push(FieldError::new(field, "must be a date from 1900 to today"));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(field, "must be a date YYYY-MM-DD"));
            None
        }
    }
}

fn uuid(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>) -> Option<Uuid> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    Uuid::parse_str(value)
        .map_err(|_| errors.push(FieldError::new(field, "must be a walk's id")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tane(text: &str) -> TaneInput {
        TaneInput {
            text: Some(text.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_tane_needs_only_its_text() {
        let f = tane("  毎朝ベンチに集まる人たち ").validate(None).unwrap();
        assert_eq!(f.text, "毎朝ベンチに集まる人たち");
        assert_eq!(f.source, TaneSource::Other);
        assert_eq!(f.status, TaneStatus::New);
        assert_eq!(f.found_on, today_in_japan());
        assert_eq!(f.location, None);
    }

    #[test]
    fn personal_data_needs_confirmation_once() {
        let refused = tane("田中さん 0595-63-1234").validate(None).unwrap_err();
        let TaneRefusal::PersonalData(found) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(found.len(), 2);
        let mut confirmed = tane("田中さん 0595-63-1234");
        confirmed.personal_data_confirmed = true;
        let fields = confirmed.validate(None).unwrap();
        // An edit that keeps the confirmed text (a status change) is not asked again.
        let stored = Tane {
            id: Uuid::nil(),
            version: 1,
            fields,
            place_id: None,
            recorded_by: "a".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
            updated_by: "a".into(),
        };
        let mut edit = tane("田中さん 0595-63-1234");
        edit.status = Some("looking".into());
        assert_eq!(
            edit.validate(Some(&stored)).unwrap().status,
            TaneStatus::Looking
        );
    }

    #[test]
    fn only_promotion_makes_a_tane_promoted_and_it_stays_so() {
        let mut i = tane("将棋を教える人");
        i.status = Some("promoted".into());
        assert!(matches!(i.validate(None), Err(TaneRefusal::Invalid(_))));
        let mut fields = tane("将棋を教える人").validate(None).unwrap();
        fields.status = TaneStatus::Promoted;
        let stored = Tane {
            id: Uuid::nil(),
            version: 2,
            fields,
            place_id: Some(Uuid::nil()),
            recorded_by: "a".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
            updated_by: "a".into(),
        };
        assert_eq!(
            tane("将棋を教える人")
                .validate(Some(&stored))
                .unwrap()
                .status,
            TaneStatus::Promoted
        );
        let mut back = tane("将棋を教える人");
        back.status = Some("new".into());
        assert!(back.validate(Some(&stored)).is_err());
    }

    #[test]
    fn every_broken_tane_rule_is_reported() {
        let bad = TaneInput {
            text: Some("x".repeat(MAX_TANE_TEXT_CHARS + 1)),
            source: Some("rumour".into()),
            found_on: Some("2026-13-01".into()),
            walk_id: Some("walk-1".into()),
            status: Some("done".into()),
            location: Some((34.6, 136.1)),
            ..Default::default()
        };
        let Err(TaneRefusal::Invalid(errors)) = bad.validate(None) else {
            panic!("accepted")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "text", "source", "found_on", "walk_id", "status", "geometry",
        ] {
            assert!(fields.contains(&f), "{f} not in {errors:?}");
        }
    }

    #[test]
    fn routes_are_checked_and_measured() {
        let nabari = vec![(136.1030, 34.6270), (136.1040, 34.6270)];
        let route = Route::new(vec![nabari.clone(), nabari.clone()]).unwrap();
        // 0.001° of longitude at 34.627° N is about 91.5 m; the pause between is not counted.
        assert!(
            (route.length_m() - 2.0 * 91.5).abs() < 1.0,
            "{}",
            route.length_m()
        );
        assert!(Route::new(vec![vec![(136.1, 34.6)]]).is_err());
        assert!(Route::new(vec![vec![(34.6, 136.1), (34.7, 136.1)]]).is_err());
        let too_many = vec![(136.1, 34.6); MAX_ROUTE_POINTS + 1];
        assert!(Route::new(vec![too_many]).is_err());
    }

    #[test]
    fn a_walk_needs_a_title() {
        assert!(WalkInput::default().validate().is_err());
        let w = WalkInput {
            title: Some("桔梗が丘まち歩き".into()),
            participants: Some(6),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(w.participants, Some(6));
        assert!(w.route.is_empty());
        let bad = WalkInput {
            title: Some("x".into()),
            participants: Some(-1),
            walked_on: Some("3000-01-01".into()),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().len(), 2);
    }
}
