//! Readings (読み) of Japanese text from a morphological dictionary, so that a kana query finds
//! a kanji name and a kanji query a kana one even where staff typed no `name_kana`.
//!
//! The dictionary is IPADIC in MeCab's source form (the CSVs, `matrix.def`, `char.def`,
//! `unk.def`), as Debian's `mecab-ipadic` package installs it, analysed by `vibrato`. It is
//! optional: without it search works as before, on `name_kana` alone. Compiling the sources
//! takes seconds, so the compiled dictionary is cached (see [`Readings::load`]).

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where Debian's `mecab-ipadic` (a dependency of `mecab-ipadic-utf8`) puts IPADIC's sources:
/// the documented default of `serve --dictionary`.
pub const DEFAULT_DICTIONARY: &str = "/usr/share/mecab/dic/ipadic";

/// The files of a MeCab dictionary besides its `*.csv` lexicon.
const DEFINITIONS: [&str; 3] = ["matrix.def", "char.def", "unk.def"];

/// Where in an IPADIC entry's feature its reading is (品詞,細分類1,2,3,活用型,活用形,原形,読み,発音).
const READING_FIELD: usize = 7;

/// The fields of a MeCab entry before its feature: surface, left and right ids, cost.
const ENTRY_FIELDS: usize = 4;

/// Changes when what [`compile`] makes of the sources changes, so that older cache files are
/// compiled anew.
const COMPILED_FORM: &[u8] = b"features reduced to the reading, v1";

#[derive(Debug, thiserror::Error)]
pub enum ReadingsError {
    #[error("dictionary {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("dictionary {path}: neither UTF-8 nor EUC-JP")]
    Encoding { path: PathBuf },
    #[error("dictionary {dir}: no *.csv lexicon")]
    NoLexicon { dir: PathBuf },
    #[error("dictionary {dir}: {source}")]
    Build {
        dir: PathBuf,
        source: vibrato::errors::VibratoError,
    },
}

/// A loaded dictionary, shared by the index for places' names and queries' words.
pub struct Readings {
    tokenizer: vibrato::Tokenizer,
}

impl std::fmt::Debug for Readings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Readings")
    }
}

impl Readings {
    /// Loads the dictionary whose sources are in `dir`. With a `cache` directory, the compiled
    /// dictionary is read from there when it was compiled from the same sources, and written
    /// there otherwise. A cache file's name carries a digest of the sources' names, sizes and
    /// modification times, so a new `mecab-ipadic` package compiles anew (and the stale file
    /// is removed); a file this version of `vibrato` cannot read is compiled anew too. A cache
    /// that cannot be written costs only the compilation at every start.
    pub fn load(dir: &Path, cache: Option<&Path>) -> Result<Self, ReadingsError> {
        let started = Instant::now();
        let sources = sources(dir)?;
        let Some(cache) = cache else {
            return compile(dir, &sources).map(Self::new);
        };
        let path = cache.join(format!("ipadic-{}.vibrato", digest(&sources)?));
        if let Ok(file) = File::open(&path) {
            match vibrato::Dictionary::read(BufReader::new(file)) {
                Ok(dictionary) => {
                    tracing::info!(
                        cache = %path.display(),
                        ms = started.elapsed().as_millis() as u64,
                        "dictionary of readings read from the cache"
                    );
                    return Ok(Self::new(dictionary));
                }
                Err(e) => tracing::warn!(
                    cache = %path.display(),
                    "cached dictionary unreadable ({e}); compiling it again"
                ),
            }
        }
        let dictionary = compile(dir, &sources)?;
        let compiled_ms = started.elapsed().as_millis() as u64;
        match write_cache(&dictionary, &path) {
            Ok(()) => tracing::info!(
                source = %dir.display(),
                cache = %path.display(),
                ms = compiled_ms,
                "dictionary of readings compiled and cached"
            ),
            Err(e) => tracing::warn!(
                source = %dir.display(),
                cache = %path.display(),
                ms = compiled_ms,
                "dictionary of readings compiled, but not cached ({e}): it will be compiled at \
                 every start"
            ),
        }
        Ok(Self::new(dictionary))
    }

    fn new(dictionary: vibrato::Dictionary) -> Self {
        Self {
            tokenizer: vibrato::Tokenizer::new(dictionary),
        }
    }

    /// How `text` reads, in katakana as the dictionary gives it; a word the dictionary does
    /// not know (トレ, café, a rare kanji) is kept as written.
    pub fn reading(&self, text: &str) -> String {
        let mut worker = self.tokenizer.new_worker();
        worker.reset_sentence(text);
        worker.tokenize();
        let mut out = String::with_capacity(text.len() * 2);
        for i in 0..worker.num_tokens() {
            let token = worker.token(i);
            // A feature is the reading alone (see [`only_readings`]), or a whole one that
            // could not be reduced.
            let feature = token.feature();
            let reading = match feature.contains(',') {
                true => feature.split(',').nth(READING_FIELD),
                false => Some(feature),
            };
            match reading {
                Some(reading) if reading != "*" && !reading.is_empty() => out.push_str(reading),
                _ => out.push_str(token.surface()),
            }
        }
        out
    }

