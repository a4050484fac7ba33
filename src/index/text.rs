//! Text search in memory: the uni- and bigrams of every place's normalised text, each with the
//! set of places (slots) that hold it.
//!
//! A term of one or two characters is answered by one set exactly. A longer term is the
//! intersection of the sets of its bigrams — a superset — checked against each candidate's
//! text. Sets are compressed bitmaps (`roaring`): a gram held by half the country costs a few
//! bits per place, a rare one a few bytes per holder, and intersecting two is a pass over
//! machine words. Besides the grams of all the fields, the grams of the name and of the reading
//! and the first gram of each are kept apart, so that ranking (`rank.rs`: exact name, name
//! prefix, name, reading, other fields) narrows with sets and never reads every candidate.
//!
//! The database does no text search: this index is built with the spatial one and changed by
//! the same [`super::PlaceIndex::apply`].

use super::keys::Keys;
use crate::domain::spelling::Spellings;
use crate::readings::Readings;
use roaring::RoaringBitmap;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// The fields of a place that text search looks in, in the order of a place's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name = 0,
    NameKana,
    Tags,
    Description,
    Address,
    ScheduleNote,
    Audience,
    /// The category's Japanese or English label (not held per place: see [`super::facets`]).
    Category,
    /// The area's name, reading or English name.
    Area,
    /// How the schedule reads (「毎週火曜 10:00〜12:00」, "Tuesdays …"), in Japanese or English.
    Schedule,
}

/// The fields held in a place's own key.
pub(super) const OWN_FIELDS: usize = 7;

pub const FIELDS: [Field; 10] = [
    Field::Name,
    Field::NameKana,
    Field::Tags,
    Field::Description,
    Field::Address,
    Field::ScheduleNote,
    Field::Audience,
    Field::Category,
    Field::Area,
    Field::Schedule,
];

impl Field {
    /// The property name the API uses for this field.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::NameKana => "name_kana",
            Field::Tags => "tags",
            Field::Description => "description",
            Field::Address => "address",
            Field::ScheduleNote => "schedule_note",
            Field::Audience => "audience",
            Field::Category => "category",
            Field::Area => "area",
            Field::Schedule => "schedule",
        }
    }

    pub fn bit(self) -> FieldMask {
        1 << self as u16
    }
}

/// A set of [`Field`]s, one bit each.
pub type FieldMask = u16;

/// Separates fields, and the values of a list, in a key: never in a normalised query (control
/// characters are refused and removed), so no match spans two of them.
pub(super) const SEPARATOR: char = '\u{1}';

/// A place's own searchable text, normalised: its fields one after another.
#[derive(Debug, Clone, Default)]
pub struct PlaceText {
    pub(super) key: String,
    /// Where each field ends in `key`.
    pub(super) ends: [u32; OWN_FIELDS],
}

/// A place's text as the index holds it (see [`super::keys`]).
#[derive(Debug, Clone, Copy)]
pub struct TextRef<'a> {
    pub(super) key: &'a str,
    pub(super) ends: &'a [u32; OWN_FIELDS],
}

impl PlaceText {
    /// From each own field's values (in [`FIELDS`] order), already normalised.
    pub fn new(fields: [Vec<String>; OWN_FIELDS]) -> Self {
        let mut key = String::new();
        let mut ends = [0; OWN_FIELDS];
        for (i, values) in fields.iter().enumerate() {
            for v in values {
                key.push_str(v);
                key.push(SEPARATOR);
            }
            ends[i] = u32::try_from(key.len()).unwrap_or(u32::MAX);
        }
        Self { key, ends }
    }

    fn as_ref(&self) -> TextRef<'_> {
        TextRef {
            key: &self.key,
            ends: &self.ends,
        }
    }
}

impl<'a> TextRef<'a> {
    /// The length in bytes of the (single-valued) name, read from where fields end.
    pub fn name_len(&self) -> usize {
        (self.ends[0] as usize).saturating_sub(SEPARATOR.len_utf8())
    }

    pub fn field(&self, field: Field) -> &'a str {
        let i = field as usize;
        if i >= OWN_FIELDS {
            return "";
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.key[start..self.ends[i] as usize]
    }

