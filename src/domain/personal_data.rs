//! What in a タネ's text looks like personal data. Exchange diaries are personal: a note copied
//! from one may carry a neighbour's phone number or name. The service cannot know, but it can
//! notice the usual shapes and make the writer confirm before such a text is kept.
//!
//! The rules are deliberately simple and err on the side of asking: phone numbers (10–11
//! digits from 0 or +81, or digits after 電話/TEL), e-mail addresses, 〒 postal codes, house
//! numbers (番地, 丁目…番, 番…号, or 1234-5 right after a place name), and a kanji or katakana
//! word followed by さん/様/さま/ちゃん/くん/君 that is not a family word or a role
//! (お母さん, 民生委員さん, 八百屋さん). Names written in hiragana are not noticed.

use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

/// The kind of personal data a finding looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Phone,
    Email,
    PostalCode,
    Address,
    Name,
}

impl Kind {
    /// How the page names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Phone => "電話番号",
            Kind::Email => "メールアドレス",
            Kind::PostalCode => "郵便番号",
            Kind::Address => "番地までの住所",
            Kind::Name => "さん・様のついた名前",
        }
    }
}

/// One piece of text that looks like personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub kind: Kind,
    /// 電話番号, メールアドレス …
    pub label: &'static str,
    /// The text as written.
    pub text: String,
}

const DIGIT: &str = "[0-9０-９]";
const DASH: &str = "[-‐‑–—―−ー－]";
const KANJI_NUMBER: &str = "[0-9０-９一二三四五六七八九十百千]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
        .expect("valid regex")
});

/// A run of digits, dashes, brackets and spaces that may be a phone number; the digits are
/// counted afterwards.
static PHONE_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[+＋]?{DIGIT}(?:{DIGIT}|{DASH}|[()（） ]){{7,18}}{DIGIT}"
    ))
    .expect("valid regex")
});

/// A local number after a word that says it is one: 電話63-1234, TEL：63-1234.
static PHONE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:電話|でんわ|tel|℡|携帯)[:：は\s]*({DIGIT}(?:{DIGIT}|{DASH}|[()（）]){{4,16}}{DIGIT})"
    ))
    .expect("valid regex")
});

static POSTAL_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"〒\s*{DIGIT}{{3}}{DASH}?{DIGIT}{{4}}")).expect("valid regex")
});

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    let n = KANJI_NUMBER;
    Regex::new(&format!(
        "{n}+番地(?:の?{n}+)?\
         |{n}+丁目{n}+(?:番地?|{DASH}){n}*号?\
         |{DIGIT}+番{DIGIT}+号\
         |番町{DIGIT}+{DASH}{DIGIT}+\
         |[\\p{{Han}}々ヶケ]{DIGIT}{{1,5}}{DASH}{DIGIT}{{1,5}}(?:{DASH}{DIGIT}{{1,5}})?"
    ))
    .expect("valid regex")
});

static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}々]{1,4}|[\p{Katakana}ー]{2,8})(さん|様|さま|ちゃん|くん|君)")
        .expect("valid regex")
});

/// Words before さん/様 that are not a person's name: family, roles, trades, everyone. The
/// honorific お/ご of お母さん is hiragana, so the word seen is 母.
const NOT_NAMES: &[&str] = &[
    "皆",
    "奥",
    "娘",
    "息子",
    "母",
    "父",
    "兄",
    "姉",
    "弟",
    "妹",
    "祖母",
    "祖父",
    "客",
    "神",
    "仏",
    "王",
    "旦那",
    "子",
    "孫",
    "嫁",
    "婿",
    "隣",
    "近所",
    "相手",
    "先方",
    "王子",
    "姫",
    "坊",
    "坊主",
    "和尚",
    "住職",
    "殿",
    "大家",
    "地主",
    "ボランティア",
    "ヘルパー",
    "ケアマネ",
    "スタッフ",
    "サンタ",
    "ママ",
    "パパ",
    "ゲスト",
    "シェフ",
    "マスター",
    "オーナー",
];

/// A word ending in one of these names a role or a trade (民生委員さん, 八百屋さん, 看護師さん).
const ROLE_ENDINGS: &[char] = &[
    '屋', '店', '員', '長', '者', '師', '医', '家', '方', '生', '士', '族', '会', '所', '局', '課',
    '主', '人', '様', '官', '手', '役', '達',
];