    /// The normalised reading of a normalised query word with a kanji in it, when it differs
    /// from the word. A one-character word gets none: its reading (市 → し, 脳 → のう) is a
    /// kana or two found inside countless unrelated words.
    pub fn of_query_word(&self, word: &str) -> Option<String> {
        use crate::domain::text::{is_kanji, normalize};
        if word.chars().nth(1).is_none() || !word.chars().any(is_kanji) {
            return None;
        }
        let reading = normalize(&self.reading(word));
        (!reading.is_empty() && reading != word).then_some(reading)
    }
}

/// The lexicon files of `dir`, sorted, then the definitions.
fn sources(dir: &Path) -> Result<Vec<PathBuf>, ReadingsError> {
    let io = |source| ReadingsError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut csv: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    if csv.is_empty() {
        return Err(ReadingsError::NoLexicon {
            dir: dir.to_owned(),
        });
    }
    csv.sort();
    csv.extend(DEFINITIONS.iter().map(|d| dir.join(d)));
    Ok(csv)
}

/// A digest of the sources' names, sizes and modification times: cheap, and changed by any
/// package upgrade that changes them.
fn digest(sources: &[PathBuf]) -> Result<String, ReadingsError> {
    let mut hash = Sha256::new();
    hash.update(COMPILED_FORM);
    for path in sources {
        let meta = std::fs::metadata(path).map_err(|source| ReadingsError::Io {
            path: path.clone(),
            source,
        })?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hash.update(path.to_string_lossy().as_bytes());
        hash.update(meta.len().to_le_bytes());
        hash.update(modified.to_le_bytes());
    }
    Ok(hex::encode(&hash.finalize()[..8]))
}

/// A source file as UTF-8: Debian's `mecab-ipadic` is EUC-JP, a dictionary prepared for
/// MeCab's UTF-8 mode is UTF-8 already.
fn utf8(path: &Path) -> Result<Vec<u8>, ReadingsError> {
    let bytes = std::fs::read(path).map_err(|source| ReadingsError::Io {
        path: path.to_owned(),
        source,
    })?;
    if std::str::from_utf8(&bytes).is_ok() {
        return Ok(bytes);
    }
    // Without BOM sniffing: bytes that happen to start like a UTF-16 mark are not UTF-16.
    let (text, malformed) = encoding_rs::EUC_JP.decode_without_bom_handling(&bytes);
    if malformed {
        return Err(ReadingsError::Encoding {
            path: path.to_owned(),
        });
    }
    Ok(text.into_owned().into_bytes())
}

fn compile(dir: &Path, sources: &[PathBuf]) -> Result<vibrato::Dictionary, ReadingsError> {
    let (csv, definitions) = sources.split_at(sources.len() - DEFINITIONS.len());
    let mut lexicon = Vec::new();
    for path in csv {
        lexicon.extend(only_readings(
            &utf8(path)?,
            Some(ENTRY_FIELDS + READING_FIELD),
        ));
    }
    let [matrix, chars, unknown] = [0, 1, 2].map(|i| utf8(&definitions[i]));
    // Unknown words have no reading: they are read as written.
    let unknown = only_readings(&unknown?, None);
    vibrato::SystemDictionaryBuilder::from_readers(
        &lexicon[..],
        &matrix?[..],
        &chars?[..],
        &unknown[..],
    )
    .map_err(|source| ReadingsError::Build {
        dir: dir.to_owned(),
        source,
    })
}

/// Lexicon lines with their feature reduced to the field `reading` (or `*`): the index needs
/// nothing else, and the whole features (part of speech, base form, pronunciation) would be
/// most of the dictionary's memory. A line with a quoted field, which a split on commas could
/// misread, is kept whole (IPADIC has none).
fn only_readings(text: &[u8], reading: Option<usize>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&[u8]> = line.split(|&b| b == b',').collect();
        if line.contains(&b'"') || fields.len() <= ENTRY_FIELDS {
            out.extend_from_slice(line);
        } else {
            for field in &fields[..ENTRY_FIELDS] {
                out.extend_from_slice(field);
                out.push(b',');
            }
            let kept = reading.and_then(|i| fields.get(i)).copied().unwrap_or(b"*");
            out.extend_from_slice(kept);
        }
        out.push(b'\n');
    }
    out
}

