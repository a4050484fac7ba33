// The only module that knows the API's URLs. The page is a client of the public API like
// any other: it uses nothing that QGIS or a script could not use too.

import { lang } from './i18n.js';

const ITEMS = '/api/collections/places/items';

/** How many places one request asks for, and how many one view may load in all. */
export const PAGE_LIMIT = 5000;
export const MAX_PLACES_IN_VIEW = 10000;

const ACCEPT = 'application/geo+json, application/json;q=0.9, application/problem+json;q=0.5';

export class ApiError extends Error {
  constructor(message, status = 0, problem = null, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    /** Seconds to wait (from `Retry-After`), when the server said so. */
    this.retryAfter = retryAfter;
  }

  /** The problem's per-field errors: [{field, reason}]. */
  get fieldErrors() {
    return Array.isArray(this.problem?.errors) ? this.problem.errors : [];
  }
}

async function request(path, init = {}) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: ACCEPT, ...init.headers } });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(`network error: ${error.message}`);
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not JSON: keep the status only
    }
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(problem?.detail ?? `HTTP ${response.status}`, response.status, problem,
      Number.isFinite(retry) ? retry : null);
  }
  return response;
}

async function getJson(path, signal, init = {}) {
  const response = await request(path, { signal, ...init });
  return response.json();
}

export function getMapConfig(signal) {
  return getJson('/api/map-config', signal);
}

export function getCategories(signal) {
  return getJson('/api/categories', signal);
}

export function getAreas(signal) {
  return getJson('/api/areas', signal);
}

/** Names of published places as the user types: [{id, name, category}], best first. */
export async function getSuggestions(q, signal, limit = 8) {
  const params = new URLSearchParams({ q, limit: String(limit) });
  const body = await getJson(`/api/suggest?${params}`, signal);
  return Array.isArray(body?.suggestions) ? body.suggestions : [];
}

export function getPlace(id, signal) {
  return getJson(`${ITEMS}/${encodeURIComponent(id)}?lang=${lang()}`, signal);
}

/**
 * The query string for a search: `filters` is {category: [codes], area, q, near: [lon, lat],
 * radius, bbox: [minLon, minLat, maxLon, maxLat], openAt}. Schedules come back read out in
 * the page's language.
 */
export function itemsQuery(filters, limit) {
  const params = new URLSearchParams();
  if (filters.bbox) params.set('bbox', filters.bbox.map((v) => v.toFixed(6)).join(','));
  if (filters.near) {
    params.set('near', filters.near.map((v) => v.toFixed(6)).join(','));
    if (filters.radius) params.set('radius', String(filters.radius));
  }
  if (filters.category?.length) params.set('category', filters.category.join(','));
  if (filters.area) params.set('area', filters.area);
  if (filters.q) params.set('q', filters.q);
  if (filters.openAt) params.set('open_at', filters.openAt);
  if (filters.status?.length) params.set('status', filters.status.join(','));
  params.set('lang', lang());
  params.set('limit', String(limit));
  return params.toString();
}

/** Keeps only the path and query of a link, so that every request stays on this origin. */
function sameOriginPath(href) {
  const url = new URL(href, location.href);
  return url.pathname + url.search;
}

/**
 * Fetches the places matching `filters`, following `next` links until all are loaded or
 * `max` is reached. Answers {features, numberMatched, truncated}.
 */
export async function searchPlaces(filters, { signal, max = MAX_PLACES_IN_VIEW, fresh = false } = {}) {
  let path = `${ITEMS}?${itemsQuery(filters, Math.min(PAGE_LIMIT, max))}`;
  const features = [];
  let numberMatched = 0;
  for (;;) {
    const page = await getJson(path, signal, fresh ? { cache: 'no-store' } : {});
    numberMatched = page.numberMatched ?? features.length + page.features.length;
    features.push(...page.features);
    const next = (page.links ?? []).find((link) => link.rel === 'next');
    if (!next || features.length >= max || page.features.length === 0) break;
    path = sameOriginPath(next.href);
  }
  return { features, numberMatched, truncated: features.length < numberMatched };
}

/** How many places match `filters` (one feature is fetched, for its `numberMatched`). */
export async function countPlaces(filters, signal) {
  const page = await getJson(`${ITEMS}?${itemsQuery(filters, 1)}`, signal);
  return page.numberMatched ?? 0;
}

// ---------------------------------------------------------------- staff (a session cookie)
//
// Every state-changing request is a same-origin fetch with a JSON body: the session cookie is
// SameSite=Strict and the server refuses other Origins. Staff reads are never taken from the
// browser's cache — an edit must start from the version the server has now.

const STAFF_READ = { cache: 'no-store' };

