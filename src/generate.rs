//! Synthetic national data for benchmarks: places spread around Japan's 47 prefectural
//! capitals in proportion to population, with the shares of the MHLW survey of 通いの場
//! (fiscal 2022: main activity 体操 53.9 %, 趣味 20.7 %, 茶話会 13.0 %, 認知症予防 3.6 %;
//! held weekly 38.9 %, 2–4 times a month 23.7 %, 1–2 times a month 31.7 %; in 公民館・
//! 自治会館・集会所 83.1 %). Every generated place is marked as sample data. The same seed
//! gives the same places.

use crate::domain::PlaceInput;

/// Prefectural capitals: (name, longitude, latitude, prefecture population in 10,000s).
const CENTRES: [(&str, f64, f64, u32); 47] = [
    ("札幌", 141.354, 43.062, 522),
    ("青森", 140.740, 40.824, 124),
    ("盛岡", 141.154, 39.702, 121),
    ("仙台", 140.872, 38.268, 230),
    ("秋田", 140.103, 39.720, 96),
    ("山形", 140.363, 38.240, 107),
    ("福島", 140.468, 37.750, 183),
    ("水戸", 140.447, 36.341, 286),
    ("宇都宮", 139.883, 36.566, 193),
    ("前橋", 139.060, 36.391, 194),
    ("さいたま", 139.649, 35.857, 734),
    ("千葉", 140.123, 35.605, 628),
    ("東京", 139.692, 35.690, 1404),
    ("横浜", 139.642, 35.448, 923),
    ("新潟", 139.023, 37.902, 220),
    ("富山", 137.211, 36.695, 103),
    ("金沢", 136.626, 36.594, 113),
    ("福井", 136.222, 36.065, 76),
    ("甲府", 138.568, 35.664, 81),
    ("長野", 138.181, 36.651, 204),
    ("岐阜", 136.722, 35.391, 198),
    ("静岡", 138.383, 34.977, 363),
    ("名古屋", 136.907, 35.180, 751),
    ("津", 136.509, 34.730, 177),
    ("大津", 135.868, 35.004, 141),
    ("京都", 135.756, 35.021, 258),
    ("大阪", 135.520, 34.686, 878),
    ("神戸", 135.183, 34.691, 540),
    ("奈良", 135.833, 34.685, 132),
    ("和歌山", 135.167, 34.226, 92),
    ("鳥取", 134.238, 35.504, 55),
    ("松江", 133.051, 35.472, 66),
    ("岡山", 133.935, 34.662, 187),
    ("広島", 132.460, 34.397, 276),
    ("山口", 131.471, 34.186, 132),
    ("徳島", 134.559, 34.066, 71),
    ("高松", 134.043, 34.340, 94),
    ("松山", 132.766, 33.842, 131),
    ("高知", 133.531, 33.560, 68),
    ("福岡", 130.418, 33.607, 510),
    ("佐賀", 130.299, 33.249, 80),
    ("長崎", 129.874, 32.745, 129),
    ("熊本", 130.742, 32.790, 172),
    ("大分", 131.613, 33.238, 111),
    ("宮崎", 131.424, 31.911, 106),
    ("鹿児島", 130.558, 31.560, 157),
    ("那覇", 127.681, 26.212, 147),
];

/// Main activity of a 通いの場: (category, name suffix, tag, share in ‰).
const ACTIVITIES: [(&str, &str, &str, u32); 5] = [
    ("exercise", "いきいき百歳体操", "体操", 539),
    ("learning", "趣味の会", "趣味", 207),
    ("salon", "ふれあいサロン", "茶話会", 130),
    ("ninchisho_cafe", "脳トレ教室", "認知症予防", 36),
    ("kayoinoba", "通いの場", "交流", 88),
];

/// Other kinds of place that a national map also holds, each a small share (‰ of all).
const OTHERS: [(&str, &str, u32); 6] = [
    ("kodomo_shokudo", "子ども食堂", 30),
    ("volunteer", "ボランティアの会", 30),
    ("machi_hokenshitsu", "まちの保健室", 10),
    ("consultation", "よろず相談", 10),
    ("kosodate", "子育てひろば", 15),
    ("work", "生きがい就労の会", 5),
];

const TOWNS: [&str; 16] = [
    "本町", "新町", "中町", "東町", "西町", "南町", "北町", "栄町", "緑町", "旭町", "幸町", "桜町",
    "松原", "大町", "元町", "若葉",
];
const VENUES: [&str; 3] = ["公民館", "自治会館", "集会所"];
const DAYS: [(&str, &str); 5] = [
    ("Mo", "月"),
    ("Tu", "火"),
    ("We", "水"),
    ("Th", "木"),
    ("Fr", "金"),
];

