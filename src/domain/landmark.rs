//! Landmarks a link worker may type instead of an address (「名張駅」「市役所」). Each stands
//! at the representative point of the town it is in, so a landmark is exactly as precise as a
//! town: it says where to start looking, not where the client lives.

#[cfg(test)]
use super::reference::Reference;
use super::reference::Town;
use crate::domain::LonLat;
use serde::Serialize;

/// A named landmark, placed at its town's point.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Landmark {
    /// 「名張駅」.
    pub name: String,
    /// Reading in hiragana, so that 「なばりえき」 finds it too.
    pub kana: String,
    /// The town the landmark is in (a name of the town list).
    pub town: String,
    /// What it is, in a few words (「近鉄大阪線の駅」).
    pub what: String,
    /// The town's representative point, `[longitude, latitude]`.
    #[schema(value_type = [f64; 2])]
    pub point: LonLat,
}

/// Reads `name,kana,town,what` rows; every town must be one of `towns`.
pub fn parse_landmarks_csv(csv: &str, towns: &[Town]) -> Result<Vec<Landmark>, String> {
    let mut lines = csv.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == "name,kana,town,what" => {}
        _ => return Err("line 1: the header must be name,kana,town,what".to_owned()),
    }
    let mut out = Vec::new();
    for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let &[name, kana, town, what] = cells.as_slice() else {
            return Err(format!("line {}: needs 4 cells", i + 1));
        };
        if name.is_empty() || kana.is_empty() {
            return Err(format!("line {}: name and kana are required", i + 1));
        }
        let Some(t) = towns.iter().find(|t| t.name == town) else {
            return Err(format!(
                "line {}: {town:?} is not a town of the list",
                i + 1
            ));
        };
        out.push(Landmark {
            name: name.to_owned(),
            kana: kana.to_owned(),
            town: town.to_owned(),
            what: what.to_owned(),
            point: t.point,
        });
    }
    Ok(out)
}

/// `data/nabari-landmarks.csv`, compiled in.
pub const BUILTIN_CSV: &str = include_str!("../../data/nabari-landmarks.csv");

#[cfg(test)]
fn builtin(reference: &Reference) -> Vec<Landmark> {
    parse_landmarks_csv(BUILTIN_CSV, reference.towns()).expect("the built-in landmarks parse")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_landmarks_name_towns_of_the_list() {
        let reference = Reference::builtin();
        let landmarks = builtin(&reference);
        let station = landmarks.iter().find(|l| l.name == "名張駅").unwrap();
        assert_eq!(station.town, "平尾");
        // Nabari station is about 136.0959, 34.6217; its town's point is within 150 m.
        assert!(
            (station.point.lon() - 136.0959).abs() < 0.0015,
            "{station:?}"
        );
        assert!(
            (station.point.lat() - 34.6217).abs() < 0.0015,
            "{station:?}"
        );
    }

    #[test]
    fn a_landmark_in_an_unknown_town_is_refused() {
        let reference = Reference::builtin();
        let csv = "name,kana,town,what\n架空駅,かくうえき,どこにもない町,駅\n";
        let e = parse_landmarks_csv(csv, reference.towns()).unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }
}
