//! Japanese text normalised for search, so that what a resident types finds what staff wrote:
//! full- and half-width forms, katakana and hiragana, small and large kana, long-vowel marks,
//! the many dashes, spaces and punctuation all compare equal, and so do the common ways of
//! writing a place name (桔梗ケ丘 = 桔梗ヶ丘 = 桔梗が丘, 丸之内 = 丸の内).
//!
//! The same function normalises a place's text when it is indexed and a query when it is
//! asked, so that the two always meet. Whole-word spelling variants (子供 / 子ども / こども)
//! are a table of data, not a rule: see [`super::spelling`].

use unicode_normalization::UnicodeNormalization;

/// Normalises `text` for substring search: NFKC, lower case, katakana to hiragana, small kana
/// to large, dash variants to `ー` and a long-vowel mark after kana dropped (コーヒー = コヒー
/// = こひ), white space and punctuation removed, ケ/が between kanji read as が, 之 after a
/// kanji as の.
pub fn normalize(text: &str) -> String {
    let folded: Vec<char> = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|&c| !c.is_whitespace() && !c.is_control() && !is_punctuation(c))
        .map(fold_kana)
        .collect();
    let mut out = String::with_capacity(folded.len() * 3);
    for (i, &c) in folded.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| folded[j]);
        let after = folded.get(i + 1).copied();
        match c {
            // A long vowel only lengthens the kana before it: ケアマネージャー = ケアマネジャー.
            'ー' if before.is_some_and(is_kana) => continue,
            // 桔梗ケ丘, 桔梗ヶ丘 and 桔梗が丘 are one place; ケ between kanji is never "ke".
            'け' if before.is_some_and(is_kanji) && after.is_some_and(is_kanji) => out.push('が'),
            // 丸之内 = 丸の内, 鴻之台 = 鴻の台.
            '之' if before.is_some_and(is_kanji) => out.push('の'),
            _ => out.push(c),
        }
    }
    out
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

/// Punctuation that separates words but carries no meaning for search: ASCII punctuation
/// (but `-`, which becomes a dash), Japanese brackets, commas and stops, ・ and 〜, and the
/// general punctuation block (quotes, bullets, ellipses), whose dashes are kept apart above.
fn is_punctuation(c: char) -> bool {
    (c.is_ascii_punctuation() && c != '-')
        || matches!(c,
            '\u{3001}'..='\u{3004}' // 、。〃〄
            | '\u{3008}'..='\u{3020}' // 〈〉《》「」『』【】〒〓〔〕〖〗〘〙〚〛〜〝〞〟〠
            | '\u{3030}' | '\u{30FB}' // 〰 ・
            | '\u{2016}'..='\u{206F}' // ‖ ‘ ’ “ ” † • … ‰ ※ …
            | '\u{FF5E}' | '\u{FF61}'..='\u{FF65}')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

/// CJK ideographs (the main block, extension A and the compatibility block, and the
/// supplementary planes) and 々, which repeats one.
pub fn is_kanji(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}'
        | '々')
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
    fn long_vowels_small_kana_and_punctuation_do_not_matter() {
        assert_eq!(normalize("ウォーキング"), normalize("ウオキング"));
        assert_eq!(normalize("ケアマネージャー"), normalize("ケアマネジャー"));
        assert_eq!(
            normalize("グラウンド・ゴルフ"),
            normalize("グラウンドゴルフ")
        );
        assert_eq!(
            normalize("まちの保健室（名張地区）"),
            "まちの保健室名張地区"
        );
        assert_eq!(normalize("「月〜金」、9時。"), "月金9時");
        // A dash between digits is not a long vowel: 2-14 stays apart from 214.
        assert_eq!(normalize("2-14"), "2ー14");
    }

    #[test]
    fn place_name_variants_between_kanji() {
        for variant in [
            "桔梗ケ丘",
            "桔梗ヶ丘",
            "桔梗ｹ丘",
            "桔梗が丘",
            "桔梗ガ丘",
            "桔梗け丘",
        ] {
            assert_eq!(normalize(variant), "桔梗が丘", "{variant}");
        }
        assert_eq!(normalize("丸之内"), normalize("丸の内"));
        assert_eq!(normalize("鴻之台"), normalize("鴻ノ台"));
        // Only between kanji: ケーキ stays a cake, 之 alone stays 之.
        assert_eq!(normalize("ケーキ"), "けき");
        assert_eq!(normalize("之"), "之");
    }

    #[test]
    fn query_terms_split_on_any_space() {
        assert_eq!(query_terms("火曜　サロン"), vec!["火曜", "さろん"]);
        assert!(query_terms("   ").is_empty());
        assert!(query_terms("・ 、").is_empty());
    }
}
