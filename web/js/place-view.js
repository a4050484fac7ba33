// The DOM for one place: the list entry, the full details, the map popup and the tooltip.
// All place data goes in as text (see dom.js).

import { h, setCategoryColour, telHref, webHref, mailHref, directionsHref } from './dom.js';
import { t, categoryName, areaName, formatDate, formatDistance, formatSession } from './i18n.js';

/** Lookup tables the views need: {categories: Map(code → category), areas: Map(code → area)}. */
let reference = { categories: new Map(), areas: new Map() };

export function setReference(categories, areas) {
  reference = {
    categories: new Map(categories.map((c) => [c.code, c])),
    areas: new Map(areas.map((a) => [a.code, a])),
  };
}

export function categoryOf(feature) {
  return reference.categories.get(feature.properties?.category) ?? null;
}

function text(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function list(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v.trim() !== '') : [];
}

export function latLonOf(feature) {
  const [lon, lat] = feature.geometry?.coordinates ?? [];
  return [Number(lat), Number(lon)];
}

/** The category label: a coloured tag with the category name. */
function categoryTag(feature) {
  const category = categoryOf(feature);
  const tag = h('span', { class: 'cat-tag' }, category ? categoryName(category) : feature.properties?.category ?? '');
  if (category) setCategoryColour(tag, category.color);
  return tag;
}

function sampleBadge(feature) {
  return feature.properties?.sample === true ? h('span', { class: 'sample-badge' }, t('place.sample')) : null;
}

/**
 * 「第1・第3木曜 10:00〜11:30」: the schedule as the server reads it out in the page's language
 * (`schedule_text`; the `schedule` field itself is OSM syntax, which no resident reads), or
 * the staff's own note when there is no schedule.
 */
export function scheduleText(p) {
  return text(p.schedule_text) ?? text(p.schedule_note);
}

/** The staff's note when the schedule is also shown (「雨天中止」): said once, not twice. */
function scheduleNote(p) {
  return text(p.schedule_text) && text(p.schedule_note) !== text(p.schedule_text) ? text(p.schedule_note) : null;
}

/**
 * 「開催中（12:00まで）」 or 「次回: 12月1日(火) 10:00〜」 from the answer's next session; without
 * `label` (next to a 「次の開催」 heading) just 「12月1日(火) 10:00〜」.
 */
export function nextSessionText(p, { label = true } = {}) {
  if (text(p.open_until)) return t('place.open.now', { until: formatSession(p.open_until, { timeOnly: true }) });
  if (!text(p.next_open)) return null;
  const when = `${formatSession(p.next_open)}〜`;
  return label ? t('place.next', { when }) : when;
}

function distanceText(p) {
  return Number.isFinite(p.distance_m) ? formatDistance(p.distance_m) : null;
}

/** The content of a list entry (inside the link the list builds). */
export function placeSummary(feature) {
  const p = feature.properties ?? {};
  const schedule = scheduleText(p);
  const next = nextSessionText(p);
  const distance = distanceText(p);
  return [
    h('span', { class: 'item-head' },
      h('span', { class: 'item-name' }, text(p.name) ?? ''),
      distance ? h('span', { class: 'item-distance' }, distance) : null),
    h('span', { class: 'item-tags' }, categoryTag(feature), sampleBadge(feature)),
    schedule ? h('span', { class: 'item-line item-when' }, schedule) : null,
    next ? h('span', { class: `item-line item-next${p.open_until ? ' open-now' : ''}` }, next) : null,
    text(p.address) ? h('span', { class: 'item-line item-where' }, p.address) : null,
  ];
}

function row(labelKey, ...value) {
  if (value.every((v) => v === null || v === undefined || v === '')) return null;
  return h('div', { class: 'detail-row' }, h('dt', {}, t(labelKey)), h('dd', {}, ...value));
}

function externalLink(href, label, className) {
  return h('a', { href, class: className, target: '_blank', rel: 'noopener noreferrer' },
    label, h('span', { class: 'visually-hidden' }, t('place.opens.new')));
}

