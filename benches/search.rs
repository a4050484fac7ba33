//! Text search in process, on the synthetic national data (`tsunagari generate`): every query
//! shape of issue #20, with the index the server builds.
//!
//!     cargo bench --bench search                                  # 150,000 places
//!     TSUNAGARI_BENCH_PLACES=1000000 cargo bench --bench search   # 1,000,000 places
//!     TSUNAGARI_BENCH_DICTIONARY=/usr/share/mecab/dic/ipadic cargo bench --bench search
//!                                          # with readings from IPADIC (cached as serve does)
//!
//! Before measuring it prints how long the index took to build, the process's resident memory
//! and what the text index holds. README's "Search" section quotes the medians.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tsunagari::domain::text::query_terms;
use tsunagari::domain::{LonLat, Place, Radius, Reference, Status};
use tsunagari::generate::synthetic_places;
use tsunagari::index::{Filter, Near, PlaceIndex, PlaceQuery};
use tsunagari::readings::Readings;
use uuid::Uuid;

fn places_wanted() -> usize {
    std::env::var("TSUNAGARI_BENCH_PLACES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150_000)
}

fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn build(n: usize) -> PlaceIndex {
    let reference = Arc::new(Reference::builtin());
    let now = OffsetDateTime::now_utc();
    let before = rss_mb();
    let places: Vec<Place> = synthetic_places(n, 1)
        .map(|p| Place {
            id: Uuid::new_v4(),
            version: 1,
            fields: p.validate(&reference).expect("generated places are valid"),
            created_at: now,
            updated_at: now,
            updated_by: "bench".into(),
            origin: Default::default(),
        })
        .collect();
    let readings = std::env::var_os("TSUNAGARI_BENCH_DICTIONARY").map(|dir| {
        let started = Instant::now();
        let cache = dirs::cache_dir().map(|d| d.join("tsunagari-map"));
        let readings = Readings::load(dir.as_ref(), cache.as_deref()).expect("dictionary");
        eprintln!(
            "# dictionary of readings loaded in {:.2} s; resident memory {} MB",
            started.elapsed().as_secs_f64(),
            rss_mb()
        );
        Arc::new(readings)
    });
    let started = Instant::now();
    let index = PlaceIndex::build_with(reference, readings, places);
    eprintln!(
        "# {n} places: index built in {:.2} s; resident memory {} MB ({} MB before the places \
         were made); text index ≈ {} MB",
        started.elapsed().as_secs_f64(),
        rss_mb(),
        before,
        index.text_heap_bytes() / 1_000_000,
    );
    index
}

fn query(q: &str) -> PlaceQuery {
    PlaceQuery {
        bbox: None,
        near: None,
        filter: Filter {
            terms: query_terms(q),
            ..Filter::published()
        },
        offset: 0,
        limit: 20,
    }
}

fn near(mut q: PlaceQuery, radius: Option<f64>) -> PlaceQuery {
    // Tokyo station: the densest part of the synthetic data.
    q.near = Some(Near {
        point: LonLat::new(139.767, 35.681).unwrap(),
        radius: radius.map(|r| Radius::new(r).unwrap()),
    });
    q
}

fn bench(c: &mut Criterion) {
    let n = places_wanted();
    let index = build(n);
    let salon = index.reference().category_index("salon").unwrap();
    let shapes: Vec<(&str, PlaceQuery)> = vec![
        ("q two characters 体操 (half of all places)", query("体操")),
        ("q two characters 茶話 (13 %)", query("茶話")),
        ("q one character 脳", query("脳")),
        ("q long word 脳トレ教室", query("脳トレ教室")),
        (
            "q long common phrase いきいき百歳体操",
            query("いきいき百歳体操"),
        ),
        ("q two words 体操 集会所", query("体操 集会所")),
        ("q spelling variant 子供", query("子供")),
        ("q in kana たいそう (found by readings)", query("たいそう")),
        ("q kanji and kana 体操きょうしつ", query("体操きょうしつ")),
        ("q matching nothing zzzz", query("zzzz")),
        ("q + category salon", {
            let mut q = query("集会所");
            q.filter.categories = vec![salon];
            q
        }),
        ("near + q matching nothing", near(query("zzzz"), None)),
        ("near + q 脳トレ (rare)", near(query("脳トレ"), None)),
        ("near + q 体操 (common)", near(query("体操"), None)),
        (
            "near + radius 2 km + q 体操",
            near(query("体操"), Some(2000.0)),
        ),
        ("near + category salon", {
            let mut q = near(query(""), None);
            q.filter.categories = vec![salon];
            q
        }),
        ("near only (10 nearest)", {
            let mut q = near(query(""), None);
            q.limit = 10;
            q
        }),
    ];
    let mut group = c.benchmark_group(format!("search {n} places"));
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (name, q) in &shapes {
        group.bench_function(*name, |b| b.iter(|| black_box(index.query(black_box(q)))));
    }
    for typed in ["さ", "さっ", "札幌", "札幌本町"] {
        let words = query_terms(typed);
        group.bench_function(format!("suggest {typed}"), |b| {
            b.iter(|| black_box(index.suggest(black_box(&words), 8)))
        });
    }
    group.finish();
    // What the people searching see: published places.
    assert!(index.count_with_status(Status::Published) > n / 2);
}

criterion_group!(benches, bench);
criterion_main!(benches);
