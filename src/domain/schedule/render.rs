//! Schedules in words, from the parsed `opening_hours` expression: 「第2・第4水曜 13:30〜15:30」,
//! "2nd and 4th Wednesday 13:30–15:30". Open rules are listed first, then the days the place
//! is closed in brackets: 「月〜金曜 9:00〜16:30（祝日、12月29日〜1月3日は休み）」.
//!
//! Only what community schedules use has a reading: weekdays (every week, nth, last), ranges
//! of weekdays, public holidays, months and dates, fixed times and comments. Anything else
//! (week numbers, years, sunrise, offsets) answers `None`, and the caller shows the OSM text.

use super::Lang;
use chrono::Weekday;
use opening_hours_syntax::extended_time::ExtendedTime;
use opening_hours_syntax::rules::day::{
    Date, DateOffset, DaySelector, HolidayKind, Month, MonthdayRange, WeekDayRange,
};
use opening_hours_syntax::rules::time::{Time, TimeSelector};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleKind};

pub fn render(expr: &OpeningHoursExpression, lang: Lang) -> Option<String> {
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for rule in &expr.rules {
        let days = days(&rule.day_selector, lang)?;
        // A rule without times (`PH off`, `Tu`) covers whole days, which the parser keeps as
        // one span 0:00–24:00.
        let whole_day = is_whole_day(&rule.time_selector);
        let times = if whole_day {
            String::new()
        } else {
            times(&rule.time_selector, lang)?
        };
        let comment = (!rule.comment.is_empty()).then(|| rule.comment.to_string());
        match rule.kind {
            RuleKind::Closed => {
                let mut text = join_words(&[days, times]);
                if let Some(c) = comment {
                    text = bracket(&text, &c, lang);
                }
                closed.push(text);
            }
            RuleKind::Open | RuleKind::Unknown => {
                let mut text = match (days.is_empty(), whole_day) {
                    (true, true) => all_day(lang).to_owned(),
                    (true, false) => join_words(&[every_day(lang).to_owned(), times]),
                    (false, true) => join_words(&[days, whole_day_word(lang).to_owned()]),
                    (false, false) => join_words(&[days, times]),
                };
                if rule.kind == RuleKind::Unknown {
                    text = bracket(&text, unconfirmed(lang), lang);
                }
                if let Some(c) = comment {
                    text = bracket(&text, &c, lang);
                }
                open.push(text);
            }
        }
    }
    let closed = closed
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>();
    let text = match lang {
        Lang::Ja => {
            let mut text = open.join("、");
            if !closed.is_empty() {
                let list = format!("{}は休み", closed.join("、"));
                text = if text.is_empty() {
                    list
                } else {
                    format!("{text}（{list}）")
                };
            }
            text
        }
        Lang::En => {
            let mut text = open.join("; ");
            if !closed.is_empty() {
                let list = format!("closed {}", closed.join(", "));
                text = if text.is_empty() {
                    capitalise(&list)
                } else {
                    format!("{text} ({list})")
                };
            }
            text
        }
    };
    (!text.is_empty()).then_some(text)
}

/// The non-empty parts, a space between each (in both languages).
fn join_words(parts: &[String]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    parts.join(" ")
}

fn bracket(text: &str, inner: &str, lang: Lang) -> String {
    match (lang, text.is_empty()) {
        (_, true) => inner.to_owned(),
        (Lang::Ja, false) => format!("{text}（{inner}）"),
        (Lang::En, false) => format!("{text} ({inner})"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn every_day(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "毎日",
        Lang::En => "every day",
    }
}

fn all_day(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "24時間",
        Lang::En => "24 hours",
    }
}

fn whole_day_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "終日",
        Lang::En => "all day",
    }
}

fn is_whole_day(selector: &TimeSelector) -> bool {
    match selector.spans.as_slice() {
        [] => true,
        [span] => {
            span.repeats.is_none()
                && !span.open_end
                && span.range.start == Time::Fixed(ExtendedTime::MIDNIGHT_00)
                && span.range.end == Time::Fixed(ExtendedTime::MIDNIGHT_24)
        }
        _ => false,
    }
}

fn unconfirmed(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "要確認",
        Lang::En => "to be confirmed",
    }
}

/// The days of a rule; empty when the rule applies every day.
fn days(selector: &DaySelector, lang: Lang) -> Option<String> {
    if !selector.year.is_empty() || !selector.week.is_empty() {
        return None;
    }
    let months = selector
        .monthday
        .iter()
        .map(|m| monthday(m, lang))
        .collect::<Option<Vec<_>>>()?;
    let weekdays = weekdays(&selector.weekday, lang)?;
    let months = match lang {
        Lang::Ja => months.join("・"),
        Lang::En => months.join(", "),
    };
    Some(join_words(&[months, weekdays]))
}

