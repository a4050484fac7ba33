//! Schedules as residents, link workers and staff meet them: `open_at` keeps the places open
//! then (Japanese holidays included), every place says when it next meets and reads its
//! schedule out in the answer's language, and staff write schedules as they say them.

mod common;

use chrono::NaiveDateTime;
use common::TestServer;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tsunagari::domain::Role;
use tsunagari::domain::schedule::{Lang, OpenWindow, Schedule};

const ITEMS: &str = "/api/collections/places/items";

/// Every published place, in one answer.
async fn all(s: &TestServer, extra: &str) -> Vec<Value> {
    let a = s.get(&format!("{ITEMS}?limit=10000{extra}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.matched() as usize, a.features().len());
    a.features().clone()
}

fn names(features: &[Value]) -> BTreeSet<String> {
    features
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The places a brute-force evaluation of each place's own schedule says are open.
fn expected_open(features: &[Value], window: &str) -> BTreeSet<String> {
    let window = OpenWindow::parse(window).unwrap();
    features
        .iter()
        .filter(|f| {
            f["properties"]["schedule"]
                .as_str()
                .and_then(|s| Schedule::parse(s).ok())
                .is_some_and(|s| window.admits(&s))
        })
        .map(|f| f["properties"]["name"].as_str().unwrap().to_owned())
        .collect()
}

const HEALTH_ROOM: &str = "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off";

fn with_schedule(features: &[Value], schedule: &str) -> BTreeSet<String> {
    features
        .iter()
        .filter(|f| f["properties"]["schedule"] == schedule)
        .map(|f| f["properties"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn open_at_keeps_exactly_the_places_open_then_holidays_included() {
    let s = TestServer::start().await;
    let everything = all(&s, "").await;
    let rooms = with_schedule(&everything, HEALTH_ROOM);
    assert!(rooms.len() >= 10, "the sample has まちの保健室: {rooms:?}");
    // (moment, whether the まちの保健室 are open then)
    let moments = [
        ("2026-12-01T10:30:00+09:00", Some(true)),   // a Tuesday
        ("2026-12-01T01:30:00Z", Some(true)),        // the same moment in UTC
        ("2026-12-01T10:30", Some(true)),            // no offset: Japan time
        ("2026-11-23T10:00:00+09:00", Some(false)),  // 勤労感謝の日, a Monday
        ("2026-09-22T10:00:00+09:00", Some(false)),  // 国民の休日, a Tuesday
        ("2026-05-06T10:00:00+09:00", Some(false)),  // 振替休日, a Wednesday
        ("2026-12-29T10:00:00+09:00", Some(false)),  // 年末
        ("2027-01-04T10:00:00+09:00", Some(true)),   // first working day
        ("2026-12-05T10:00:00+09:00", Some(false)),  // a Saturday
        ("2026-12-09T13:45:00+09:00", None),         // 2nd Wednesday afternoon
        ("2026-12-01", None),                        // any time that Tuesday
        ("2026-12-01T06:00/2026-12-01T12:00", None), // Tuesday morning
        ("2026-12-07/2026-12-13", None),             // a whole week
    ];
    for (moment, rooms_open) in moments {
        let param = moment.replace('+', "%2B");
        let got = names(&all(&s, &format!("&open_at={param}")).await);
        let expected = expected_open(&everything, moment);
        assert_eq!(got, expected, "open_at={moment}");
        match rooms_open {
            Some(true) => assert!(rooms.is_subset(&got), "{moment}: 保健室 open"),
            Some(false) => assert!(got.is_disjoint(&rooms), "{moment}: 保健室 closed"),
            None => assert!(!got.is_empty(), "{moment} finds places"),
        }
    }
    // Places without a schedule are never counted open, not even over a whole week.
    let week = names(&all(&s, "&open_at=2026-12-07/2026-12-13").await);
    for f in &everything {
        if f["properties"]["schedule"].is_null() {
            let name = f["properties"]["name"].as_str().unwrap();
            assert!(!week.contains(name), "{name} has no schedule");
        }
    }
    assert!(
        everything
            .iter()
            .any(|f| f["properties"]["schedule"].is_null())
    );
}

#[tokio::test]
async fn open_at_combines_with_other_filters_and_stays_in_next_links() {
    let s = TestServer::start().await;
    let near = "&near=136.0959,34.6217&radius=3000";
    let base = all(&s, near).await;
    let moment = "2026-12-01T06:00/2026-12-01T18:00";
    let got = all(&s, &format!("{near}&open_at={moment}")).await;
    assert_eq!(names(&got), expected_open(&base, moment));
    let distances: Vec<f64> = got
        .iter()
        .map(|f| f["properties"]["distance_m"].as_f64().unwrap())
        .collect();
    assert!(
        distances.windows(2).all(|w| w[0] <= w[1]),
        "still nearest first"
    );
    let a = s
        .get(&format!(
            "{ITEMS}?limit=1&category=machi_hokenshitsu&open_at={moment}"
        ))
        .await;
    assert!(a.matched() > 1);
    let next = a.link("next").expect("a next page");
    assert!(
        next.contains("open_at=2026-12-01T06%3A00%2F2026-12-01T18%3A00"),
        "{next}"
    );
}

#[tokio::test]
async fn every_place_says_when_it_next_meets_and_reads_its_schedule_out() {
    let s = TestServer::start().await;
    let now = tsunagari::domain::schedule::jst_now();
    for f in all(&s, "").await {
        let p = &f["properties"];
        let Some(osm) = p["schedule"].as_str() else {
            assert!(
                p["schedule_text"].is_null() && p["next_open"].is_null(),
                "{p}"
            );
            continue;
        };
        let schedule = Schedule::parse(osm).unwrap();
        assert_eq!(p["schedule_text"], schedule.text(Lang::Ja), "{osm}");
        let Some(next) = p["next_open"].as_str() else {
            continue;
        };
        assert!(next.ends_with("+09:00"), "{next}");
        let start = NaiveDateTime::parse_from_str(&next[..19], "%Y-%m-%dT%H:%M:%S").unwrap();
        assert!(
            start > now && start < now + chrono::Duration::days(61),
            "{osm}: {next}"
        );
        // Open at that moment, and not in the minute before (it is a start).
        assert!(schedule.is_open(start), "{osm} at {next}");
        assert!(
            !schedule.is_open(start - chrono::Duration::minutes(1)),
            "{osm} at {next}"
        );
        // The API agrees: the place is in the answer for open_at=next_open.
        let name = p["name"].as_str().unwrap();
        let open = names(&all(&s, &format!("&open_at={}", next.replace('+', "%2B"))).await);
        assert!(open.contains(name), "{name} open at its next_open {next}");
    }
}

#[tokio::test]
async fn the_language_of_schedule_texts_follows_lang_then_accept_language() {
    let s = TestServer::start().await;
    let office = with_schedule(&all(&s, "").await, HEALTH_ROOM);
    assert!(!office.is_empty());
    let id = s
        .get(&format!("{ITEMS}?category=machi_hokenshitsu&limit=1"))
        .await
        .features()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ja = "月〜金曜 9:00〜16:30（祝日、12月29日〜1月3日は休み）";
    let en = "Monday–Friday 9:00–16:30 (closed public holidays, Dec 29–Jan 3)";
    let text_of = |a: &common::Answer| a.body["properties"]["schedule_text"].clone();
    let item = format!("{ITEMS}/{id}");
    assert_eq!(text_of(&s.get(&item).await), ja);
    assert_eq!(text_of(&s.get(&format!("{item}?lang=en")).await), en);
    let with_header = |value: &'static str| {
        let url = s.url(&item);
        let client = reqwest::Client::new();
        async move {
            let r = client
                .get(url)
                .header("accept-language", value)
                .send()
                .await
                .unwrap();
            common::answer_of(r).await
        }
    };
    assert_eq!(text_of(&with_header("en-US,en;q=0.9").await), en);
    assert_eq!(text_of(&with_header("ja;q=0.5, en;q=0.8").await), en);
    assert_eq!(text_of(&with_header("fr, ja;q=0.3, en;q=0.1").await), ja);
    assert_eq!(text_of(&with_header("de").await), ja, "Japanese by default");
    // The items route too, and lang wins over the header.
    let a = s
        .get(&format!(
            "{ITEMS}?category=machi_hokenshitsu&limit=1&lang=en"
        ))
        .await;
    assert_eq!(a.features()[0]["properties"]["schedule_text"], en);
    let a = s.get(&format!("{ITEMS}?lang=fr")).await;
    assert_eq!(a.assert_problem(400)["parameter"], "lang");
    s.get(&format!("{item}?lang=fr")).await.assert_problem(400);
}

#[tokio::test]
async fn malformed_open_at_answers_400_naming_it() {
    let s = TestServer::start().await;
    for bad in [
        "tomorrow",
        "2026-13-01",
        "2026-12-01T25:00",
        "2026-12-02/2026-12-01",
        "2026-12-01/..",
        "2026-01-01/2026-12-31",
        "12/1",
    ] {
        let a = s
            .get(&format!("{ITEMS}?open_at={}", bad.replace('/', "%2F")))
            .await;
        let problem = a.assert_problem(400);
        assert_eq!(problem["parameter"], "open_at", "{bad}: {problem}");
    }
}

#[tokio::test]
async fn staff_write_schedules_as_they_say_them_and_see_the_reading_first() {
    let s = TestServer::start().await;
    let staff = s.session_as(Role::Staff).await;
    let interpret = |text: &str| {
        staff
            .request(Method::POST, "/api/schedules/interpret")
            .json(&json!({ "text": text }))
    };
    let a = staff.send(interpret("第2・第4水曜日 13:30-15:30")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["schedule"], "We[2,4] 13:30-15:30");
    assert_eq!(a.body["text_ja"], "第2・第4水曜 13:30〜15:30");
    assert_eq!(a.body["text_en"], "2nd and 4th Wednesday 13:30–15:30");
    let upcoming = a.body["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 3, "{upcoming:?}");
    let a = staff.send(interpret("毎週火曜 ほげ")).await;
    let problem = a.assert_problem(422);
    assert!(problem.to_string().contains("ほげ"), "{problem}");

    let feature = |schedule: &str| {
        json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [136.1009, 34.6197]},
            "properties": {"name": "火曜のお茶会", "category": "salon", "schedule": schedule,
                           "status": "published"}
        })
    };
    let a = staff
        .write(
            Method::POST,
            ITEMS,
            None,
            Some(feature("毎週火曜 午後1時半〜3時 祝日は休み")),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["properties"]["schedule"], "Tu 13:30-15:00; PH off");
    assert_eq!(
        a.body["properties"]["schedule_text"],
        "毎週火曜 13:30〜15:00（祝日は休み）"
    );
    let a = staff
        .write(
            Method::POST,
            ITEMS,
            None,
            Some(feature("第6火曜 10時〜12時")),
        )
        .await;
    let problem = a.assert_problem(422);
    assert!(problem.to_string().contains("schedule"), "{problem}");
    // The new place is found by open_at at once.
    let open = names(&all(&s, "&open_at=2026-12-01T14:00:00%2B09:00").await);
    assert!(open.contains("火曜のお茶会"));
    let holiday = names(&all(&s, "&open_at=2026-11-24T14:00:00%2B09:00").await);
    assert!(
        holiday.contains("火曜のお茶会"),
        "2026-11-24 is a plain Tuesday"
    );
    let holiday = names(&all(&s, "&open_at=2026-09-22T14:00:00%2B09:00").await);
    assert!(
        !holiday.contains("火曜のお茶会"),
        "2026-09-22 is 国民の休日"
    );
}
