// The DOM of a walk: its entry in the まち歩き list and its page (what was found on it).

import { h } from './dom.js';
import { formatDate, formatDistance } from './i18n.js';
import { formatDateTime, STATUS_LABELS } from './staff-fields.js';
import { excerpt, walkFigures } from './fieldwork-fields.js';
import { taneStatusBadge } from './tane-view.js';
import { statusBadge } from './staff-list.js';

/**
 * What was found on a walk (`properties.found`) as plain records: {tane: [{id, text, status,
 * geometry}], places: [{id, name, status, category, geometry}]}. The API answers whole
 * Features; a flat record is taken too.
 */
export function foundOn(feature) {
  const found = feature?.properties?.found ?? {};
  const flat = (item) => ({ id: item.id, geometry: item.geometry ?? null, ...(item.properties ?? item) });
  return {
    tane: Array.isArray(found.tane) ? found.tane.map(flat) : [],
    places: Array.isArray(found.places) ? found.places.map(flat) : [],
  };
}

export function walkEntry(feature, { recording = false } = {}) {
  const p = feature.properties ?? {};
  const button = h('button', { type: 'button', class: 'place-link walk-link', 'data-id': feature.id },
    h('span', { class: 'item-name' }, typeof p.title === 'string' ? p.title : ''),
    recording ? h('span', { class: 'item-tags' }, h('span', { class: 'status-badge recording-badge' }, '● 記録中')) : null,
    h('span', { class: 'item-line' }, formatDate(p.walked_on ?? '')),
    h('span', { class: 'item-line walk-figures' }, walkFigures(p)),
    feature.geometry ? null : h('span', { class: 'item-line' }, '道のりはまだありません'));
  return h('li', { class: 'staff-item walk-item' }, button);
}

/**
 * A walk's page. `found` is `properties.found` ({tane, places}); `onTane(id)`, `onPlace(id)`
 * open what was found; `actions` are the page's buttons.
 */
export function walkPage(feature, { actions = [], onTane, onPlace, recording = false } = {}) {
  const p = feature.properties ?? {};
  const { tane, places } = foundOn(feature);
  const heading = h('h2', { id: 'walk-heading', class: 'view-heading', tabindex: '-1' }, typeof p.title === 'string' ? p.title : '');
  const rows = [
    ['歩いた日', formatDate(p.walked_on ?? '')],
    ['参加した人数', Number.isFinite(p.participants) ? `${p.participants} 人` : '（記録なし）'],
    ['道のり', feature.geometry ? formatDistance(Number(p.length_m) || 0) : '（まだありません）'],
    typeof p.notes === 'string' && p.notes ? ['メモ', p.notes] : null,
    ['記録した人', p.created_by ?? ''],
    ['版', `第 ${p.version ?? '?'} 版・${formatDateTime(p.updated_at)} 更新`],
  ].filter(Boolean);
  const taneItems = tane.map((t) => {
    const button = h('button', { type: 'button', class: 'place-link walk-found-tane', 'data-id': t.id },
      h('span', { class: 'item-name' }, excerpt(t.text, 60)),
      h('span', { class: 'item-tags' }, taneStatusBadge(t.status)),
      t.geometry ? null : h('span', { class: 'item-line' }, '地点なし'));
    button.addEventListener('click', () => onTane?.(t.id));
    return h('li', { class: 'staff-item' }, button);
  });
  const placeItems = places.map((place) => {
    const button = h('button', { type: 'button', class: 'place-link walk-found-place', 'data-id': place.id },
      h('span', { class: 'item-name' }, typeof place.name === 'string' ? place.name : ''),
      h('span', { class: 'item-tags' }, STATUS_LABELS[place.status] ? statusBadge(place.status) : null));
    button.addEventListener('click', () => onPlace?.(place.id));
    return h('li', { class: 'staff-item' }, button);
  });
  const element = h('section', { class: 'walk-page', 'aria-labelledby': 'walk-heading', 'data-id': feature.id },
    heading,
    recording ? h('p', { class: 'notice walk-banner' }, 'このまち歩きを記録中です。') : null,
    h('div', { class: 'staff-actions', role: 'group', 'aria-label': 'このまち歩きの操作' }, actions),
    h('dl', { class: 'detail-list' }, rows.map(([term, value]) => h('div', { class: 'detail-row' }, h('dt', {}, term), h('dd', {}, value)))),
    h('h3', { id: 'walk-tane-heading' }, `見つけたタネ（${tane.length} 件）`),
    taneItems.length
      ? h('ol', { class: 'place-list walk-found', 'aria-labelledby': 'walk-tane-heading' }, taneItems)
      : h('p', { class: 'hint' }, 'このまち歩きのタネはまだありません。'),
    h('h3', { id: 'walk-places-heading' }, `見つけた場所（${places.length} 件）`),
    placeItems.length
      ? h('ol', { class: 'place-list walk-found', 'aria-labelledby': 'walk-places-heading' }, placeItems)
      : h('p', { class: 'hint' }, 'このまち歩きで追加した場所はまだありません。'),
    h('div', { id: 'walk-history', class: 'tane-history' }));
  return { element, heading };
}
