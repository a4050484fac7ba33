// The DOM of a タネ: its entry in the タネ list and its details. All of it goes in as text
// (dom.js); a タネ's text is the staff's own note, but it may hold anything a diary held.

import { h } from './dom.js';
import { formatDate } from './i18n.js';
import { formatDateTime, formatPoint } from './staff-fields.js';
import { excerpt, personalDataText, TANE_SOURCE_LABELS, TANE_STATUS_LABELS } from './fieldwork-fields.js';

export function taneStatusBadge(status) {
  return h('span', { class: `status-badge tane-status tane-status-${TANE_STATUS_LABELS[status] ? status : 'unknown'}` },
    TANE_STATUS_LABELS[status] ?? String(status ?? ''));
}

function personalBadge(p) {
  return Array.isArray(p.personal_data) && p.personal_data.length
    ? h('span', { class: 'personal-badge', title: '個人の情報らしきものを含みます' }, '⚠ 個人の情報あり')
    : null;
}

function whenAndSource(p) {
  return `見つけた日：${formatDate(p.found_on ?? '')}・${TANE_SOURCE_LABELS[p.source] ?? p.source ?? ''}`;
}

/** A list entry: a button (the タネ's text must not become a link's URL or a history entry). */
export function taneEntry(feature, { placeName = null } = {}) {
  const p = feature.properties ?? {};
  const became = p.place_id
    ? h('span', { class: 'item-line tane-place', 'data-place-id': p.place_id }, `場所になりました：${placeName ?? '…'}`)
    : null;
  const button = h('button', { type: 'button', class: 'place-link tane-link', 'data-id': feature.id },
    h('span', { class: 'item-name' }, excerpt(p.text, 60)),
    h('span', { class: 'item-tags' }, taneStatusBadge(p.status), personalBadge(p)),
    h('span', { class: 'item-line' }, whenAndSource(p)),
    feature.geometry ? null : h('span', { class: 'item-line tane-no-point' }, '地点なし'),
    became);
  return h('li', { class: 'staff-item tane-item' }, button);
}

/**
 * The details: heading (the text's first words), status, the whole text, when, where, which
 * walk, who recorded it, and what the server found in it. `actions` are the buttons.
 */
export function taneDetail(feature, { walkTitle = null, placeName = null, actions = [] } = {}) {
  const p = feature.properties ?? {};
  const heading = h('h2', { id: 'tane-detail-heading', class: 'view-heading', tabindex: '-1' }, excerpt(p.text, 30));
  const rows = [
    ['見つけた日', formatDate(p.found_on ?? '')],
    ['出どころ', TANE_SOURCE_LABELS[p.source] ?? p.source ?? ''],
    ['地点', feature.geometry ? formatPoint(feature.geometry.coordinates) : '地点なし'],
    ['まち歩き', p.walk_id ? walkTitle ?? '（題名を読み込めませんでした）' : 'なし'],
    p.place_id ? ['なった場所', placeName ?? '…'] : null,
    ['記録した人', p.recorded_by ?? ''],
    ['版', `第 ${p.version ?? '?'} 版・${formatDateTime(p.updated_at)} 更新${p.updated_by ? `（${p.updated_by}）` : ''}`],
  ].filter(Boolean);
  const personal = Array.isArray(p.personal_data) && p.personal_data.length
    ? h('div', { class: 'notice notice-warn personal-found' },
      h('p', {}, '個人の情報らしきものが含まれています（保存するときに確かめ済みです）：'),
      h('ul', {}, p.personal_data.map((item) => h('li', {}, personalDataText(item)))))
    : null;
  const element = h('section', { class: 'tane-detail', 'aria-labelledby': 'tane-detail-heading', 'data-id': feature.id },
    heading,
    h('p', { class: 'tane-detail-status' }, taneStatusBadge(p.status), personalBadge(p)),
    h('div', { class: 'staff-actions', role: 'group', 'aria-label': 'このタネの操作' }, actions),
    h('p', { class: 'tane-text' }, typeof p.text === 'string' ? p.text : ''),
    personal,
    h('dl', { class: 'detail-list' }, rows.map(([term, value]) => h('div', { class: 'detail-row' }, h('dt', {}, term), h('dd', {}, value)))),
    h('div', { id: 'tane-history', class: 'tane-history' }));
  return { element, heading };
}
