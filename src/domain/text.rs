//! Japanese text normalised for search, so that what a resident types finds what staff wrote:
//! full- and half-width forms, katakana and hiragana, small and large kana, and the many dash
//! and long-vowel marks all compare equal, and spaces do not matter.

use unicode_normalization::UnicodeNormalization;

/// Normalises `text` for substring search: NFKC, lower case, katakana to hiragana, small kana
/// to large, dash and long-vowel variants to `ー`, and white space removed.
pub fn normalize(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(fold_kana)
        .collect()
}

fn fold_kana(c: char) -> char {
    let c = match c {
        // Katakana ァ..ヶ map onto hiragana ぁ..ゖ at a fixed distance.
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    };
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        // ヶ in place names reads "ga" (梅ヶ丘 = 梅が丘).
        'ゖ' => 'が',
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => 'ー',
        _ => c,
    }
}

/// Splits a query into normalised terms; every term must occur for a match.
pub fn query_terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(normalize)
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_script_size_and_dashes() {
        assert_eq!(normalize("ｻﾛﾝ"), normalize("さろん"));
        assert_eq!(normalize("サロン"), "さろん");
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("キャッチ"), normalize("きやつち"));
        assert_eq!(normalize("コーヒー"), normalize("コ－ヒ―"));
        assert_eq!(normalize("梅ヶ丘"), normalize("梅が丘"));
        assert_eq!(normalize(" 子ども 食堂 "), "子ども食堂");
    }

    #[test]
    fn query_terms_split_on_any_space() {
        assert_eq!(query_terms("火曜　サロン"), vec!["火曜", "さろん"]);
        assert!(query_terms("   ").is_empty());
    }
}
