// The staff page (/staff): wires the session, the map, the lists, the place form, the
// history and the 412 view, and lends the タネ and まち歩き parts (staff-tane.js,
// staff-walks.js) what they need of the page. Every write carries the version it was made
// against (If-Match); when someone else saved first, the user sees what they changed and
// decides — nothing is overwritten silently.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { setReference, placeDetail } from './place-view.js';
import { setFieldReference, formatDateTime, STATUS_LABELS } from './staff-fields.js';
import { PlaceForm, FORM_FIELDS } from './place-form.js';
import { StaffList, ReviewList, statusBadge } from './staff-list.js';
import { historyView, conflictView } from './place-history.js';
import { Session } from './staff-session.js';
import { StaffMap, mapAvailable } from './staff-map.js';
import { GapsPanel } from './staff-gaps.js';
import { TanePanel } from './staff-tane.js';
import { WalksPanel } from './staff-walks.js';
import { DEFAULT_VIEW } from './state.js';

const stacked = window.matchMedia('(max-width: 899px)');
const collator = new Intl.Collator('ja');
const $ = (selector) => document.querySelector(selector);

let session;
let placeMap = null;
let places; // StaffList
let review; // ReviewList
let gaps; // GapsPanel
let tane; // TanePanel
let walks; // WalksPanel
let categoryList = [];
let form; // PlaceForm
let started = false;
let statuses = new Set(['draft', 'published']);
let query = '';
let tab = 'places';
let view = 'list';
let current = null; // {feature, etag}: the place shown in the details
let editing = null; // {base: Feature | null, etag}: what the form edits (base null: a new place)
let picking = null; // 'add' | 'move' | 'tane' while the next tap on the map chooses a point
let listRequest = 0;

// ---------------------------------------------------------------- messages

function showAlert(message) {
  const box = $('#app-alert');
  const close = h('button', { type: 'button', class: 'button button-quiet' }, '閉じる');
  close.addEventListener('click', () => {
    box.hidden = true;
  });
  replaceChildren(box, h('p', {}, message), close);
  box.hidden = false;
}

function hideAlert() {
  $('#app-alert').hidden = true;
}

/** A short confirmation at the top of the panel (「保存しました」). */
function say(message) {
  const box = $('#app-status');
  box.textContent = message;
  box.classList.toggle('shown', Boolean(message));
}

/**
 * What a failed request means for the user. The session's end shows the login form over the
 * page, which keeps everything (an unfinished form too) for after the login.
 */
function explain(error, doing) {
  if (error.status === 401) {
    for (const id of ['#staff-panel', '#add-panel', '#map-panel']) $(id).hidden = true;
    session.showLogin(`ログインの期限が切れました。もう一度ログインしてください。${doing ? `（「${doing}」はまだ行われていません。入力した内容は残っています）` : ''}`);
    session.showAccount(null);
    return;
  }
  if (error.status === 403) {
    showAlert(`「${doing}」をする権限がありません。`);
  } else if (error.status === 404) {
    showAlert('この場所は見つかりませんでした。一覧を読み込み直します。');
    loadPlaces();
  } else if (error.status === 0) {
    showAlert(`通信できなかったため、「${doing}」はまだ行われていません。通信の状態を確かめて、もう一度お試しください。`);
  } else {
    console.warn(doing, error);
    showAlert(`「${doing}」ができませんでした（${error.status ? `エラー ${error.status}` : error.message}）。もう一度お試しください。`);
  }
}

// ---------------------------------------------------------------- views

const VIEWS = ['list', 'detail', 'form', 'history', 'conflict', 'tane', 'tane-form', 'walk', 'walk-new'];
/** The views whose form has a point on the map (the red pin). */
const POINT_VIEWS = ['form', 'tane-form'];

/** Shows one view of the panel and moves the focus to `focus` (its heading). */
function showView(name, focus = null) {
  view = name;
  for (const id of VIEWS) $(`#${id}-view`).hidden = id !== name;
  if (!POINT_VIEWS.includes(name)) {
    stopPicking();
    placeMap?.showEditPoint(null);
  }
  if (focus) {
    if (stacked.matches) $('#staff-panel').scrollIntoView({ block: 'start' });
    focus.focus({ preventScroll: stacked.matches });
  }
}

