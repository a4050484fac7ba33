// The public map page: wires the state (URL), the API, the map, the filters and the list.
//
// What the list shows:
//  - normally, the places matching the filters inside the map's view (fetched by `bbox`, a
//    little wider than the view so that small pans need no new request);
//  - with "近くを探す", the places within the radius of the chosen point, nearest first.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { t, lang, setLang, applyTranslations, categoryName, areaName, formatRadius } from './i18n.js';
import { PlaceList } from './list.js';
import { Filters } from './filters.js';
import { WhenFilter, openAtOf, whenLabel } from './when.js';
import { PlaceMap, mapAvailable } from './map.js';
import { setReference, latLonOf } from './place-view.js';
import {
  DEFAULT_VIEW, DEFAULT_RADIUS, emptyState, parseState, stateToSearch, pushState, replaceState,
  roundPoint, withChanges,
} from './state.js';

const STORAGE = { lang: 'tsunagari.lang', large: 'tsunagari.largeText' };
/** The request covers the view and this much more on each side (0.5 = half the view). */
const FETCH_PAD = 0.5;
/** "全部が見えるように" zooms to at most this many matches (one request). */
const FIT_MAX = 5000;
const stacked = window.matchMedia('(max-width: 899px)');
const collator = new Intl.Collator('ja');

let current = emptyState();
let placeMap = null;
let list;
let filters;
let when;
let cache = null; // {key, bbox, features, complete, numberMatched}
let inflight = null; // {key, bbox, controller}
const totals = new Map(); // filter key → numberMatched without bbox
let selected = null; // the chosen place's Feature
// The map view when a place was chosen, kept while the map has moved only to fit the place's
// popup (Leaflet's auto-pan): 「一覧に戻る」 puts it back, so the list is the one the resident left.
let returnView = null;
let viewTimer = 0;
let mapNoticeKey = '';
let mapStatus = 'ready';
let reference = { categories: [], areas: [] };

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- settings

function storageGet(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the setting lasts for this page only
  }
}

function setLargeText(on) {
  document.documentElement.classList.toggle('large-text', on);
  $('#large-text').setAttribute('aria-pressed', on ? 'true' : 'false');
  storageSet(STORAGE.large, on ? '1' : '0');
  placeMap?.invalidateSize();
}

function switchLanguage(code) {
  setLang(code);
  storageSet(STORAGE.lang, code);
  current = withChanges(current, { lang: code });
  replaceState(current);
  applyTranslations();
  filters.relabel(current);
  placeMap?.relabel();
  setMapNotice(mapNoticeKey);
  setMapStatus(mapStatus);
  when.relabel(current);
  list.relabel();
  list.renderConditions(conditionsOf(current));
  // Schedules come read out in the page's language: the answer is asked for again.
  refresh();
  if (selected) list.showDetail(selected, { focus: false });
}

// ---------------------------------------------------------------- messages

/** An alert at the top of the page; `kind` 'api' alerts go away when a request succeeds again. */
function showAlert(message, retry, kind = 'api') {
  const box = $('#app-alert');
  box.dataset.kind = kind;
  const parts = [h('p', {}, message)];
  if (retry) {
    const button = h('button', { type: 'button', class: 'button' }, t('error.retry'));
    button.addEventListener('click', () => {
      hideAlert();
      retry();
    });
    parts.push(button);
  }
  const close = h('button', { type: 'button', class: 'button button-quiet' }, t('error.close'));
  close.addEventListener('click', () => hideAlert());
  parts.push(close);
  replaceChildren(box, parts);
  box.hidden = false;
}

function hideAlert(kind = null) {
  const box = $('#app-alert');
  if (kind === null || box.dataset.kind === kind) box.hidden = true;
}

/** The notice under (or on) the map, by i18n key ('' hides it). */
function setMapNotice(key) {
  mapNoticeKey = key;
  const notice = $('#map-notice');
  notice.textContent = key ? t(key) : '';
  notice.hidden = !key;
}

