//! The search corpus: real-looking queries (`tests/search_corpus/queries.tsv`) with the places
//! each must find and must not find, asked of the real server — the sample Nabari data plus
//! the places of `tests/search_corpus/places.geojson`, added through the API by staff. Each
//! line names the rule it checks (width and kana, small kana, long vowels, punctuation,
//! ケ/が and 之/の between kanji, spelling variants, category and area names, readings,
//! several words, statuses, ranking, filters with `near`, `bbox`, `category`, `area`).

mod common;

use common::{TestServer, coords, haversine_m};
use reqwest::Method;
use serde_json::Value;
use tsunagari::domain::Role;

const ITEMS: &str = "/api/collections/places/items";

struct Case {
    line: usize,
    rule: String,
    q: String,
    params: Option<String>,
    find: Option<Vec<String>>,
    not_find: Vec<String>,
    first: Option<String>,
    matched: Vec<String>,
}

fn cases() -> Vec<Case> {
    let names = |c: &str| -> Vec<String> {
        match c {
            "-" => vec![],
            c => c.split('|').map(str::to_owned).collect(),
        }
    };
    include_str!("search_corpus/queries.tsv")
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 7, "line {}: 7 tab-separated columns", i + 1);
            Case {
                line: i + 1,
                rule: c[0].to_owned(),
                q: c[1].to_owned(),
                params: (c[2] != "-").then(|| c[2].to_owned()),
                find: (c[3] != "NONE").then(|| names(c[3])),
                not_find: names(c[4]),
                first: (c[5] != "-").then(|| c[5].to_owned()),
                matched: names(c[6]),
            }
        })
        .collect()
}

/// The sample server, with the corpus's own places added by staff through the API.
async fn server() -> TestServer {
    add_corpus_places(TestServer::start().await).await
}

async fn add_corpus_places(s: TestServer) -> TestServer {
    let staff = s.session_as(Role::Staff).await;
    let places: Value =
        serde_json::from_str(include_str!("search_corpus/places.geojson")).expect("GeoJSON");
    for feature in places["features"].as_array().unwrap() {
        let a = staff
            .write(Method::POST, ITEMS, None, Some(feature.clone()))
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
    }
    s
}

/// Lines whose rule starts so need readings from a dictionary: the server without one skips
/// them; the server with one asks every line, so readings break none of the others.
const DICTIONARY_RULE: &str = "dict-";

#[tokio::test]
async fn every_query_of_the_corpus_finds_what_it_must_and_nothing_it_must_not() {
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| !c.rule.starts_with(DICTIONARY_RULE))
        .collect();
    assert!(cases.len() >= 60, "at least 60 queries: {}", cases.len());
    ask_corpus(&server().await, &cases).await;
}

#[tokio::test]
async fn with_readings_from_a_dictionary_every_query_of_the_corpus_holds() {
    let Some(readings) = common::dictionary("search by readings (the corpus's dict- lines)") else {
        return;
    };
    let cases = cases();
    let dictionary_cases = cases
        .iter()
        .filter(|c| c.rule.starts_with(DICTIONARY_RULE))
        .count();
    assert!(dictionary_cases >= 8, "{dictionary_cases} dict- lines");
    let s = add_corpus_places(TestServer::start_with_readings(readings).await).await;
    ask_corpus(&s, &cases).await;
}