    /// The own fields that contain `term`.
    pub fn fields_holding(&self, term: &str) -> FieldMask {
        FIELDS[..OWN_FIELDS]
            .iter()
            .filter(|&&f| memchr::memmem::find(self.field(f).as_bytes(), term.as_bytes()).is_some())
            .fold(0, |m, f| m | f.bit())
    }
}

/// A uni- or bigram: two characters, the second [`NO_CHAR`] for a unigram.
pub(super) type Gram = u64;
const NO_CHAR: u64 = 0x1F_FFFF;

pub(super) fn gram(a: char, b: Option<char>) -> Gram {
    (u64::from(a) << 21) | b.map_or(NO_CHAR, u64::from)
}

/// Every uni- and bigram of `text` that does not span a separator.
fn grams_of(text: &str, out: &mut Vec<Gram>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c == SEPARATOR {
            prev = None;
            continue;
        }
        out.push(gram(c, None));
        if let Some(p) = prev {
            out.push(gram(p, Some(c)));
        }
        prev = Some(c);
    }
}

/// The first uni- and bigram of each value of `text`.
fn starts_of(text: &str, out: &mut Vec<Gram>) {
    for value in text.split(SEPARATOR) {
        let mut chars = value.chars();
        if let Some(a) = chars.next() {
            out.push(gram(a, None));
            if let Some(b) = chars.next() {
                out.push(gram(a, Some(b)));
            }
        }
    }
}

/// The grams whose sets, intersected, hold every text containing `term`: its one unigram, or
/// its bigrams.
pub(super) fn grams_of_term(term: &str) -> Vec<Gram> {
    let chars: Vec<char> = term.chars().collect();
    match chars.as_slice() {
        [] => Vec::new(),
        [a] => vec![gram(*a, None)],
        _ => {
            let mut g: Vec<Gram> = chars.windows(2).map(|w| gram(w[0], Some(w[1]))).collect();
            g.sort_unstable();
            g.dedup();
            g
        }
    }
}

/// A gram's first character and the one after it: a fast hash for keys that are already
/// spread out, so that building the index for a million places is not spent hashing.
#[derive(Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// For each gram, the slots holding it.
#[derive(Default)]
pub(super) struct GramSets {
    sets: HashMap<Gram, RoaringBitmap, BuildHasherDefault<GramHasher>>,
}

impl GramSets {
    fn add(&mut self, slot: u32, grams: &[Gram]) {
        for g in grams {
            let set = self.sets.entry(*g).or_default();
            // A new place has the highest slot: appending is cheaper than inserting, and it
            // is what every place of a start-up does.
            if set.try_push(slot).is_err() {
                set.insert(slot);
            }
        }
    }

    fn remove(&mut self, slot: u32, grams: &[Gram]) {
        for g in grams {
            if let Some(set) = self.sets.get_mut(g) {
                set.remove(slot);
                if set.is_empty() {
                    self.sets.remove(g);
                }
            }
        }
    }

    /// Adds pairs sorted by gram then slot, every slot above those already held: one look-up
    /// and one sequential append per gram instead of one per gram of every place.
    fn append_sorted(&mut self, pairs: &[(Gram, u32)]) {
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let set = self.sets.entry(run[0].0).or_default();
            if set.append(run.iter().map(|&(_, slot)| slot)).is_err() {
                set.extend(run.iter().map(|&(_, slot)| slot));
            }
        }
    }

    /// Slots holding every gram of `grams` (none for no grams).
    pub(super) fn holding_all(&self, grams: &[Gram]) -> RoaringBitmap {
        let mut sets: Vec<&RoaringBitmap> = Vec::with_capacity(grams.len());
        for g in grams {
            match self.sets.get(g) {
                Some(s) => sets.push(s),
                None => return RoaringBitmap::new(),
            }
        }
        // Smallest first: every later intersection is bounded by it.
        sets.sort_by_key(|s| s.len());
        let Some((first, rest)) = sets.split_first() else {
            return RoaringBitmap::new();
        };
        let mut out = (*first).clone();
        for s in rest {
            if out.is_empty() {
                break;
            }
            out &= *s;
        }
        out
    }

    fn heap_bytes(&self) -> usize {
        self.sets.values().map(RoaringBitmap::serialized_size).sum()
    }
}

