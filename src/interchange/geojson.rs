//! Reading places from GeoJSON: a FeatureCollection of Points whose properties use the place
//! field names (`name`, `category` as a code, `status`, …).

use crate::domain::PlaceInput;
use geojson::{FeatureCollection, GeometryValue};

#[derive(Debug, thiserror::Error)]
pub enum GeoJsonError {
    #[error("not a GeoJSON FeatureCollection: {0}")]
    Parse(String),
    #[error("feature {index}: {reason}")]
    Feature { index: usize, reason: String },
}

/// Reads every feature of a FeatureCollection into a [`PlaceInput`], rules not yet checked.
pub fn read_feature_collection(text: &str) -> Result<Vec<PlaceInput>, GeoJsonError> {
    let collection: FeatureCollection = text
        .parse()
        .map_err(|e: geojson::Error| GeoJsonError::Parse(e.to_string()))?;
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(index, feature)| {
            let fail = |reason: String| GeoJsonError::Feature { index, reason };
            let properties = feature.properties.unwrap_or_default();
            let mut input: PlaceInput = serde_json::from_value(properties.into())
                .map_err(|e| fail(format!("properties: {e}")))?;
            input.location = match feature.geometry.map(|g| g.value) {
                Some(GeometryValue::Point { coordinates }) => match coordinates.as_slice() {
                    [lon, lat] => Some((*lon, *lat)),
                    _ => return Err(fail("a Point needs exactly [longitude, latitude]".into())),
                },
                Some(_) => return Err(fail("geometry must be a Point".into())),
                None => None,
            };
            Ok(input)
        })
        .collect()
}
