// The link worker page: set the client's point (a town typed, a tap, the map's centre),
// search near it, pick places into a shortlist, and print or share the handout.
//
// Privacy: the typed address is matched in this page (town-lookup.js) and only a town's
// point is used; that point goes to the server in a POST body only. Nothing about the client
// is written to the URL, to localStorage or sessionStorage, or into the handout.

import * as api from './api.js';
import { h, replaceChildren, setCategoryColour } from './dom.js';
import { categoryName, formatCount, formatDistance } from './i18n.js';
import { setReference } from './place-view.js';
import { Session } from './staff-session.js';
import { TownLookup } from './town-lookup.js';
import { LinkworkerMap, mapAvailable } from './linkworker-map.js';
import { Shortlist } from './shortlist.js';
import { ResultList } from './result-list.js';
import { HandoutView } from './handout-view.js';
import { WhenFilter, openAtOf } from './when.js';

const $ = (selector) => document.querySelector(selector);
const NABARI = { lat: 34.628, lon: 136.108, zoom: 13 };
/** How many places one search brings (the list shows them twenty at a time). */
const SEARCH_LIMIT = 100;
const LINK_ROLES = Object.freeze(['linkworker', 'staff', 'admin']);

let session;
let config = null;
let towns = null;
let placeMap = null;
let shortlist;
let resultList;
let handout;
let whenFilter;
let when = { day: '', time: '' };
const selectedCategories = new Set();
/** The client's point: {point: [lon, lat], label, precision} — in memory only. */
let client = null;
let results = [];
let searching = null;

function showAlert(message) {
  const box = $('#app-alert');
  box.textContent = message;
  box.hidden = false;
}

/** The staff page's login, admitting link workers as well. */
class LinkworkerSession extends Session {
  accept(me) {
    this.showAccount(me);
    if (!LINK_ROLES.includes(me?.role)) {
      this.showLogin('');
      const error = $('#login-error');
      error.textContent = 'この画面はリンクワーカー用です。このアカウントでは使えません。';
      error.hidden = false;
      return;
    }
    this.hideLogin();
    this.handlers.onLogin?.(me);
  }
}

// ------------------------------------------------------------------ the client's point

function setClient(point, label, precision) {
  client = { point, label, precision };
  $('#client-status').textContent = precision;
  $('#clear-client').hidden = false;
  drawClient({ fit: true });
  search();
}

function drawClient({ fit = false } = {}) {
  if (!placeMap) return;
  if (!client) {
    placeMap.showClient(null);
    return;
  }
  placeMap.showClient(client.point, radius(), client.label, { fit });
}

function clearClient() {
  client = null;
  results = [];
  $('#client-status').textContent = '地点を消しました。';
  $('#clear-client').hidden = true;
  $('#town-q').value = '';
  drawClient();
  renderResults();
  $('#town-q').focus();
}

function chooseTown(entry) {
  $('#town-candidates').hidden = true;
  // Only the town stays in the box: a house number typed after it is dropped at once.
  $('#town-q').value = entry.label;
  const far = formatDistance(Math.max(entry.spreadM ?? 0, 300));
  if (entry.kind === 'landmark') {
    setClient(entry.point, `${entry.label}付近`,
      `地点：${entry.label}の付近（${entry.town}の代表点です。${entry.label}そのものから数百 m ずれることがあります）。`);
  } else {
    setClient(entry.point, `${entry.label}付近`,
      `地点：${entry.label}の代表点（町単位の目安です。実際の住所から ${far} 以上離れていることもあります）。`);
  }
}