function showList(focus = true) {
  current = null;
  places.select(null);
  placeMap?.select(null);
  showView('list', focus ? $(`#${tab}-heading`) : null);
  // Back from a walk's page: every walk on the map again.
  if (tab === 'walks') walks.drawAll();
}

function setTab(name) {
  tab = name;
  for (const each of ['places', 'review', 'gaps', 'tane', 'walks']) {
    $(`#tab-${each}`).setAttribute('aria-pressed', String(name === each));
    $(`#${each}-section`).hidden = name !== each;
  }
  if (name === 'review') loadReview();
  if (name === 'gaps') gaps.load();
  else gaps.clear();
  if (name !== 'tane') tane.hide();
  if (name !== 'walks') walks.hide();
  if (name === 'tane') tane.show();
  if (name === 'walks') walks.show();
  say(''); // 「タネを記録しました」 belongs to where it was said
  showList();
}

// ---------------------------------------------------------------- lists

function byKana(a, b) {
  const ka = a.properties?.name_kana || a.properties?.name || '';
  const kb = b.properties?.name_kana || b.properties?.name || '';
  return collator.compare(ka, kb);
}

/** Loads the places with the chosen statuses (and words) into the list and onto the map. */
async function loadPlaces() {
  const request = ++listRequest;
  if (statuses.size === 0) {
    places.render([], '「公開の状態」を一つ以上選んでください。');
    placeMap?.setPlaces(current ? [current.feature] : []);
    return;
  }
  places.setLoading();
  try {
    const result = await api.searchPlaces({ status: [...statuses], q: query }, { fresh: true });
    if (request !== listRequest) return;
    const features = query ? result.features : result.features.sort(byKana);
    places.render(features, `全部で ${result.numberMatched} 件`, { truncated: result.truncated });
    places.select(current?.feature.id ?? null);
    const shown = current && !features.some((f) => f.id === current.feature.id) ? [...features, current.feature] : features;
    placeMap?.setPlaces(shown);
  } catch (error) {
    if (request !== listRequest) return;
    if (error.status === 401) return explain(error, '');
    console.warn('places request failed', error);
    places.showError();
  }
}

async function loadReview() {
  review.setLoading();
  try {
    const features = await api.getReview(Number($('#review-days').value));
    review.render(features, `${features.length} 件`);
  } catch (error) {
    if (error.status === 401) return explain(error, '');
    console.warn('review request failed', error);
    review.showError();
  }
}

// ---------------------------------------------------------------- one place

/** True while the form holds something not saved (a tap elsewhere must not lose it). */
function formInUse() {
  if (view === 'tane-form') return tane.inUse();
  if (view !== 'form') return false;
  if (editing?.base) return form.changesFrom(editing.base) !== null;
  return Object.values(form.toFeature().properties).length > 1 || form.point() !== null;
}

/** Opens a place's details, fetched fresh (any status) with its ETag. */
async function openPlace(id, { message = '' } = {}) {
  if (formInUse()) {
    say('入力中の内容があります。先に保存するか「やめる」を押してから、ほかの場所を開いてください。');
    $('#app-status').scrollIntoView({ block: 'nearest' });
    return;
  }
  let loaded;
  try {
    loaded = await api.getPlaceForEdit(id);
  } catch (error) {
    explain(error, '場所を開く');
    return;
  }
  showDetail(loaded, { message });
}

