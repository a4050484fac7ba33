//! When a place is on: its schedule in OpenStreetMap `opening_hours` syntax, evaluated in
//! Japan's time with Japan's public holidays, and read out in Japanese or English.
//!
//! Staff never have to write OSM syntax: [`Schedule::read`] also accepts the way they speak
//! (「毎週火曜 10時〜12時」「第2・第4水曜日 13:30-15:30」), converted by [`phrases`]. The stored
//! form is always the OSM string, so GIS clients and other tools read it too.
//!
//! Times are local Japan time (JST, UTC+9 all year: Japan has no daylight saving), kept as
//! naive date-times, which is what the evaluator works in.

pub mod holidays;
pub mod phrases;
mod render;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use opening_hours::{Context, OpeningHours, RuleKind};
use std::fmt;
use time::{OffsetDateTime, UtcOffset};

/// How far ahead the next session is looked for. A place that meets less often than this
/// shows no next date (its schedule text still says when it meets).
pub const NEXT_SESSION_HORIZON_DAYS: i64 = 60;

/// Japan Standard Time, UTC+9, the whole year.
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("+09:00 is a valid offset"),
};

/// The language of texts rendered for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// A schedule that could not be read, with where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    /// What went wrong, in words for staff.
    pub reason: String,
    /// The character (0-based) where reading stopped, when known.
    pub at: Option<usize>,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// A parsed schedule, ready to evaluate. Parsing costs about 20 µs, evaluating about 1–5 µs:
/// parse once (at write time) and keep it.
#[derive(Clone)]
pub struct Schedule {
    osm: Box<str>,
    hours: OpeningHours,
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Schedule").field(&self.osm).finish()
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.osm == other.osm
    }
}

/// The next session of a schedule as seen at some moment, and how long that answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextSession {
    /// When the session under way ends, if one is under way.
    pub open_until: Option<NaiveDateTime>,
    /// The start of the next session after the current moment (after the one under way),
    /// within [`NEXT_SESSION_HORIZON_DAYS`].
    pub next_start: Option<NaiveDateTime>,
    /// The answer stays the same until this moment: the next change of state, or a day later
    /// when nothing changes within the horizon.
    pub valid_until: NaiveDateTime,
}

impl Schedule {
    /// Reads OSM `opening_hours` syntax only.
    pub fn parse(osm: &str) -> Result<Self, ScheduleError> {
        let osm = osm.trim();
        let hours: OpeningHours =
            osm.parse()
                .map_err(|e: opening_hours_syntax::Error| ScheduleError {
                    reason: format!(
                        "is not opening_hours syntax: {}",
                        first_line(&e.to_string())
                    ),
                    at: None,
                })?;
        let hours =
            hours.with_context(Context::default().with_holidays(holidays::context_holidays()));
        Ok(Self {
            osm: osm.into(),
            hours,
        })
    }

    /// Reads OSM syntax, or Japanese as staff write it (「毎週火曜 10時〜12時」), which is
    /// converted to OSM syntax. The error is the one for the Japanese reading (it says where
    /// reading stopped) unless the text looks like OSM syntax.
    pub fn read(text: &str) -> Result<Self, ScheduleError> {
        let text = text.trim();
        match Self::parse(text) {
            Ok(s) => Ok(s),
            Err(osm_error) => match phrases::to_osm(text) {
                Ok(osm) => Self::parse(&osm),
                Err(e) if text.is_ascii() => Err(ScheduleError {
                    reason: osm_error.reason,
                    at: e.at,
                }),
                Err(e) => Err(e),
            },
        }
    }

    /// The schedule in OSM `opening_hours` syntax, as stored.
    pub fn osm(&self) -> &str {
        &self.osm
    }

