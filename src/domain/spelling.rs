//! 表記ゆれ: whole words written in more than one way (子供 / 子ども / こども, 障害 / 障がい,
//! 高齢者 / お年寄り). Unlike the character rules of [`super::text`], these are data: the
//! groups live in `data/spelling-variants.txt`, which staff can extend.
//!
//! Variants are applied to the query, not to the places' text: a query is expanded into every
//! way of writing it, and a place matches if it contains any of them. The index keeps each
//! place's own words, so a word typed half-way (「お年」) still finds 「お年寄り」.

use super::text::normalize;

/// The groups compiled in from `data/spelling-variants.txt`.
pub const BUILTIN: &str = include_str!("../../data/spelling-variants.txt");

/// At most this many spellings of one query term are searched (each is one more look-up).
const MAX_ALTERNATIVES: usize = 32;

/// Groups of spellings, each normalised as a query is.
#[derive(Debug, Clone, Default)]
pub struct Spellings {
    groups: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
#[error("spelling variants, line {line}: {reason}")]
pub struct SpellingError {
    line: usize,
    reason: &'static str,
}

impl Spellings {
    /// The list compiled into the binary.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN).expect("data/spelling-variants.txt is checked by the test suite")
    }

    /// One group per line, spellings separated by white space; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Self, SpellingError> {
        let mut groups = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            if line.trim().is_empty() {
                continue;
            }
            let mut group: Vec<String> = Vec::new();
            for spelling in line.split_whitespace().map(normalize) {
                if spelling.is_empty() {
                    return Err(SpellingError {
                        line: i + 1,
                        reason: "a spelling is only punctuation",
                    });
                }
                if !group.contains(&spelling) {
                    group.push(spelling);
                }
            }
            if group.len() < 2 {
                return Err(SpellingError {
                    line: i + 1,
                    reason: "a group needs two different spellings",
                });
            }
            groups.push(group);
        }
        Ok(Self { groups })
    }

    /// Every way of writing a normalised query term, the term itself first: each variant word
    /// found in it (longest first, left to right) is replaced by each spelling of its group.
    pub fn alternatives(&self, term: &str) -> Vec<String> {
        // The term as pieces: plain text, or a word of a group.
        let mut pieces: Vec<(&str, Option<usize>)> = Vec::new();
        let mut plain_start = 0;
        let mut at = 0;
        while at < term.len() {
            let here = &term[at..];
            let found = self
                .groups
                .iter()
                .enumerate()
                .flat_map(|(g, group)| group.iter().map(move |s| (g, s)))
                .filter(|(_, s)| here.starts_with(s.as_str()))
                .max_by_key(|(_, s)| s.len());
            match found {
                Some((g, s)) => {
                    if plain_start < at {
                        pieces.push((&term[plain_start..at], None));
                    }
                    pieces.push((&term[at..at + s.len()], Some(g)));
                    at += s.len();
                    plain_start = at;
                }
                None => at += here.chars().next().map_or(1, char::len_utf8),
            }
        }
        if plain_start < term.len() {
            pieces.push((&term[plain_start..], None));
        }
        let mut out = vec![String::new()];
        for (text, group) in pieces {
            let options: Vec<&str> = match group {
                // The spelling typed comes first, so the term itself is the first alternative.
                Some(g) => std::iter::once(text)
                    .chain(
                        self.groups[g]
                            .iter()
                            .map(String::as_str)
                            .filter(|s| *s != text),
                    )
                    .collect(),
                None => vec![text],
            };
            let mut next = Vec::with_capacity(out.len() * options.len());
            for prefix in &out {
                for option in &options {
                    if next.len() < MAX_ALTERNATIVES {
                        next.push(format!("{prefix}{option}"));
                    }
                }
            }
            out = next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_parses() {
        let s = Spellings::builtin();
        assert!(s.groups.len() >= 3);
    }

    #[test]
    fn a_word_of_a_group_is_replaced_by_each_spelling() {
        let s = Spellings::builtin();
        let alts = s.alternatives(&normalize("子供食堂"));
        assert_eq!(alts[0], "子供食堂");
        assert!(alts.contains(&"子ども食堂".to_owned()), "{alts:?}");
        assert!(alts.contains(&"こども食堂".to_owned()), "{alts:?}");
        assert_eq!(alts.len(), 3);
        let alts = s.alternatives(&normalize("コドモ"));
        assert!(alts.contains(&"子供".to_owned()), "{alts:?}");
        let alts = s.alternatives(&normalize("障害者"));
        assert!(alts.contains(&"障がい者".to_owned()), "{alts:?}");
    }

    #[test]
    fn words_outside_any_group_are_kept_as_they_are() {
        let s = Spellings::builtin();
        assert_eq!(s.alternatives("さろん"), vec!["さろん"]);
        assert_eq!(s.alternatives("お年"), vec!["お年"]);
    }

    #[test]
    fn two_words_give_every_combination_within_a_cap() {
        let s = Spellings::parse("子供 子ども\n高齢者 お年寄り\n").unwrap();
        let alts = s.alternatives("子供と高齢者");
        assert_eq!(alts.len(), 4, "{alts:?}");
        assert!(alts.contains(&"子どもとお年寄り".to_owned()));
        let many = "子供".repeat(10);
        assert!(s.alternatives(&many).len() <= MAX_ALTERNATIVES);
    }

    #[test]
    fn malformed_lines_are_refused_with_their_number() {
        let e = Spellings::parse("# comment\n子供\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(Spellings::parse("子供 ・\n").is_err());
    }
}