function showDetail(loaded, { message = '' } = {}) {
  current = loaded;
  const { feature } = loaded;
  const p = feature.properties ?? {};
  say(message);
  hideAlert();
  const { element, heading } = placeDetail(feature, {
    onShowMap: () => {
      $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
      placeMap?.select(feature, { open: true, reveal: true });
    },
  });
  const button = (label, onClick, { primary = false, id = null } = {}) => {
    const el = h('button', { type: 'button', id, class: `button${primary ? ' button-primary' : ''}` }, label);
    el.addEventListener('click', () => onClick(el));
    return el;
  };
  const actions = [button('編集する', () => openForm({ loaded: current }), { primary: true, id: 'action-edit' })];
  if (p.status !== 'published') {
    actions.push(button('公開する', (el) => act({ kind: 'patch', patch: { properties: { status: 'published' } }, label: '公開する', done: '公開しました。住民の地図に表示されます。' }, el), { id: 'action-publish' }));
  }
  if (p.status === 'published') {
    actions.push(button('非公開にする（下書きに戻す）', (el) => act({ kind: 'patch', patch: { properties: { status: 'draft' } }, label: '非公開にする', done: '下書きに戻しました。住民の地図には表示されません。' }, el), { id: 'action-unpublish' }));
    actions.push(button('確認しました', (el) => act({ kind: 'verify', label: '確認しました', done: '確認した日を今日にしました。' }, el), { id: 'action-verify' }));
  }
  if (p.status === 'archived') {
    actions.push(button('下書きに戻す', (el) => act({ kind: 'patch', patch: { properties: { status: 'draft' } }, label: '下書きに戻す', done: '下書きに戻しました。' }, el), { id: 'action-unarchive' }));
  } else {
    actions.push(button('アーカイブする', (el) => act({ kind: 'archive', label: 'アーカイブする', done: 'アーカイブしました。履歴は残り、「下書きに戻す」で元に戻せます。' }, el), { id: 'action-archive' }));
  }
  actions.push(button('変更の履歴', () => openHistory(), { id: 'action-history' }));

  // Under the name: the status and what staff can do; then the place as residents would see it.
  const tags = element.querySelector('.item-tags');
  tags.after(
    h('p', { class: 'detail-status' }, statusBadge(p.status),
      h('span', { class: 'detail-version' }, `第 ${p.version ?? '?'} 版・${formatDateTime(p.updated_at)} 更新`)),
    h('div', { class: 'staff-actions', role: 'group', 'aria-label': 'この場所の操作' }, actions),
    h('h3', { class: 'resident-view-heading' }, 'くわしい内容（公開すると住民の地図にこのように出ます）'));
  replaceChildren($('#detail-body'), element);
  // The heading placeDetail makes is the view's heading.
  places.select(feature.id);
  placeMap?.setPlaces(mergeFeature(feature));
  placeMap?.select(feature, { open: !stacked.matches });
  showView('detail', heading);
}

/** The features on the map with `feature` put in (fresh) or added. */
function mergeFeature(feature) {
  const list = places.features.filter((f) => f.id !== feature.id);
  const visible = statuses.has(feature.properties?.status) || current?.feature.id === feature.id;
  return visible ? [...list, feature] : list;
}

/**
 * Runs an action on the place shown (`intent`: {kind: 'patch'|'archive'|'verify'|'restore',
 * patch?, version?, label, done}) against the version the user saw.
 */
async function act(intent, buttonEl = null, target = current) {
  if (!target) return;
  const { feature, etag } = target;
  setBusy(buttonEl, true);
  try {
    const result = await perform(intent, feature.id, etag);
    await afterWrite(result, intent.done);
  } catch (error) {
    if (error.status === 412) await showConflict(intent, feature);
    else explain(error, intent.label);
  } finally {
    setBusy(buttonEl, false);
  }
}

function perform(intent, id, etag) {
  switch (intent.kind) {
    case 'patch': return api.patchPlace(id, etag, intent.patch);
    case 'archive': return api.archivePlace(id, etag);
    case 'verify': return api.verifyPlace(id, etag);
    case 'restore': return api.restorePlace(id, etag, intent.version);
    default: throw new Error(`unknown action ${intent.kind}`);
  }
}

/** After a write: the details of the new version, the list and 要確認 brought up to date. */
async function afterWrite(result, message) {
  editing = null;
  const version = result.feature?.properties?.version;
  showDetail(result, { message: `${message}${version ? `（第 ${version} 版）` : ''}` });
  await loadPlaces();
  if (tab === 'review') loadReview();
}

function setBusy(button, busy) {
  if (!button) return;
  button.disabled = busy;
  if (busy) button.setAttribute('aria-busy', 'true');
  else button.removeAttribute('aria-busy');
}

// ---------------------------------------------------------------- the form

function openForm({ loaded = null, point = null, source = null } = {}) {
  stopPicking();
  editing = { base: loaded?.feature ?? null, etag: loaded?.etag ?? null };
  form.open({ feature: editing.base, point, source });
  $('#f-here-status').textContent = '';
  // A new place found while a walk is recorded belongs to that walk (sent as walk_id).
  const walk = loaded ? null : walks.recordingWalk();
  $('#form-walk').hidden = !walk;
  $('#form-walk').textContent = walk ? `まち歩きを記録中: ${walk.title}（この場所はこのまち歩きにつながります）` : '';
  tane.showOrigin($('#form-origin'), editing.base?.id ?? null);
  say('');
  showEditPoint(editing.base?.geometry?.coordinates ?? point, true);
  showView('form', $(point && !loaded ? '#f-name' : '#form-heading'));
}

