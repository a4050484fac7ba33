// The page's state and its URL, both ways: a link can be shared or bookmarked, and the
// back button steps through what the resident did.
//
//   /?category=salon,kayoinoba&area=nabari&q=体操&near=136.10000,34.62000&radius=1000
//     &day=tu&time=am&place=<id>&map=13/34.62800/136.10800&lang=en
//
// Everything read from the URL is checked here; anything malformed is dropped, never passed on.

import { DAYS, TIMES } from './when.js';

export const RADII = Object.freeze([500, 1000, 2000, 5000]);
export const DEFAULT_RADIUS = 1000;
export const DEFAULT_VIEW = Object.freeze({ lat: 34.628, lon: 136.108, zoom: 13 });

const CODE = /^[a-z0-9_]{1,64}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function emptyState() {
  return {
    category: [], area: '', q: '', near: null, radius: DEFAULT_RADIUS, day: '', time: '', place: null, view: null, lang: null,
  };
}

function parseNumbers(text, count, sep) {
  if (typeof text !== 'string') return null;
  const parts = text.split(sep);
  if (parts.length !== count) return null;
  const numbers = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  return numbers.every(Number.isFinite) ? numbers : null;
}

function validLonLat([lon, lat]) {
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Reads the state from a query string (e.g. `location.search`). */
export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  const category = params.get('category');
  if (category) {
    state.category = [...new Set(category.split(',').filter((c) => CODE.test(c)))];
  }
  const area = params.get('area');
  if (area && CODE.test(area)) state.area = area;
  const q = params.get('q');
  if (q) state.q = q.trim().slice(0, 200);
  const near = parseNumbers(params.get('near'), 2, ',');
  if (near && validLonLat(near)) state.near = near;
  const radius = Number(params.get('radius'));
  if (RADII.includes(radius)) state.radius = radius;
  const day = params.get('day');
  if (DAYS.includes(day)) {
    state.day = day;
    const time = params.get('time');
    if (TIMES.includes(time)) state.time = time;
  }
  const place = params.get('place');
  if (place && ID.test(place)) state.place = place;
  const view = parseNumbers(params.get('map'), 3, '/');
  if (view) {
    const [zoom, lat, lon] = view;
    if (zoom >= 0 && zoom <= 20 && validLonLat([lon, lat])) state.view = { zoom: Math.round(zoom), lat, lon };
  }
  const lang = params.get('lang');
  if (lang === 'en' || lang === 'ja') state.lang = lang;
  return state;
}

/** The query string (with its `?`, or '' when the state is the default) for a state. */
export function stateToSearch(state) {
  const params = new URLSearchParams();
  if (state.category.length) params.set('category', state.category.join(','));
  if (state.area) params.set('area', state.area);
  if (state.q) params.set('q', state.q);
  if (state.near) params.set('near', state.near.map((v) => v.toFixed(4)).join(','));
  if (state.near || state.radius !== DEFAULT_RADIUS) params.set('radius', String(state.radius));
  if (state.day) params.set('day', state.day);
  if (state.day && state.time) params.set('time', state.time);
  if (state.place) params.set('place', state.place);
  if (state.view) {
    const { zoom, lat, lon } = state.view;
    params.set('map', `${zoom}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.lang && state.lang !== 'ja') params.set('lang', state.lang);
  const text = params.toString().replaceAll('%2C', ',').replaceAll('%2F', '/');
  return text ? `?${text}` : '';
}

/**
 * Rounds a point to what the URL keeps (4 decimals, about 10 m), so that a reload gives the
 * same answer and a shared link does not pin a resident's home to the metre.
 */
export function roundPoint([lon, lat]) {
  return [Number(lon.toFixed(4)), Number(lat.toFixed(4))];
}

/** A copy of the state with `changes` applied. */
export function withChanges(state, changes) {
  return { ...state, ...changes };
}

export function pushState(state) {
  const url = `${location.pathname}${stateToSearch(state)}`;
  if (url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
}

export function replaceState(state) {
  const url = `${location.pathname}${stateToSearch(state)}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}