async fn ask_corpus(s: &TestServer, cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let mut url = reqwest::Url::parse(&s.url(ITEMS)).unwrap();
        url.query_pairs_mut().append_pair("q", &c.q);
        if !c.params.as_deref().is_some_and(|p| p.contains("limit=")) {
            url.query_pairs_mut().append_pair("limit", "1000");
        }
        let mut url = url.to_string();
        if let Some(p) = &c.params {
            url = format!("{url}&{p}");
        }
        let a = s.get_url(&url).await;
        assert_eq!(a.status, 200, "line {} {:?}: {}", c.line, c.q, a.body);
        let names = a.names();
        let mut fail =
            |why: String| failures.push(format!("line {} [{}] {:?}: {why}", c.line, c.rule, c.q));
        match &c.find {
            None if a.matched() != 0 => fail(format!("expected nothing, got {names:?}")),
            None => {}
            Some(find) => {
                for name in find {
                    if !names.contains(name) {
                        fail(format!("did not find {name:?} among {names:?}"));
                    }
                }
            }
        }
        for name in &c.not_find {
            if names.contains(name) {
                fail(format!("found {name:?}, which it must not"));
            }
        }
        if let Some(first) = &c.first
            && names.first() != Some(first)
        {
            fail(format!("first was {:?}, not {first:?}", names.first()));
        }
        for f in a.features() {
            let m = &f["properties"]["matched"];
            if m.as_array().is_none_or(|m| m.is_empty()) {
                fail(format!(
                    "{} has no properties.matched: {m}",
                    f["properties"]["name"]
                ));
            }
        }
        if let Some(first_find) = c.find.as_ref().and_then(|f| f.first())
            && let Some(f) = a
                .features()
                .iter()
                .find(|f| f["properties"]["name"] == first_find.as_str())
        {
            let matched: Vec<&str> = f["properties"]["matched"]
                .as_array()
                .map(|m| m.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for field in &c.matched {
                if !matched.contains(&field.as_str()) {
                    fail(format!(
                        "{first_find:?} matched {matched:?}, which lacks {field:?}"
                    ));
                }
            }
        }
        if c.params.as_deref().is_some_and(|p| p.contains("near=")) {
            let d: Vec<f64> = a
                .features()
                .iter()
                .map(|f| f["properties"]["distance_m"].as_f64().expect("distance_m"))
                .collect();
            if d.windows(2).any(|w| w[0] > w[1]) {
                fail(format!("near results are not in distance order: {d:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_near_search_that_matches_nothing_answers_at_once_and_empty() {
    // The planner computes distances for the text's candidates (none here) instead of walking
    // outwards past every place; the answer is the same empty page as any other filter's.
    let s = server().await;
    for q in ["zzzz", "存在しない場所"] {
        let a = s
            .get(&format!("{ITEMS}?q={q}&near=136.1009,34.6197&limit=20"))
            .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.matched(), 0);
        assert!(a.features().is_empty());
        assert!(a.link("next").is_none());
    }
    // With a word that few places hold, near orders them all by distance, exactly.
    let centre = [136.1009, 34.6197];
    let a = s
        .get(&format!(
            "{ITEMS}?q=体操&near={},{}&limit=1000",
            centre[0], centre[1]
        ))
        .await;
    let d: Vec<f64> = a
        .features()
        .iter()
        .map(|f| haversine_m(centre, coords(f)))
        .collect();
    assert!(
        d.len() > 10 && d.windows(2).all(|w| w[0] <= w[1] + 0.05),
        "{d:?}"
    );
}

#[tokio::test]
async fn suggestions_are_names_of_published_places_best_first() {
    let s = server().await;
    let suggest = |q: &str| {
        let mut url = reqwest::Url::parse(&s.url("/api/suggest")).unwrap();
        url.query_pairs_mut().append_pair("q", q);
        url.to_string()
    };
    let names = |a: &common::Answer| -> Vec<String> {
        a.body["suggestions"]
            .as_array()
            .expect("suggestions")
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    // A name prefix first, then names holding it, then readings.
    let a = s.get_url(&suggest("ききょう")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["access-control-allow-origin"], "*");
    let n = names(&a);
    assert_eq!(
        n.first().map(String::as_str),
        Some("ききょう子ども食堂"),
        "{n:?}"
    );
    assert!(n.len() <= 8, "8 by default: {n:?}");
    // Spelling variants, width and ケ/が, as in a search.
    for (q, expected) in [
        ("子供食堂", "子供食堂 もぐもぐ"),
        ("ｹｱﾏﾈ", "ケアマネージャー相談室"),
        ("桔梗ケ丘一", "桔梗が丘一番町 いきいき百歳体操"),
        ("サロン", "本町サロン ひだまり"),
    ] {
        let n = names(&s.get_url(&suggest(q)).await);
        assert!(n.contains(&expected.to_owned()), "{q}: {n:?}");
    }
    // Only names: a place whose description alone holds the word is no suggestion; drafts
    // and archived places never are.
    let n = names(&s.get_url(&suggest("サロン")).await);
    for hidden in [
        "下書きの子供サロン",
        "榊町 手芸サロン つくし",
        "美旗 サロン 竹とんぼ",
    ] {
        assert!(!n.contains(&hidden.to_owned()), "{hidden} in {n:?}");
    }
    let n = names(&s.get_url(&format!("{}&limit=20", suggest("お茶"))).await);
    assert!(
        n.is_empty(),
        "お茶 is in tags and descriptions, no name: {n:?}"
    );
    // One per name, at most `limit`.
    let n = names(
        &s.get_url(&format!("{}&limit=3", suggest("いきいき百歳体操")))
            .await,
    );
    assert_eq!(n.len(), 3, "{n:?}");
    let a = s
        .get_url(&format!("{}&limit=20", suggest("まちの保健室")))
        .await;
    let n = names(&a);
    let mut unique = n.clone();
    unique.dedup();
    assert_eq!(n, unique);
    assert!(
        a.body["suggestions"][0]["id"]
            .as_str()
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
    );
    assert_eq!(a.body["suggestions"][0]["category"], "machi_hokenshitsu");
    // An empty q suggests nothing; bad input is a 400 naming the parameter.
    assert_eq!(names(&s.get_url(&suggest(" ")).await), Vec::<String>::new());
    for (query, parameter) in [
        ("", "q"),
        ("q=a&q=b", "q"),
        ("q=a&limit=0", "limit"),
        ("q=a&limit=21", "limit"),
        ("q=a&limit=x", "limit"),
        ("q=%00", "q"),
        ("q=a&near=1,2", "near"),
    ] {
        let a = s.get(&format!("/api/suggest?{query}")).await;
        let p = a.assert_problem(400);
        assert_eq!(p["parameter"], parameter, "{query}");
    }
    let long = "あ".repeat(201);
    s.get(&format!("/api/suggest?q={long}"))
        .await
        .assert_problem(400);
}
