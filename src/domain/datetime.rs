//! The OGC `datetime` parameter: an instant or an interval, applied to a place's `updated_at`.
//!
//! Accepted, as OGC API – Features Part 1 and the clients in use send them:
//! - an instant: `2020-01-01T00:00:00Z` (exactly then) or a date `2020-01-01` (that whole day,
//!   UTC);
//! - an interval `start/end`, either end a date, a date-time, or open (`..` or empty):
//!   `2020-01-01/..`, `../2026-01-01`, `2020-01-01T00:00:00Z/2020-12-31T23:59:59Z`. A date as
//!   the end means the end of that day. Both ends are inclusive.
//! - GDAL 3.6 turns `-where "updated_at >= '2020-01-01'"` into `2020-01-01T/..`: a date
//!   followed by a bare `T` is read as that date.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

/// An inclusive range of instants, as nanoseconds since 1970 (UTC). Instants outside what
/// 64 bits hold (before 1677 or after 2262) are clamped to the ends, which no `updated_at`
/// reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    start: i64,
    end: i64,
}

impl TimeRange {
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let (start, end) = match value.split_once('/') {
            None => {
                let (start, end) = bound(value, Side::Instant)?
                    .ok_or_else(|| "an instant cannot be open (`..`)".to_owned())?;
                (start, end)
            }
            Some((a, b)) => {
                if b.contains('/') {
                    return Err(format!("{value:?} has more than one `/`"));
                }
                let start = bound(a, Side::Start)?.map_or(i64::MIN, |(s, _)| s);
                let end = bound(b, Side::End)?.map_or(i64::MAX, |(_, e)| e);
                (start, end)
            }
        };
        if start > end {
            return Err(format!("{value:?} ends before it starts"));
        }
        Ok(Self { start, end })
    }

    pub fn contains(&self, nanos: i64) -> bool {
        (self.start..=self.end).contains(&nanos)
    }
}

#[derive(Clone, Copy)]
enum Side {
    Instant,
    Start,
    End,
}

/// One end of an interval as (first, last) nanosecond it stands for; `None` when open.
fn bound(text: &str, side: Side) -> Result<Option<(i64, i64)>, String> {
    let text = text.trim();
    if matches!(side, Side::Start | Side::End) && (text.is_empty() || text == "..") {
        return Ok(None);
    }
    // GDAL's `2020-01-01T`: a date with a dangling time separator.
    let date_text = text.strip_suffix(['T', 't']).unwrap_or(text);
    if let Ok(date) = Date::parse(date_text, format_description!("[year]-[month]-[day]")) {
        let first = date.with_time(Time::MIDNIGHT).assume_utc();
        let last = date
            .with_hms_nano(23, 59, 59, 999_999_999)
            .expect("a valid time")
            .assume_utc();
        return Ok(Some((nanos(first), nanos(last))));
    }
    match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(t) => Ok(Some((nanos(t), nanos(t)))),
        Err(_) => Err(format!(
            "{text:?} is not a date (2020-01-01), an RFC 3339 date-time \
             (2020-01-01T00:00:00Z) or `..`"
        )),
    }
}

/// Nanoseconds since 1970, clamped to what an `i64` holds.
pub fn nanos(t: OffsetDateTime) -> i64 {
    let n = t.unix_timestamp_nanos();
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// The instant `nanos` stands for, in RFC 3339.
pub fn format_nanos(nanos: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
        .expect("an i64 of nanoseconds is a valid instant")
        .format(&Rfc3339)
        .expect("formats")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(t: OffsetDateTime) -> i64 {
        nanos(t)
    }

    #[test]
    fn instants_dates_and_intervals() {
        let r = TimeRange::parse("2020-01-01T00:00:00Z").unwrap();
        assert!(r.contains(at(datetime!(2020-01-01 0:00 UTC))));
        assert!(!r.contains(at(datetime!(2020-01-01 0:00:01 UTC))));

        let day = TimeRange::parse("2020-01-01").unwrap();
        assert!(day.contains(at(datetime!(2020-01-01 23:59:59 UTC))));
        assert!(!day.contains(at(datetime!(2020-01-02 0:00 UTC))));

        let from = TimeRange::parse("2020-01-01/..").unwrap();
        assert!(from.contains(at(datetime!(2030-01-01 0:00 UTC))));
        assert!(!from.contains(at(datetime!(2019-12-31 23:59:59 UTC))));

        let until = TimeRange::parse("../2026-01-01").unwrap();
        assert!(until.contains(at(datetime!(2026-01-01 12:00 UTC))));
        assert!(!until.contains(at(datetime!(2026-01-02 0:00 UTC))));

        let open_start = TimeRange::parse("/2026-01-01T00:00:00+09:00").unwrap();
        assert!(!open_start.contains(at(datetime!(2026-01-01 0:00 UTC))));
        assert!(open_start.contains(at(datetime!(2025-12-31 15:00 UTC))));
    }

    #[test]
    fn what_gdal_and_qgis_send() {
        let gdal = TimeRange::parse("2020-01-01T/..").unwrap();
        assert_eq!(gdal, TimeRange::parse("2020-01-01/..").unwrap());
        let qgis = TimeRange::parse("2020-01-01/9999-12-31T00:00:00Z").unwrap();
        assert!(qgis.contains(at(datetime!(2026-11-25 0:00 UTC))));
        assert!(!qgis.contains(at(datetime!(2019-06-01 0:00 UTC))));
    }

    #[test]
    fn malformed_values_are_refused() {
        for bad in [
            "",
            "..",
            "yesterday",
            "2020-13-01",
            "2020-01-01T25:00:00Z",
            "2020-01-01T00:00:00",
            "2021-01-01/2020-01-01",
            "2020-01-01/2021-01-01/2022-01-01",
        ] {
            assert!(TimeRange::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
