//! Reading and writing places in the formats other systems use.

pub mod geojson;
pub mod gpx;
