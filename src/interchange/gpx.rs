//! GPX files from GPS loggers and walking apps, read into a walk's route.
//!
//! Parsing is the `gpx` crate's (georust). Before it sees a byte, any document type
//! declaration is refused: a GPX never needs one, and a DTD is how XML is made to expand
//! entities without bound or to read files (XXE). XML errors say the line and column.

use crate::domain::schedule::JST;
use time::{Date, OffsetDateTime};
use xml::common::Position;

/// What a GPX file holds for a walk.
#[derive(Debug, Clone, PartialEq)]
pub struct GpxWalk {
    /// The file's name, or its first track's or route's.
    pub title: Option<String>,
    /// The day (in Japan) of the first timed point.
    pub walked_on: Option<Date>,
    /// One segment per track segment and per route; segments of fewer than two points (a
    /// logger's stray fix) are dropped.
    pub segments: Vec<Vec<(f64, f64)>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GpxError {
    #[error(
        "line {line}, column {column}: a document type declaration (<!DOCTYPE or <!ENTITY) is not accepted in a GPX file"
    )]
    Doctype { line: u64, column: u64 },
    #[error("line {line}, column {column}: not well-formed XML: {message}")]
    Xml {
        line: u64,
        column: u64,
        message: String,
    },
    #[error("not a valid GPX file: {0}")]
    Gpx(String),
    #[error("the file has no track or route of two or more points")]
    NoRoute,
}

/// Reads a GPX file.
pub fn read(bytes: &[u8]) -> Result<GpxWalk, GpxError> {
    refuse_doctype(bytes)?;
    let gpx = gpx::read(bytes).map_err(|e| {
        // Only a file that failed is read again, to say where its XML breaks.
        check_well_formed(bytes)
            .err()
            .unwrap_or_else(|| GpxError::Gpx(e.to_string()))
    })?;
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut first_time: Option<OffsetDateTime> = None;
    let mut take = |points: &[gpx::Waypoint], segments: &mut Vec<Vec<(f64, f64)>>| {
        if first_time.is_none() {
            first_time = points.iter().find_map(|p| p.time).map(OffsetDateTime::from);
        }
        if points.len() >= 2 {
            segments.push(
                points
                    .iter()
                    .map(|p| (p.point().x(), p.point().y()))
                    .collect(),
            );
        }
    };
    for track in &gpx.tracks {
        for segment in &track.segments {
            take(&segment.points, &mut segments);
        }
    }
    for route in &gpx.routes {
        take(&route.points, &mut segments);
    }
    if segments.is_empty() {
        return Err(GpxError::NoRoute);
    }
    let title = gpx
        .metadata
        .as_ref()
        .and_then(|m| m.name.clone())
        .into_iter()
        .chain(gpx.tracks.iter().filter_map(|t| t.name.clone()))
        .chain(gpx.routes.iter().filter_map(|r| r.name.clone()))
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty());
    Ok(GpxWalk {
        title,
        walked_on: first_time.map(|t| t.to_offset(JST).date()),
        segments,
    })
}

/// Reads the XML through once to say where it breaks: `gpx` wraps an XML error inside a
/// track as "error while parsing 'track' segment", without the line.
fn check_well_formed(bytes: &[u8]) -> Result<(), GpxError> {
    for event in xml::EventReader::new(bytes) {
        if let Err(e) = event {
            let at = e.position();
            return Err(GpxError::Xml {
                line: at.row + 1,
                column: at.column + 1,
                message: e.msg().to_owned(),
            });
        }
    }
    Ok(())
}

/// Finds `<!DOCTYPE` or `<!ENTITY` in any case, and says where.
fn refuse_doctype(bytes: &[u8]) -> Result<(), GpxError> {
    for at in memchr::memmem::find_iter(bytes, b"<!") {
        let rest = &bytes[at + 2..];
        let names = |word: &[u8]| {
            rest.get(..word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        };
        if names(b"DOCTYPE") || names(b"ENTITY") {
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count() as u64
                + 1;
            return Err(GpxError::Doctype { line, column });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>名張駅まわり</name></metadata>
  <trk><name>track</name>
    <trkseg>
      <trkpt lat="34.6270" lon="136.1030"><time>2026-12-04T23:30:00Z</time></trkpt>
      <trkpt lat="34.6275" lon="136.1040"><time>2026-12-04T23:31:00Z</time></trkpt>
    </trkseg>
    <trkseg>
      <trkpt lat="34.6280" lon="136.1050"/>
    </trkseg>
    <trkseg>
      <trkpt lat="34.6290" lon="136.1060"/>
      <trkpt lat="34.6300" lon="136.1070"/>
    </trkseg>
  </trk>
</gpx>"#;

    #[test]
    fn tracks_become_segments_and_the_day_is_japans() {
        let walk = read(GOOD.as_bytes()).unwrap();
        assert_eq!(walk.title.as_deref(), Some("名張駅まわり"));
        // 23:30 UTC on the 4th is 08:30 on the 5th in Japan.
        assert_eq!(walk.walked_on, Some(time::macros::date!(2026 - 12 - 05)));
        assert_eq!(
            walk.segments,
            vec![
                vec![(136.1030, 34.6270), (136.1040, 34.6275)],
                vec![(136.1060, 34.6290), (136.1070, 34.6300)],
            ]
        );
    }

    #[test]
    fn broken_xml_says_where() {
        let broken = GOOD.replace(
            "</trkseg>\n    <trkseg>\n      <trkpt lat=\"34.6280\"",
            "</trkseg>\n    <trkseg>\n      <trkpt lat=34.6280",
        );
        match read(broken.as_bytes()) {
            Err(GpxError::Xml { line, .. }) => assert_eq!(line, 10),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_point_without_its_latitude_is_named() {
        let bad = GOOD.replace(
            r#"<trkpt lat="34.6270" lon="136.1030">"#,
            r#"<trkpt lon="136.1030">"#,
        );
        match read(bad.as_bytes()) {
            Err(GpxError::Gpx(message)) => assert!(message.contains("lat"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_dtd_is_refused_before_parsing() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<gpx version="1.1"><trk><name>&b;</name></trk></gpx>"#;
        assert_eq!(
            read(laughs.as_bytes()),
            Err(GpxError::Doctype { line: 2, column: 1 })
        );
        let external = r#"<?xml version="1.0"?><!doctype gpx SYSTEM "file:///etc/passwd"><gpx/>"#;
        assert!(matches!(
            read(external.as_bytes()),
            Err(GpxError::Doctype { .. })
        ));
    }

    #[test]
    fn a_file_without_a_line_is_refused() {
        let empty = r#"<gpx version="1.1" creator="t"><wpt lat="34.6" lon="136.1"/></gpx>"#;
        assert_eq!(read(empty.as_bytes()), Err(GpxError::NoRoute));
        assert!(read(b"").is_err());
        assert!(read("これはGPXではありません".as_bytes()).is_err());
    }
}