    /// Whether the place is open at this moment (Japan time). An "unknown" state is not open.
    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.hours.is_open(at)
    }

    /// Whether the place is open at any moment of `from..to`.
    pub fn open_during(&self, from: NaiveDateTime, to: NaiveDateTime) -> bool {
        from < to
            && self
                .hours
                .iter_range(from, to)
                .any(|r| r.kind == RuleKind::Open)
    }

    /// The session under way at `now`, if any, and the start of the next one.
    pub fn next_session(&self, now: NaiveDateTime) -> NextSession {
        let horizon = now + Duration::days(NEXT_SESSION_HORIZON_DAYS);
        let mut open_until = None;
        let mut next_start = None;
        let mut first_change = None;
        for range in self.hours.iter_range(now, horizon) {
            if range.range.start == now {
                first_change = Some(range.range.end);
                if range.kind == RuleKind::Open {
                    open_until = Some(range.range.end);
                    continue;
                }
            }
            if range.kind == RuleKind::Open && range.range.start > now {
                next_start = Some(range.range.start);
                break;
            }
        }
        // Until the state changes the answer holds; with no session in sight the horizon
        // moves on, so look again a day later at the latest.
        let a_day_later = now + Duration::days(1);
        let valid_until = match (first_change, next_start) {
            (Some(change), Some(_)) => change,
            (Some(change), None) => change.min(a_day_later),
            (None, _) => a_day_later,
        };
        NextSession {
            open_until,
            next_start,
            valid_until,
        }
    }

    /// The schedule in words: 「第2・第4水曜 13:30〜15:30」, "2nd and 4th Wednesday
    /// 13:30–15:30". Constructs without a reading (week numbers, sunrise, …) are shown as the
    /// OSM text itself, which is better than a wrong reading.
    pub fn text(&self, lang: Lang) -> String {
        render::render(&self.hours.get_expression(), lang).unwrap_or_else(|| self.osm.to_string())
    }
}

/// When places must be open (the `open_at` parameter): at an instant, or at any moment of an
/// interval, in Japan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenWindow {
    pub from: NaiveDateTime,
    /// `None` for an instant.
    pub to: Option<NaiveDateTime>,
}

/// The longest interval `open_at` takes: a day filter asks for one day, a week view for
/// seven; evaluating longer spans costs more and answers nothing a person asks.
pub const MAX_OPEN_WINDOW_DAYS: i64 = 31;

impl OpenWindow {
    /// Reads `open_at`:
    /// - an instant in RFC 3339, `2026-12-01T10:00:00+09:00` or `…Z`; without an offset
    ///   (`2026-12-01T10:00`, seconds optional) it is Japan time;
    /// - a date `2026-12-01`: any time that day (Japan time);
    /// - an interval `start/end` of those (a date as the end means the end of that day):
    ///   places open at any moment of it, at most [`MAX_OPEN_WINDOW_DAYS`] long.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        match value.split_once('/') {
            None => match moment(value)? {
                Moment::Instant(t) => Ok(Self { from: t, to: None }),
                Moment::Day(start, end) => Self::interval(start, end, value),
            },
            Some((a, b)) => {
                let from = match moment(a)? {
                    Moment::Instant(t) | Moment::Day(t, _) => t,
                };
                let to = match moment(b)? {
                    Moment::Instant(t) | Moment::Day(_, t) => t,
                };
                Self::interval(from, to, value)
            }
        }
    }

    fn interval(from: NaiveDateTime, to: NaiveDateTime, value: &str) -> Result<Self, String> {
        if to <= from {
            return Err(format!("{value:?} ends before it starts"));
        }
        if to - from > Duration::days(MAX_OPEN_WINDOW_DAYS) {
            return Err(format!(
                "{value:?} is longer than {MAX_OPEN_WINDOW_DAYS} days"
            ));
        }
        Ok(Self { from, to: Some(to) })
    }

    /// Whether `schedule` is open in this window.
    pub fn admits(&self, schedule: &Schedule) -> bool {
        match self.to {
            None => schedule.is_open(self.from),
            Some(to) => schedule.open_during(self.from, to),
        }
    }
}

enum Moment {
    Instant(NaiveDateTime),
    /// A whole day: its first moment and the first moment of the next day.
    Day(NaiveDateTime, NaiveDateTime),
}

fn moment(s: &str) -> Result<Moment, String> {
    let moment = parse_moment(s)?;
    let (Moment::Instant(t) | Moment::Day(t, _)) = moment;
    // Schedules only speak of 1900–9999 (the evaluator counts everything else closed).
    if !(1900..=9999).contains(&t.year()) {
        return Err(format!("{s:?} is not between the years 1900 and 9999"));
    }
    Ok(moment)
}

