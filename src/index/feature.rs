//! The one place that encodes a place as a GeoJSON Feature.
//!
//! Each feature is encoded once, when the place is written, and kept as shared bytes: an
//! answer holds references to them (not copies), releases the index, and streams them out
//! as the client reads — several times faster than serialising structs per request, and a
//! slow client costs no more than its references. Where a query adds `distance_m` or
//! `matched`, they are spliced in right after `"properties":{`.

use crate::domain::Place;
use bytes::Bytes;
use serde::Serialize;
use time::Date;

/// A place's GeoJSON Feature, ready to send. Cloning it shares the bytes.
#[derive(Debug, Clone)]
pub struct PreparedFeature {
    /// UTF-8 JSON.
    json: Bytes,
    /// Byte offset just after `"properties":{`.
    properties_at: usize,
}

/// The properties residents and GIS clients see. Staff bookkeeping (`updated_by`) stays out.
/// Near searches add `distance_m` (metres, great-circle) first; text searches add `matched`
/// (the fields that held the words) first.
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
            // Exactly as long as the text: a String's spare capacity would be kept otherwise.
            json: Bytes::from(json.into_boxed_str().into_boxed_bytes()),
            properties_at,
        }
    }

    /// The feature as pieces of a response: slices of the shared bytes around what the
    /// request adds right after `"properties":{` — `distance_m` (rounded to 0.1 m) for near
    /// queries, and `splices`, each a run of complete `"name":value,` members.
    pub fn pieces(&self, distance_m: Option<f64>, splices: &[Bytes], out: &mut Vec<Bytes>) {
        if distance_m.is_none() && splices.iter().all(Bytes::is_empty) {
            out.push(self.json.clone());
            return;
        }
        out.push(self.json.slice(..self.properties_at));
        if let Some(d) = distance_m {
            let rounded = (d * 10.0).round() / 10.0;
            out.push(Bytes::from(format!(
                "\"distance_m\":{},",
                serde_json::to_string(&rounded).expect("finite")
            )));
        }
        out.extend(splices.iter().filter(|s| !s.is_empty()).cloned());
        out.push(self.json.slice(self.properties_at..));
    }

    /// The feature with `splices` (see [`Self::pieces`]) and extra top-level members (for a
    /// single item's `links`).
    pub fn with_members(
        &self,
        splices: &[Bytes],
        members: &serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let mut pieces = Vec::new();
        self.pieces(None, splices, &mut pieces);
        let mut json = String::with_capacity(self.json.len() + 512);
        for piece in &pieces {
            json.push_str(std::str::from_utf8(piece).expect("pieces are UTF-8 JSON"));
        }
        json.pop();
        for (key, value) in members {
            json.push(',');
            json.push_str(&serde_json::to_string(key).expect("string"));
            json.push(':');
            json.push_str(&value.to_string());
        }
        json.push('}');
        json
    }

    /// The place's name, read back from the encoded properties (for the few features a
    /// suggestion list shows; lists send the bytes as they are).
    pub fn name(&self) -> String {
        #[derive(serde::Deserialize)]
        struct Name {
            name: String,
        }
        serde_json::from_str::<Name>(&self.as_str()[self.properties_at - 1..self.json.len() - 1])
            .map(|n| n.name)
            .expect("encoded from PublicProperties, which has a name")
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.json).expect("encoded from a String")
    }
}

/// `"matched":["name",…],`: the fields that held the words of a text search, so that a page
/// can highlight them; for the `splices` of [`PreparedFeature::pieces`].
pub fn matched_member(fields: &[&str]) -> String {
    format!(
        "\"matched\":{},",
        serde_json::to_string(fields).expect("strings")
    )
}
