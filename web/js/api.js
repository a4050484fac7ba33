// The only module that knows the API's URLs. The page is a client of the public API like
// any other: it uses nothing that QGIS or a script could not use too.

const ITEMS = '/api/collections/places/items';

/** How many places one request asks for, and how many one view may load in all. */
export const PAGE_LIMIT = 5000;
export const MAX_PLACES_IN_VIEW = 10000;

export class ApiError extends Error {
  constructor(message, status = 0, problem = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

async function getJson(path, signal) {
  let response;
  try {
    response = await fetch(path, {
      signal,
      headers: { Accept: 'application/geo+json, application/json;q=0.9, application/problem+json;q=0.5' },
    });
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
    throw new ApiError(problem?.detail ?? `HTTP ${response.status}`, response.status, problem);
  }
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

export function getPlace(id, signal) {
  return getJson(`${ITEMS}/${encodeURIComponent(id)}`, signal);
}

/**
 * The query string for a search: `filters` is {category: [codes], area, q, near: [lon, lat],
 * radius, bbox: [minLon, minLat, maxLon, maxLat]}.
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
export async function searchPlaces(filters, { signal, max = MAX_PLACES_IN_VIEW } = {}) {
  let path = `${ITEMS}?${itemsQuery(filters, Math.min(PAGE_LIMIT, max))}`;
  const features = [];
  let numberMatched = 0;
  for (;;) {
    const page = await getJson(path, signal);
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
