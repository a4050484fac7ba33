// What staff see of a place's fields: their Japanese labels, how a value is written out
// (in the history, the diff and the 412 view), and the statuses. Shared by the staff modules.

import { categoryName, areaName, formatDate } from './i18n.js';

/** The place's fields in the order the form shows them, with their labels. */
export const FIELD_LABELS = Object.freeze({
  name: '名前',
  name_kana: 'ふりがな',
  category: '種類',
  geometry: '地点',
  address: '住所',
  area: '地域',
  schedule_note: '日時の補足',
  schedule: '日時',
  description: '説明',
  phone: '電話',
  email: 'メール',
  url: 'ホームページ',
  cost: '費用',
  audience: '対象',
  accessibility: 'バリアフリー',
  tags: 'タグ',
  source: '情報の出どころ',
  status: '公開の状態',
  verified_at: '情報の確認日',
  tane_id: 'もとのタネ',
  walk_id: '見つけたまち歩き',
});

export const STATUS_LABELS = Object.freeze({
  draft: '下書き',
  published: '公開中',
  archived: 'アーカイブ',
});

export const SOURCE_LABELS = Object.freeze({
  walk: 'まち歩き',
  tane: 'タネ',
  import: '取り込み',
  staff: 'スタッフ入力',
});

/** The change kinds the history names, in words. */
const CHANGE_LABELS = Object.freeze({
  create: '追加',
  created: '追加',
  insert: '追加',
  import: '取り込み',
  update: '編集',
  updated: '編集',
  replace: '編集',
  patch: '編集',
  publish: '公開',
  archive: 'アーカイブ',
  archived: 'アーカイブ',
  restore: '版を戻す',
  restored: '版を戻す',
  verify: '確認しました',
  verified: '確認しました',
});

export function fieldLabel(field) {
  if (field === 'location' || field === 'coordinates') return FIELD_LABELS.geometry;
  return FIELD_LABELS[field] ?? field;
}

export function changeLabel(change) {
  return CHANGE_LABELS[change] ?? (typeof change === 'string' ? change : '');
}

/** Fields whose values the history and the 412 view compare (geometry separately). */
export const COMPARED_FIELDS = Object.freeze(Object.keys(FIELD_LABELS).filter((f) => f !== 'geometry'));

let reference = { categories: new Map(), areas: new Map() };

export function setFieldReference(categories, areas) {
  reference = {
    categories: new Map(categories.map((c) => [c.code, c])),
    areas: new Map(areas.map((a) => [a.code, a])),
  };
}

/** A point as 「緯度 34.62800, 経度 136.10800」. */
export function formatPoint(coordinates) {
  if (!Array.isArray(coordinates) || coordinates.length < 2) return '（なし）';
  const [lon, lat] = coordinates.map(Number);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return '（なし）';
  return `緯度 ${lat.toFixed(5)}, 経度 ${lon.toFixed(5)}`;
}

/** A field's value as plain text for people (never HTML: the caller puts it in as text). */
export function formatValue(field, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return '（なし）';
  }
  if (field === 'geometry' || field === 'location' || (typeof value === 'object' && !Array.isArray(value) && value.coordinates)) {
    return formatPoint(value.coordinates ?? value);
  }
  if (field === 'category') {
    const category = reference.categories.get(value);
    return category ? categoryName(category) : String(value);
  }
  if (field === 'area') {
    const area = reference.areas.get(value);
    return area ? areaName(area) : String(value);
  }
  if (field === 'status') return STATUS_LABELS[value] ?? String(value);
  if (field === 'source') return SOURCE_LABELS[value] ?? String(value);
  if (field === 'verified_at') return formatDate(String(value));
  if (Array.isArray(value)) return value.map(String).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The same value? (arrays and points compared by content; empty and missing are equal). */
export function sameValue(a, b) {
  const empty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A date and time from the API (RFC 3339) as 「2026年11月25日 12:05」 in Japan's time. */
export function formatDateTime(iso) {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return String(iso ?? '');
  return date.toLocaleString('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * The fields that differ between two versions of a place ({properties, geometry} or
 * Features): [{field, before, after}], geometry first.
 */
export function diffPlaces(before, after) {
  const changes = [];
  const pointOf = (f) => f?.geometry?.coordinates ?? null;
  if (!sameValue(pointOf(before), pointOf(after))) {
    changes.push({ field: 'geometry', before: before?.geometry ?? null, after: after?.geometry ?? null });
  }
  for (const field of COMPARED_FIELDS) {
    const a = before?.properties?.[field];
    const b = after?.properties?.[field];
    if (!sameValue(a, b)) changes.push({ field, before: a ?? null, after: b ?? null });
  }
  return changes;
}