function actions(feature) {
  const p = feature.properties ?? {};
  const [lat, lon] = latLonOf(feature);
  const directions = directionsHref(lat, lon);
  const tel = telHref(p.phone);
  return h('div', { class: 'detail-actions' },
    directions ? externalLink(directions, t('place.directions'), 'button button-primary directions') : null,
    tel ? h('a', { href: tel, class: 'button call' }, t('place.phone.call', { phone: p.phone })) : null);
}

/**
 * The full details of a place. `onShowMap` (optional) adds a 「地図で見る」 button.
 * Answers {element, heading}: the caller moves focus to `heading`.
 */
export function placeDetail(feature, { onShowMap } = {}) {
  const p = feature.properties ?? {};
  const heading = h('h2', { class: 'detail-name', tabindex: '-1', id: 'detail-heading' }, text(p.name) ?? '');
  const tel = telHref(p.phone);
  const url = webHref(p.url);
  const mail = mailHref(p.email);
  const area = reference.areas.get(p.area);
  const distance = distanceText(p);
  const element = h('article', { class: 'place-detail', 'aria-labelledby': 'detail-heading', 'data-id': feature.id },
    heading,
    h('p', { class: 'item-tags' }, categoryTag(feature), sampleBadge(feature)),
    p.sample === true ? h('p', { class: 'sample-note' }, t('place.sample.note')) : null,
    text(p.description) ? h('p', { class: 'detail-description' }, p.description) : null,
    h('dl', { class: 'detail-list' },
      row('place.distance', distance),
      row('place.schedule', scheduleText(p)),
      row('place.when.next', nextSessionText(p, { label: false })),
      row('place.schedule.note', scheduleNote(p)),
      row('place.address', text(p.address)),
      row('place.area', area ? areaName(area) : null),
      row('place.phone', text(p.phone) ? (tel ? h('a', { href: tel }, p.phone) : p.phone) : null),
      row('place.email', text(p.email) ? (mail ? h('a', { href: mail }, p.email) : p.email) : null),
      row('place.url', text(p.url) ? (url ? externalLink(url, p.url, 'url') : p.url) : null),
      row('place.cost', text(p.cost)),
      row('place.audience', list(p.audience).join('、')),
      row('place.accessibility', text(p.accessibility)),
      row('place.verified', text(p.verified_at) ? formatDate(p.verified_at) : null)),
    actions(feature),
    onShowMap ? h('button', { type: 'button', class: 'button show-on-map' }, t('detail.show.map')) : null);
  if (onShowMap) element.querySelector('.show-on-map').addEventListener('click', onShowMap);
  return { element, heading };
}

/** The map popup: the essentials, directions, and a button to the full details. */
export function placePopup(feature, { onMore } = {}) {
  const p = feature.properties ?? {};
  const schedule = scheduleText(p);
  const next = nextSessionText(p);
  const distance = distanceText(p);
  const more = onMore ? h('button', { type: 'button', class: 'button popup-more' }, t('detail.more')) : null;
  if (more) more.addEventListener('click', onMore);
  const [lat, lon] = latLonOf(feature);
  const directions = directionsHref(lat, lon);
  return h('div', { class: 'place-popup', 'data-id': feature.id },
    h('p', { class: 'popup-name' }, text(p.name) ?? ''),
    h('p', { class: 'item-tags' }, categoryTag(feature), sampleBadge(feature)),
    distance ? h('p', { class: 'popup-line' }, `${t('place.distance')}: ${distance}`) : null,
    schedule ? h('p', { class: 'popup-line' }, schedule) : null,
    next ? h('p', { class: 'popup-line popup-next' }, next) : null,
    text(p.address) ? h('p', { class: 'popup-line' }, p.address) : null,
    h('p', { class: 'popup-actions' },
      more,
      // Short, so that both buttons fit in one row of a phone's popup; the details say more.
      directions ? externalLink(directions, t('place.directions.short'), 'button directions') : null));
}

/** The tooltip shown when a marker is hovered or focused: the name, as text. */
export function placeTooltip(feature) {
  return h('span', { class: 'place-tooltip' }, text(feature.properties?.name) ?? '');
}
