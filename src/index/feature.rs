//! The one place that encodes a place as a GeoJSON Feature.
//!
//! Each feature is encoded once, when the place is written, and kept as bytes: answering a
//! query is then copying bytes, several times faster than serialising structs per request.
//! Where a query adds `distance_m`, it is spliced in right after `"properties":{`.

use crate::domain::Place;
use serde::Serialize;
use time::Date;

/// A place's GeoJSON Feature, ready to copy into a response.
#[derive(Debug, Clone)]
pub struct PreparedFeature {
    json: Box<str>,
    /// Byte offset just after `"properties":{`.
    properties_at: usize,
}

/// The properties residents and GIS clients see. Staff bookkeeping (`updated_by`) stays out.
/// Near searches add `distance_m` (metres, great-circle) first.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PlaceProperties)]
pub struct PublicProperties<'a> {
    name: &'a str,
    name_kana: Option<&'a str>,
    category: &'a str,
    tags: &'a [String],
    description: Option<&'a str>,
    address: Option<&'a str>,
    area: Option<&'a str>,
    schedule: Option<&'a str>,
    schedule_note: Option<&'a str>,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    url: Option<&'a str>,
    cost: Option<&'a str>,
    audience: &'a [String],
    accessibility: Option<&'a str>,
    source: &'static str,
    status: &'static str,
    #[serde(serialize_with = "serialize_date")]
    #[schema(value_type = Option<String>, format = Date)]
    verified_at: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    updated_at: time::OffsetDateTime,
    version: i64,
    sample: bool,
}

fn serialize_date<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

impl PreparedFeature {
    pub fn new(place: &Place) -> Self {
        let f = &place.fields;
        let properties = PublicProperties {
            name: &f.name,
            name_kana: f.name_kana.as_deref(),
            category: &f.category,
            tags: &f.tags,
            description: f.description.as_deref(),
            address: f.address.as_deref(),
            area: f.area.as_deref(),
            schedule: f.schedule.as_deref(),
            schedule_note: f.schedule_note.as_deref(),
            phone: f.phone.as_deref(),
            email: f.email.as_deref(),
            url: f.url.as_deref(),
            cost: f.cost.as_deref(),
            audience: &f.audience,
            accessibility: f.accessibility.as_deref(),
            source: f.source.as_str(),
            status: f.status.as_str(),
            verified_at: f.verified_at,
            updated_at: place.updated_at,
            version: place.version,
            sample: f.sample,
        };
        let geometry = serde_json::json!({
            "type": "Point",
            "coordinates": [f.location.lon(), f.location.lat()],
        });
        let mut json = format!(
            r#"{{"type":"Feature","id":"{}","geometry":{geometry},"properties":"#,
            place.id
        );
        let properties_at = json.len() + 1;
        json.push_str(&serde_json::to_string(&properties).expect("properties always serialise"));
        json.push('}');
        Self {
            json: json.into_boxed_str(),
            properties_at,
        }
    }

    /// Appends the feature to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.json.as_bytes());
    }

    /// Appends the feature with `properties.distance_m` (rounded to 0.1 m) to `out`.
    pub fn write_with_distance(&self, out: &mut Vec<u8>, distance_m: f64) {
        let (head, tail) = self.json.split_at(self.properties_at);
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(b"\"distance_m\":");
        let rounded = (distance_m * 10.0).round() / 10.0;
        out.extend_from_slice(serde_json::to_string(&rounded).expect("finite").as_bytes());
        out.push(b',');
        out.extend_from_slice(tail.as_bytes());
    }

    /// The feature with extra top-level members (for a single item's `links`).
    pub fn with_members(&self, members: &serde_json::Map<String, serde_json::Value>) -> String {
        let mut out = String::with_capacity(self.json.len() + 256);
        out.push_str(&self.json[..self.json.len() - 1]);
        for (key, value) in members {
            out.push(',');
            out.push_str(&serde_json::to_string(key).expect("string"));
            out.push(':');
            out.push_str(&value.to_string());
        }
        out.push('}');
        out
    }

    pub fn as_str(&self) -> &str {
        &self.json
    }
}
