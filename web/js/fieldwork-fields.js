// What staff see of a タネ's and a walk's fields: labels, how values are written out, and the
// small pieces of text both the lists and the details use. Shared by the タネ and walk modules.

import { formatDate, formatDistance } from './i18n.js';
import { formatPoint } from './staff-fields.js';

export const TANE_STATUS_LABELS = Object.freeze({
  new: '新規',
  looking: '調べている',
  promoted: '場所になった',
  set_aside: '見送り',
});

export const TANE_SOURCE_LABELS = Object.freeze({
  diary: '日記',
  walk: 'まち歩き',
  conversation: '会話',
  other: 'その他',
});

const FIELD_LABELS = Object.freeze({
  text: '気づいたこと',
  source: '出どころ',
  found_on: '見つけた日',
  walk_id: 'まち歩き',
  status: '状態',
  place_id: 'なった場所',
  geometry: '地点',
  title: '題名',
  walked_on: '歩いた日',
  notes: 'メモ',
  participants: '参加した人数',
});

/** History entries of these are the server's bookkeeping, not anyone's change. */
const HIDDEN_FIELDS = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'recorded_by', 'created_by',
  'length_m', 'tane_count', 'place_count', 'personal_data', 'personal_data_confirmed']);

export function fieldworkLabel(field) {
  return FIELD_LABELS[field] ?? field;
}

export function shownInHistory(field) {
  return !HIDDEN_FIELDS.has(field);
}

/** A value of a タネ or a walk as plain text (the caller puts it in as text). */
export function formatFieldworkValue(field, value) {
  if (value === null || value === undefined || value === '') return '（なし）';
  if (field === 'geometry') {
    if (value.type === 'Point') return formatPoint(value.coordinates);
    if (value.type === 'LineString') return `道のり（${value.coordinates?.length ?? 0} 点）`;
    if (value.type === 'MultiLineString') return `道のり（${value.coordinates?.length ?? 0} 区間）`;
    return String(value.type ?? '');
  }
  if (field === 'status') return TANE_STATUS_LABELS[value] ?? String(value);
  if (field === 'source') return TANE_SOURCE_LABELS[value] ?? String(value);
  if (field === 'found_on' || field === 'walked_on') return formatDate(String(value));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Today in Japan as YYYY-MM-DD (the API's default for 見つけた日 and 歩いた日). */
export function todayInJapan() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

/** The first `max` characters of a text on one line (a list entry, a banner). */
export function excerpt(text, max = 60) {
  const line = String(text ?? '').replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line;
}

/** What the server found in a text: 「電話番号「0595-63-1234」」. */
export function personalDataText(item) {
  const label = typeof item?.label === 'string' && item.label ? item.label : String(item?.kind ?? '');
  return typeof item?.text === 'string' && item.text ? `${label}「${item.text}」` : label;
}

/** 「2.3 km・6 人・タネ 3・場所 1」: a walk's figures in one line. */
export function walkFigures(p) {
  const parts = [];
  if (Number.isFinite(p.length_m) && p.length_m > 0) parts.push(formatDistance(p.length_m));
  if (Number.isFinite(p.participants)) parts.push(`${p.participants} 人`);
  parts.push(`タネ ${Number.isFinite(p.tane_count) ? p.tane_count : 0}`);
  parts.push(`場所 ${Number.isFinite(p.place_count) ? p.place_count : 0}`);
  return parts.join('・');
}
