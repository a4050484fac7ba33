//! The sample Nabari data in `data/sample-places.geojson`, compiled into the binary and loaded
//! into an empty database so that a newcomer sees a living map at once. Every sample place
//! says so in its `sample` property.

use crate::domain::{FieldError, PlaceFields, PlaceInput, Reference};
use crate::interchange::geojson::{GeoJsonError, read_feature_collection};

pub const SAMPLE_GEOJSON: &str = include_str!("../data/sample-places.geojson");

/// The account name recorded in the history of sample places.
pub const SAMPLE_ACTOR: &str = "sample-data";

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error(transparent)]
    GeoJson(#[from] GeoJsonError),
    #[error("sample feature {index}: {errors:?}")]
    Invalid {
        index: usize,
        errors: Vec<FieldError>,
    },
}

/// The sample places, validated like any other input.
pub fn sample_places(reference: &Reference) -> Result<Vec<PlaceFields>, SampleError> {
    read_feature_collection(SAMPLE_GEOJSON)?
        .into_iter()
        .enumerate()
        .map(|(index, input): (usize, PlaceInput)| {
            let mut input = input;
            input.sample = true;
            input
                .validate(reference)
                .map_err(|errors| SampleError::Invalid { index, errors })
        })
        .collect()
}