function showEditPoint(point, pan = false) {
  placeMap?.showEditPoint(Array.isArray(point) ? point : null, {
    pan,
    onMove: (moved) => {
      form.setPoint(moved);
      $('#f-here-status').textContent = '印を動かした位置を地点にしました。';
    },
  });
}

async function saveForm() {
  const errors = form.validate();
  if (errors.length) {
    form.showErrors(errors);
    return;
  }
  const save = $('#form-save');
  if (save.disabled) return;
  setBusy(save, true);
  try {
    if (!editing?.base) {
      const feature = form.toFeature();
      const walk = walks.recordingWalk();
      if (walk) feature.properties.walk_id = walk.id;
      const created = await api.createPlace(feature);
      await afterWrite(created, '下書きとして保存しました。「公開する」を押すまで住民の地図には出ません。');
      return;
    }
    const patch = form.changesFrom(editing.base);
    if (!patch) {
      showDetail({ feature: editing.base, etag: editing.etag }, { message: '変更はありませんでした。' });
      editing = null;
      return;
    }
    const intent = { kind: 'patch', patch, label: '変更を保存', done: '変更を保存しました。', fromForm: true };
    try {
      const result = await perform(intent, editing.base.id, editing.etag);
      await afterWrite(result, intent.done);
    } catch (error) {
      if (error.status === 412) await showConflict(intent, editing.base);
      else throw error;
    }
  } catch (error) {
    if (error.status === 400 || error.status === 422) {
      const fieldErrors = PlaceForm.serverMessages(error.fieldErrors);
      form.showErrors(fieldErrors.length ? fieldErrors : [{ field: 'name', message: '入力を確かめてください。' }]);
    } else {
      explain(error, editing?.base ? '変更を保存' : '保存');
    }
  } finally {
    setBusy(save, false);
  }
}

function cancelForm() {
  const base = editing?.base;
  editing = null;
  if (base && current) showDetail(current);
  else showList();
}

// ---------------------------------------------------------------- history and 412

async function openHistory() {
  if (!current) return;
  const target = current;
  let history;
  try {
    history = await api.getHistory(target.feature.id);
  } catch (error) {
    explain(error, '履歴を見る');
    return;
  }
  const { element, heading } = historyView({
    feature: target.feature,
    versions: history.versions ?? [],
    onRestore: (version, el) => act({ kind: 'restore', version, label: `第 ${version} 版に戻す`, done: `第 ${version} 版の内容に戻しました。` }, el, target),
  });
  replaceChildren($('#history-body'), element);
  say('');
  showView('history', heading);
}

/**
 * Someone saved this place after the user opened it: fetch it as it is now and its history,
 * show both sides, and let the user reapply — with the new version — or let go.
 */
async function showConflict(intent, base) {
  let latest;
  let versions = [];
  try {
    const [loaded, history] = await Promise.all([
      api.getPlaceForEdit(base.id),
      api.getHistory(base.id).catch(() => ({ versions: [] })),
    ]);
    latest = loaded;
    versions = history.versions ?? [];
  } catch (error) {
    explain(error, intent.label);
    return;
  }
  const mine = intent.fromForm ? intent.patch : null;
  const { element, heading, pending, actions: actionBox } = conflictView({
    base,
    current: latest.feature,
    versions,
    mine,
    actionLabel: intent.label,
  });
  const actions = [];
  if (mine) {
    const patch = patchOf(pending);
    if (patch) {
      actions.push({
        id: 'conflict-reapply',
        label: '最新の内容に、あなたの変更を重ねて保存する',
        primary: true,
        onClick: (el) => act({ ...intent, patch }, el, latest),
      });
      actions.push({
        id: 'conflict-review',
        label: 'フォームで見直してから保存する',
        onClick: () => {
          editing = { base: latest.feature, etag: latest.etag };
          current = latest;
          form.openWithChanges(latest.feature, patch);
          showEditPoint(patch.geometry?.coordinates ?? latest.feature.geometry?.coordinates, true);
          say('最新の内容に、あなたの変更を入れました。確かめて「変更を保存」を押してください。');
          showView('form', $('#form-heading'));
        },
      });
    }
    actions.push({ id: 'conflict-discard', label: 'あなたの変更を捨てて、最新の内容を見る', onClick: () => { editing = null; showDetail(latest); } });
  } else {
    actions.push({ id: 'conflict-reapply', label: `最新の内容で「${intent.label}」をもう一度行う`, primary: true, onClick: (el) => act(intent, el, latest) });
    actions.push({ id: 'conflict-discard', label: 'やめて、最新の内容を見る', onClick: () => showDetail(latest) });
  }
  replaceChildren(actionBox, actions.map(({ id, label, primary, onClick }) => {
    const el = h('button', { type: 'button', id, class: `button${primary ? ' button-primary' : ''}` }, label);
    el.addEventListener('click', () => onClick(el));
    return el;
  }));
  replaceChildren($('#conflict-body'), element);
  say('');
  hideAlert();
  current = latest;
  placeMap?.closePopup();
  placeMap?.setPlaces(mergeFeature(latest.feature));
  showView('conflict', heading);
}

