//! Names as the user types: the places whose name or reading holds what has been typed so
//! far, best first, one per name.

use super::PlaceIndex;
use super::text::Tier;
use crate::domain::Status;

impl PlaceIndex {
    /// Up to `limit` published places whose name or reading holds every word, ranked as a
    /// search is (exact name, name prefix, name, reading; registration order within each),
    /// one per normalised name. A place whose words are only in its other fields is no
    /// suggestion of a name.
    pub fn suggest(&self, words: &[String], limit: usize) -> Vec<u32> {
        let Some(terms) = self.search_terms(words) else {
            return Vec::new();
        };
        let published = self.facets.with_statuses(&[Status::Published]);
        let candidates = self.text.matching(&terms, &|_| None, Some(&published));
        let mut names: Vec<&str> = Vec::with_capacity(limit);
        let mut out = Vec::with_capacity(limit);
        for (tier, slots) in self.text.rank(&terms, &candidates) {
            if tier == Tier::Other {
                break;
            }
            for slot in slots {
                let name = self.text.text(slot).field(super::Field::Name);
                if names.contains(&name) {
                    continue;
                }
                names.push(name);
                out.push(slot);
                if out.len() == limit {
                    return out;
                }
            }
        }
        out
    }
}
