//! Schedules as staff say them, turned into OSM `opening_hours` syntax:
//!
//! | said | stored |
//! |---|---|
//! | 毎週火曜 10時〜12時 | `Tu 10:00-12:00` |
//! | 第2・第4水曜日 13:30-15:30 | `We[2,4] 13:30-15:30` |
//! | 月〜金 9:00〜17:00 祝日は休み | `Mo-Fr 09:00-17:00; PH off` |
//! | 毎月第1土曜 午前10時から正午 | `Sa[1] 10:00-12:00` |
//! | 最終金曜 13時半〜15時 | `Fr[-1] 13:30-15:00` |
//! | 平日 9時〜16時半（年末年始休み） | `Mo-Fr 09:00-16:30; Dec 29-Jan 03 off` |
//!
//! Full-width digits and punctuation are accepted (the text is NFKC-normalised first). A time
//! from 1 to 5 o'clock without 午前 is read as afternoon (「1時半〜3時」 is 13:30–15:00), as
//! community schedules mean; the staff page shows the reading before saving. When a part
//! cannot be read, the error names it and its position in the text as given.

use super::ScheduleError;
use chrono::Weekday;
use unicode_normalization::UnicodeNormalization;

/// Converts a Japanese schedule phrase to OSM `opening_hours` syntax.
pub fn to_osm(text: &str) -> Result<String, ScheduleError> {
    let mut p = Reader::new(text);
    let mut rules: Vec<Rule> = Vec::new();
    let mut current = Rule::default();
    let (mut holidays_off, mut year_end_off) = (false, false);
    loop {
        p.skip_filler();
        if p.at_end() {
            break;
        }
        if let Some(offs) = p.closing() {
            for off in offs {
                match off {
                    Off::Holidays => holidays_off = true,
                    Off::YearEnd => year_end_off = true,
                }
            }
        } else if p.peek() == Some('(') {
            // A remark in brackets, 「（予約制）」, is kept as the rule's comment.
            let comment = p.bracketed()?;
            let rule = if current.days.is_empty() && current.times.is_empty() {
                rules.last_mut().unwrap_or(&mut current)
            } else {
                &mut current
            };
            if !comment.is_empty() {
                rule.comment = Some(comment);
            }
        } else if p.starts_day() {
            let start = p.pos;
            let groups = p.days()?;
            // Days after a rule's times start the next rule; days after times alone (「午後6時〜8時
            // 毎週木曜」) belong to them.
            if !current.times.is_empty() && !current.days.is_empty() {
                rules.push(std::mem::take(&mut current));
            }
            if groups.is_empty() {
                return Err(p.error_at(start, "曜日が読めません"));
            }
            current.days.extend(groups);
        } else if p.starts_time() {
            let range = p.time_range()?;
            current.times.push(range);
        } else {
            return Err(p.error_at(p.pos, "読めません"));
        }
    }
    if !current.days.is_empty() || !current.times.is_empty() {
        rules.push(current);
    }
    if rules.is_empty() && !holidays_off && !year_end_off {
        return Err(ScheduleError {
            reason: "曜日と時間が書かれていません（例: 毎週火曜 10時〜12時）".into(),
            at: Some(0),
        });
    }
    let mut parts = Vec::new();
    for rule in &rules {
        if rule.times.is_empty() {
            return Err(ScheduleError {
                reason: "時間が書かれていません（例: 毎週火曜 10時〜12時）".into(),
                at: Some(text.chars().count()),
            });
        }
        parts.push(rule.osm());
    }
    if holidays_off {
        parts.push("PH off".into());
    }
    if year_end_off {
        parts.push("Dec 29-Jan 03 off".into());
    }
    Ok(parts.join("; "))
}

/// One rule: the days it applies to (empty: every day), its time ranges in minutes, and a
/// remark.
#[derive(Default)]
struct Rule {
    days: Vec<DayGroup>,
    times: Vec<(u16, u16)>,
    comment: Option<String>,
}