/** The user's remaining changes ([{field, after}]) as a merge patch, or null. */
function patchOf(changes) {
  if (!changes.length) return null;
  const patch = {};
  for (const { field, after } of changes) {
    if (field === 'geometry') patch.geometry = after;
    else if (FORM_FIELDS.includes(field)) (patch.properties ??= {})[field] = after;
  }
  return Object.keys(patch).length ? patch : null;
}

// ---------------------------------------------------------------- points: tap, location, centre

function startPicking(mode) {
  if (!placeMap) {
    showAlert('地図を表示できないため、地図では選べません。緯度・経度を入力するか「現在地」をお使いください。');
    return;
  }
  picking = mode;
  placeMap.setPicking(true);
  $('#pick-bar').hidden = false;
  $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
  $('#pick-prompt').focus({ preventScroll: true });
}

function stopPicking() {
  const was = picking;
  picking = null;
  placeMap?.setPicking(false);
  $('#pick-bar').hidden = true;
  return was;
}

function roundPoint([lon, lat]) {
  return [Number(lon.toFixed(6)), Number(lat.toFixed(6))];
}

/** A point chosen on the map (a tap or 「地図の中心」). */
function pointChosen(point, mode = picking) {
  stopPicking();
  const rounded = roundPoint(point);
  if (mode === 'tane' && view === 'tane-form') {
    tane.setPoint(rounded, '地図で選んだ位置を地点にしました。');
    $('#t-pick').focus({ preventScroll: stacked.matches });
    return;
  }
  if (mode === 'add' || view !== 'form') {
    openForm({ point: rounded, source: 'walk' });
    return;
  }
  form.setPoint(rounded);
  showEditPoint(rounded);
  $('#f-here-status').textContent = '地図で選んだ位置を地点にしました。';
  if (stacked.matches) $('#place-form .point-field').scrollIntoView({ block: 'center' });
  $('#f-lat').focus({ preventScroll: stacked.matches });
}

/** The device's location (on a walk, with a phone): `then([lon, lat], accuracy)`. */
function locate(status, then) {
  if (!('geolocation' in navigator)) {
    status.textContent = 'この端末では現在地を使えません。地図で選んでください。';
    return;
  }
  status.textContent = '現在地を調べています…';
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { longitude, latitude, accuracy } = position.coords;
      then(roundPoint([longitude, latitude]), accuracy);
    },
    (error) => {
      status.textContent = error.code === error.PERMISSION_DENIED
        ? '現在地の利用が許可されていません。端末の設定で許可するか、地図で選んでください。'
        : '現在地がわかりませんでした。屋外で少し待ってもう一度押すか、地図で選んでください。';
    },
    { enableHighAccuracy: true, timeout: 20_000, maximumAge: 10_000 },
  );
}

function accuracyText(accuracy) {
  return Number.isFinite(accuracy) ? `（誤差 約 ${Math.round(accuracy)} m）` : '';
}

function addHere() {
  const status = $('#f-here-status');
  locate($('#add-status'), (point, accuracy) => {
    $('#add-status').textContent = '';
    openForm({ point, source: 'walk' });
    status.textContent = `現在地${accuracyText(accuracy)}を地点にしました。印をドラッグして直せます。`;
    say('');
  });
}

function formHere() {
  const status = $('#f-here-status');
  locate(status, (point, accuracy) => {
    form.setPoint(point);
    showEditPoint(point, true);
    status.textContent = `現在地${accuracyText(accuracy)}を地点にしました。`;
  });
}