/** `"7"` (the quoted version the server sends as ETag) for a feature, from its header or its properties. */
function etagOf(response, feature) {
  return response.headers.get('ETag') ?? `"${feature?.properties?.version ?? ''}"`;
}

/**
 * A state-changing request. Even those without content send `{}` as JSON: the server takes
 * only JSON bodies on writes (a cross-site form cannot send one).
 */
async function sendJson(method, path, body = {}, { etag, contentType = 'application/json' } = {}) {
  const headers = { 'Content-Type': contentType };
  if (etag) headers['If-Match'] = etag;
  const response = await request(path, {
    method,
    headers,
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return { response, body: null };
  const text = await response.text();
  return { response, body: text ? JSON.parse(text) : null };
}

/** Who is logged in ({username, role}), or null. */
export async function getMe() {
  try {
    return await getJson('/api/me', undefined, STAFF_READ);
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export async function login(username, password) {
  return (await sendJson('POST', '/api/login', { username, password })).body;
}

export async function logout() {
  await sendJson('POST', '/api/logout');
}

/** A place in any status, with its ETag: {feature, etag}. */
export async function getPlaceForEdit(id) {
  const response = await request(`${ITEMS}/${encodeURIComponent(id)}`, STAFF_READ);
  const feature = await response.json();
  return { feature, etag: etagOf(response, feature) };
}

/** Adds a place (a GeoJSON Feature): {feature, etag}. */
export async function createPlace(feature) {
  const { response, body } = await sendJson('POST', ITEMS, feature);
  return { feature: body, etag: etagOf(response, body) };
}

/** A JSON merge patch of `properties` and/or `geometry`, only if the place is still at `etag`. */
export async function patchPlace(id, etag, patch) {
  const { response, body } = await sendJson('PATCH', `${ITEMS}/${encodeURIComponent(id)}`, patch,
    { etag, contentType: 'application/merge-patch+json' });
  return { feature: body, etag: etagOf(response, body) };
}

/** Archives the place (nothing is ever deleted). */
export async function archivePlace(id, etag) {
  const { response, body } = await sendJson('DELETE', `${ITEMS}/${encodeURIComponent(id)}`, undefined, { etag });
  return { feature: body, etag: etagOf(response, body) };
}

/** Every version, newest first: {versions: [{version, change, changed_at, changed_by, properties, geometry, diff}]}. */
export function getHistory(id) {
  return getJson(`${ITEMS}/${encodeURIComponent(id)}/history`, undefined, STAFF_READ);
}

/** Brings back `version` as a new version. */
export async function restorePlace(id, etag, version) {
  const { response, body } = await sendJson('POST', `${ITEMS}/${encodeURIComponent(id)}/restore`, { version }, { etag });
  return { feature: body, etag: etagOf(response, body) };
}

/** 「確認しました」: the place's details were checked today. */
export async function verifyPlace(id, etag) {
  const { response, body } = await sendJson('POST', `${ITEMS}/${encodeURIComponent(id)}/verify`, undefined, { etag });
  return { feature: body, etag: etagOf(response, body) };
}

/** Published places not checked for `days` days, oldest first (要確認). */
export async function getReview(days) {
  const page = await getJson(`/api/review?days=${encodeURIComponent(String(days))}`, undefined, STAFF_READ);
  return page.features ?? [];
}

/**
 * How the server reads a schedule typed as staff say it (「毎週火曜 10時〜12時」) or in OSM
 * syntax, before it is saved: {schedule, text_ja, text_en, upcoming}. Throws an ApiError
 * (422, `problem.errors[0].reason` says where reading stopped) when it cannot be read.
 */
export async function interpretSchedule(text) {
  return (await sendJson('POST', '/api/schedules/interpret', { text })).body;
}

/**
 * The towns with no published 通いの場・サロン within `within` metres (staff):
 * {within_m, towns_total, towns: [{name, koaza, point, nearest: {id, name, distance_m} | null}], attribution}.
 */
export function getGaps(within) {
  return getJson(`/api/gaps?within=${encodeURIComponent(String(within))}`, undefined, STAFF_READ);
}

// ---------------------------------------------------------------- link workers
//
// The client's point goes in a POST body, never in a URL: URLs are kept by browser history,
// proxies and logs. The answer is marked no-store by the server, and is not cached here either.

/** The city's towns and landmarks with their points: {attribution, towns, landmarks}. */
export function getTowns(signal) {
  return getJson('/api/towns', signal);
}

/**
 * Places near a client: `search` is {near: [lon, lat], radius, categories, audience, open_at,
 * limit}. Answers the FeatureCollection, nearest first.
 */
export async function searchNearClient(search, signal) {
  const response = await request('/api/linkworker/search', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...search, lang: lang() }),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  return response.json();
}

/**
 * Published places by id, in the order given; ids that are unknown or not public are left
 * out (the public list a link worker shares holds only ids).
 */
export async function getPlacesByIds(ids, signal) {
  const answers = await Promise.all(ids.map((id) => getPlace(id, signal).catch((error) => {
    if (error.status === 404) return null;
    throw error;
  })));
  return answers.filter(Boolean);
}

// ---------------------------------------------------------------- タネ and まち歩き (staff)
//
// Both collections are private: never cached, never in a URL beyond their ids and the list's
// filters. A タネ's text goes in request bodies only.

const TANE = '/api/collections/tane/items';
const WALKS = '/api/collections/walks/items';

/** Every page of a FeatureCollection, following `next` (at most `max` features). */
async function allPages(path, max = 2000) {
  const features = [];
  let numberMatched = 0;
  for (;;) {
    const page = await getJson(path, undefined, STAFF_READ);
    numberMatched = page.numberMatched ?? features.length + page.features.length;
    features.push(...page.features);
    const next = (page.links ?? []).find((link) => link.rel === 'next');
    if (!next || features.length >= max || page.features.length === 0) break;
    path = sameOriginPath(next.href);
  }
  return { features, numberMatched };
}

/**
 * タネ, newest `found_on` first: `filters` is {status: [..], source, walk, place, q}. The words
 * go in the query string of a same-origin fetch, which the page's URL and history never see.
 * Answers {features, numberMatched}.
 */
export function listTane(filters = {}) {
  const params = new URLSearchParams();
  if (filters.status?.length) params.set('status', filters.status.join(','));
  if (filters.source) params.set('source', filters.source);
  if (filters.walk) params.set('walk', filters.walk);
  if (filters.place) params.set('place', filters.place);
  if (filters.q) params.set('q', filters.q);
  params.set('limit', '500');
  return allPages(`${TANE}?${params}`);
}

/** One タネ with its ETag: {feature, etag}. */
export async function getTane(id) {
  const response = await request(`${TANE}/${encodeURIComponent(id)}`, STAFF_READ);
  const feature = await response.json();
  return { feature, etag: etagOf(response, feature) };
}

/**
 * Records a タネ. A text that seems to hold personal data is refused with 422 (the ApiError's
 * `problem.personal_data` says what was found) until it is sent with
 * `properties.personal_data_confirmed: true`.
 */
export async function createTane(feature) {
  const { response, body } = await sendJson('POST', TANE, feature);
  return { feature: body, etag: etagOf(response, body) };
}

export async function patchTane(id, etag, patch) {
  const { response, body } = await sendJson('PATCH', `${TANE}/${encodeURIComponent(id)}`, patch,
    { etag, contentType: 'application/merge-patch+json' });
  return { feature: body, etag: etagOf(response, body) };
}

export function getTaneHistory(id) {
  return getJson(`${TANE}/${encodeURIComponent(id)}/history`, undefined, STAFF_READ);
}

/** Makes a draft place of the タネ (`choice`: {name, category, geometry}, all optional): the place {feature, etag}. */
export async function promoteTane(id, etag, choice = {}) {
  const { response, body } = await sendJson('POST', `${TANE}/${encodeURIComponent(id)}/promote`, choice, { etag });
  return { feature: body, etag: etagOf(response, body) };
}

/** The タネ a place came from, or null. */
export async function taneOfPlace(placeId) {
  const { features } = await listTane({ place: placeId });
  return features[0] ?? null;
}

/** Every walk, newest first, with its route. */
export function listWalks() {
  return allPages(`${WALKS}?limit=500`);
}

/** One walk with `properties.found` ({tane, places}) and its ETag: {feature, etag}. */
export async function getWalk(id) {
  const response = await request(`${WALKS}/${encodeURIComponent(id)}`, STAFF_READ);
  const feature = await response.json();
  return { feature, etag: etagOf(response, feature) };
}

export async function createWalk(feature) {
  const { response, body } = await sendJson('POST', WALKS, feature);
  return { feature: body, etag: etagOf(response, body) };
}

/** A walk from a GPX file (a File or Blob), sent as it is; a broken file answers 400 saying where. */
export async function uploadGpx(file) {
  const response = await request(WALKS, {
    method: 'POST',
    headers: { 'Content-Type': 'application/gpx+xml' },
    body: file,
    credentials: 'same-origin',
  });
  const feature = await response.json();
  return { feature, etag: etagOf(response, feature) };
}

export async function patchWalk(id, etag, patch) {
  const { response, body } = await sendJson('PATCH', `${WALKS}/${encodeURIComponent(id)}`, patch,
    { etag, contentType: 'application/merge-patch+json' });
  return { feature: body, etag: etagOf(response, body) };
}

export function getWalkHistory(id) {
  return getJson(`${WALKS}/${encodeURIComponent(id)}/history`, undefined, STAFF_READ);
}