/// Writes the compiled dictionary beside its final name and renames it, so that a server
/// starting meanwhile never reads half a file; then removes other versions.
fn write_cache(dictionary: &vibrato::Dictionary, path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    let mut out = BufWriter::new(File::create(&partial)?);
    dictionary
        .write(&mut out)
        .and_then(|_| out.flush().map_err(Into::into))
        .map_err(std::io::Error::other)?;
    drop(out);
    std::fs::rename(&partial, path)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let other = entry.path();
        let name = other.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if other != path && name.starts_with("ipadic-") && name.ends_with(".vibrato") {
            let _ = std::fs::remove_file(other);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dictionary of two words, written in `dir` (the lexicon in EUC-JP, as Debian ships
    /// IPADIC), with one connection cost and one class of unknown characters.
    fn tiny_dictionary(dir: &Path, taiso: &str) {
        let lexicon = format!(
            "体操,0,0,0,名詞,一般,*,*,*,*,体操,{taiso},{taiso}\n教室,0,0,0,名詞,一般,*,*,*,*,教室,キョウシツ,キョーシツ\n"
        );
        let (euc, _, _) = encoding_rs::EUC_JP.encode(&lexicon);
        std::fs::write(dir.join("lex.csv"), euc).unwrap();
        std::fs::write(dir.join("matrix.def"), "1 1\n0 0 0\n").unwrap();
        std::fs::write(dir.join("char.def"), "DEFAULT 0 0 1\n").unwrap();
        std::fs::write(
            dir.join("unk.def"),
            "DEFAULT,0,0,10000,名詞,一般,*,*,*,*,*\n",
        )
        .unwrap();
    }

    fn cached(cache: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    }

    #[test]
    fn words_are_read_and_unknown_ones_kept_as_written() {
        let dir = tempfile::tempdir().unwrap();
        tiny_dictionary(dir.path(), "タイソウ");
        let r = Readings::load(dir.path(), None).unwrap();
        assert_eq!(r.reading("体操教室"), "タイソウキョウシツ");
        assert_eq!(r.reading("脳トレ教室"), "脳トレキョウシツ");
        assert_eq!(r.of_query_word("体操").as_deref(), Some("たいそう"));
        // One kanji alone, or no kanji at all, gets no reading.
        assert_eq!(r.of_query_word("脳"), None);
        assert_eq!(r.of_query_word("たいそう"), None);
        // A word the dictionary cannot read is its own reading: nothing more to search.
        assert_eq!(r.of_query_word("脳活"), None);
    }

    #[test]
    fn the_compiled_dictionary_is_cached_until_its_sources_change() {
        let (dir, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        tiny_dictionary(dir.path(), "タイソウ");
        let first = Readings::load(dir.path(), Some(cache.path())).unwrap();
        assert_eq!(first.reading("体操"), "タイソウ");
        let files = cached(cache.path());
        assert_eq!(files.len(), 1, "{files:?}");

        // Read back from the cache: a cache file that is not a dictionary is compiled anew.
        assert_eq!(
            Readings::load(dir.path(), Some(cache.path()))
                .unwrap()
                .reading("体操"),
            "タイソウ"
        );
        std::fs::write(&files[0], b"not a dictionary").unwrap();
        assert_eq!(
            Readings::load(dir.path(), Some(cache.path()))
                .unwrap()
                .reading("体操"),
            "タイソウ"
        );
        assert!(std::fs::metadata(&files[0]).unwrap().len() > 100);

        // New sources (a different size) give a new cache file, which replaces the old one.
        tiny_dictionary(dir.path(), "タイソウタイソウ");
        let changed = Readings::load(dir.path(), Some(cache.path())).unwrap();
        assert_eq!(changed.reading("体操"), "タイソウタイソウ");
        let now = cached(cache.path());
        assert_eq!(now.len(), 1, "{now:?}");
        assert_ne!(now, files);
    }

    #[test]
    fn entries_keep_only_their_reading() {
        let lexicon = "体操,1,2,3,名詞,サ変接続,*,*,*,*,体操,タイソウ,タイソー\r\n\
                       \"a,b\",1,2,3,名詞,*\n短い,1,2,3\n";
        assert_eq!(
            String::from_utf8(only_readings(lexicon.as_bytes(), Some(11))).unwrap(),
            "体操,1,2,3,タイソウ\n\"a,b\",1,2,3,名詞,*\n短い,1,2,3\n"
        );
        let unknown = "KANJI,1285,1285,11426,名詞,一般,*,*,*,*,*\n";
        assert_eq!(
            String::from_utf8(only_readings(unknown.as_bytes(), None)).unwrap(),
            "KANJI,1285,1285,11426,*\n"
        );
    }

    #[test]
    fn a_directory_without_a_lexicon_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Readings::load(dir.path(), None),
            Err(ReadingsError::NoLexicon { .. })
        ));
    }

    #[test]
    fn a_source_in_neither_utf8_nor_euc_jp_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        tiny_dictionary(dir.path(), "タイソウ");
        std::fs::write(dir.path().join("lex.csv"), [0xff, 0xfe, 0x80, 0x0a]).unwrap();
        let e = Readings::load(dir.path(), None).unwrap_err();
        assert!(matches!(e, ReadingsError::Encoding { .. }), "{e}");
    }
}