// ---------------------------------------------------------------- start

async function startWorkspace() {
  for (const id of ['#staff-panel', '#add-panel', '#map-panel']) $(id).hidden = false;
  if (started) {
    // Back after the session ended: whatever was on the page is still there.
    placeMap?.invalidateSize();
    say('ログインしました。');
    if (view === 'form') $('#form-save').focus();
    loadPlaces();
    return;
  }
  started = true;
  let config;
  let categories;
  let areas;
  try {
    [config, categories, areas] = await Promise.all([api.getMapConfig(), api.getCategories(), api.getAreas()]);
  } catch (error) {
    console.warn('reference request failed', error);
    showAlert('情報を読み込めませんでした。通信の状態を確かめて、ページを読み込み直してください。');
    return;
  }
  categoryList = categories;
  setReference(categories, areas);
  setFieldReference(categories, areas);
  form.setReference(categories, areas);
  if (mapAvailable()) {
    try {
      placeMap = new StaffMap($('#map'), config, DEFAULT_VIEW, {
        onMarkerClick: (id) => {
          // While drawing a route, a place on it is one of its points.
          if (walks.drawing) {
            const place = places.features.find((f) => f.id === id);
            if (place?.geometry?.coordinates) walks.addDrawnPoint(place.geometry.coordinates);
            return;
          }
          // While choosing a point, a tap on a marker chooses that place's point (the same hall).
          const feature = picking ? places.features.find((f) => f.id === id) ?? current?.feature : null;
          if (feature?.geometry?.coordinates) pointChosen(feature.geometry.coordinates);
          else openPlace(id);
        },
        onPick: (point) => pointChosen(point),
        onTiles: (ok) => {
          $('#map-notice').textContent = ok ? '' : '地図の画像を読み込めませんでした。場所の一覧と入力はそのまま使えます。';
          $('#map-notice').hidden = ok;
        },
        onPopupMore: (id) => openPlace(id),
      });
    } catch (error) {
      console.error('map failed to start', error);
      placeMap = null;
    }
  }
  if (!placeMap) {
    $('#map').hidden = true;
    $('#map-notice').textContent = '地図を表示できません。場所の一覧と入力はそのまま使えます。';
    $('#map-notice').hidden = false;
  }
  stacked.addEventListener('change', () => placeMap?.invalidateSize());
  document.documentElement.classList.add('ready');
  showList(false);
  // After the login form, the focus goes to the list's heading (not left on a hidden button).
  if (!$('#login-submit').offsetParent && document.activeElement === document.body) {
    $('#places-heading').focus({ preventScroll: true });
  }
  await loadPlaces();
  // The walks (for the タネ form's choice) and a recording a reload interrupted.
  await walks.load();
  await walks.resumeStored();
}

