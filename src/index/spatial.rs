//! Points on the sphere for rstar: each place is a unit vector in 3-D, so that the tree's
//! Euclidean (chord) distance orders places exactly as great-circle distance does.

use rstar::{AABB, PointDistance, RTreeObject};

/// A place's position in the tree, with its slot in the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpherePoint {
    pub xyz: [f64; 3],
    pub slot: u32,
}

impl RTreeObject for SpherePoint {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.xyz)
    }
}

impl PointDistance for SpherePoint {
    /// Squared Euclidean distance, as rstar requires for pruning.
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        let [a, b, c] = self.xyz;
        let (dx, dy, dz) = (a - point[0], b - point[1], c - point[2]);
        dx * dx + dy * dy + dz * dz
    }
}
