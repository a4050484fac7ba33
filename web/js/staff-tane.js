// The タネ part of the staff page: the 「タネ」 tab (list with filters, marked on the map), a
// タネ's details and history, the form that records or edits one (with the personal-data
// question), and 「場所にする」, which hands the new draft place to the place form.
//
// `page` is what staff.js lends (built in its wire()): views and messages (showView, showList,
// say, showAlert, explain, setBusy), the map and points (map(), startPicking, locate), the
// places (openPlace, openPlaceForm, categories(), onChanged) and the walk being recorded.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName } from './i18n.js';
import { TaneForm } from './tane-form.js';
import { taneDetail, taneEntry } from './tane-view.js';
import { fieldworkHistory } from './fieldwork-history.js';
import { excerpt, TANE_SOURCE_LABELS } from './fieldwork-fields.js';

const $ = (selector) => document.querySelector(selector);

/** The first line of a タネ, as the server names a promoted place when no name is given. */
function defaultName(text) {
  return [...String(text ?? '').split('\n')[0].trim()].slice(0, 40).join('');
}

function isPersonalData(error) {
  return error.status === 422 && Array.isArray(error.problem?.personal_data) && error.problem.personal_data.length > 0;
}

export class TanePanel {
  constructor(page) {
    this.page = page;
    this.statuses = new Set(['new', 'looking']);
    this.placeNames = new Map();
    this.walkTitles = new Map();
    this.current = null; // {feature, etag}: the タネ shown in the details
    this.editing = null; // {base: Feature | null, etag}
    this.open = false; // the tab is shown
    this.request = 0;
    this.form = new TaneForm($('#tane-form'), {
      onSubmit: ({ confirmed }) => this.save({ confirmed }),
      onCancel: () => this.cancel(),
      onUseLocation: () => this.useLocation(),
      onPickOnMap: () => page.startPicking('tane'),
      onPointChange: (point) => this.showEditPoint(point),
    });
    $('#tane-new').addEventListener('click', () => this.openForm());
    $('#tane-retry').addEventListener('click', () => this.load());
    $('#tane-source').addEventListener('change', () => this.load());
    // The words stay in this form only: never in the URL (the page's history) nor in storage.
    $('#tane-search').addEventListener('submit', (event) => {
      event.preventDefault();
      this.load();
    });
    for (const chip of document.querySelectorAll('.tane-status-chip')) {
      chip.addEventListener('click', () => {
        const on = chip.getAttribute('aria-pressed') !== 'true';
        chip.setAttribute('aria-pressed', String(on));
        if (on) this.statuses.add(chip.dataset.status);
        else this.statuses.delete(chip.dataset.status);
        this.load();
      });
    }
    $('#tane-list').addEventListener('click', (event) => {
      const button = event.target.closest('button.tane-link');
      if (button) this.openTane(button.dataset.id);
    });
    this.wirePromote();
  }

  /** The walks the form offers (newest first), and their titles for the details. */
  setWalks(walks) {
    for (const walk of walks) this.walkTitles.set(walk.id, walk.properties?.title ?? '');
    this.form.setWalks(walks);
  }

  // ------------------------------------------------------------ the list

  show() {
    this.open = true;
    this.load();
  }

  hide() {
    this.open = false;
    this.page.map()?.showTane([]);
  }