/// Which part of a place a set of grams covers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    All,
    Name,
    Reading,
}

impl Part {
    /// The text of a place this part searches: the whole key, or one field.
    fn of<'a>(self, text: TextRef<'a>) -> &'a str {
        match self {
            Part::All => text.key,
            Part::Name => text.field(Field::Name),
            Part::Reading => text.field(Field::NameKana),
        }
    }
}

/// The places holding each of the last few long terms asked, confirmed. A term of three or
/// more characters whose bigrams are all common (いきいき百歳体操, or たいそう in names' readings)
/// has half the country as candidates, each checked for the whole term: milliseconds. People
/// ask the same few such phrases again and again, so the confirmed set is kept, and kept true
/// by [`TextIndex::set`], which checks each remembered term against a changed place's text.
#[derive(Default)]
struct LongTerms {
    /// Most recently used last.
    entries: parking_lot::Mutex<Vec<(Part, String, RoaringBitmap)>>,
}

/// How many long terms are remembered.
const LONG_TERMS: usize = 32;

/// A long term is remembered only if confirming it read at least this many texts: cheap terms
/// are not worth the memory.
const LONG_TERM_MIN_CANDIDATES: u64 = 4096;

impl LongTerms {
    fn get(&self, part: Part, term: &str) -> Option<RoaringBitmap> {
        let mut entries = self.entries.lock();
        let at = entries
            .iter()
            .position(|(p, t, _)| *p == part && t == term)?;
        let entry = entries.remove(at);
        let slots = entry.2.clone();
        entries.push(entry);
        Some(slots)
    }

    fn put(&self, part: Part, term: &str, slots: &RoaringBitmap) {
        let mut entries = self.entries.lock();
        if entries.iter().any(|(p, t, _)| *p == part && t == term) {
            return;
        }
        if entries.len() == LONG_TERMS {
            entries.remove(0);
        }
        entries.push((part, term.to_owned(), slots.clone()));
    }

    /// Brings every remembered term up to date with `slot`'s new text.
    fn update(&mut self, slot: u32, text: TextRef<'_>) {
        for (part, term, slots) in self.entries.get_mut().iter_mut() {
            if part.of(text).contains(term.as_str()) {
                slots.insert(slot);
            } else {
                slots.remove(slot);
            }
        }
    }
}

/// The text index: each place's normalised text, and the grams of it.
pub struct TextIndex {
    texts: Keys,
    pub(super) all: GramSets,
    pub(super) names: GramSets,
    pub(super) readings: GramSets,
    /// The first uni- and bigram of each name and reading: the candidates for "starts with".
    pub(super) starts: GramSets,
    spellings: Spellings,
    /// The dictionary of readings, if one was loaded: a query word in kanji is searched by
    /// its reading as well.
    dictionary: Option<Arc<Readings>>,
    /// While an index is built from the database: the (gram, slot) pairs of the parts (all,
    /// name, reading, starts) not yet in their sets. Adding them a batch at a time, sorted,
    /// touches each gram's set once per batch rather than once per place — at start-up the
    /// sets are far too many to stay in the cache, and appending place by place was a quarter
    /// of the build.
    bulk: Option<[Vec<(Gram, u32)>; 4]>,
    long_terms: LongTerms,
}

/// How many pending pairs a bulk build holds before adding them (16 bytes each: 32 MB).
const BULK_BATCH: usize = 2 << 20;

/// A query's words, each in every spelling searched.
#[derive(Debug, Clone)]
pub struct Terms {
    /// Per word, its alternatives (the word as typed first).
    pub(super) words: Vec<Vec<String>>,
}

impl Terms {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every spelling of every word.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.words.iter().flatten().map(String::as_str)
    }
}