fn parse_moment(s: &str) -> Result<Moment, String> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if s.is_empty() || s == ".." {
        return Err("open_at needs both ends of an interval (open ends are not taken)".into());
    }
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let start = date.and_time(NaiveTime::MIN);
        // The last day chrono knows has no next day.
        let end = start
            .checked_add_signed(Duration::days(1))
            .ok_or_else(|| format!("{s:?} is too far in the future"))?;
        return Ok(Moment::Day(start, end));
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(Moment::Instant(jst(t)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(Moment::Instant(t));
        }
    }
    Err(format!(
        "{s:?} is not a date-time: use RFC 3339 (2026-12-01T10:00:00+09:00; without an offset, \
         Japan time) or a date (2026-12-01)"
    ))
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

/// The moment `t` as Japan's wall-clock time.
pub fn jst(t: OffsetDateTime) -> NaiveDateTime {
    let t = t.to_offset(JST);
    let date = NaiveDate::from_ymd_opt(t.year(), u8::from(t.month()).into(), t.day().into())
        .expect("a valid date stays valid");
    let time = NaiveTime::from_hms_opt(t.hour().into(), t.minute().into(), t.second().into())
        .expect("a valid time stays valid");
    date.and_time(time)
}

/// Japan's wall-clock time now.
pub fn jst_now() -> NaiveDateTime {
    jst(OffsetDateTime::now_utc())
}