function lookUpTown(text) {
  if (!towns) return;
  const { match, candidates, more } = towns.find(text);
  const box = $('#town-candidates');
  if (match) {
    chooseTown(match);
    return;
  }
  if (candidates.length === 0) {
    box.hidden = true;
    $('#client-status').textContent = text.trim()
      ? '名張市の町名が見つかりませんでした。町名（例：桔梗が丘三番町）で入れるか、地図をタップしてください。'
      : '町名・住所・駅名を入れてください。';
    return;
  }
  replaceChildren($('#town-candidate-list'), candidates.map((entry) => {
    const button = h('button', { type: 'button', class: 'button town-candidate' },
      entry.label, entry.kind === 'landmark' ? h('span', { class: 'label-note' }, `（${entry.what}）`) : null);
    button.addEventListener('click', () => chooseTown(entry));
    return h('li', {}, button);
  }));
  box.hidden = false;
  $('#client-status').textContent = more
    ? `候補が ${candidates.length + more} 件あります。近いものを選ぶか、もう少し詳しく入れてください。`
    : `候補が ${candidates.length} 件あります。選んでください。`;
  box.querySelector('button')?.focus();
}

// ------------------------------------------------------------------ search

function radius() {
  return Number($('#radius').value);
}

function searchBody() {
  const body = { near: client.point, radius: radius(), limit: SEARCH_LIMIT };
  if (selectedCategories.size) body.categories = [...selectedCategories];
  const audience = $('#audience').value;
  if (audience) body.audience = audience;
  const openAt = openAtOf(when);
  if (openAt) body.open_at = openAt;
  return body;
}

async function search() {
  if (!client) return;
  searching?.abort();
  const controller = new AbortController();
  searching = controller;
  $('#result-error').hidden = true;
  $('#result-count').textContent = '探しています…';
  try {
    const answer = await api.searchNearClient(searchBody(), controller.signal);
    if (controller.signal.aborted) return;
    results = answer.features ?? [];
    renderResults(answer.numberMatched ?? results.length);
  } catch (error) {
    if (error.name === 'AbortError') return;
    if (error.status === 401) {
      session.showLogin('ログインの期限が切れました。もう一度ログインしてください（地点と選んだ場所は残っています）。');
      return;
    }
    // The page sends only what its controls allow, so a 422 means the page and the server
    // disagree (a new release half loaded): reloading fixes it. The server's reasons are
    // English, for developers; they go to the console.
    if (error.status === 422) console.warn('search refused', error.fieldErrors);
    // Old results next to the error would look like the answer to the new conditions.
    results = [];
    resultList.show([]);
    placeMap?.showResults([], shortlist.ids());
    $('#result-error-text').textContent = error.status === 422
      ? '条件を読み取れませんでした。ページを読み込み直してから、もう一度お試しください。'
      : '探せませんでした。通信の状態を確かめて、もう一度お試しください。';
    $('#result-error').hidden = false;
    $('#result-count').textContent = '';
  } finally {
    if (searching === controller) searching = null;
  }
}

function conditionsText() {
  const parts = [`半径 ${formatDistance(radius())}`];
  if (selectedCategories.size) {
    parts.push([...$('#category-chips').querySelectorAll('.chip[aria-pressed="true"] .chip-label')]
      .map((el) => el.textContent).join('・'));
  }
  if ($('#audience').value) parts.push(`${$('#audience').selectedOptions[0].textContent}向け`);
  const openAt = openAtOf(when);
  if (openAt) parts.push(`${$('#when-days input:checked + span')?.textContent ?? ''}${when.time ? `・${$('#when-times input:checked + span')?.textContent ?? ''}` : ''}に開く`);
  return parts.join('、');
}

function renderResults(matched = 0) {
  if (!client) {
    resultList.show([]);
    $('#result-count').textContent = '先に相談者の地点を決めてください。';
    placeMap?.showResults([], []);
    return;
  }
  const shown = results.length;
  $('#result-count').textContent = shown === 0
    ? `${conditionsText()}：見つかりませんでした。距離を広げるか、条件を減らしてください。`
    : `${conditionsText()}：${formatCount(matched)} 件${matched > shown ? `（近い ${shown} 件まで）` : ''}`;
  resultList.show(results);
  placeMap?.showResults(results, shortlist.ids());
}