/// Everything in `text` that looks like personal data, in the order found, each span once.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut found: Vec<(usize, Finding)> = Vec::new();
    let mut add = |kind: Kind, span: Range<usize>, found: &mut Vec<(usize, Finding)>| {
        if taken
            .iter()
            .any(|t| t.start < span.end && span.start < t.end)
        {
            return;
        }
        found.push((
            span.start,
            Finding {
                kind,
                label: kind.label(),
                text: text[span.clone()].to_owned(),
            },
        ));
        taken.push(span);
    };
    for m in EMAIL.find_iter(text) {
        add(Kind::Email, m.range(), &mut found);
    }
    for m in POSTAL_CODE.find_iter(text) {
        add(Kind::PostalCode, m.range(), &mut found);
    }
    for m in PHONE_LIKE.find_iter(text) {
        if is_phone_number(m.as_str()) {
            add(Kind::Phone, m.range(), &mut found);
        }
    }
    for c in PHONE_WORD.captures_iter(text) {
        let number = c.get(1).expect("group 1 always takes part");
        add(Kind::Phone, number.range(), &mut found);
    }
    for m in ADDRESS.find_iter(text) {
        add(Kind::Address, m.range(), &mut found);
    }
    for c in NAME.captures_iter(text) {
        let word = c.get(1).expect("group 1 always takes part").as_str();
        if is_name(word) {
            add(
                Kind::Name,
                c.get(0).expect("the whole match").range(),
                &mut found,
            );
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, f)| f).collect()
}

/// 10 or 11 digits from 0 (0595-63-1234, 090-1234-5678), or a number from +81.
fn is_phone_number(candidate: &str) -> bool {
    let digits: String = candidate
        .chars()
        .filter_map(|c| c.to_digit(10).or_else(|| full_width_digit(c)))
        .map(|d| char::from_digit(d, 10).expect("a digit"))
        .collect();
    let international = candidate.starts_with(['+', '＋']);
    if international {
        digits.starts_with("81") && (11..=12).contains(&digits.len())
    } else {
        digits.starts_with('0') && (10..=11).contains(&digits.len())
    }
}

fn full_width_digit(c: char) -> Option<u32> {
    ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32)
}

fn is_name(word: &str) -> bool {
    !NOT_NAMES.contains(&word)
        && !word
            .chars()
            .last()
            .is_some_and(|c| ROLE_ENDINGS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        scan(text).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    #[test]
    fn the_usual_shapes_are_found_as_written() {
        let cases: &[(&str, Kind, &str)] = &[
            ("連絡先は0595-63-1234です", Kind::Phone, "0595-63-1234"),
            ("携帯090-1234-5678まで", Kind::Phone, "090-1234-5678"),
            (
                "電話０５９５（６３）１２３４",
                Kind::Phone,
                "０５９５（６３）１２３４",
            ),
            ("電話63-1234に", Kind::Phone, "63-1234"),
            ("TEL：63-1234", Kind::Phone, "63-1234"),
            ("+81-595-63-1234", Kind::Phone, "+81-595-63-1234"),
            (
                "メールはhanako.y@example.jpへ",
                Kind::Email,
                "hanako.y@example.jp",
            ),
            ("〒518-0000 名張市", Kind::PostalCode, "〒518-0000"),
            ("鴻之台1番町23番地に住む", Kind::Address, "23番地"),
            ("桔梗が丘3番町1-2", Kind::Address, "番町1-2"),
            ("蔵持町原出1234-5の家", Kind::Address, "出1234-5"),
            ("つつじが丘南3丁目4番5号", Kind::Address, "3丁目4番5号"),
            ("三丁目十二番地", Kind::Address, "三丁目十二番地"),
            ("1番2号", Kind::Address, "1番2号"),
            ("田中さんが将棋を教えている", Kind::Name, "田中さん"),
            ("鈴木様より", Kind::Name, "鈴木様"),
            ("近所のマリアさん", Kind::Name, "マリアさん"),
            ("山田花子ちゃん", Kind::Name, "山田花子ちゃん"),
        ];
        for (text, kind, found) in cases {
            let got = kinds(text);
            assert!(
                got.contains(&(*kind, (*found).to_owned())),
                "{text}: expected {kind:?} {found:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn ordinary_diary_words_are_not_personal_data() {
        for text in [
            "毎朝ベンチに皆さんが集まっている",
            "お母さんたちが子ども食堂を手伝っている",
            "民生委員さんの紹介で八百屋さんに寄った",
            "看護師さんとボランティアさんが体操を教える",
            "2026-12-05 に見つけた",
            "参加者は12人、10時から12時まで",
            "第2・第4水曜 13:30-15:30",
            "お客様が多い",
            "ご近所さんと話した",
            "定員20名、参加費100円",
        ] {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn each_span_is_reported_once_under_its_most_specific_kind() {
        let got = kinds("電話0595-63-1234、田中さん");
        assert_eq!(
            got,
            vec![
                (Kind::Phone, "0595-63-1234".to_owned()),
                (Kind::Name, "田中さん".to_owned())
            ]
        );
    }

    #[test]
    fn findings_come_in_the_order_of_the_text() {
        let got = kinds("田中さん、tanaka@example.jp、0595-63-1234");
        let order: Vec<Kind> = got.into_iter().map(|(k, _)| k).collect();
        assert_eq!(order, vec![Kind::Name, Kind::Email, Kind::Phone]);
    }
}
