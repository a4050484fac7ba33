//! The distinct audience lists of the places (["高齢者"], ["どなたでも"], ["子ども", "子育て"] …),
//! each kept once: a place holds the number of its list, four bytes, however many places
//! share it. A city has a handful of lists; a national dataset a few dozen.

use super::FOR_EVERYONE;
use std::collections::HashMap;

/// The number of a distinct audience list in an [`AudienceTable`].
pub type AudienceId = u32;

#[derive(Default)]
pub struct AudienceTable {
    by_list: HashMap<Box<[Box<str>]>, AudienceId>,
    lists: Vec<Box<[Box<str>]>>,
}

impl AudienceTable {
    /// The number of `audience`, adding it the first time it is seen.
    pub fn intern(&mut self, audience: &[String]) -> AudienceId {
        let list: Box<[Box<str>]> = audience.iter().map(|a| a.as_str().into()).collect();
        if let Some(&id) = self.by_list.get(&list) {
            return id;
        }
        let id = AudienceId::try_from(self.lists.len()).expect("fewer than 4 billion lists");
        self.lists.push(list.clone());
        self.by_list.insert(list, id);
        id
    }

    /// For each list, whether it names `wanted` or everyone ([`FOR_EVERYONE`]).
    pub fn admitting(&self, wanted: &str) -> Vec<bool> {
        self.lists
            .iter()
            .map(|list| list.iter().any(|a| &**a == wanted || &**a == FOR_EVERYONE))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_kept_once_and_admit_their_audience_or_everyone() {
        let mut table = AudienceTable::default();
        let elderly = table.intern(&["高齢者".to_owned()]);
        let all = table.intern(&[FOR_EVERYONE.to_owned()]);
        let none = table.intern(&[]);
        assert_eq!(table.intern(&["高齢者".to_owned()]), elderly);
        let admits = table.admitting("高齢者");
        assert!(admits[elderly as usize] && admits[all as usize] && !admits[none as usize]);
        let admits = table.admitting("子育て");
        assert!(!admits[elderly as usize] && admits[all as usize]);
    }
}