fn monthday(range: &MonthdayRange, lang: Lang) -> Option<String> {
    match range {
        MonthdayRange::Month { range, year: None } => {
            let (a, b) = (*range.start(), *range.end());
            Some(match lang {
                Lang::Ja if a == b => format!("{}月", a as u8),
                Lang::Ja => format!("{}月〜{}月", a as u8, b as u8),
                Lang::En if a == b => month_name(a).to_owned(),
                Lang::En => format!("{}–{}", month_name(a), month_name(b)),
            })
        }
        MonthdayRange::Date { start, end } => {
            let a = fixed_date(start)?;
            let b = fixed_date(end)?;
            let one = |(m, d): (Month, u8)| match lang {
                Lang::Ja => format!("{}月{}日", m as u8, d),
                Lang::En => format!("{} {}", &month_name(m)[..3], d),
            };
            Some(if a == b {
                one(a)
            } else {
                match lang {
                    Lang::Ja => format!("{}〜{}", one(a), one(b)),
                    Lang::En => format!("{}–{}", one(a), one(b)),
                }
            })
        }
        MonthdayRange::Month { year: Some(_), .. } => None,
    }
}

fn fixed_date((date, offset): &(Date, DateOffset)) -> Option<(Month, u8)> {
    match (date, offset == &DateOffset::default()) {
        (
            Date::Fixed {
                year: None,
                month,
                day,
            },
            true,
        ) => Some((*month, *day)),
        _ => None,
    }
}

/// 「毎週火・木曜」「第2・第4水曜」「最終金曜」「月〜金曜・祝日」; "every Tuesday and Thursday",
/// "2nd and 4th Wednesday", "last Friday", "Monday–Friday and public holidays".
fn weekdays(ranges: &[WeekDayRange], lang: Lang) -> Option<String> {
    let mut days = Vec::new();
    let mut holidays = false;
    for range in ranges {
        match range {
            WeekDayRange::Fixed {
                range,
                offset: 0,
                nth_from_start,
                nth_from_end,
            } => days.push((
                *range.start(),
                *range.end(),
                nth(nth_from_start, nth_from_end)?,
            )),
            WeekDayRange::Holiday {
                kind: HolidayKind::Public,
                offset: 0,
            } => holidays = true,
            _ => return None,
        }
    }
    let every_week = days.iter().all(|(_, _, n)| n.is_empty());
    let mut parts = Vec::new();
    if every_week && !days.is_empty() {
        let names: Vec<String> = days
            .iter()
            .map(|(a, b, _)| day_range(*a, *b, lang))
            .collect();
        let single_days = days.iter().all(|(a, b, _)| a == b);
        parts.push(match lang {
            Lang::Ja if single_days => format!("毎週{}曜", names.join("・")),
            Lang::Ja => format!("{}曜", names.join("・")),
            Lang::En if single_days => format!("every {}", and_list(&names)),
            Lang::En => and_list(&names),
        });
    } else {
        for (a, b, n) in &days {
            let name = day_range(*a, *b, lang);
            parts.push(match lang {
                Lang::Ja if n.is_empty() => format!("毎週{name}曜"),
                Lang::Ja => format!("{}{name}曜", nth_words(n, lang)),
                Lang::En if n.is_empty() => format!("every {name}"),
                Lang::En => format!("{} {name}", nth_words(n, lang)),
            });
        }
    }
    if holidays {
        parts.push(
            match lang {
                Lang::Ja => "祝日",
                Lang::En => "public holidays",
            }
            .to_owned(),
        );
    }
    Some(match lang {
        Lang::Ja => parts.join("・"),
        Lang::En => and_list(&parts),
    })
}

/// Which weeks of the month: positive for "nth", -1 for "last". `None` for what has no plain
/// reading (the second-to-last week).
fn nth(from_start: &[bool; 5], from_end: &[bool; 5]) -> Option<Vec<i8>> {
    let all_weeks = from_start.iter().all(|&b| b) && from_end.iter().all(|&b| b);
    if all_weeks {
        return Some(Vec::new());
    }
    if from_end[1..].iter().any(|&b| b) {
        return None;
    }
    let mut weeks: Vec<i8> = (1..=5).filter(|&i| from_start[i as usize - 1]).collect();
    if from_end[0] {
        weeks.push(-1);
    }
    Some(weeks)
}

fn nth_words(weeks: &[i8], lang: Lang) -> String {
    match lang {
        Lang::Ja => weeks
            .iter()
            .map(|&w| {
                if w < 0 {
                    "最終".to_owned()
                } else {
                    format!("第{w}")
                }
            })
            .collect::<Vec<_>>()
            .join("・"),
        Lang::En => and_list(
            &weeks
                .iter()
                .map(|&w| match w {
                    -1 => "last".to_owned(),
                    1 => "1st".to_owned(),
                    2 => "2nd".to_owned(),
                    3 => "3rd".to_owned(),
                    w => format!("{w}th"),
                })
                .collect::<Vec<_>>(),
        ),
    }
}