/// `2026-12-01T10:00:00+09:00`.
pub fn format_jst(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+09:00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn open(osm: &str, when: &str) -> bool {
        Schedule::parse(osm).unwrap().is_open(at(when))
    }

    #[test]
    fn weekly_nth_and_last_weekdays_across_month_ends() {
        // 2026-12-01 is a Tuesday.
        assert!(open("Tu 10:00-12:00", "2026-12-01 10:00"));
        assert!(!open("Tu 10:00-12:00", "2026-12-01 12:00"));
        assert!(!open("Tu 10:00-12:00", "2026-12-02 10:30"));
        // 2nd and 4th Wednesdays of December 2026: the 9th and the 23rd.
        assert!(open("We[2,4] 13:30-15:30", "2026-12-09 14:00"));
        assert!(open("We[2,4] 13:30-15:30", "2026-12-23 14:00"));
        assert!(!open("We[2,4] 13:30-15:30", "2026-12-16 14:00"));
        assert!(!open("We[2,4] 13:30-15:30", "2026-12-30 14:00"));
        // Last Friday: 2026-12-25, and 2027-01-29 across the year change.
        assert!(open("Fr[-1] 10:00-11:00", "2026-12-25 10:30"));
        assert!(!open("Fr[-1] 10:00-11:00", "2026-12-18 10:30"));
        assert!(open("Fr[-1] 10:00-11:00", "2027-01-29 10:30"));
        // A 5th Tuesday exists in December 2026 (the 29th) but not in November 2026.
        assert!(open("Tu[5] 10:00-11:00", "2026-12-29 10:30"));
        assert!(!open("Tu[5] 10:00-11:00", "2026-11-24 10:30"));
        // The 31st, then the 1st of the next month.
        assert!(open("Mo[1] 09:00-10:00", "2027-02-01 09:30"));
        assert!(!open("Mo[1] 09:00-10:00", "2027-02-08 09:30"));
    }

    #[test]
    fn japanese_holidays_substitute_and_sandwiched_days_and_the_year_end() {
        let office = "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off";
        assert!(open(office, "2026-12-01 09:00"));
        // 国民の休日 (a Tuesday between 敬老の日 and 秋分の日), missing from generic calendars.
        assert!(!open(office, "2026-09-22 10:00"));
        // 振替休日 for 憲法記念日 on a Sunday.
        assert!(!open(office, "2026-05-06 10:00"));
        assert!(open(office, "2026-05-07 10:00"));
        // 振替休日 for 春分の日 on a Sunday in 2027.
        assert!(!open(office, "2027-03-22 10:00"));
        // Year end and New Year, across the year change.
        assert!(open(office, "2026-12-28 10:00"));
        assert!(!open(office, "2026-12-29 10:00"));
        assert!(!open(office, "2027-01-01 10:00"));
        assert!(open(office, "2027-01-04 10:00"));
        // `PH on` opens on holidays only.
        assert!(open("PH 10:00-12:00", "2026-11-23 11:00"));
        assert!(!open("PH 10:00-12:00", "2026-11-24 11:00"));
    }

    #[test]
    fn next_session_within_the_horizon() {
        let s = Schedule::parse("Tu 10:00-12:00").unwrap();
        let n = s.next_session(at("2026-12-01 09:00"));
        assert_eq!(n.open_until, None);
        assert_eq!(n.next_start, Some(at("2026-12-01 10:00")));
        assert_eq!(n.valid_until, at("2026-12-01 10:00"));
        // Under way: reports when it ends and the session after.
        let n = s.next_session(at("2026-12-01 11:00"));
        assert_eq!(n.open_until, Some(at("2026-12-01 12:00")));
        assert_eq!(n.next_start, Some(at("2026-12-08 10:00")));
        assert_eq!(n.valid_until, at("2026-12-01 12:00"));
        // Closed on the holiday that falls on its day: the next one is a week later.
        let s = Schedule::parse("Mo 10:00-12:00; PH off").unwrap();
        assert_eq!(
            s.next_session(at("2027-01-05 00:00")).next_start,
            Some(at("2027-01-18 10:00")),
            "2027-01-11 is 成人の日"
        );
        // Nothing within 60 days.
        let s = Schedule::parse("Dec 25 10:00-12:00").unwrap();
        assert_eq!(s.next_session(at("2027-01-01 00:00")).next_start, None);
    }

    #[test]
    fn open_during_an_interval() {
        let s = Schedule::parse("We[2,4] 13:30-15:30").unwrap();
        assert!(s.open_during(at("2026-12-09 00:00"), at("2026-12-10 00:00")));
        assert!(!s.open_during(at("2026-12-09 00:00"), at("2026-12-09 12:00")));
        assert!(s.open_during(at("2026-12-09 12:00"), at("2026-12-09 13:31")));
        assert!(!s.open_during(at("2026-12-09 15:30"), at("2026-12-09 18:00")));
    }

    #[test]
    fn read_takes_osm_and_japanese() {
        assert_eq!(
            Schedule::read("Tu 10:00-12:00").unwrap().osm(),
            "Tu 10:00-12:00"
        );
        assert_eq!(
            Schedule::read("毎週火曜 10時〜12時").unwrap().osm(),
            "Tu 10:00-12:00"
        );
        let e = Schedule::read("毎週火曜 ほげ").unwrap_err();
        assert_eq!(e.at, Some(5), "{e:?}");
        assert!(Schedule::read("Tu 25:99-99:00").is_err());
    }

    #[test]
    fn open_at_takes_instants_dates_and_intervals_in_japan_time() {
        let w = OpenWindow::parse("2026-12-01T10:00:00+09:00").unwrap();
        assert_eq!((w.from, w.to), (at("2026-12-01 10:00"), None));
        let w = OpenWindow::parse("2026-12-01T01:00:00Z").unwrap();
        assert_eq!(w.from, at("2026-12-01 10:00"));
        let w = OpenWindow::parse("2026-12-01T10:00").unwrap();
        assert_eq!(w.from, at("2026-12-01 10:00"));
        let w = OpenWindow::parse("2026-12-01").unwrap();
        assert_eq!(
            (w.from, w.to),
            (at("2026-12-01 00:00"), Some(at("2026-12-02 00:00")))
        );
        let w = OpenWindow::parse("2026-12-01T06:00/2026-12-01T12:00").unwrap();
        assert_eq!(
            (w.from, w.to),
            (at("2026-12-01 06:00"), Some(at("2026-12-01 12:00")))
        );
        let w = OpenWindow::parse("2026-12-01/2026-12-07").unwrap();
        assert_eq!(w.to, Some(at("2026-12-08 00:00")));
        for bad in [
            "",
            "tomorrow",
            "2026-13-01",
            "2026-12-01T25:00",
            "2026-12-02/2026-12-01",
            "2026-12-01/..",
            "2026-01-01/2026-12-31",
            "2026-12-01T10:00:00+09:00/x",
        ] {
            assert!(OpenWindow::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jst_is_nine_hours_ahead_of_utc() {
        let t = time::macros::datetime!(2026-12-31 15:30 UTC);
        assert_eq!(jst(t), at("2027-01-01 00:30"));
        assert_eq!(
            format_jst(at("2027-01-01 00:30")),
            "2027-01-01T00:30:00+09:00"
        );
    }
}