impl Rule {
    fn osm(&self) -> String {
        let mut days: Vec<String> = Vec::new();
        for group in &self.days {
            for day in &group.days {
                match (day, group.weeks.is_empty()) {
                    (Day::Every, _) => {}
                    (Day::Holiday, _) => days.push("PH".into()),
                    (Day::Range(a, b), true) if a == b => days.push(code(*a).into()),
                    (Day::Range(a, b), true) => days.push(format!("{}-{}", code(*a), code(*b))),
                    // OSM puts "nth" on single weekdays: 第1月〜金 is each of them.
                    (Day::Range(a, b), false) => {
                        let weeks = group
                            .weeks
                            .iter()
                            .map(i8::to_string)
                            .collect::<Vec<_>>()
                            .join(",");
                        let mut d = *a;
                        loop {
                            days.push(format!("{}[{weeks}]", code(d)));
                            if d == *b {
                                break;
                            }
                            d = d.succ();
                        }
                    }
                }
            }
        }
        let times = self
            .times
            .iter()
            .map(|&(a, b)| format!("{}-{}", clock(a), clock(b)))
            .collect::<Vec<_>>()
            .join(",");
        let rule = if days.is_empty() {
            times
        } else {
            format!("{} {times}", days.join(","))
        };
        match &self.comment {
            // OSM comments are in double quotes and cannot hold one.
            Some(c) => format!("{rule} \"{}\"", c.replace('"', "”")),
            None => rule,
        }
    }
}

/// Days that share which weeks of the month they meet (empty: every week; -1: the last).
struct DayGroup {
    weeks: Vec<i8>,
    days: Vec<Day>,
}

#[derive(Clone, Copy)]
enum Day {
    Every,
    Holiday,
    Range(Weekday, Weekday),
}

enum Off {
    Holidays,
    YearEnd,
}

fn code(d: Weekday) -> &'static str {
    ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][d.num_days_from_monday() as usize]
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn weekday(c: char) -> Option<Weekday> {
    Some(match c {
        '月' => Weekday::Mon,
        '火' => Weekday::Tue,
        '水' => Weekday::Wed,
        '木' => Weekday::Thu,
        '金' => Weekday::Fri,
        '土' => Weekday::Sat,
        '日' => Weekday::Sun,
        _ => return None,
    })
}

fn is_range_mark(c: char) -> bool {
    matches!(
        c,
        '〜' | '~' | '-' | '‐' | '−' | '–' | '—' | '－' | '～' | 'ー'
    )
}

/// The text, normalised one character at a time so that every character still knows where
/// it stood in what staff typed.
struct Reader {
    chars: Vec<(char, usize)>,
    pos: usize,
    original: Vec<char>,
}

impl Reader {
    fn new(text: &str) -> Self {
        let mut chars = Vec::new();
        for (i, c) in text.chars().enumerate() {
            for n in std::iter::once(c).nfkc() {
                chars.push((n, i));
            }
        }
        Self {
            chars,
            pos: 0,
            original: text.chars().collect(),
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|&(c, _)| c)
    }

