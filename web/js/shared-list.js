// The public list a link worker shared (`/list?ids=a,b,c`): the places, in that order, with
// the same cards and QR codes as the printed handout. It needs no login and shows only what
// the public map shows; the link carries place ids and nothing about the client.

import * as api from './api.js';
import { setReference } from './place-view.js';
import { mapAvailable } from './map.js';
import { HandoutMap, renderHandout } from './handout.js';

const $ = (selector) => document.querySelector(selector);
/** At most this many places in one list; more is not a handout. */
export const MAX_IDS = 50;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The ids of the link, in order, each once; anything malformed is left out. */
export function idsOf(search) {
  const raw = new URLSearchParams(search).get('ids') ?? '';
  return [...new Set(raw.split(',').map((id) => id.trim()).filter((id) => ID.test(id)))].slice(0, MAX_IDS);
}

async function start() {
  $('#list-print').addEventListener('click', () => window.print());
  const ids = idsOf(location.search);
  const status = $('#list-status');
  if (ids.length === 0) {
    status.textContent = 'このリンクには場所が入っていません。地図から探してください。';
    return;
  }
  let config;
  let features;
  try {
    const [cfg, categories, areas, places] = await Promise.all([
      api.getMapConfig(), api.getCategories(), api.getAreas(), api.getPlacesByIds(ids)]);
    config = cfg;
    setReference(categories, areas);
    features = places;
  } catch (error) {
    console.warn('list failed', error);
    status.textContent = '読み込めませんでした。通信の状態を確かめて、ページを読み込み直してください。';
    return;
  }
  const missing = ids.length - features.length;
  status.textContent = features.length === 0
    ? 'このリンクの場所は、いまは公開されていません。地図から探してください。'
    : `${features.length} か所${missing > 0 ? `（${missing} か所は公開を終えたため表示していません）` : ''}`;
  if (features.length === 0) return;
  const mapBox = renderHandout($('#handout'), features, { title: 'おすすめの行き場' });
  if (mapAvailable()) new HandoutMap(mapBox, config, features);
  else mapBox.remove();
}

start();