impl TextIndex {
    pub fn new(spellings: Spellings, dictionary: Option<Arc<Readings>>) -> Self {
        Self {
            dictionary,
            texts: Keys::default(),
            all: GramSets::default(),
            names: GramSets::default(),
            readings: GramSets::default(),
            starts: GramSets::default(),
            spellings,
            bulk: None,
            long_terms: LongTerms::default(),
        }
    }

    /// Starts a bulk build: new slots' grams are added in batches until [`Self::end_bulk`].
    /// Nothing may be searched meanwhile.
    pub fn begin_bulk(&mut self) {
        self.bulk = Some(Default::default());
    }

    /// Adds every pending gram and ends the bulk build.
    pub fn end_bulk(&mut self) {
        self.flush_bulk();
        self.bulk = None;
    }

    fn flush_bulk(&mut self) {
        let Some(mut parts) = self.bulk.take() else {
            return;
        };
        let sets = [
            &mut self.all,
            &mut self.names,
            &mut self.readings,
            &mut self.starts,
        ];
        for (pairs, sets) in parts.iter_mut().zip(sets) {
            pairs.sort_unstable();
            sets.append_sorted(pairs);
            pairs.clear();
        }
        self.bulk = Some(parts);
    }

    /// Sets the text of `slot` (a new slot is the next one), replacing what it held.
    pub fn set(&mut self, slot: u32, text: PlaceText) {
        if self.texts.has(slot) {
            let old = self.part_grams(self.texts.get(slot));
            self.for_each_part(&old, |sets, grams| sets.remove(slot, grams));
        }
        let new = self.part_grams(text.as_ref());
        match &mut self.bulk {
            Some(parts) if !self.texts.has(slot) => {
                for (pairs, grams) in parts.iter_mut().zip(&new) {
                    pairs.extend(grams.iter().map(|&g| (g, slot)));
                }
                if parts.iter().map(Vec::len).sum::<usize>() >= BULK_BATCH {
                    self.flush_bulk();
                }
            }
            _ => self.for_each_part(&new, |sets, grams| sets.add(slot, grams)),
        }
        self.texts.set(slot, &text);
        self.long_terms.update(slot, text.as_ref());
    }

    /// The grams of each part of a text: all, name, reading, starts.
    fn part_grams(&self, text: TextRef<'_>) -> [Vec<Gram>; 4] {
        let each = |fill: &dyn Fn(&mut Vec<Gram>)| {
            let mut grams = Vec::new();
            fill(&mut grams);
            grams.sort_unstable();
            grams.dedup();
            grams
        };
        [
            each(&|g| grams_of(text.key, g)),
            each(&|g| grams_of(text.field(Field::Name), g)),
            each(&|g| grams_of(text.field(Field::NameKana), g)),
            each(&|g| {
                starts_of(text.field(Field::Name), g);
                starts_of(text.field(Field::NameKana), g);
            }),
        ]
    }

    fn for_each_part(&mut self, grams: &[Vec<Gram>; 4], mut f: impl FnMut(&mut GramSets, &[Gram])) {
        f(&mut self.all, &grams[0]);
        f(&mut self.names, &grams[1]);
        f(&mut self.readings, &grams[2]);
        f(&mut self.starts, &grams[3]);
    }

    pub fn shrink_to_fit(&mut self) {
        self.texts.shrink_to_fit();
        for sets in [
            &mut self.all,
            &mut self.names,
            &mut self.readings,
            &mut self.starts,
        ] {
            sets.sets.shrink_to_fit();
        }
    }

