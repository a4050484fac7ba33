//! Schedules in the index. Each distinct schedule text is parsed once and shared by every
//! place that has it: real cities reuse a few dozen patterns (「毎週火曜 10時〜12時」), and
//! the synthetic national data has about 130 across 150,000 places. So an `open_at` query
//! evaluates each distinct schedule once, not each place, and the next session is computed
//! once per schedule and kept until the moment it changes.
//!
//! Texts are added, never removed: a schedule no place uses any more stays until restart,
//! which bounds the table by the distinct schedules written since start-up. Because an id's
//! text never changes and the holiday calendar is fixed, which schedules are open in a window
//! never changes either: the answers for the last few windows asked (今日, 火曜の午前 …) are
//! kept, and a new schedule only adds its own evaluation to them.

use crate::domain::schedule::{self, Lang, OpenWindow, Schedule};
use bytes::Bytes;
use chrono::NaiveDateTime;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// A schedule's number in the table.
pub type ScheduleId = u32;

/// How many `open_at` windows keep their answer.
const REMEMBERED_WINDOWS: usize = 32;

#[derive(Default)]
pub struct ScheduleTable {
    by_text: HashMap<Box<str>, ScheduleId>,
    compiled: Vec<Compiled>,
    /// The latest windows asked for, most recent last, with which schedules are open in each.
    open: Mutex<Vec<(OpenWindow, Arc<Vec<bool>>)>>,
}

struct Compiled {
    /// `None` when a stored text does not parse (written before schedules were checked):
    /// such a place is never claimed open, and its text is shown as written.
    schedule: Option<Schedule>,
    /// How it reads in each language (its text as written when it does not parse).
    words: [Box<str>; 2],
    /// `"schedule_text":"…",` in each language, ready to splice into a feature.
    text: [Bytes; 2],
    /// `"next_open":…,"open_until":…,` as computed at some moment, and until when it holds.
    next: Mutex<Option<NextCache>>,
}

struct NextCache {
    computed_at: NaiveDateTime,
    valid_until: NaiveDateTime,
    bytes: Bytes,
}

/// What a place without a schedule carries.
pub const NO_SCHEDULE: &[u8] = br#""schedule_text":null,"next_open":null,"open_until":null,"#;

