//! Plain types and rules of the service. No I/O happens here: values are validated once, at
//! the edge, into types that cannot hold an invalid value.

pub mod account;
pub mod datetime;
pub mod fieldwork;
pub mod landmark;
pub mod location;
pub mod personal_data;
pub mod place;
pub mod reference;
pub mod schedule;
pub mod spelling;
pub mod text;

pub use account::Role;
pub use datetime::TimeRange;
pub use fieldwork::{
    Route, Tane, TaneFields, TaneInput, TaneRefusal, TaneSource, TaneStatus, Walk, WalkFields,
    WalkInput,
};
pub use location::{BBox, LonLat, Radius};
pub use place::{FieldError, Place, PlaceFields, PlaceInput, Source, Status};
pub use reference::{Area, Category, Reference, Town};