    fn starts_with(&self, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(i, w)| self.peek_at(i) == Some(w))
    }

    fn eat(&mut self, word: &str) -> bool {
        let ok = self.starts_with(word);
        if ok {
            self.pos += word.chars().count();
        }
        ok
    }

    fn eat_any(&mut self, words: &[&str]) -> bool {
        words.iter().any(|w| self.eat(w))
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Separators and words that carry no meaning for the schedule.
    fn skip_filler(&mut self) {
        loop {
            self.skip_spaces();
            let before = self.pos;
            if matches!(
                self.peek(),
                Some('、' | ',' | '。' | ';' | '/' | ')' | '「' | '」' | '【' | '】' | '・' | 'と')
            ) {
                self.pos += 1;
            }
            self.eat_any(&[
                "毎月", "毎週", "開催", "まで", "頃", "ごろ", "は", "に", "で", "の",
            ]);
            if self.pos == before {
                return;
            }
        }
    }

    /// 「祝日は休み」「祝日を除く」「年末年始休み」「祝日と年末年始（12月29日〜1月3日）はお休み」…
    fn closing(&mut self) -> Option<Vec<Off>> {
        let start = self.pos;
        let mut offs = Vec::new();
        loop {
            if self.eat_any(&["祝祭日", "祝日", "祭日"]) {
                offs.push(Off::Holidays);
            } else if self.eat("年末年始") {
                offs.push(Off::YearEnd);
                // 「年末年始（12月29日〜1月3日）」: the dates say what 年末年始 means here.
                let mark = self.pos;
                if self.peek() == Some('(') && self.bracketed().is_err() {
                    self.pos = mark;
                }
            } else {
                break;
            }
            let mark = self.pos;
            if !self.eat_any(&["と", "・", "、", "や"]) {
                break;
            }
            if !(self.starts_with("祝") || self.starts_with("祭日") || self.starts_with("年末年始"))
            {
                self.pos = mark;
                break;
            }
        }
        if offs.is_empty() {
            return None;
        }
        self.skip_spaces();
        self.eat_any(&["は", "を", "も"]);
        self.eat("お");
        if self.eat_any(&["休み", "休館", "休業", "休", "除く", "除き", "除"]) {
            Some(offs)
        } else {
            self.pos = start;
            None
        }
    }

    /// The text of 「（…）」, the brackets consumed. A bracket that holds when the place is
    /// closed (「（祝日休み）」) is read as that, and answers an empty remark.
    fn bracketed(&mut self) -> Result<String, ScheduleError> {
        let open = self.pos;
        self.pos += 1;
        self.skip_spaces();
        if self.is_closing() {
            // Read by the caller's loop as a closing; the closing bracket is filler.
            return Ok(String::new());
        }
        let mut text = String::new();
        let mut depth = 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(text.trim().to_owned());
                    }
                }
                _ => {}
            }
            text.push(c);
        }
        Err(self.error_at(open, "括弧が閉じていません"))
    }

    fn is_closing(&mut self) -> bool {
        let start = self.pos;
        let closing = self.closing().is_some();
        self.pos = start;
        closing
    }

    fn starts_day(&self) -> bool {
        self.starts_with("第")
            || self.starts_with("最終")
            || self.starts_with("最後の")
            || self.starts_with("毎日")
            || self.starts_with("平日")
            || self.starts_with("祝日")
            || self.peek().and_then(weekday).is_some()
    }

    fn starts_time(&self) -> bool {
        self.peek().is_some_and(|c| c.is_ascii_digit())
            || ["午前", "午後", "正午", "昼"]
                .iter()
                .any(|w| self.starts_with(w))
    }

    /// Groups of days, each with the weeks of the month it meets in:
    /// 「第2・第4水曜」「第1火曜・第3木曜」「月・水・金」「月〜金」「土日祝」。
    fn days(&mut self) -> Result<Vec<DayGroup>, ScheduleError> {
        let mut groups = Vec::new();
        loop {
            let weeks = self.weeks()?;
            let mut days = Vec::new();
            loop {
                let start = self.pos;
                if self.eat("毎日") {
                    days.push(Day::Every);
                } else if self.eat("平日") {
                    days.push(Day::Range(Weekday::Mon, Weekday::Fri));
                } else if self.eat("土日祝") {
                    days.push(Day::Range(Weekday::Sat, Weekday::Sun));
                    days.push(Day::Holiday);
                } else if self.eat("土日") {
                    days.push(Day::Range(Weekday::Sat, Weekday::Sun));
                } else if self.starts_with("祝") && !self.is_closing() {
                    self.eat_any(&["祝祭日", "祝日", "祝"]);
                    days.push(Day::Holiday);
                } else if let Some(a) = self.peek().and_then(weekday) {
                    self.pos += 1;
                    self.eat_any(&["曜日", "曜"]);
                    let mark = self.pos;
                    let b = if self.peek().is_some_and(is_range_mark) || self.starts_with("から")
                    {
                        self.eat("から");
                        if self.peek().is_some_and(is_range_mark) {
                            self.pos += 1;
                        }
                        match self.peek().and_then(weekday) {
                            Some(b) => {
                                self.pos += 1;
                                self.eat_any(&["曜日", "曜"]);
                                b
                            }
                            None => {
                                self.pos = mark;
                                a
                            }
                        }
                    } else {
                        a
                    };
                    days.push(Day::Range(a, b));
                } else {
                    self.pos = start;
                    break;
                }
                // Another day of the same group: 「月・水」「火、木」「火と金」.
                let mark = self.pos;
                if self.eat_any(&["・", "、", ",", "と", "及び"])
                    && self.peek().and_then(weekday).is_some()
                {
                    continue;
                }
                self.pos = mark;
                break;
            }
            if days.is_empty() {
                break;
            }
            groups.push(DayGroup { weeks, days });
            // Another group with weeks of its own: 「第1火曜・第3木曜」.
            let mark = self.pos;
            if self.eat_any(&["・", "、", ",", "と"])
                && (self.starts_with("第") || self.starts_with("最終"))
            {
                continue;
            }
            self.pos = mark;
            break;
        }
        Ok(groups)
    }

    /// 「第2・第4」「第1、3」「最終」「最後の」: which weeks of the month; empty for every week.
    fn weeks(&mut self) -> Result<Vec<i8>, ScheduleError> {
        let mut weeks = Vec::new();
        loop {
            let start = self.pos;
            if self.eat("最終") || self.eat("最後の") {
                weeks.push(-1);
            } else if self.eat("第")
                || (!weeks.is_empty() && self.peek().is_some_and(is_week_digit))
            {
                let at = self.pos;
                let n = match self.peek() {
                    Some(c) if c.is_ascii_digit() => c.to_digit(10).unwrap_or(0) as i8,
                    Some('一') => 1,
                    Some('二') => 2,
                    Some('三') => 3,
                    Some('四') => 4,
                    Some('五') => 5,
                    _ => return Err(self.error_at(at, "「第」の後に 1〜5 の数字が要ります")),
                };
                if !(1..=5).contains(&n) || self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.error_at(at, "第何週かは 1〜5 で書いてください"));
                }
                self.pos += 1;
                self.eat("週");
                self.eat("目");
                if !weeks.contains(&n) {
                    weeks.push(n);
                }
            } else {
                self.pos = start;
                break;
            }
            let mark = self.pos;
            if self.eat_any(&["・", "、", ",", "と"])
                && (self.starts_with("第")
                    || self.starts_with("最終")
                    || self.peek().is_some_and(is_week_digit))
            {
                continue;
            }
            self.pos = mark;
            break;
        }
        Ok(weeks)
    }

    /// 「10時〜12時」「13:30-15:30」「午前10時から正午」「1時半〜3時」 in minutes.
    fn time_range(&mut self) -> Result<(u16, u16), ScheduleError> {
        let start_at = self.pos;
        let (mut start, start_half) = self.time()?;
        self.skip_spaces();
        if !(self.eat("から")
            || self.peek().is_some_and(is_range_mark) && {
                self.pos += 1;
                true
            })
        {
            return Err(self.error_at(
                self.pos,
                "終わりの時刻が要ります（例: 10時〜12時、13:30-15:30）",
            ));
        }
        self.skip_spaces();
        let end_at = self.pos;
        let (mut end, end_half) = self.time()?;
        self.eat("まで");
        // Without 午前/午後, 1 to 5 o'clock means the afternoon: a salon 「1時半〜3時」 meets at
        // 13:30 (6 o'clock stays morning: ラジオ体操). After 午後 at the start, the end is in the
        // afternoon too.
        let afternoon_start = match start_half {
            None if (60..6 * 60).contains(&start) => {
                start += 12 * 60;
                true
            }
            Some(Half::Pm) => true,
            _ => false,
        };
        if afternoon_start && end_half.is_none() && end < 12 * 60 {
            end += 12 * 60;
        }
        if end <= start {
            return Err(self.error_at(end_at, "終わりの時刻が始まりより前です"));
        }
        if end > 24 * 60 {
            return Err(self.error_at(start_at, "時刻は 0時〜24時 で書いてください"));
        }
        Ok((start, end))
    }

    /// One time in minutes after midnight, and whether 午前/午後 was said.
    fn time(&mut self) -> Result<(u16, Option<Half>), ScheduleError> {
        let half = if self.eat("午前") {
            Some(Half::Am)
        } else if self.eat("午後") {
            Some(Half::Pm)
        } else {
            None
        };
        self.skip_spaces();
        if self.eat("正午") {
            return Ok((12 * 60, Some(Half::Pm)));
        }
        let at = self.pos;
        let hour = self
            .number(2)
            .ok_or_else(|| self.error_at(at, "時刻が読めません（例: 10時、10時半、13:30）"))?;
        let minute = if self.eat(":") {
            let m_at = self.pos;
            match self.number(2) {
                Some(m) if m < 60 => m,
                _ => return Err(self.error_at(m_at, "分は 00〜59 で書いてください")),
            }
        } else if self.eat("時") {
            if self.eat("半") {
                30
            } else {
                let m_at = self.pos;
                match self.number(2) {
                    Some(m) if m < 60 && self.eat("分") => m,
                    Some(_) => return Err(self.error_at(m_at, "分は 00〜59 で書いてください")),
                    None => 0,
                }
            }
        } else {
            return Err(self.error_at(self.pos, "時刻は 10時 や 10:00 のように書いてください"));
        };
        let hour = match (half, hour) {
            (_, h) if h > 24 => {
                return Err(self.error_at(at, "時刻は 0時〜24時 で書いてください"));
            }
            (Some(Half::Pm), h) if h < 12 => h + 12,
            (Some(Half::Am), 12) => 0,
            (_, h) => h,
        };
        Ok((hour * 60 + minute, half))
    }

    fn number(&mut self, max_digits: usize) -> Option<u16> {
        let start = self.pos;
        while self.pos - start < max_digits && self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        self.chars[start..self.pos]
            .iter()
            .map(|&(c, _)| c)
            .collect::<String>()
            .parse()
            .ok()
    }

    /// An error pointing at the character `pos` of the normalised text, reported at its
    /// position in the text as given.
    fn error_at(&self, pos: usize, why: &str) -> ScheduleError {
        let at = self
            .chars
            .get(pos)
            .map_or(self.original.len(), |&(_, original)| original);
        let rest: String = self.original[at.min(self.original.len())..]
            .iter()
            .take(8)
            .collect();
        let reason = if rest.is_empty() {
            format!("{why}（文の終わり）")
        } else {
            format!("「{rest}」のところ（{}文字目）: {why}", at + 1)
        };
        ScheduleError {
            reason,
            at: Some(at),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    Am,
    Pm,
}

fn is_week_digit(c: char) -> bool {
    matches!(c, '1'..='5' | '一' | '二' | '三' | '四' | '五')
}

#[cfg(test)]
mod tests {
    use super::super::Schedule;
    use super::*;

    #[test]
    fn phrases_staff_use_become_osm() {
        let cases = [
            ("毎週火曜 10時〜12時", "Tu 10:00-12:00"),
            ("第2・第4水曜日 13:30-15:30", "We[2,4] 13:30-15:30"),
            ("月〜金 9:00〜17:00 祝日は休み", "Mo-Fr 09:00-17:00; PH off"),
            ("毎月第1土曜 午前10時から正午", "Sa[1] 10:00-12:00"),
            ("最終金曜 13時半〜15時", "Fr[-1] 13:30-15:00"),
            (
                "平日 9時〜16時半（年末年始休み）",
                "Mo-Fr 09:00-16:30; Dec 29-Jan 03 off",
            ),
            ("毎週月・水・金曜日 10:00〜12:00", "Mo,We,Fr 10:00-12:00"),
            ("火曜と金曜 1時半〜3時", "Tu,Fr 13:30-15:00"),
            ("第1火曜・第3木曜 10時〜11時半", "Tu[1],Th[3] 10:00-11:30"),
            (
                "第１・第３月曜　１０：００～１１：３０",
                "Mo[1,3] 10:00-11:30",
            ),
            (
                "毎週水曜 10時〜12時、13時〜16時",
                "We 10:00-12:00,13:00-16:00",
            ),
            (
                "水曜 13時〜15時、土曜 9時〜11時",
                "We 13:00-15:00; Sa 09:00-11:00",
            ),
            ("毎日 6時30分〜6時45分", "06:30-06:45"),
            ("土日祝 午前9時〜午後3時", "Sa-Su,PH 09:00-15:00"),
            ("第2、4木曜 午後1時〜3時", "Th[2,4] 13:00-15:00"),
            (
                "月曜から金曜 8時半〜17時15分 祝日を除く",
                "Mo-Fr 08:30-17:15; PH off",
            ),
            ("毎月最終日曜 10時〜13時", "Su[-1] 10:00-13:00"),
            ("第三土曜 10時〜12時", "Sa[3] 10:00-12:00"),
            ("午後6時〜8時 毎週木曜", "Th 18:00-20:00"),
            // As staff wrote them in the sample data.
            (
                "月〜金曜 9時〜16時半（祝日と年末年始（12月29日〜1月3日）はお休み）",
                "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off",
            ),
            (
                "第1・第3火曜 10時〜11時半と13時半〜15時",
                "Tu[1,3] 10:00-11:30,13:30-15:00",
            ),
            (
                "毎週水曜 13時〜15時、土曜 9時〜11時と13時〜15時",
                "We 13:00-15:00; Sa 09:00-11:00,13:00-15:00",
            ),
            (
                "第3土曜 13時半〜15時半（予約制）",
                "Sa[3] 13:30-15:30 \"予約制\"",
            ),
            (
                "毎週水・金曜 10時〜12時と13時〜16時（祝日は休み）",
                "We,Fr 10:00-12:00,13:00-16:00; PH off",
            ),
        ];
        for (said, osm) in cases {
            assert_eq!(to_osm(said).as_deref(), Ok(osm), "{said}");
            // Every conversion is valid OSM syntax that evaluates.
            Schedule::parse(osm).unwrap();
        }
    }

    #[test]
    fn what_cannot_be_read_is_pointed_at() {
        let cases = [
            ("毎週火曜 10時〜", 9, "時刻"),
            ("毎週火曜 ほげ", 5, "読めません"),
            ("第6水曜 10時〜12時", 1, "1〜5"),
            ("毎週火曜", 4, "時間が書かれていません"),
            ("毎週火曜 12時〜10時", 9, "前です"),
            ("毎週火曜 10時", 8, "終わりの時刻"),
            ("毎週火曜 25時〜26時", 5, "0時〜24時"),
            ("", 0, "曜日と時間"),
            ("随時（電話で受付）", 0, "読めません"),
            ("毎週火曜 10時〜12時（予約制", 12, "括弧"),
        ];
        for (said, at, words) in cases {
            let e = to_osm(said).unwrap_err();
            assert_eq!(e.at, Some(at), "{said}: {e:?}");
            assert!(e.reason.contains(words), "{said}: {}", e.reason);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::super::Schedule;
    use super::*;
    use proptest::prelude::*;

    /// Pieces staff type, and noise, to build phrases near the grammar's edges.
    const PIECES: &[&str] = &[
        "毎週",
        "第",
        "1",
        "2",
        "4",
        "5",
        "6",
        "最終",
        "・",
        "、",
        "と",
        "月",
        "火",
        "水",
        "金",
        "土",
        "日",
        "曜",
        "曜日",
        "平日",
        "毎日",
        "土日祝",
        "祝日",
        "は",
        "休み",
        "年末年始",
        "10",
        "13",
        "25",
        "時",
        "半",
        "30",
        "分",
        ":",
        "〜",
        "-",
        "から",
        "午前",
        "午後",
        "正午",
        "まで",
        "(",
        ")",
        "（",
        "）",
        "予約制",
        " ",
        "　",
        "１０",
        "ー",
        "\"",
        "x",
        "\u{0}",
    ];

    proptest! {
        /// Whatever staff type, reading it never panics, and a phrase that is read gives OSM
        /// syntax the evaluator accepts.
        #[test]
        fn any_phrase_is_read_or_refused_never_a_panic(
            parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..24),
            noise in "\\PC{0,12}",
        ) {
            let text = format!("{}{noise}", parts.concat());
            if let Ok(osm) = to_osm(&text) {
                prop_assert!(Schedule::parse(&osm).is_ok(), "{text:?} → {osm:?}");
            }
            match Schedule::read(&text) {
                Ok(s) => { let _ = s.text(super::super::Lang::Ja); }
                Err(e) => prop_assert!(e.at.is_none_or(|at| at <= text.chars().count()), "{e:?}"),
            }
        }
    }
}
