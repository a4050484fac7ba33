// Finding the town a typed address names, in the browser: the link worker types the
// client's address (「蔵持町原出」「桔梗が丘3番町5-12」「名張駅」) and it is matched here against
// the public town list, so the address never leaves this page. The answer is a town's
// representative point (town level), never the address itself.

const KANJI_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1–10 as 一…十 (town names write 番町 and 丁目 numbers in kanji). */
function kanjiNumber(digits) {
  const n = Number(digits);
  return n >= 1 && n <= 10 ? KANJI_DIGITS[n] : digits;
}

/**
 * A form for comparing: full-width to half-width (NFKC), no spaces, no prefecture or city,
 * ケ/ヶ/が written one way, and 「3番町」 as 「三番町」.
 */
export function normalise(text) {
  return String(text ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^三重県/, '')
    .replace(/^名張市/, '')
    .replace(/[ヶケヵがｹ]/g, 'が')
    .replace(/(\d+)(番町|丁目)/g, (_, d, suffix) => kanjiNumber(d) + suffix);
}

/** 「桔梗が丘十番町」 sorts after 「…九番町」: kanji numbers as padded digits. */
function sortKey(label) {
  return label.replace(/[一二三四五六七八九十]/g, (c) => String(KANJI_DIGITS.indexOf(c)).padStart(2, '0'));
}

/** Katakana to hiragana, for readings typed either way. */
function hiragana(text) {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const EARTH_RADIUS_M = 6371008.8;

/** Great-circle metres between two [lon, lat] points. */
export function distanceM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

export class TownLookup {
  /** `list`: the answer of GET /api/towns. */
  constructor(list) {
    this.attribution = list.attribution ?? '';
    this.entries = [];
    for (const town of list.towns ?? []) {
      const label = town.koaza ? `${town.name}（${town.koaza}）` : town.name;
      this.entries.push({ kind: 'town', label, town: town.name, point: town.point,
        keys: [normalise(town.name + (town.koaza ?? '')), normalise(town.name)] });
    }
    for (const landmark of list.landmarks ?? []) {
      this.entries.push({ kind: 'landmark', label: landmark.name, town: landmark.town, what: landmark.what,
        point: landmark.point, keys: [normalise(landmark.name), hiragana(normalise(landmark.kana))] });
    }
    const towns = this.entries.filter((e) => e.kind === 'town');
    // How far a town's point may be from an address in it: at least half the way to the
    // nearest other town's point, often more in the large rural 大字.
    for (const entry of this.entries) {
      let nearest = Infinity;
      for (const other of towns) {
        if (other.town === entry.town) continue;
        nearest = Math.min(nearest, distanceM(entry.point, other.point));
      }
      entry.spreadM = Number.isFinite(nearest) ? nearest / 2 : null;
    }
  }

  /**
   * {match, candidates}: `match` is the entry whose name the text starts with (the longest),
   * or the only one containing it; otherwise `candidates` lists up to `max` entries that
   * contain the text, for the link worker to choose from, and `more` says how many more do.
   */
  find(text, max = 8) {
    const q = normalise(text);
    if (!q) return { match: null, candidates: [] };
    const qKana = hiragana(q);
    let best = null;
    let bestLength = 0;
    for (const entry of this.entries) {
      for (const key of entry.keys) {
        if (key && (q.startsWith(key) || qKana.startsWith(key)) && key.length > bestLength) {
          best = entry;
          bestLength = key.length;
        }
      }
    }
    if (best) return { match: best, candidates: [] };
    const containing = this.entries.filter((e) => e.keys.some((k) => k.includes(q) || k.includes(qKana)));
    if (containing.length === 1) return { match: containing[0], candidates: [] };
    containing.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'landmark' ? -1 : 1)
      || sortKey(a.label).localeCompare(sortKey(b.label), 'ja'));
    return { match: null, candidates: containing.slice(0, max), more: Math.max(0, containing.length - max) };
  }
}