  async load() {
    const request = ++this.request;
    const count = $('#tane-count');
    const list = $('#tane-list');
    $('#tane-error').hidden = true;
    if (this.statuses.size === 0) {
      list.replaceChildren();
      count.textContent = '「状態」を一つ以上選んでください。';
      count.dataset.count = '0';
      this.page.map()?.showTane([]);
      return;
    }
    list.setAttribute('aria-busy', 'true');
    count.textContent = '読み込み中…';
    delete count.dataset.count;
    try {
      const { features, numberMatched } = await api.listTane({
        status: [...this.statuses], source: $('#tane-source').value, q: $('#tane-q').value.trim(),
      });
      if (request !== this.request) return;
      replaceChildren(list, features.map((f) => taneEntry(f, { placeName: this.placeNames.get(f.properties?.place_id) })));
      count.textContent = `全部で ${numberMatched} 件`;
      count.dataset.count = String(features.length);
      if (this.open) this.page.map()?.showTane(features, { onClick: (id) => this.openTane(id) });
      this.fillPlaceNames(features);
    } catch (error) {
      if (request !== this.request) return;
      if (error.status === 401) return this.page.explain(error, '');
      console.warn('tane request failed', error);
      list.replaceChildren();
      count.textContent = '';
      $('#tane-error').hidden = false;
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  /** The names of the places promoted タネ became (one request per place not yet known). */
  async fillPlaceNames(features) {
    const ids = [...new Set(features.map((f) => f.properties?.place_id).filter((id) => id && !this.placeNames.has(id)))];
    await Promise.all(ids.map(async (id) => {
      try {
        const { feature } = await api.getPlaceForEdit(id);
        this.placeNames.set(id, feature.properties?.name ?? '');
      } catch {
        // the entry keeps 「…」; the details can still open the place
      }
    }));
    for (const span of document.querySelectorAll('.tane-place[data-place-id]')) {
      const name = this.placeNames.get(span.dataset.placeId);
      if (name !== undefined) span.textContent = `場所になりました：${name}`;
    }
  }

  // ------------------------------------------------------------ one タネ

  async openTane(id, { message = '' } = {}) {
    if (this.page.formInUse()) {
      this.page.say('入力中の内容があります。先に保存するか「やめる」を押してから、ほかのタネを開いてください。');
      return;
    }
    let loaded;
    try {
      loaded = await api.getTane(id);
    } catch (error) {
      if (error.status === 404) {
        this.page.showAlert('このタネは見つかりませんでした。一覧を読み込み直します。');
        this.load();
      } else {
        this.page.explain(error, 'タネを開く');
      }
      return;
    }
    await this.showDetail(loaded, { message });
  }

  async showDetail(loaded, { message = '' } = {}) {
    this.current = loaded;
    const { feature } = loaded;
    const p = feature.properties ?? {};
    if (p.place_id && !this.placeNames.has(p.place_id)) await this.fillPlaceNames([feature]);
    const button = (label, onClick, { primary = false, id = null } = {}) => {
      const el = h('button', { type: 'button', id, class: `button${primary ? ' button-primary' : ''}` }, label);
      el.addEventListener('click', () => onClick(el));
      return el;
    };
    const actions = [button('編集する', () => this.openForm(this.current), { primary: true, id: 'tane-edit' })];
    if (p.place_id) actions.push(button('なった場所を開く', () => this.page.openPlace(p.place_id), { id: 'tane-open-place' }));
    else actions.push(button('場所にする', () => this.openPromote(), { id: 'tane-promote' }));
    if (feature.geometry) {
      actions.push(button('地図で見る', () => {
        this.page.map()?.showTane([feature], { onClick: () => {} });
        this.page.map()?.showPoint(feature.geometry.coordinates);
        $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
      }, { id: 'tane-show-map' }));
    }
    actions.push(button('変更の履歴', (el) => this.showHistory(el), { id: 'tane-history-button' }));
    const { element, heading } = taneDetail(feature, {
      walkTitle: p.walk_id ? this.walkTitles.get(p.walk_id) ?? null : null,
      placeName: p.place_id ? this.placeNames.get(p.place_id) ?? null : null,
      actions,
    });
    replaceChildren($('#tane-body'), element);
    this.page.say(message);
    this.page.showView('tane', heading);
  }

  async showHistory(button) {
    if (!this.current) return;
    this.page.setBusy(button, true);
    try {
      const history = await api.getTaneHistory(this.current.feature.id);
      replaceChildren($('#tane-history'),
        h('h3', { id: 'tane-history-heading', tabindex: '-1' }, '変更の履歴'),
        fieldworkHistory(history.versions ?? []));
      $('#tane-history-heading').focus();
    } catch (error) {
      this.page.explain(error, '履歴を見る');
    } finally {
      this.page.setBusy(button, false);
    }
  }

  // ------------------------------------------------------------ the form

  /** Opens the form: `loaded` ({feature, etag}) to edit, or nothing for a new タネ. */
  openForm(loaded = null) {
    this.editing = { base: loaded?.feature ?? null, etag: loaded?.etag ?? null };
    this.form.open({ feature: this.editing.base, walk: this.page.recordingWalk() });
    this.showEditPoint(this.form.point(), true);
    this.page.say('');
    this.page.showView('tane-form', loaded ? $('#tane-form-heading') : $('#t-text'));
  }

  inUse() {
    return this.form.inUse();
  }

  /** A point chosen on the map for the タネ. */
  setPoint(point, note) {
    this.form.setPoint(point, note);
    this.showEditPoint(point);
  }

  showEditPoint(point, pan = false) {
    this.page.map()?.showEditPoint(point, {
      pan,
      onMove: (moved) => this.form.setPoint(moved, '印を動かした位置を地点にしました。'),
    });
  }

  useLocation() {
    this.page.locate($('#t-point-note'), (point, accuracy) => {
      const within = Number.isFinite(accuracy) ? `（誤差 約 ${Math.round(accuracy)} m）` : '';
      this.setPoint(point, `現在地${within}を地点にしました。`);
      this.showEditPoint(point, true);
    });
  }

  async save({ confirmed = false } = {}) {
    const errors = this.form.validate();
    if (errors.length) {
      this.form.showErrors(errors);
      return;
    }
    const button = confirmed ? $('#tane-personal-keep') : $('#tane-save');
    if (button.disabled) return;
    this.page.setBusy(button, true);
    const base = this.editing?.base;
    try {
      let result;
      if (!base) {
        result = await api.createTane(this.form.toFeature({ confirmed }));
      } else {
        const patch = this.form.changesFrom(base, { confirmed });
        if (!patch) {
          this.editing = null;
          await this.showDetail(this.current, { message: '変更はありませんでした。' });
          return;
        }
        result = await api.patchTane(base.id, this.editing.etag, patch);
      }
      this.editing = null;
      this.form.hidePersonal();
      await this.showDetail(result, { message: base ? '変更を保存しました。' : 'タネを記録しました。' });
      this.page.onChanged();
      this.load();
    } catch (error) {
      if (isPersonalData(error)) {
        this.form.showPersonal(error.problem.personal_data);
      } else if (error.status === 412 && base) {
        await this.conflict(base);
      } else if (error.status === 400 || error.status === 422) {
        const messages = TaneForm.serverMessages(error.fieldErrors);
        this.form.showErrors(messages.length ? messages : [{ field: 'text', message: '入力を確かめてください。' }]);
      } else {
        this.page.explain(error, base ? '変更を保存' : 'タネを記録');
      }
    } finally {
      this.page.setBusy(button, false);
    }
  }

  /**
   * Someone saved this タネ after the form was opened: the form shows the newest version with
   * the user's own changes on top, and says what the other person changed.
   */
  async conflict(base) {
    let latest;
    try {
      latest = await api.getTane(base.id);
    } catch (error) {
      this.page.explain(error, '変更を保存');
      return;
    }
    const mine = this.form.changesFrom(base);
    this.editing = { base: latest.feature, etag: latest.etag };
    this.form.openWithChanges(latest.feature, mine);
    this.showEditPoint(this.form.point());
    this.current = latest;
    const labels = { text: '気づいたこと', status: '状態', source: '出どころ', found_on: '見つけた日', walk_id: 'まち歩き' };
    const theirs = Object.keys(labels)
      .filter((f) => (base.properties?.[f] ?? null) !== (latest.feature.properties?.[f] ?? null))
      .map((f) => labels[f]);
    if (JSON.stringify(base.geometry ?? null) !== JSON.stringify(latest.feature.geometry ?? null)) theirs.push('地点');
    const fields = theirs.map((label) => `「${label}」`).join('');
    const summary = $('#tane-form-summary');
    replaceChildren(summary,
      h('p', { class: 'form-summary-title' }, `ほかの人が先にこのタネを変更しました（いまは第 ${latest.feature.properties?.version ?? '?'} 版）。`),
      h('p', {}, fields ? `変わった項目：${fields}。` : ''),
      h('p', {}, 'あなたの入力はまだ保存されていません。フォームは最新の内容に、あなたが変えた項目を重ねてあります。確かめて、もう一度「保存」を押してください。'));
    summary.hidden = false;
    summary.focus();
  }

  cancel() {
    const base = this.editing?.base;
    this.editing = null;
    this.form.hidePersonal();
    if (base && this.current) this.showDetail(this.current);
    else this.page.showList();
  }

  // ------------------------------------------------------------ 場所にする

  wirePromote() {
    const dialog = $('#promote-dialog');
    $('#promote-cancel').addEventListener('click', () => dialog.close());
    $('#promote-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.promote();
    });
  }

  openPromote() {
    if (!this.current) return;
    const { feature } = this.current;
    const dialog = $('#promote-dialog');
    $('#p-name').value = defaultName(feature.properties?.text);
    const select = $('#p-category');
    const categories = this.page.categories();
    replaceChildren(select, categories.map((c) => h('option', { value: c.code }, categoryName(c))));
    select.value = categories.some((c) => c.code === 'ibasho') ? 'ibasho' : categories[0]?.code ?? '';
    const note = $('#promote-point');
    this.promotePoint = null;
    if (!feature.geometry) {
      this.promotePoint = this.page.map()?.centrePoint() ?? null;
      note.textContent = this.promotePoint
        ? 'このタネには地点がありません。いま地図に見えている範囲の真ん中を仮の地点にします。場所のフォームで直してください。'
        : 'このタネには地点がありません。先に「編集する」で地点を決めてください。';
    }
    note.hidden = Boolean(feature.geometry);
    $('#promote-ok').disabled = !feature.geometry && !this.promotePoint;
    $('#promote-error').hidden = true;
    dialog.showModal();
    $('#p-name').focus();
  }

  async promote() {
    if (!this.current) return;
    const { feature, etag } = this.current;
    const button = $('#promote-ok');
    const choice = {};
    const name = $('#p-name').value.trim();
    if (name) choice.name = name;
    if ($('#p-category').value) choice.category = $('#p-category').value;
    if (!feature.geometry && this.promotePoint) {
      choice.geometry = { type: 'Point', coordinates: this.promotePoint.map((v) => Number(v.toFixed(6))) };
    }
    this.page.setBusy(button, true);
    try {
      const place = await api.promoteTane(feature.id, etag, choice);
      $('#promote-dialog').close();
      this.placeNames.set(place.feature.id, place.feature.properties?.name ?? '');
      this.page.onChanged();
      this.load();
      this.page.openPlaceForm(place, 'タネから下書きの場所を作りました。内容を確かめて「変更を保存」し、「公開する」を押すと住民の地図に出ます。');
    } catch (error) {
      const box = $('#promote-error');
      if (error.status === 409 || error.status === 412) {
        box.textContent = error.status === 409
          ? 'このタネはもう場所になっています。タネを読み込み直しました。'
          : 'ほかの人が先にこのタネを変更しました。タネを読み込み直しました。もう一度「場所にする」を押してください。';
        box.hidden = false;
        try {
          this.current = await api.getTane(feature.id);
        } catch {
          // the message above still holds
        }
        if (error.status === 409) {
          $('#promote-dialog').close();
          await this.showDetail(this.current, { message: box.textContent });
        }
      } else if (error.status === 422 || error.status === 400) {
        box.textContent = `場所にできませんでした：${error.problem?.detail ?? '入力を確かめてください。'}`;
        box.hidden = false;
      } else {
        $('#promote-dialog').close();
        this.page.explain(error, '場所にする');
      }
    } finally {
      this.page.setBusy(button, false);
    }
  }

  // ------------------------------------------------------------ the place form

  /** 「このタネから: …」 in the place form (or nothing) for the place `placeId`. */
  async showOrigin(box, placeId) {
    box.hidden = true;
    box.replaceChildren();
    if (!placeId) return;
    let tane;
    try {
      tane = await api.taneOfPlace(placeId);
    } catch (error) {
      console.warn('tane of place request failed', error);
      return;
    }
    if (!tane) return;
    const p = tane.properties ?? {};
    replaceChildren(box,
      h('span', { class: 'tane-origin-label' }, 'このタネから: '),
      h('span', { class: 'tane-origin-text' }, excerpt(p.text, 80)),
      h('span', { class: 'tane-origin-meta' }, `（${p.found_on ?? ''}・${TANE_SOURCE_LABELS[p.source] ?? ''}）`));
    box.hidden = false;
  }
}