/// `n` synthetic places, the same for the same seed.
pub fn synthetic_places(n: usize, seed: u64) -> impl Iterator<Item = PlaceInput> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let total_weight: u32 = CENTRES.iter().map(|c| c.3).sum();
    (0..n).map(move |i| {
        let centre = weighted(&mut rng, &CENTRES, total_weight, |c| c.3);
        // About 25 km of spread around the capital, denser near it.
        let (dx, dy) = (gaussian(&mut rng) * 0.25, gaussian(&mut rng) * 0.22);
        let lon = (centre.1 + dx).clamp(122.0, 154.0);
        let lat = (centre.2 + dy).clamp(24.0, 46.0);

        let town = TOWNS[rng.usize(..TOWNS.len())];
        let chome = rng.u32(1..10);
        let venue = if rng.u32(0..1000) < 831 {
            VENUES[rng.usize(..VENUES.len())]
        } else {
            ""
        };
        let (category, kind, tag) = if rng.u32(0..1000) < 900 {
            let a = weighted(&mut rng, &ACTIVITIES, 1000, |a| a.3);
            (a.0, a.1, a.2)
        } else {
            let o = OTHERS[rng.usize(..OTHERS.len())];
            (o.0, o.1, "地域")
        };
        let (day, day_ja) = DAYS[rng.usize(..DAYS.len())];
        let hour = rng.u32(9..15);
        let (schedule, note) = match rng.u32(0..1000) {
            0..389 => (
                format!("{day} {hour:02}:00-{:02}:30", hour + 1),
                format!("毎週{day_ja}曜 {hour}時〜{}時半", hour + 1),
            ),
            389..626 => (
                format!("{day}[2,4] {hour:02}:00-{:02}:00", hour + 2),
                format!("第2・第4{day_ja}曜 {hour}時〜{}時", hour + 2),
            ),
            626..943 => (
                format!("{day}[1] {hour:02}:00-{:02}:00", hour + 2),
                format!("第1{day_ja}曜 {hour}時〜{}時", hour + 2),
            ),
            _ => (String::new(), "随時（お問い合わせください）".to_owned()),
        };
        let status = match rng.u32(0..100) {
            0..2 => "draft",
            2..3 => "archived",
            _ => "published",
        };
        PlaceInput {
            name: Some(format!("{}{town}{chome}丁目{venue} {kind}", centre.0)),
            category: Some(category.into()),
            tags: vec![tag.into()],
            description: Some(format!(
                "{town}{chome}丁目の{}で開いている{kind}です。（合成データ #{i}）",
                if venue.is_empty() { "個人宅" } else { venue }
            )),
            address: Some(format!(
                "{}市{town}{chome}丁目{}-{}",
                centre.0,
                rng.u32(1..30),
                rng.u32(1..20)
            )),
            location: Some((lon, lat)),
            schedule: (!schedule.is_empty()).then_some(schedule),
            schedule_note: Some(note),
            cost: Some(if rng.bool() {
                "無料".into()
            } else {
                format!("{}円", rng.u32(1..6) * 100)
            }),
            audience: vec![
                if category == "kodomo_shokudo" || category == "kosodate" {
                    "子育て"
                } else {
                    "高齢者"
                }
                .into(),
            ],
            source: Some("import".into()),
            status: Some(status.into()),
            sample: true,
            ..Default::default()
        }
    })
}

/// One item, chosen with probability weight / total (the weights add up to `total`).
fn weighted<'a, T>(
    rng: &mut fastrand::Rng,
    items: &'a [T],
    total: u32,
    weight: impl Fn(&T) -> u32,
) -> &'a T {
    let mut pick = rng.u32(0..total);
    for item in items {
        if pick < weight(item) {
            return item;
        }
        pick -= weight(item);
    }
    items.last().expect("at least one item")
}

/// A standard normal sample (Box–Muller), cut at ±4.
fn gaussian(rng: &mut fastrand::Rng) -> f64 {
    let u1 = rng.f64().max(f64::MIN_POSITIVE);
    let u2 = rng.f64();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()).clamp(-4.0, 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reference;

    #[test]
    fn generated_places_are_valid_and_repeatable() {
        let reference = Reference::builtin();
        let a: Vec<_> = synthetic_places(2000, 7).collect();
        let b: Vec<_> = synthetic_places(2000, 7).collect();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let valid: Vec<_> = a
            .into_iter()
            .map(|p| p.validate(&reference).expect("valid"))
            .collect();
        let exercise = valid.iter().filter(|p| p.category == "exercise").count();
        assert!(
            (800..1150).contains(&exercise),
            "about half are 体操: {exercise}"
        );
        let tokyo_area = valid
            .iter()
            .filter(|p| {
                (138.9..140.5).contains(&p.location.lon())
                    && (35.0..36.5).contains(&p.location.lat())
            })
            .count();
        assert!(
            tokyo_area > 300,
            "the capital region is dense: {tokyo_area}"
        );
    }
}
