//! Japan's public holidays (国民の祝日, 振替休日 and 国民の休日), for `PH` in schedules.
//!
//! The dates come from `jpholiday`, which implements the rules of 国民の祝日に関する法律
//! (Happy Monday days, the equinoxes, substitute holidays and the "sandwiched" 国民の休日)
//! rather than a table, so they do not run out. The calendar bundled with `opening-hours`
//! misses 国民の休日 (2026-09-22), so schedules are evaluated with this one instead; the test
//! below checks every holiday of 2026 and 2027 against the Cabinet Office's list.

use chrono::{Datelike, NaiveDate};
use compact_calendar::CompactCalendar;
use opening_hours::ContextHolidays;
use std::sync::{Arc, LazyLock};

/// The years the calendar covers. Schedules are evaluated at most 60 days ahead, so this is
/// decades of margin; a date outside is treated as not a holiday.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

static CALENDAR: LazyLock<Arc<CompactCalendar>> = LazyLock::new(|| {
    let mut calendar = CompactCalendar::default();
    let jp = jpholiday::jpholiday::JPHoliday::new();
    let (first, last) = (
        NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("a date"),
        NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("a date"),
    );
    for (date, _name) in jp.between(&first, &last) {
        calendar.insert(date);
    }
    Arc::new(calendar)
});

/// Public holidays for the schedule evaluator (no school holidays: schedules here do not use
/// `SH`, and Japanese school terms differ by city).
pub fn context_holidays() -> ContextHolidays {
    ContextHolidays::new(CALENDAR.clone(), Arc::new(CompactCalendar::default()))
}

/// Whether `date` is a public holiday in Japan.
pub fn is_holiday(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) && CALENDAR.contains(date)
}

/// The holiday's name (「元日」「振替休日」「国民の休日」…), for tests and pages.
pub fn holiday_name(date: NaiveDate) -> Option<String> {
    jpholiday::jpholiday::JPHoliday::new().is_holiday_name(&date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 内閣府「国民の祝日について」: the holidays of 2026 and 2027 as the Cabinet Office lists
    /// them (syukujitsu.csv), 振替休日 and 国民の休日 included.
    const CABINET_OFFICE: &[(i32, u32, u32)] = &[
        (2026, 1, 1),   // 元日
        (2026, 1, 12),  // 成人の日
        (2026, 2, 11),  // 建国記念の日
        (2026, 2, 23),  // 天皇誕生日
        (2026, 3, 20),  // 春分の日
        (2026, 4, 29),  // 昭和の日
        (2026, 5, 3),   // 憲法記念日 (a Sunday)
        (2026, 5, 4),   // みどりの日
        (2026, 5, 5),   // こどもの日
        (2026, 5, 6),   // 休日 (振替休日 for 5/3)
        (2026, 7, 20),  // 海の日
        (2026, 8, 11),  // 山の日
        (2026, 9, 21),  // 敬老の日
        (2026, 9, 22),  // 休日 (国民の休日, between two holidays)
        (2026, 9, 23),  // 秋分の日
        (2026, 10, 12), // スポーツの日
        (2026, 11, 3),  // 文化の日
        (2026, 11, 23), // 勤労感謝の日
        (2027, 1, 1),   // 元日
        (2027, 1, 11),  // 成人の日
        (2027, 2, 11),  // 建国記念の日
        (2027, 2, 23),  // 天皇誕生日
        (2027, 3, 21),  // 春分の日 (a Sunday)
        (2027, 3, 22),  // 休日 (振替休日)
        (2027, 4, 29),  // 昭和の日
        (2027, 5, 3),   // 憲法記念日
        (2027, 5, 4),   // みどりの日
        (2027, 5, 5),   // こどもの日
        (2027, 7, 19),  // 海の日
        (2027, 8, 11),  // 山の日
        (2027, 9, 20),  // 敬老の日
        (2027, 9, 23),  // 秋分の日
        (2027, 10, 11), // スポーツの日
        (2027, 11, 3),  // 文化の日
        (2027, 11, 23), // 勤労感謝の日
    ];

    #[test]
    fn every_holiday_of_2026_and_2027_is_the_cabinet_offices_and_no_other_day_is() {
        let listed: Vec<NaiveDate> = CABINET_OFFICE
            .iter()
            .map(|&(y, m, day)| d(y, m, day))
            .collect();
        let mut day = d(2026, 1, 1);
        while day <= d(2027, 12, 31) {
            assert_eq!(
                is_holiday(day),
                listed.contains(&day),
                "{day} ({:?})",
                holiday_name(day)
            );
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn substitute_and_sandwiched_holidays_are_named() {
        assert!(holiday_name(d(2026, 5, 6)).unwrap().contains("振替休日"));
        assert_eq!(holiday_name(d(2026, 9, 22)).as_deref(), Some("国民の休日"));
        assert!(holiday_name(d(2027, 3, 22)).unwrap().contains("振替休日"));
    }
}
