//! Names as the user types: the places whose name or reading holds what has been typed so
//! far, best first, one per name.

use super::PlaceIndex;
use super::rank::Tier;
use crate::domain::Status;
use std::ops::ControlFlow;

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
        if limit == 0 {
            return out;
        }
        self.text
            .ranked_each(&terms, &candidates, Tier::Reading, |_, slot| {
                let name = self.text.text(slot).field(super::Field::Name);
                if !names.contains(&name) {
                    names.push(name);
                    out.push(slot);
                }
                if out.len() == limit {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
        out
    }
}