function wire() {
  places = new StaffList({
    list: $('#places-list'), count: $('#places-count'), more: $('#places-more'),
    error: $('#places-error'), retry: $('#places-retry'),
  }, { onSelect: (id) => openPlace(id), onRetry: () => loadPlaces() });
  review = new ReviewList({
    list: $('#review-list'), count: $('#review-count'), more: $('#review-more'),
    error: $('#review-error'), retry: $('#review-retry'),
  }, {
    onSelect: (id) => openPlace(id),
    onRetry: () => loadReview(),
    onVerify: async (feature, el) => {
      setBusy(el, true);
      try {
        await api.verifyPlace(feature.id, `"${feature.properties?.version}"`);
        review.remove(feature.id);
        say(`「${feature.properties?.name ?? ''}」を確認しました。`);
        $('#review-heading').focus();
      } catch (error) {
        if (error.status === 412) await showConflict({ kind: 'verify', label: '確認しました', done: '確認した日を今日にしました。' }, feature);
        else explain(error, '確認しました');
      } finally {
        setBusy(el, false);
      }
    },
  });
  gaps = new GapsPanel($('#gaps-section'), {
    onTowns: (towns) => placeMap?.showGaps(towns),
    onShowTown: (town) => {
      placeMap?.showPoint(town.point);
      $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
    },
    onUnauthorized: (error) => explain(error, ''),
  });
  const page = {
    showView,
    showList,
    say,
    showAlert,
    explain,
    setBusy,
    startPicking,
    locate,
    formInUse,
    map: () => placeMap,
    categories: () => categoryList,
    openPlace: (id) => openPlace(id),
    /** A place made from a タネ: straight into the form, to finish it. */
    openPlaceForm: (loaded, message) => {
      current = loaded;
      openForm({ loaded });
      say(message);
    },
    openTane: (id) => tane.openTane(id),
    openTaneForm: () => {
      if (formInUse()) say('入力中の内容があります。先に保存するか「やめる」を押してから、タネを記録してください。');
      else tane.openForm();
    },
    recordingWalk: () => walks.recordingWalk(),
    walksLoaded: (features) => tane.setWalks(features),
    // A タネ promoted, a walk saved: the places list (and a walk's counts) may have changed.
    onChanged: () => loadPlaces(),
  };
  tane = new TanePanel(page);
  walks = new WalksPanel(page);
  form = new PlaceForm($('#place-form'), {
    onSubmit: saveForm,
    onCancel: cancelForm,
    onPickOnMap: () => startPicking('move'),
    onUseLocation: formHere,
    onUseCentre: () => placeMap && pointChosen(placeMap.centrePoint(), 'move'),
    onPointChange: (point) => showEditPoint(point, true),
  });

  // While a new place is being entered, the add buttons set its point; while an existing
  // place is being edited, they wait (its unsaved changes must not be dropped).
  $('#add-tap').addEventListener('click', () => {
    if (view === 'tane-form' && formInUse()) say('タネを入力中です。先に保存するか「やめる」を押してから、場所を追加してください。');
    else if (!formInUse()) startPicking('add');
    else if (!editing?.base) startPicking('move');
    else say('編集中の場所があります。先に保存するか「やめる」を押してから追加してください。');
  });
  $('#add-here').addEventListener('click', () => {
    if (view === 'tane-form' && formInUse()) say('タネを入力中です。先に保存するか「やめる」を押してから、場所を追加してください。');
    else if (!formInUse()) addHere();
    else if (!editing?.base) formHere();
    else say('編集中の場所があります。先に保存するか「やめる」を押してから追加してください。');
  });
  $('#pick-centre').addEventListener('click', () => placeMap && pointChosen(placeMap.centrePoint()));
  $('#pick-cancel').addEventListener('click', () => {
    const mode = stopPicking();
    ({ move: $('#f-pick'), tane: $('#t-pick') }[mode] ?? $('#add-tap')).focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && picking) $('#pick-cancel').click();
  });
  $('#tab-places').addEventListener('click', () => setTab('places'));
  $('#tab-review').addEventListener('click', () => setTab('review'));
  $('#tab-gaps').addEventListener('click', () => setTab('gaps'));
  $('#tab-tane').addEventListener('click', () => setTab('tane'));
  $('#tab-walks').addEventListener('click', () => setTab('walks'));
  $('#review-days').addEventListener('change', loadReview);
  for (const chip of document.querySelectorAll('.status-chip')) {
    chip.addEventListener('click', () => {
      const on = chip.getAttribute('aria-pressed') !== 'true';
      chip.setAttribute('aria-pressed', String(on));
      if (on) statuses.add(chip.dataset.status);
      else statuses.delete(chip.dataset.status);
      statuses = new Set([...Object.keys(STATUS_LABELS)].filter((s) => statuses.has(s)));
      loadPlaces();
    });
  }
  $('#staff-search').addEventListener('submit', (event) => {
    event.preventDefault();
    query = $('#staff-q').value.trim();
    loadPlaces();
  });
  for (const back of document.querySelectorAll('.back-to-list, .back-to-tab')) back.addEventListener('click', () => showList());
  for (const back of document.querySelectorAll('.back-to-detail')) {
    back.addEventListener('click', () => (current ? showDetail(current) : showList()));
  }

  session = new Session({
    onLogin: () => startWorkspace(),
    onLogout: () => {
      // A fresh page: nothing of the session stays in memory or in the DOM.
      try {
        sessionStorage.setItem('tsunagari.loggedOut', '1');
      } catch {
        // private mode: no note after the reload
      }
      location.replace(location.pathname);
    },
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
  if (me) {
    session.accept(me);
    return;
  }
  let note = '';
  try {
    if (sessionStorage.getItem('tsunagari.loggedOut')) note = 'ログアウトしました。';
    sessionStorage.removeItem('tsunagari.loggedOut');
  } catch {
    // private mode
  }
  session.showLogin(note);
}

start();