    pub fn text(&self, slot: u32) -> TextRef<'_> {
        self.texts.get(slot)
    }

    pub fn readings(&self) -> Option<&Readings> {
        self.dictionary.as_deref()
    }

    /// The words of a query with their spellings (see [`Spellings`]) and, with a dictionary,
    /// the readings of those in kanji (see [`Readings::of_query_word`]): 「体操」 is searched
    /// as 「たいそう」 too, which finds a name written in kana.
    pub fn terms(&self, words: &[String]) -> Terms {
        Terms {
            words: words
                .iter()
                .map(|w| {
                    let mut alternatives = self.spellings.alternatives(w);
                    if let Some(readings) = &self.dictionary {
                        let read: Vec<String> = alternatives
                            .iter()
                            .filter_map(|a| readings.of_query_word(a))
                            .collect();
                        for r in read {
                            if !alternatives.contains(&r) {
                                alternatives.push(r);
                            }
                        }
                    }
                    alternatives
                })
                .collect(),
        }
    }

    /// Slots of `within` (or of all), but not of `found`, whose `part` contains `term`,
    /// exactly.
    fn containing(
        &self,
        part: Part,
        term: &str,
        within: Option<&RoaringBitmap>,
        found: &RoaringBitmap,
    ) -> RoaringBitmap {
        let sets = match part {
            Part::All => &self.all,
            Part::Name => &self.names,
            Part::Reading => &self.readings,
        };
        let long = term.chars().nth(2).is_some();
        if long && let Some(mut slots) = self.long_terms.get(part, term) {
            if let Some(w) = within {
                slots &= w;
            }
            slots -= found;
            return slots;
        }
        let mut out = sets.holding_all(&grams_of_term(term));
        if !long {
            if let Some(w) = within {
                out &= w;
            }
            out -= found;
            return out;
        }
        // Bigrams in common do not make a substring: check the text of a longer term with one
        // searcher for all candidates, narrowed by the other filters first — unless even then
        // thousands are left (a common phrase, or ranking within a common word's matches):
        // then every candidate is checked once and the answer remembered.
        let narrowed = within.map_or(out.len(), |w| out.intersection_len(w));
        let remember = narrowed >= LONG_TERM_MIN_CANDIDATES;
        if !remember {
            if let Some(w) = within {
                out &= w;
            }
            out -= found;
        }
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        let texts = &self.texts;
        out.retain(|slot| finder.find(part.of(texts.get(slot)).as_bytes()).is_some());
        if remember {
            self.long_terms.put(part, term, &out);
            if let Some(w) = within {
                out &= w;
            }
            out -= found;
        }
        out
    }

    /// Slots of `within` (or of all) whose `part` contains some spelling of every word;
    /// `extra(spelling)` adds slots matched elsewhere (by their category or area). Each word
    /// is looked for only among the places that hold the words before it.
    fn every_word(
        &self,
        part: Part,
        terms: &Terms,
        extra: &dyn Fn(&str) -> Option<RoaringBitmap>,
        within: Option<&RoaringBitmap>,
    ) -> RoaringBitmap {
        let mut out: Option<RoaringBitmap> = within.cloned();
        for spellings in &terms.words {
            let mut word = RoaringBitmap::new();
            for s in spellings {
                // Only places no other spelling found are checked: a word's reading
                // (体操 → たいそう) is held by the very places its kanji found, and checking
                // each of them again would cost more than the word itself.
                word |= self.containing(part, s, out.as_ref(), &word);
                if let Some(more) = extra(s) {
                    word |= match &out {
                        Some(o) => more & o,
                        None => more,
                    };
                }
            }
            let empty = word.is_empty();
            out = Some(word);
            if empty {
                break;
            }
        }
        out.unwrap_or_default()
    }

    /// Slots of `within` (or of all) holding every word somewhere: in their own text or,
    /// through `labels`, in their category's or area's name.
    pub fn matching(
        &self,
        terms: &Terms,
        labels: &dyn Fn(&str) -> Option<RoaringBitmap>,
        within: Option<&RoaringBitmap>,
    ) -> RoaringBitmap {
        self.every_word(Part::All, terms, labels, within)
    }

    /// Which of a place's own fields hold some spelling of some word.
    pub fn matched_fields(&self, slot: u32, terms: &Terms) -> FieldMask {
        let text = self.text(slot);
        terms
            .spellings()
            .fold(0, |mask, term| mask | text.fields_holding(term))
    }

    /// Approximate bytes held by the gram sets, for the start-up log.
    pub fn heap_bytes(&self) -> usize {
        self.all.heap_bytes()
            + self.names.heap_bytes()
            + self.readings.heap_bytes()
            + self.starts.heap_bytes()
            + self.texts.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::normalize;
    use crate::index::rank::Tier;
    use std::ops::ControlFlow;

    fn text(name: &str, kana: &str, description: &str) -> PlaceText {
        let n = |s: &str| {
            if s.is_empty() {
                vec![]
            } else {
                vec![normalize(s)]
            }
        };
        PlaceText::new([
            n(name),
            n(kana),
            vec![],
            n(description),
            vec![],
            vec![],
            vec![],
        ])
    }

    fn index(places: &[(&str, &str, &str)]) -> TextIndex {
        let mut t = TextIndex::new(Spellings::builtin(), None);
        for (i, (name, kana, description)) in places.iter().enumerate() {
            t.set(i as u32, text(name, kana, description));
        }
        t
    }

    fn find(t: &TextIndex, q: &str) -> Vec<u32> {
        let words = crate::domain::text::query_terms(q);
        t.matching(&t.terms(&words), &|_| None, None)
            .iter()
            .collect()
    }

    #[test]
    fn a_remembered_long_term_follows_every_change() {
        // Enough candidates for the term to be remembered: every place holds its bigrams,
        // a third the whole phrase.
        let n = LONG_TERM_MIN_CANDIDATES as usize + 500;
        let place = |i: usize| {
            if i.is_multiple_of(3) {
                text(&format!("いきいき百歳体操 {i}"), "", "")
            } else {
                text(&format!("いき百歳 {i}"), "", "百歳体操 いきいき")
            }
        };
        let mut t = TextIndex::new(Spellings::builtin(), None);
        for i in 0..n {
            t.set(i as u32, place(i));
        }
        let scan = |t: &TextIndex| -> Vec<u32> {
            (0..n as u32)
                .filter(|&s| t.text(s).key.contains(&normalize("いきいき百歳体操")))
                .collect()
        };
        let first = find(&t, "いきいき百歳体操");
        assert_eq!(first, scan(&t));
        assert_eq!(t.long_terms.entries.lock().len(), 1, "remembered");
        // A place loses the phrase, another gains it, a new one holds it.
        t.set(0, text("将棋の会", "", ""));
        t.set(1, text("いきいき百歳体操の会", "", ""));
        t.set(n as u32, text("新しい いきいき百歳体操", "", ""));
        let again = find(&t, "いきいき百歳体操");
        assert!(!again.contains(&0) && again.contains(&1) && again.contains(&(n as u32)));
        let mut expected = scan(&t);
        expected.push(n as u32);
        assert_eq!(again, expected);
        // Narrowed by other words, the remembered set gives the same answer as a fresh index.
        let fresh = {
            let mut f = TextIndex::new(Spellings::builtin(), None);
            for s in 0..=n as u32 {
                let (name, description) = (
                    t.text(s).field(Field::Name).to_owned(),
                    t.text(s).field(Field::Description).to_owned(),
                );
                f.set(s, text(&name, "", &description));
            }
            f
        };
        assert_eq!(
            find(&t, "いきいき百歳体操 12"),
            find(&fresh, "いきいき百歳体操 12")
        );
    }

    #[test]
    fn a_bulk_build_in_several_batches_equals_one_place_at_a_time() {
        let names = [
            "サロン ひだまり",
            "ひだまり体操",
            "子ども食堂 ひまわり",
            "まちの保健室",
            "体操サロン",
        ];
        let place = |i: usize| {
            let name = format!("{}{}", names[i % names.len()], i);
            text(
                &name,
                "さろん",
                if i.is_multiple_of(3) {
                    "お茶と体操"
                } else {
                    ""
                },
            )
        };
        let mut one_by_one = TextIndex::new(Spellings::builtin(), None);
        let mut bulk = TextIndex::new(Spellings::builtin(), None);
        bulk.begin_bulk();
        for i in 0..300 {
            one_by_one.set(i as u32, place(i));
            bulk.set(i as u32, place(i));
            // Batches end anywhere: later slots are appended to sets that already hold some.
            if i.is_multiple_of(97) {
                bulk.flush_bulk();
            }
        }
        bulk.end_bulk();
        // After the build, changes go straight to the sets.
        one_by_one.set(7, text("将棋の会", "", ""));
        bulk.set(7, text("将棋の会", "", ""));
        for q in [
            "サロン",
            "ひだまり",
            "体操",
            "お茶",
            "ひ",
            "さろん",
            "将棋",
            "子ども 12",
            "2",
        ] {
            assert_eq!(find(&bulk, q), find(&one_by_one, q), "{q}");
        }
        for (a, b) in [
            (&bulk.all, &one_by_one.all),
            (&bulk.names, &one_by_one.names),
            (&bulk.readings, &one_by_one.readings),
            (&bulk.starts, &one_by_one.starts),
        ] {
            assert_eq!(a.sets, b.sets);
        }
    }

    #[test]
    fn one_two_and_longer_terms_find_exactly_the_places_holding_them() {
        let t = index(&[
            ("体操の会", "タイソウノカイ", ""),
            ("操体", "", "体を動かします"),
            ("百歳体操", "", "体操です"),
        ]);
        assert_eq!(find(&t, "体"), vec![0, 1, 2]);
        assert_eq!(find(&t, "体操"), vec![0, 2]);
        // 操体 holds 操 and 体 but not 体操の; bigrams alone would not tell.
        assert_eq!(find(&t, "体操の"), vec![0]);
        assert_eq!(find(&t, "たいそう"), vec![0]);
        assert_eq!(find(&t, "存在しない"), Vec::<u32>::new());
    }

    #[test]
    fn no_match_spans_two_fields() {
        // The name ends in 会 and the description starts with 館: 会館 is in neither.
        let t = index(&[("会", "", "館の話")]);
        assert_eq!(find(&t, "会館"), Vec::<u32>::new());
        assert_eq!(find(&t, "会"), vec![0]);
    }

    #[test]
    fn replacing_a_text_forgets_the_old_grams() {
        let mut t = index(&[("サロン", "", ""), ("体操", "", "")]);
        t.set(0, text("食堂", "", ""));
        assert_eq!(find(&t, "サロン"), Vec::<u32>::new());
        assert_eq!(find(&t, "食堂"), vec![0]);
        assert!(
            !t.all.sets.contains_key(&gram('さ', None)),
            "empty sets are dropped"
        );
    }

    #[test]
    fn spellings_of_a_word_find_each_other() {
        let t = index(&[
            ("子ども食堂", "", ""),
            ("こども食堂", "", ""),
            ("子供食堂", "", ""),
        ]);
        for q in ["子供食堂", "子ども食堂", "こども食堂", "コドモ食堂"] {
            assert_eq!(find(&t, q), vec![0, 1, 2], "{q}");
        }
    }

    #[test]
    fn ranking_puts_exact_names_then_prefixes_then_names_then_readings_then_the_rest() {
        let t = index(&[
            ("ふれあいサロン", "", ""),         // 0: name contains
            ("サロン", "", ""),                 // 1: exact
            ("集会所", "", "サロンを開きます"), // 2: other field
            ("サロン ひまわり", "", ""),        // 3: prefix
            ("憩いの家", "イコイサロン", ""),   // 4: reading
            ("憩", "サロンノイエ", ""),         // 5: reading prefix
        ]);
        let words = crate::domain::text::query_terms("サロン");
        let terms = t.terms(&words);
        let all = t.matching(&terms, &|_| None, None);
        let mut tiers: Vec<(Tier, Vec<u32>)> = Vec::new();
        t.ranked_each(&terms, &all, Tier::Other, |tier, slot| {
            match tiers.last_mut() {
                Some((last, slots)) if *last == tier => slots.push(slot),
                _ => tiers.push((tier, vec![slot])),
            }
            ControlFlow::Continue(())
        });
        assert_eq!(
            tiers,
            vec![
                (Tier::ExactName, vec![1]),
                (Tier::NamePrefix, vec![3]),
                (Tier::Name, vec![0]),
                (Tier::ReadingPrefix, vec![5]),
                (Tier::Reading, vec![4]),
                (Tier::Other, vec![2]),
            ]
        );
        assert_eq!(
            t.matched_fields(2, &terms),
            Field::Description.bit(),
            "the description held it"
        );
    }
}
