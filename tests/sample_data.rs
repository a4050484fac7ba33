//! The sample Nabari data is fiction placed on real ground: every address names a town of
//! `data/nabari-towns.csv`, every point lies near that town's point, every area is the town's
//! area, and the counts other tests rely on hold (95 published, 3 drafts, 2 archived).

mod common;

use common::haversine_m;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use tsunagari::domain::Reference;
use tsunagari::sample::SAMPLE_GEOJSON;

/// How far a sample point may lie from its town's representative point. The generator
/// (`scripts/place_sample.py`) puts them 40–280 m away.
const MAX_FROM_TOWN_M: f64 = 500.0;

fn features() -> Vec<Value> {
    let v: Value = serde_json::from_str(SAMPLE_GEOJSON).expect("sample GeoJSON");
    v["features"].as_array().expect("features").clone()
}

fn text<'a>(f: &'a Value, key: &str) -> &'a str {
    f["properties"][key].as_str().unwrap_or("")
}

#[test]
fn every_address_names_a_real_town_and_the_point_lies_near_it() {
    let reference = Reference::builtin();
    let mut far = Vec::new();
    for f in features() {
        let name = text(&f, "name");
        let address = text(&f, "address");
        let town = reference
            .town_of_address(address, "三重県名張市")
            .unwrap_or_else(|| panic!("{name}: {address:?} names no town of Nabari"));
        let c = &f["geometry"]["coordinates"];
        let point = [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()];
        // A town listed with several 小字 has several points: the nearest counts.
        let d = reference
            .towns()
            .iter()
            .filter(|t| t.name == town.name)
            .map(|t| haversine_m(point, [t.point.lon(), t.point.lat()]))
            .fold(f64::INFINITY, f64::min);
        if d > MAX_FROM_TOWN_M {
            far.push(format!("{name}: {d:.0} m from {}", town.name));
        }
    }
    assert!(far.is_empty(), "points far from their towns: {far:#?}");
}

#[test]
fn every_area_is_the_area_of_the_town_the_address_names() {
    let reference = Reference::builtin();
    let town_areas: HashMap<&str, &str> = include_str!("../data/nabari-town-areas.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .collect();
    let towns: HashSet<&str> = reference.towns().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        town_areas.keys().copied().collect::<HashSet<_>>(),
        towns,
        "nabari-town-areas.csv lists every town once"
    );
    for area in town_areas.values() {
        assert!(reference.area_index(area).is_some(), "unknown area {area}");
    }
    for f in features() {
        let town = reference
            .town_of_address(text(&f, "address"), "三重県名張市")
            .expect("a town");
        assert_eq!(
            text(&f, "area"),
            town_areas[town.name.as_str()],
            "{}",
            text(&f, "name")
        );
    }
}

#[test]
fn the_sample_is_clearly_fictional_and_keeps_the_counts_tests_rely_on() {
    let features = features();
    assert_eq!(features.len(), 100);
    let mut by_status: HashMap<&str, usize> = HashMap::new();
    for f in &features {
        *by_status.entry(text(f, "status")).or_default() += 1;
        assert_eq!(f["properties"]["sample"], true);
        let phone = text(f, "phone");
        assert!(
            phone.is_empty() || (phone.starts_with("0595-00-0") && phone.len() == 12),
            "{phone}"
        );
        let email = text(f, "email");
        assert!(
            email.is_empty() || email.ends_with("@example.org"),
            "{email}"
        );
        let url = text(f, "url");
        assert!(
            url.is_empty() || url.starts_with("https://example.org/"),
            "{url}"
        );
    }
    assert_eq!(
        by_status,
        HashMap::from([("published", 95), ("draft", 3), ("archived", 2)])
    );
    let names: Vec<&str> = features.iter().map(|f| text(f, "name")).collect();
    for wanted in ["本町サロン ひだまり", "丸之内 火曜サロン"] {
        assert!(
            names.contains(&wanted),
            "{wanted} is used by the browser tests"
        );
    }
}

#[test]
fn one_machi_no_hokenshitsu_per_area_open_on_weekdays_except_holidays_and_new_year() {
    let reference = Reference::builtin();
    let hokenshitsu: Vec<Value> = features()
        .into_iter()
        .filter(|f| text(f, "category") == "machi_hokenshitsu")
        .collect();
    let areas: HashSet<&str> = hokenshitsu.iter().map(|f| text(f, "area")).collect();
    assert_eq!(hokenshitsu.len(), reference.areas().len());
    assert_eq!(areas.len(), reference.areas().len(), "one in each area");
    for f in &hokenshitsu {
        assert_eq!(
            text(f, "schedule"),
            "Mo-Fr 09:00-16:30; PH off; Dec 29-Jan 03 off"
        );
        assert_eq!(text(f, "status"), "published");
    }
}

#[test]
fn schedules_use_several_opening_hours_patterns() {
    let schedules: Vec<String> = features()
        .iter()
        .map(|f| text(f, "schedule").to_owned())
        .collect();
    // Weekly, nth and last weekdays, several days, two ranges a day, Japanese holidays off,
    // the year end off, a month off, and comments.
    for pattern in [
        "Tu 1",
        "[2,4]",
        "[-1]",
        "Mo,We,Fr",
        "Mo-Fr",
        ",13:",
        "PH off",
        "Dec 29-Jan 03 off",
        "Dec off",
        "\"予約制\"",
    ] {
        assert!(
            schedules.iter().any(|s| s.contains(pattern)),
            "no schedule uses {pattern}"
        );
    }
    // Every one is read by the evaluator, and every one has a reading in Japanese (none falls
    // back to the OSM text).
    for s in schedules.iter().filter(|s| !s.is_empty()) {
        let schedule =
            tsunagari::domain::schedule::Schedule::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        let ja = schedule.text(tsunagari::domain::schedule::Lang::Ja);
        assert_ne!(ja, *s, "{s} has a Japanese reading");
    }
}
