//! What a walk's upload and a タネ's save cost in process: reading a GPX file of a long walk,
//! checking a route, and scanning a タネ's text for personal data.
//!
//!     cargo bench --bench fieldwork
//!
//! The reference each is compared with in the same run: parsing the same GPX with the `gpx`
//! crate alone (what our DTD refusal and well-formedness pass add), and a plain substring scan
//! of the same text (what the personal-data rules cost over reading the text once).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tsunagari::domain::Route;
use tsunagari::domain::personal_data;
use tsunagari::interchange::gpx;

/// A three-hour walk logged every second: 10,800 points in three segments.
fn long_walk_gpx() -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">
<metadata><name>三時間のまち歩き</name></metadata><trk>"#,
    );
    for segment in 0..3 {
        out.push_str("<trkseg>");
        for i in 0..3600 {
            let t = segment * 3600 + i;
            let lon = 136.10 + f64::from(t) * 0.000_01;
            let lat = 34.62 + (f64::from(t) * 0.01).sin() * 0.001;
            out.push_str(&format!(
                r#"<trkpt lat="{lat:.6}" lon="{lon:.6}"><ele>200.0</ele><time>2026-12-05T{:02}:{:02}:{:02}Z</time></trkpt>"#,
                t / 3600,
                (t / 60) % 60,
                t % 60
            ));
        }
        out.push_str("</trkseg>");
    }
    out.push_str("</trk></gpx>");
    out
}

/// A long diary excerpt (4,000 characters, the most a タネ holds) with a few finds in it.
fn diary_text() -> String {
    let sentence = "今日は公民館のサロンに十二人が集まり、体操のあとでお茶を飲みました。";
    let mut text = String::new();
    while text.chars().count() < 3900 {
        text.push_str(sentence);
    }
    text.push_str("田中さんの電話は0595-63-1234、〒518-0000 桔梗が丘3番町1-2。");
    text
}

fn bench(c: &mut Criterion) {
    let file = long_walk_gpx();
    let walk = gpx::read(file.as_bytes()).expect("the bench's GPX reads");
    println!(
        "GPX: {} bytes, {} points in {} segments",
        file.len(),
        walk.segments.iter().map(Vec::len).sum::<usize>(),
        walk.segments.len()
    );
    let mut group = c.benchmark_group("gpx");
    group.sample_size(20);
    group.bench_function(
        "read (DTD check, gpx; the XML pass only when it fails)",
        |b| b.iter(|| gpx::read(black_box(file.as_bytes())).unwrap()),
    );
    group.bench_function("reference: gpx crate alone", |b| {
        b.iter(|| ::gpx::read(black_box(file.as_bytes())).unwrap())
    });
    group.bench_function("route check and length", |b| {
        b.iter(|| {
            let route = Route::new(black_box(walk.segments.clone())).unwrap();
            route.length_m()
        })
    });
    group.finish();

    let text = diary_text();
    let mut group = c.benchmark_group("personal data");
    group.bench_function("scan 4,000 characters", |b| {
        b.iter(|| personal_data::scan(black_box(&text)))
    });
    group.bench_function("reference: one substring search", |b| {
        b.iter(|| black_box(&text).contains("さん"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