fn day_range(a: Weekday, b: Weekday, lang: Lang) -> String {
    match lang {
        Lang::Ja if a == b => day_ja(a).to_owned(),
        Lang::Ja => format!("{}〜{}", day_ja(a), day_ja(b)),
        Lang::En if a == b => day_en(a).to_owned(),
        Lang::En => format!("{}–{}", day_en(a), day_en(b)),
    }
}

fn day_ja(d: Weekday) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][d.num_days_from_monday() as usize]
}

fn day_en(d: Weekday) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][d.num_days_from_monday() as usize]
}

fn month_name(m: Month) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][m as usize - 1]
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// 「13:30〜15:30、18:00〜20:00」; "13:30–15:30, 18:00–20:00".
fn times(selector: &TimeSelector, lang: Lang) -> Option<String> {
    let mut spans = Vec::new();
    for span in &selector.spans {
        if span.repeats.is_some() {
            return None;
        }
        let (Time::Fixed(start), Time::Fixed(end)) = (span.range.start, span.range.end) else {
            return None;
        };
        let clock = |t: ExtendedTime| format!("{}:{:02}", t.hour(), t.minute());
        let dash = match lang {
            Lang::Ja => "〜",
            Lang::En => "–",
        };
        spans.push(if span.open_end {
            format!("{}{dash}", clock(start))
        } else {
            format!("{}{dash}{}", clock(start), clock(end))
        });
    }
    Some(match lang {
        Lang::Ja => spans.join("、"),
        Lang::En => spans.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Lang, Schedule};

    fn both(osm: &str) -> (String, String) {
        let s = Schedule::parse(osm).unwrap();
        (s.text(Lang::Ja), s.text(Lang::En))
    }

    #[test]
    fn community_schedules_read_naturally() {
        let cases = [
            (
                "We[2,4] 13:30-15:30",
                "第2・第4水曜 13:30〜15:30",
                "2nd and 4th Wednesday 13:30–15:30",
            ),
            (
                "Tu 10:00-12:00",
                "毎週火曜 10:00〜12:00",
                "every Tuesday 10:00–12:00",
            ),
            (
                "Fr[-1] 10:00-11:00",
                "最終金曜 10:00〜11:00",
                "last Friday 10:00–11:00",
            ),
            (
                "Mo,We,Fr 10:00-12:00",
                "毎週月・水・金曜 10:00〜12:00",
                "every Monday, Wednesday and Friday 10:00–12:00",
            ),
            (
                "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off",
                "月〜金曜 9:00〜16:30（祝日、12月29日〜1月3日は休み）",
                "Monday–Friday 9:00–16:30 (closed public holidays, Dec 29–Jan 3)",
            ),
            (
                "We,Fr 10:00-12:00,13:00-16:00; PH off",
                "毎週水・金曜 10:00〜12:00、13:00〜16:00（祝日は休み）",
                "every Wednesday and Friday 10:00–12:00, 13:00–16:00 (closed public holidays)",
            ),
            (
                "Su[-1] 10:00-13:00; Dec off",
                "最終日曜 10:00〜13:00（12月は休み）",
                "last Sunday 10:00–13:00 (closed December)",
            ),
            (
                "Tu[1,3] 10:00-11:30,13:30-15:00",
                "第1・第3火曜 10:00〜11:30、13:30〜15:00",
                "1st and 3rd Tuesday 10:00–11:30, 13:30–15:00",
            ),
            (
                "We 13:00-15:00; Sa 09:00-11:00,13:00-15:00",
                "毎週水曜 13:00〜15:00、毎週土曜 9:00〜11:00、13:00〜15:00",
                "every Wednesday 13:00–15:00; every Saturday 9:00–11:00, 13:00–15:00",
            ),
            (
                "Apr-Oct Sa 09:00-11:00",
                "4月〜10月 毎週土曜 9:00〜11:00",
                "April–October every Saturday 9:00–11:00",
            ),
            (
                "Tu 10:00-12:00 \"雨天中止\"",
                "毎週火曜 10:00〜12:00（雨天中止）",
                "every Tuesday 10:00–12:00 (雨天中止)",
            ),
            ("10:00-16:00", "毎日 10:00〜16:00", "every day 10:00–16:00"),
            ("24/7", "24時間", "24 hours"),
            (
                "PH 10:00-12:00",
                "祝日 10:00〜12:00",
                "public holidays 10:00–12:00",
            ),
            ("Sa", "毎週土曜 終日", "every Saturday all day"),
        ];
        for (osm, ja, en) in cases {
            assert_eq!(both(osm), (ja.to_owned(), en.to_owned()), "{osm}");
        }
    }

    #[test]
    fn constructs_without_a_reading_show_the_osm_text() {
        for osm in [
            "week 01-10 Mo 10:00-12:00",
            "sunrise-sunset",
            "2027 Mo 10:00-11:00",
        ] {
            assert_eq!(Schedule::parse(osm).unwrap().text(Lang::Ja), osm);
        }
    }
}