impl ScheduleTable {
    /// The id of `text`, parsing it the first time it is seen.
    pub fn intern(&mut self, text: &str) -> ScheduleId {
        if let Some(&id) = self.by_text.get(text) {
            return id;
        }
        let schedule = match Schedule::parse(text) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!(reason = %e, "a stored schedule does not parse; it is shown as written and never counted open");
                None
            }
        };
        let words = [Lang::Ja, Lang::En].map(|lang| {
            schedule
                .as_ref()
                .map_or_else(|| text.to_owned(), |s| s.text(lang))
                .into_boxed_str()
        });
        let fragments = words.each_ref().map(|w| {
            Bytes::from(format!(
                "\"schedule_text\":{},",
                serde_json::to_string(w).expect("a string serialises")
            ))
        });
        let compiled = Compiled {
            words,
            text: fragments,
            schedule,
            next: Mutex::new(None),
        };
        let id = ScheduleId::try_from(self.compiled.len()).expect("fewer than 4 billion schedules");
        self.compiled.push(compiled);
        self.by_text.insert(text.into(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.compiled.len()
    }

    /// How schedule `id` reads in `lang` (its text as written when it does not parse), for
    /// text search.
    pub fn words(&self, id: ScheduleId, lang: Lang) -> &str {
        &self.compiled[id as usize].words[lang_slot(lang)]
    }

    /// Which schedules are open in `window`, by id: each distinct schedule evaluated once,
    /// and once only for a window asked for again.
    pub fn open_in(&self, window: &OpenWindow) -> Arc<Vec<bool>> {
        let known = {
            let mut remembered = self.open.lock();
            match remembered.iter().position(|(w, _)| w == window) {
                Some(i) => {
                    let hit = remembered.remove(i);
                    let answer = hit.1.clone();
                    remembered.push(hit);
                    if answer.len() == self.compiled.len() {
                        return answer;
                    }
                    Some(answer)
                }
                None => None,
            }
        };
        // Evaluated outside the lock: other windows are served meanwhile.
        let mut open: Vec<bool> = known.map_or_else(Vec::new, |a| a.as_ref().clone());
        open.extend(
            self.compiled[open.len()..]
                .iter()
                .map(|c| c.schedule.as_ref().is_some_and(|s| window.admits(s))),
        );
        let open = Arc::new(open);
        let mut remembered = self.open.lock();
        remembered.retain(|(w, _)| w != window);
        if remembered.len() == REMEMBERED_WINDOWS {
            remembered.remove(0);
        }
        remembered.push((*window, open.clone()));
        open
    }

    /// The rendered text of a schedule.
    pub fn text(&self, id: ScheduleId, lang: Lang) -> Bytes {
        self.compiled[id as usize].text[lang_slot(lang)].clone()
    }

    /// `"next_open":…,"open_until":…,` as of `now`, computed once per schedule and change.
    pub fn next(&self, id: ScheduleId, now: NaiveDateTime) -> Bytes {
        let compiled = &self.compiled[id as usize];
        let mut cached = compiled.next.lock();
        if let Some(c) = cached.as_ref()
            && (c.computed_at..c.valid_until).contains(&now)
        {
            return c.bytes.clone();
        }
        let (valid_until, bytes) = match &compiled.schedule {
            None => (
                now + chrono::Duration::days(1),
                Bytes::from_static(br#""next_open":null,"open_until":null,"#),
            ),
            Some(s) => {
                let n = s.next_session(now);
                let moment = |t: Option<NaiveDateTime>| {
                    t.map_or_else(
                        || "null".to_owned(),
                        |t| format!("\"{}\"", schedule::format_jst(t)),
                    )
                };
                (
                    n.valid_until,
                    Bytes::from(format!(
                        "\"next_open\":{},\"open_until\":{},",
                        moment(n.next_start),
                        moment(n.open_until)
                    )),
                )
            }
        };
        *cached = Some(NextCache {
            computed_at: now,
            valid_until,
            bytes: bytes.clone(),
        });
        bytes
    }
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Ja => 0,
        Lang::En => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn each_text_is_parsed_once_and_the_next_session_is_kept_until_it_changes() {
        let mut table = ScheduleTable::default();
        let a = table.intern("Tu 10:00-12:00");
        assert_eq!(table.intern("Tu 10:00-12:00"), a);
        let b = table.intern("not a schedule");
        assert_eq!(table.len(), 2);
        assert_eq!(
            table.text(a, Lang::Ja),
            Bytes::from_static("\"schedule_text\":\"毎週火曜 10:00〜12:00\",".as_bytes())
        );
        assert_eq!(
            table.text(b, Lang::En),
            Bytes::from_static(br#""schedule_text":"not a schedule","#)
        );
        let before = table.next(a, at("2026-12-01 09:00"));
        assert_eq!(
            before,
            Bytes::from_static(br#""next_open":"2026-12-01T10:00:00+09:00","open_until":null,"#)
        );
        // Still valid a minute before it starts; recomputed once it has started.
        assert_eq!(table.next(a, at("2026-12-01 09:59")), before);
        assert_eq!(
            table.next(a, at("2026-12-01 10:30")),
            Bytes::from_static(
                br#""next_open":"2026-12-08T10:00:00+09:00","open_until":"2026-12-01T12:00:00+09:00","#
            )
        );
        let window = OpenWindow {
            from: at("2026-12-01 11:00"),
            to: None,
        };
        assert_eq!(*table.open_in(&window), vec![true, false]);
        // Remembered, and extended by a schedule added later.
        let c = table.intern("Tu 11:00-13:00");
        assert_eq!(c, 2);
        assert_eq!(*table.open_in(&window), vec![true, false, true]);
        let later = OpenWindow {
            from: at("2026-12-01 12:30"),
            to: None,
        };
        assert_eq!(*table.open_in(&later), vec![false, false, true]);
        assert_eq!(*table.open_in(&window), vec![true, false, true]);
    }
}
