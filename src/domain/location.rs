//! Points, boxes and distances on the Earth. Distances are great-circle metres (haversine on
//! the GRS80 mean sphere, as `geo::Haversine` computes them), never degrees.

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// The sphere's radius that `geo::Haversine` uses (GRS80 mean radius R1), in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The largest search radius a client may ask for. Wide enough for a rural link worker, small
/// enough that one request cannot sort the whole country.
pub const MAX_RADIUS_M: f64 = 100_000.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LocationError {
    #[error("{0} is not a finite number")]
    NotFinite(&'static str),
    #[error("longitude {0} is outside -180..180")]
    Longitude(f64),
    #[error("latitude {0} is outside -90..90")]
    Latitude(f64),
    #[error("the minimum {0} is greater than the maximum")]
    Inverted(&'static str),
    #[error("radius must be greater than 0 and at most {MAX_RADIUS_M} metres")]
    Radius,
}

/// A WGS84 position, longitude first as in GeoJSON. Always finite and in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "[f64; 2]", into = "[f64; 2]")]
pub struct LonLat {
    lon: f64,
    lat: f64,
}

impl LonLat {
    pub fn new(lon: f64, lat: f64) -> Result<Self, LocationError> {
        if !lon.is_finite() {
            return Err(LocationError::NotFinite("longitude"));
        }
        if !lat.is_finite() {
            return Err(LocationError::NotFinite("latitude"));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(LocationError::Longitude(lon));
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(LocationError::Latitude(lat));
        }
        Ok(Self { lon, lat })
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: LonLat) -> f64 {
        Haversine.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }

    /// The point as a unit vector in 3-D space. Euclidean (chord) distance between unit vectors
    /// grows strictly with great-circle distance, so a 3-D R-tree finds neighbours in exactly
    /// the great-circle order, with no distortion near the poles or the antimeridian.
    pub fn unit_vector(self) -> [f64; 3] {
        let (lat, lon) = (self.lat.to_radians(), self.lon.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }
}

impl TryFrom<[f64; 2]> for LonLat {
    type Error = LocationError;
    fn try_from([lon, lat]: [f64; 2]) -> Result<Self, Self::Error> {
        LonLat::new(lon, lat)
    }
}

impl From<LonLat> for [f64; 2] {
    fn from(p: LonLat) -> Self {
        [p.lon, p.lat]
    }
}

/// The squared chord length between two unit vectors that are `metres` apart on the sphere.
pub fn chord_squared(metres: f64) -> f64 {
    let half_angle = metres / (2.0 * EARTH_RADIUS_M);
    let chord = 2.0 * half_angle.min(std::f64::consts::FRAC_PI_2).sin();
    chord * chord
}

/// A longitude/latitude box. `min.lat <= max.lat`; a box whose west edge (`min.lon`) is east
/// of its east edge (`max.lon`) crosses the antimeridian, as OGC API – Features Part 1 says:
/// `170,-20,-170,20` holds longitudes 170..180 and -180..-170.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    min: LonLat,
    max: LonLat,
}

impl BBox {
    pub fn new(min: LonLat, max: LonLat) -> Result<Self, LocationError> {
        if min.lat > max.lat {
            return Err(LocationError::Inverted("latitude"));
        }
        Ok(Self { min, max })
    }

    pub fn min(&self) -> LonLat {
        self.min
    }

    pub fn max(&self) -> LonLat {
        self.max
    }

    pub fn crosses_antimeridian(&self) -> bool {
        self.min.lon > self.max.lon
    }

    pub fn contains(&self, p: LonLat) -> bool {
        let lon = if self.crosses_antimeridian() {
            p.lon >= self.min.lon || p.lon <= self.max.lon
        } else {
            (self.min.lon..=self.max.lon).contains(&p.lon)
        };
        lon && (self.min.lat..=self.max.lat).contains(&p.lat)
    }

    /// The smallest box of points: grows this box to hold `p`.
    pub fn extend(self, p: LonLat) -> Self {
        Self {
            min: LonLat {
                lon: self.min.lon.min(p.lon),
                lat: self.min.lat.min(p.lat),
            },
            max: LonLat {
                lon: self.max.lon.max(p.lon),
                lat: self.max.lat.max(p.lat),
            },
        }
    }

    /// Axis-aligned 3-D boxes that together hold the unit vectors of every point of this box:
    /// one, or two for a box across the antimeridian (its parts east and west of it).
    pub fn unit_vector_envelopes(&self) -> Vec<([f64; 3], [f64; 3])> {
        let (lat0, lat1) = (self.min.lat, self.max.lat);
        if self.crosses_antimeridian() {
            vec![
                envelope(lat0, lat1, self.min.lon, 180.0),
                envelope(lat0, lat1, -180.0, self.max.lon),
            ]
        } else {
            vec![envelope(lat0, lat1, self.min.lon, self.max.lon)]
        }
    }
}

/// An axis-aligned 3-D box that holds the unit vectors of every point of a box that does not
/// cross the antimeridian.
///
/// Each coordinate of a unit vector is a product of a function of latitude and one of
/// longitude, so its range over the box is bounded by the products of the two ranges.
fn envelope(lat0: f64, lat1: f64, lon0: f64, lon1: f64) -> ([f64; 3], [f64; 3]) {
    let (lat0, lat1) = (lat0.to_radians(), lat1.to_radians());
    let (lon0, lon1) = (lon0.to_radians(), lon1.to_radians());
    let cos_lat = range_of(f64::cos, lat0, lat1, &[0.0]);
    let sin_lat = (lat0.sin(), lat1.sin());
    use std::f64::consts::{FRAC_PI_2, PI};
    let cos_lon = range_of(f64::cos, lon0, lon1, &[-PI, 0.0, PI]);
    let sin_lon = range_of(f64::sin, lon0, lon1, &[-FRAC_PI_2, FRAC_PI_2]);
    let x = product_range(cos_lat, cos_lon);
    let y = product_range(cos_lat, sin_lon);
    // Pad by a few ulps so that rounding in `unit_vector` never drops a point on the edge.
    const PAD: f64 = 1e-12;
    (
        [x.0 - PAD, y.0 - PAD, sin_lat.0 - PAD],
        [x.1 + PAD, y.1 + PAD, sin_lat.1 + PAD],
    )
}

/// The range of `f` over `[a, b]`, given the points inside where `f` has its extremes.
fn range_of(f: fn(f64) -> f64, a: f64, b: f64, extremes: &[f64]) -> (f64, f64) {
    let mut lo = f(a).min(f(b));
    let mut hi = f(a).max(f(b));
    for &e in extremes {
        if (a..=b).contains(&e) {
            lo = lo.min(f(e));
            hi = hi.max(f(e));
        }
    }
    (lo, hi)
}

fn product_range(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let products = [a.0 * b.0, a.0 * b.1, a.1 * b.0, a.1 * b.1];
    let lo = products.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = products.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// A search radius in metres: finite, positive, at most [`MAX_RADIUS_M`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radius(f64);

impl Radius {
    pub fn new(metres: f64) -> Result<Self, LocationError> {
        if !metres.is_finite() {
            return Err(LocationError::NotFinite("radius"));
        }
        if metres <= 0.0 || metres > MAX_RADIUS_M {
            return Err(LocationError::Radius);
        }
        Ok(Self(metres))
    }

    pub fn metres(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_non_finite() {
        assert!(LonLat::new(181.0, 0.0).is_err());
        assert!(LonLat::new(0.0, 91.0).is_err());
        assert!(LonLat::new(f64::NAN, 0.0).is_err());
        assert!(LonLat::new(0.0, f64::INFINITY).is_err());
        assert!(Radius::new(0.0).is_err());
        assert!(Radius::new(MAX_RADIUS_M + 1.0).is_err());
        assert!(Radius::new(500.0).is_ok());
    }

    #[test]
    fn distance_nabari_station_to_kikyogaoka_is_about_four_km() {
        let nabari = LonLat::new(136.1087, 34.6283).unwrap();
        let kikyo = LonLat::new(136.0697, 34.6541).unwrap();
        let d = nabari.distance_m(kikyo);
        assert!((4000.0..5000.0).contains(&d), "{d}");
    }

    #[test]
    fn a_box_across_the_antimeridian_holds_both_sides() {
        let p = |lon, lat| LonLat::new(lon, lat).unwrap();
        let b = BBox::new(p(170.0, -10.0), p(-170.0, 10.0)).unwrap();
        assert!(b.crosses_antimeridian());
        for inside in [
            p(175.0, 0.0),
            p(180.0, 5.0),
            p(-180.0, -5.0),
            p(-170.0, 10.0),
        ] {
            assert!(b.contains(inside), "{inside:?}");
            let v = inside.unit_vector();
            assert!(
                b.unit_vector_envelopes()
                    .iter()
                    .any(|(lo, hi)| { (0..3).all(|i| lo[i] <= v[i] && v[i] <= hi[i]) })
            );
        }
        for outside in [p(0.0, 0.0), p(169.0, 0.0), p(-169.0, 0.0), p(175.0, 11.0)] {
            assert!(!b.contains(outside), "{outside:?}");
        }
        assert!(BBox::new(p(0.0, 10.0), p(1.0, 0.0)).is_err());
    }

    #[test]
    fn envelope_holds_the_corners_and_centre_of_boxes() {
        let boxes = [
            (122.0, 24.0, 154.0, 46.0),
            (-10.0, -5.0, 10.0, 5.0),
            (170.0, 80.0, 180.0, 90.0),
            (-180.0, -90.0, 180.0, 90.0),
        ];
        for (a, b, c, d) in boxes {
            let bbox = BBox::new(LonLat::new(a, b).unwrap(), LonLat::new(c, d).unwrap()).unwrap();
            let [(lo, hi)] = bbox.unit_vector_envelopes()[..] else {
                panic!("one envelope")
            };
            for (lon, lat) in [
                (a, b),
                (c, d),
                (a, d),
                (c, b),
                ((a + c) / 2.0, (b + d) / 2.0),
            ] {
                let v = LonLat::new(lon, lat).unwrap().unit_vector();
                for i in 0..3 {
                    assert!(lo[i] <= v[i] && v[i] <= hi[i], "{lon},{lat} axis {i}");
                }
            }
        }
    }
}