/** On the map, where the markers will appear: 'loading', 'error' or 'ready' (nothing shown). */
function setMapStatus(status) {
  mapStatus = status;
  const box = $('#map-status');
  box.dataset.status = status;
  box.classList.toggle('map-status-error', status === 'error');
  box.textContent = status === 'error' ? t('map.failed') : t('map.loading');
  box.hidden = status === 'ready' || !placeMap;
}

/** Loading or not, everywhere the resident waits for the answer. */
function setBusy(busy) {
  filters.setBusy(busy);
  if (busy) setMapStatus('loading');
  else if (mapStatus === 'loading') setMapStatus('ready');
}

/**
 * The conditions the answer is for, each removable from the count line: the words, each
 * category, the area and the radius.
 */
function conditionsOf(state) {
  const conditions = [];
  if (state.q) {
    conditions.push({ key: 'q', label: t('results.condition.q', { q: state.q }), onRemove: () => change({ q: '', place: null }) });
  }
  // In the order of the chips, whatever the order in a shared URL.
  const rank = (code) => {
    const i = reference.categories.findIndex((c) => c.code === code);
    return i < 0 ? Infinity : i;
  };
  for (const code of [...state.category].sort((a, b) => rank(a) - rank(b))) {
    const category = reference.categories.find((c) => c.code === code);
    conditions.push({
      key: `category:${code}`,
      label: category ? categoryName(category) : code,
      onRemove: () => change({ category: current.category.filter((c) => c !== code), place: null }),
    });
  }
  if (state.area) {
    const area = reference.areas.find((a) => a.code === state.area);
    conditions.push({ key: 'area', label: area ? areaName(area) : state.area, onRemove: () => change({ area: '', place: null }) });
  }
  if (state.day) {
    conditions.push({ key: 'when', label: whenLabel(state), onRemove: () => change({ day: '', time: '', place: null }) });
  }
  if (state.near) {
    conditions.push({
      key: 'near',
      label: t('results.condition.near', { radius: formatRadius(state.radius) }),
      onRemove: () => {
        filters.setNearStatus('');
        change({ near: null, radius: DEFAULT_RADIUS, place: null });
      },
    });
  }
  return conditions;
}

// ---------------------------------------------------------------- queries

function filterKey(state) {
  return JSON.stringify([state.category, state.area, state.q, openAtOf(state), lang()]);
}

function queryKey(state) {
  return state.near ? JSON.stringify([filterKey(state), state.near, state.radius]) : filterKey(state);
}

function filtersOf(state) {
  return { category: state.category, area: state.area, q: state.q, openAt: openAtOf(state) };
}

function hasFilters(state) {
  return state.category.length > 0 || Boolean(state.area) || Boolean(state.q) || Boolean(state.day);
}