function shortlistChanged() {
  const count = shortlist.items.length;
  $('#shortlist-count').textContent = count ? `（${count} 件）` : '';
  $('#shortlist-empty').hidden = count > 0;
  $('#open-handout').disabled = count === 0;
  $('#to-shortlist').hidden = count === 0;
  $('#to-shortlist').textContent = `処方箋に入れた場所へ（${count} 件）`;
  // The results' buttons and the map's numbers follow the shortlist.
  resultList.refresh();
  placeMap?.showResults(results, shortlist.ids());
}

// ------------------------------------------------------------------ start

function buildCategoryChips(categories) {
  replaceChildren($('#category-chips'), categories.map((category) => {
    const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-code': category.code },
      h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), h('span', { class: 'chip-label' }, categoryName(category)));
    setCategoryColour(chip, category.color);
    chip.addEventListener('click', () => {
      const on = chip.getAttribute('aria-pressed') !== 'true';
      chip.setAttribute('aria-pressed', String(on));
      if (on) selectedCategories.add(category.code);
      else selectedCategories.delete(category.code);
      search();
    });
    return chip;
  }));
}

async function startWorkspace() {
  // After a session ran out and the user logged in again: everything is still here.
  if (towns) {
    search();
    return;
  }
  let categories;
  let areas;
  let townList;
  try {
    [config, categories, areas, townList] = await Promise.all([
      api.getMapConfig(), api.getCategories(), api.getAreas(), api.getTowns()]);
  } catch (error) {
    console.warn('start-up failed', error);
    showAlert('読み込めませんでした。通信の状態を確かめて、ページを読み込み直してください。');
    return;
  }
  setReference(categories, areas);
  towns = new TownLookup(townList);
  $('#towns-attribution').textContent = `町の位置：${towns.attribution}`;
  buildCategoryChips(categories);
  for (const id of ['#client-panel', '#map-panel', '#search-panel', '#results-panel', '#shortlist-panel']) {
    $(id).hidden = false;
  }
  if (mapAvailable() && !placeMap) {
    placeMap = new LinkworkerMap($('#map'), config, NABARI, {
      onPoint: (point) => setClient(point, '地図で選んだ地点', '地点：地図で選んだ所です。'),
    });
  } else if (!mapAvailable()) {
    $('#map-notice').textContent = '地図を表示できません。町名で地点を決めてください。';
    $('#map-notice').hidden = false;
  }
  renderResults();
  $('#town-q').focus();
}

function wire() {
  $('#town-form').addEventListener('submit', (event) => {
    event.preventDefault();
    lookUpTown($('#town-q').value);
  });
  $('#use-centre').addEventListener('click', () => {
    if (placeMap) setClient(placeMap.centrePoint(), '地図の中心', '地点：地図の中心です。');
  });
  $('#clear-client').addEventListener('click', clearClient);
  $('#radius').addEventListener('change', () => {
    drawClient({ fit: true });
    search();
  });
  $('#audience').addEventListener('change', search);
  whenFilter = new WhenFilter($('#when'), (state) => {
    when = state;
    whenFilter.show(when);
    search();
  });
  whenFilter.show(when);
  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (client) search();
    else {
      $('#result-count').textContent = '先に相談者の地点を決めてください。';
      $('#town-q').focus();
    }
  });
  $('#result-retry').addEventListener('click', search);
  $('#to-shortlist').addEventListener('click', () => {
    $('#shortlist-heading').scrollIntoView({ block: 'start' });
    $('#shortlist-heading').focus();
  });
  shortlist = new Shortlist($('#shortlist'), shortlistChanged);
  resultList = new ResultList($('#result-list'), $('#result-more'), shortlist);
  handout = new HandoutView(shortlist, () => config, () => {
    placeMap?.invalidateSize();
    $('#open-handout').focus();
  });
  $('#open-handout').addEventListener('click', () => handout.open());

  session = new LinkworkerSession({
    onLogin: () => startWorkspace(),
    onLogout: () => location.replace(location.pathname),
    onError: showAlert,
  });
}

async function start() {
  wire();
  let me = null;
  try {
    me = await api.getMe();
  } catch (error) {
    console.warn('session request failed', error);
  }
  $('#starting').hidden = true;
  if (me) session.accept(me);
  else session.showLogin('');
}

start();
