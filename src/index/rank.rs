//! Ranking a text search: exact name, name prefix, name, reading prefix, reading, other
//! fields — computed lazily, so that a page reads only the names and readings it needs.

use super::text::{Field, Part, SEPARATOR, Terms, TextIndex, gram, grams_of_term};
use roaring::RoaringBitmap;
use std::ops::ControlFlow;

/// Where a place matched a query, best first: the ranking of [`TextIndex::ranked_each`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// The name is exactly the query.
    ExactName,
    /// The name starts with the query's first word.
    NamePrefix,
    /// Every word is in the name.
    Name,
    /// The reading (`name_kana`) is the query or starts with its first word.
    ReadingPrefix,
    /// Every word is in the reading.
    Reading,
    /// Somewhere else: tags, description, address, schedule, audience, category, area.
    Other,
}

impl TextIndex {
    /// Calls `each` with the places of `candidates` (places that match `terms`) in rank order
    /// — [`Tier`] by tier, slot order within one — until it breaks or `until` is passed.
    ///
    /// Lazy, so that a page costs what it shows: among the names and readings that start like
    /// the query (a gram set narrows them first), only names as long as the query are read
    /// for the exact tier, and names for the prefix tier only until the page is full; the
    /// tiers "name" and "reading" are enumerated from the sets of their grams, each place's
    /// name or reading checked only as it is reached; "other" is what is left. A later tier
    /// is reached only once the earlier ones are complete.
    pub fn ranked_each(
        &self,
        terms: &Terms,
        candidates: &RoaringBitmap,
        until: Tier,
        mut each: impl FnMut(Tier, u32) -> ControlFlow<()>,
    ) {
        let whole: Vec<String> = joined(terms);
        let first = &terms.words[0];
        // Names or readings that start with the first word (any spelling): a superset from
        // the first gram, checked.
        let mut starting = RoaringBitmap::new();
        for s in first {
            let mut chars = s.chars();
            let (a, b) = (chars.next(), chars.next());
            let Some(a) = a else { continue };
            starting |= self.starts.holding_all(&[gram(a, b)]) & candidates;
        }
        macro_rules! emit {
            ($tier:expr, $slot:expr) => {
                if $tier > until || each($tier, $slot).is_break() {
                    return;
                }
            };
        }
        // Exact names first: only a name as long as the query is read.
        let name = |slot: u32| {
            let n = self.text(slot).field(Field::Name);
            n.strip_suffix(SEPARATOR).unwrap_or(n)
        };
        let mut exact = RoaringBitmap::new();
        for slot in &starting {
            if whole
                .iter()
                .any(|w| self.text(slot).name_len() == w.len() && name(slot) == w)
            {
                exact.insert(slot);
            }
        }
        for slot in &exact {
            emit!(Tier::ExactName, slot);
        }
        // Then names that start with the first word, as far as the page needs; the others
        // that start like it may be readings that do.
        let mut seen = exact.clone();
        let mut maybe_reading = Vec::new();
        for slot in &(&starting - &exact) {
            if first.iter().any(|w| name(slot).starts_with(w.as_str())) {
                emit!(Tier::NamePrefix, slot);
                seen.insert(slot);
            } else {
                maybe_reading.push(slot);
            }
        }
        let reading_starts = |v: &str| {
            whole.iter().any(|w| v == w) || first.iter().any(|w| v.starts_with(w.as_str()))
        };
        let mut reading_prefix: RoaringBitmap = maybe_reading
            .into_iter()
            .filter(|&slot| {
                self.text(slot)
                    .field(Field::NameKana)
                    .split(SEPARATOR)
                    .any(|v| !v.is_empty() && reading_starts(v))
            })
            .collect();
        let finders = Finders::new(terms);
        for (tier, part, field) in [
            (Tier::Name, Part::Name, Field::Name),
            (Tier::Reading, Part::Reading, Field::NameKana),
        ] {
            if tier == Tier::Reading {
                reading_prefix -= &seen;
                for slot in &reading_prefix {
                    emit!(Tier::ReadingPrefix, slot);
                }
                seen |= &reading_prefix;
            }
            let superset = self.every_word_superset(part, terms) & candidates;
            for slot in &(superset - &seen) {
                if finders.every_word_in(self.text(slot).field(field)) {
                    emit!(tier, slot);
                    seen.insert(slot);
                }
            }
        }
        for slot in &(candidates - &seen) {
            emit!(Tier::Other, slot);
        }
    }

    /// Slots whose `part` holds, for every word, every gram of some spelling: a superset of
    /// those holding every word.
    fn every_word_superset(&self, part: Part, terms: &Terms) -> RoaringBitmap {
        let sets = match part {
            Part::All => &self.all,
            Part::Name => &self.names,
            Part::Reading => &self.readings,
        };
        let mut out: Option<RoaringBitmap> = None;
        for spellings in &terms.words {
            let mut word = RoaringBitmap::new();
            for s in spellings {
                word |= sets.holding_all(&grams_of_term(s));
            }
            out = Some(match out {
                None => word,
                Some(o) => o & word,
            });
        }
        out.unwrap_or_default()
    }
}

/// A searcher for every spelling of every word, built once per query.
struct Finders {
    words: Vec<Vec<memchr::memmem::Finder<'static>>>,
}

impl Finders {
    fn new(terms: &Terms) -> Self {
        Self {
            words: terms
                .words
                .iter()
                .map(|w| {
                    w.iter()
                        .map(|s| memchr::memmem::Finder::new(s.as_bytes()).into_owned())
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether `text` holds some spelling of every word.
    fn every_word_in(&self, text: &str) -> bool {
        self.words
            .iter()
            .all(|w| w.iter().any(|f| f.find(text.as_bytes()).is_some()))
    }
}

/// Every spelling of the whole query, its words joined (「子供 食堂」 → 子供食堂, 子ども食堂 …),
/// for the exact-name tier; at most a few dozen.
fn joined(terms: &Terms) -> Vec<String> {
    let mut out = vec![String::new()];
    for spellings in &terms.words {
        let mut next = Vec::new();
        for prefix in &out {
            for s in spellings {
                if next.len() < 64 {
                    next.push(format!("{prefix}{s}"));
                }
            }
        }
        out = next;
    }
    out
}