function contains(outer, inner) {
  if (!outer) return true;
  if (!inner) return false;
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

function inBbox(feature, bbox) {
  const [lat, lon] = latLonOf(feature);
  return lon >= bbox[0] && lat >= bbox[1] && lon <= bbox[2] && lat <= bbox[3];
}

function byKana(a, b) {
  const ka = a.properties?.name_kana || a.properties?.name || '';
  const kb = b.properties?.name_kana || b.properties?.name || '';
  return collator.compare(ka, kb);
}

/**
 * Brings the list and the markers up to date with `current`, fetching only when needed.
 * Resolves when the list is drawn (or the request failed).
 */
function refresh() {
  const key = queryKey(current);
  const near = Boolean(current.near);
  const view = placeMap && !near ? placeMap.bbox(0) : null;
  if (cache && cache.key === key && cache.complete && contains(cache.bbox, view)) {
    renderResults();
    return Promise.resolve();
  }
  if (inflight && inflight.key === key && contains(inflight.bbox, view)) return inflight.promise;
  inflight?.controller.abort();

  let bbox = null;
  if (placeMap && !near) {
    // Ask once for a wider area; if that is too much, ask for the view alone.
    const wide = cache?.key === key && !cache.complete ? null : placeMap.bbox(FETCH_PAD);
    bbox = wide ?? view;
  }
  const controller = new AbortController();
  const request = { key, bbox, controller };
  inflight = request;
  // Another question (filters, point): the old answer goes at once, from the list and the map.
  const stale = !cache || cache.key !== key;
  if (stale) {
    cache = null;
    placeMap?.setPlaces(selected ? [selected] : []);
  }
  list.setLoading(true, { stale });
  list.renderConditions(conditionsOf(current));
  setBusy(true);
  request.promise = (async () => {
    try {
      const filtersNow = { ...filtersOf(current), bbox, near: current.near, radius: current.radius };
      let result = await api.searchPlaces(filtersNow, { signal: controller.signal });
      if (result.truncated && bbox && bbox !== view) {
        request.bbox = view;
        result = await api.searchPlaces({ ...filtersNow, bbox: view }, { signal: controller.signal });
        bbox = view;
      }
      if (inflight !== request) return;
      const features = near ? result.features : result.features.sort(byKana);
      cache = { key, bbox, features, complete: !result.truncated, numberMatched: result.numberMatched };
      inflight = null;
      list.setLoading(false);
      setBusy(false);
      hideAlert('api');
      renderResults();
      if (!near && placeMap && hasFilters(current)) updateTotal(current);
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (inflight !== request) return; // a newer request owns the page
      inflight = null;
      console.warn('places request failed', error);
      // Where the answer would be: no old places left looking like the answer.
      cache = null;
      placeMap?.setPlaces(selected ? [selected] : []);
      list.showError();
      setBusy(false);
      setMapStatus('error');
    }
  })();
  return request.promise;
}

/** How many places match the filters anywhere (to tell the resident about places outside the view). */
async function updateTotal(state) {
  const key = filterKey(state);
  if (totals.has(key)) return;
  try {
    totals.set(key, await api.countPlaces(filtersOf(state)));
    if (filterKey(current) === key) renderResults();
  } catch (error) {
    console.warn('count request failed', error);
  }
}

/** Draws the list and the markers from the cache. */
function renderResults() {
  if (!cache || cache.key !== queryKey(current)) return;
  const near = Boolean(current.near);
  let shown = cache.features;
  const info = { radius: current.radius, conditions: conditionsOf(current) };
  if (near) {
    info.mode = 'near';
    info.matched = cache.numberMatched;
    info.tooMany = !cache.complete;
  } else if (placeMap) {
    const view = placeMap.bbox(0);
    $('#map').dataset.bbox = view.join(',');
    shown = cache.features.filter((f) => inBbox(f, view));
    info.mode = 'view';
    info.matched = cache.complete ? shown.length : cache.numberMatched;
    info.tooMany = !cache.complete;
    const total = hasFilters(current) ? totals.get(filterKey(current)) : undefined;
    if (total !== undefined && total > info.matched && total <= FIT_MAX) info.elsewhere = total;
  } else {
    info.mode = 'all';
    info.matched = cache.numberMatched;
    info.tooMany = !cache.complete;
  }
  list.selectedId = selected?.id ?? null;
  list.render(shown, info);
  if (placeMap) {
    const features = selected && !cache.features.some((f) => f.id === selected.id)
      ? [...cache.features, selected]
      : cache.features;
    placeMap.setPlaces(features);
  }
}

// ---------------------------------------------------------------- state changes

/** Makes the page show `next`. `how`: {initial, history, push}. */
async function apply(next, how = {}) {
  const previous = current;
  current = next;
  if (how.push) pushState(current);
  filters.show(current);
  when.show(current);
  if ((current.lang ?? lang()) !== lang()) {
    setLang(current.lang);
    applyTranslations();
    filters.relabel(current);
    when.relabel(current);
    placeMap?.relabel();
  }

  if (placeMap) {
    if (current.view && (how.initial || how.history)) placeMap.setView(current.view);
    const nearChanged = how.initial || !sameNear(previous, current);
    if (nearChanged) placeMap.showNear(current.near, current.radius, { fit: Boolean(current.near) && !(how.history || (how.initial && current.view)) });
  }

  // The list first, so that the chosen place's marker is there to open.
  const placeChanged = how.initial || previous.place !== current.place;
  if (placeChanged && !current.place) await showPlace(null, how);
  await refresh();
  if (placeChanged && current.place) await showPlace(current.place, how);
  // On a phone the list is below the map: after a search, bring the answer into sight.
  if (how.reveal && stacked.matches) $('#results').scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function sameNear(a, b) {
  if (!a.near || !b.near) return !a.near && !b.near;
  return a.near[0] === b.near[0] && a.near[1] === b.near[1] && a.radius === b.radius;
}

/** Shows (or hides) the chosen place in the list's place and on the map. */
async function showPlace(id, how = {}) {
  if (!id) {
    selected = null;
    returnView = null;
    list.hideDetail({ focus: Boolean(how.focus) });
    placeMap?.select(null);
    return;
  }
  let feature = cache?.features.find((f) => f.id === id) ?? (selected?.id === id ? selected : null);
  if (!feature) {
    try {
      feature = await api.getPlace(id);
    } catch (error) {
      if (error.name === 'AbortError') return;
      const missing = error.status === 404 || error.status === 400;
      showAlert(missing ? t('error.place.missing') : t('error.api'), null, missing ? 'place' : 'api');
      current = withChanges(current, { place: null });
      replaceState(current);
      return;
    }
    if (current.place !== id) return;
  }
  selected = feature;
  renderResults(); // puts the place's marker on the map even when it is outside the results
  if (placeMap && how.initial && !current.view) placeMap.centreOn(feature, 16);
  const focus = !how.initial;
  list.showDetail(feature, { focus, preventScroll: how.from === 'map' && stacked.matches });
  placeMap?.select(feature, { open: true });
}

function change(changes, how = { push: true }) {
  apply(withChanges(current, changes), how);
}

function choosePlace(id, from) {
  if (!current.place && placeMap) returnView = placeMap.view();
  if (current.place === id) {
    // Already chosen: just show it again.
    showPlace(id, { from });
    return;
  }
  change({ place: id }, { push: true, from });
}

/** Zooms the map so that every place matching the filters is in view. */
async function fitToMatches(state) {
  if (!placeMap) return;
  try {
    const result = await api.searchPlaces(filtersOf(state), { max: FIT_MAX });
    if (result.features.length > 0 && filterKey(current) === filterKey(state)) placeMap.fitFeatures(result.features);
  } catch (error) {
    console.warn('fit request failed', error);
  }
}

// ---------------------------------------------------------------- near

function startPicking() {
  if (!placeMap) return;
  placeMap.setPicking(true);
  const bar = $('#pick-bar');
  bar.hidden = false;
  $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
  bar.querySelector('.pick-prompt').focus({ preventScroll: true });
}

function stopPicking() {
  placeMap?.setPicking(false);
  $('#pick-bar').hidden = true;
}

function nearPoint(point, { reveal = false } = {}) {
  stopPicking();
  filters.setNearStatus('');
  change({ near: roundPoint(point), place: null }, { push: true, reveal });
}

function useMyLocation() {
  if (!('geolocation' in navigator)) {
    filters.setNearStatus('near.geo.unsupported', 'error');
    return;
  }
  filters.setNearStatus('near.locating', 'info');
  navigator.geolocation.getCurrentPosition(
    (position) => nearPoint([position.coords.longitude, position.coords.latitude], { reveal: true }),
    (error) => {
      console.warn('geolocation failed', error.code);
      filters.setNearStatus('near.geo.failed', 'error');
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

// ---------------------------------------------------------------- start

function hrefFor(id) {
  return `${location.pathname}${stateToSearch(withChanges(current, { place: id }))}`;
}

/** `auto`: the map moved only to show the popup; any other move keeps the map where it is now. */
function onViewChange(view, { auto = false } = {}) {
  if (!auto) returnView = null;
  current = withChanges(current, { view });
  replaceState(current);
  clearTimeout(viewTimer);
  viewTimer = setTimeout(() => refresh(), 150);
}

async function loadReference() {
  return Promise.all([api.getMapConfig(), api.getCategories(), api.getAreas()]);
}

async function start() {
  const initial = parseState(location.search);
  const large = storageGet(STORAGE.large) === '1';
  setLang(initial.lang ?? storageGet(STORAGE.lang) ?? 'ja');
  applyTranslations();
  setLargeText(large);

  list = new PlaceList($('#results'), {
    onSelect: (id) => choosePlace(id, 'list'),
    hrefFor,
    onBack: () => {
      // Undo the popup's auto-pan (the map keeps whatever the resident moved it to).
      if (returnView) placeMap?.setView(returnView);
      change({ place: null }, { push: true, focus: true });
    },
    onShowMap: () => {
      $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
      if (selected) placeMap?.select(selected, { open: true, reveal: true });
    },
    onShowAll: () => fitToMatches(current),
    onClearAll: () => clearAll(),
    onRetry: () => refresh(),
    onShowResults: () => {
      $('#results').scrollIntoView({ block: 'start', behavior: 'smooth' });
      $(list.isShowingDetail() ? '#detail-heading' : '#results-heading')?.focus({ preventScroll: true });
    },
  }, { bar: $('#show-results') });
  filters = new Filters($('#main'), {
    onSearch: (q) => {
      if (q === current.q) return;
      change({ q, place: null }, { push: true, reveal: Boolean(q) });
      if (q && !current.near) fitToMatches(current);
    },
    onCategories: (category) => change({ category, place: null }),
    onArea: (area) => {
      change({ area, place: null });
      if (area && !current.near) fitToMatches(current);
    },
    onRadius: (radius) => {
      if (current.near) change({ radius, place: null });
      else current = withChanges(current, { radius });
    },
    onNearGeo: useMyLocation,
    onNearPick: startPicking,
    onNearClear: () => {
      filters.setNearStatus('');
      change({ near: null, radius: DEFAULT_RADIUS, place: null });
    },
    onClearAll: () => clearAll(),
  });
  when = new WhenFilter($('#when'), ({ day, time }) => change({ day, time, place: null }));

  $('#large-text').addEventListener('click', () => setLargeText(!document.documentElement.classList.contains('large-text')));
  $('#lang-switch').addEventListener('click', () => switchLanguage(lang() === 'ja' ? 'en' : 'ja'));
  $('#pick-centre').addEventListener('click', () => placeMap && nearPoint(placeMap.centrePoint()));
  $('#pick-cancel').addEventListener('click', stopPicking);

  let config;
  let categories;
  let areas;
  try {
    [config, categories, areas] = await loadReference();
  } catch (error) {
    console.warn('reference request failed', error);
    showAlert(t('error.api'), () => location.reload());
    return;
  }
  reference = { categories, areas };
  setReference(categories, areas);
  filters.setReference(categories, areas);

  if (mapAvailable()) {
    try {
      placeMap = new PlaceMap($('#map'), config, initial.view ?? DEFAULT_VIEW, {
        onViewChange,
        onMarkerClick: (id) => choosePlace(id, 'map'),
        onPick: nearPoint,
        onTiles: (ok) => setMapNotice(ok ? '' : 'map.tiles.failed'),
        onPopupMore: (id) => {
          showPlace(id, { from: 'list' });
          $('#results').scrollIntoView({ block: 'start', behavior: 'smooth' });
        },
      });
    } catch (error) {
      console.error('map failed to start', error);
      placeMap = null;
    }
  }
  if (!placeMap) {
    setMapNotice('map.unavailable');
    $('#map').hidden = true;
  }
  stacked.addEventListener('change', () => placeMap?.invalidateSize());
  // 「結果を見る」 steps aside while the list is in sight.
  if ('IntersectionObserver' in window) {
    // "In sight": the list reaches the upper three quarters of the screen, not just its edge.
    new IntersectionObserver(([entry]) => $('#result-bar').classList.toggle('off', entry.isIntersecting), { rootMargin: '0px 0px -25% 0px' })
      .observe($('#results'));
  }
  window.addEventListener('popstate', () => {
    stopPicking();
    apply(parseState(location.search), { history: true, focus: true });
  });
  document.documentElement.classList.add('ready');
  await apply(initial, { initial: true });
}

function clearAll() {
  stopPicking();
  filters.setNearStatus('');
  change({ category: [], area: '', q: '', near: null, radius: DEFAULT_RADIUS, day: '', time: '', place: null });
}

start();
