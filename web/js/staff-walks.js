// The まち歩き part of the staff page: the 「まち歩き」 tab (walks as lines on the map with
// their タネ), a walk's page (what was found on it), its title and people, and the three ways
// to make one — recording with the device's location (walk-recording.js), drawing on the map
// (walk-drawing.js), and a GPX file.
//
// A recorded walk is created as soon as recording starts, so that タネ and places added while
// walking can name it (`walk_id`); its route is saved with PATCH on 「途中で保存」 and
// 「記録を終える」. `page` is what staff.js lends (see staff-tane.js).

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { WalkRecording } from './walk-recording.js';
import { RouteDrawing } from './walk-drawing.js';
import { foundOn, walkEntry, walkPage } from './walk-view.js';
import { fieldworkHistory } from './fieldwork-history.js';
import { todayInJapan } from './fieldwork-fields.js';

const $ = (selector) => document.querySelector(selector);

export class WalksPanel {
  constructor(page) {
    this.page = page;
    this.walks = [];
    this.open = false;
    this.current = null; // {feature, etag}: the walk whose page is shown
    this.editing = null; // {feature, etag}: the walk whose title, date … the form edits
    this.request = 0;
    this.recording = new WalkRecording(this, page);
    this.drawer = new RouteDrawing(page, {
      onSave: (geometry, button) => this.saveDrawn(geometry, button),
      onStop: () => this.recording.show(),
    });
    $('#walk-new').addEventListener('click', () => this.openNew());
    $('#walks-retry').addEventListener('click', () => this.load());
    $('#walks-list').addEventListener('click', (event) => {
      const button = event.target.closest('button.walk-link');
      if (button) this.openWalk(button.dataset.id);
    });
    $('#walk-form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.editing) this.saveEdit();
    });
    $('#walk-form-cancel').addEventListener('click', () => {
      if (this.editing && this.current) this.showWalk(this.current);
      else page.showList();
      this.editing = null;
    });
    $('#walk-start').addEventListener('click', () => this.startRecording());
    $('#walk-draw').addEventListener('click', () => this.startDrawing());
    $('#w-title').addEventListener('input', () => this.titleError(''));
    $('#gpx-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.uploadGpx();
    });
    $('#gpx-file').addEventListener('change', () => this.gpxError(''));
  }

  /** The walk being recorded, for the タネ and place forms: {id, title} or null. */
  recordingWalk() {
    return this.recording.walk();
  }

  /** Takes up a recording a reload left in this browser. */
  resumeStored() {
    return this.recording.resumeStored();
  }

  /** True while a route is drawn (a tap on a place's marker is then one of its points). */
  get drawing() {
    return this.drawer.active;
  }

  addDrawnPoint(point) {
    this.drawer.add(point);
  }

  // ------------------------------------------------------------ the list and the map

  show() {
    this.open = true;
    this.load();
  }

  hide() {
    this.open = false;
    this.page.map()?.showWalks([]);
    this.page.map()?.showTane([]);
  }

  /** The walks (for the list, the map and the タネ form's choice). */
  async load() {
    const request = ++this.request;
    const count = $('#walks-count');
    $('#walks-error').hidden = true;
    if (this.open) {
      count.textContent = '読み込み中…';
      delete count.dataset.count;
    }
    try {
      const [{ features }, tane] = await Promise.all([
        api.listWalks(),
        this.open ? api.listTane({}) : Promise.resolve(null),
      ]);
      if (request !== this.request) return;
      this.walks = features;
      this.page.walksLoaded(features);
      if (!this.open) return;
      replaceChildren($('#walks-list'), features.map((f) => walkEntry(f, { recording: f.id === this.recording.walk()?.id })));
      count.textContent = `全部で ${features.length} 件`;
      count.dataset.count = String(features.length);
      this.walkTane = tane?.features.filter((t) => t.properties?.walk_id) ?? [];
      this.drawAll();
    } catch (error) {
      if (request !== this.request) return;
      if (error.status === 401) return this.page.explain(error, '');
      console.warn('walks request failed', error);
      if (!this.open) return;
      count.textContent = '';
      $('#walks-error').hidden = false;
    }
  }

  /** Every walk and the タネ found on walks — unless a walk's page is open, which keeps its own. */
  drawAll() {
    const map = this.page.map();
    if (!map || !this.open) return;
    if (this.current && !$('#walk-view').hidden) {
      this.drawWalk(this.current.feature);
      return;
    }
    map.showWalks(this.walks, { onClick: (id) => this.openWalk(id) });
    map.showTane(this.walkTane ?? [], { onClick: (id) => this.page.openTane(id) });
  }

  // ------------------------------------------------------------ a walk's page

  async openWalk(id, { message = '' } = {}) {
    if (this.page.formInUse()) {
      this.page.say('入力中の内容があります。先に保存するか「やめる」を押してから、まち歩きを開いてください。');
      return;
    }
    let loaded;
    try {
      loaded = await api.getWalk(id);
    } catch (error) {
      if (error.status === 404) {
        this.page.showAlert('このまち歩きは見つかりませんでした。一覧を読み込み直します。');
        this.load();
      } else {
        this.page.explain(error, 'まち歩きを開く');
      }
      return;
    }
    this.showWalk(loaded, { message });
  }

  showWalk(loaded, { message = '' } = {}) {
    this.current = loaded;
    const { feature } = loaded;
    const button = (label, onClick, { primary = false, id = null } = {}) => {
      const el = h('button', { type: 'button', id, class: `button${primary ? ' button-primary' : ''}` }, label);
      el.addEventListener('click', () => onClick(el));
      return el;
    };
    const actions = [];
    if (feature.geometry) {
      actions.push(button('地図で見る', () => {
        this.drawWalk(feature);
        $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
      }, { id: 'walk-show-map' }));
    }
    actions.push(button('題名・人数・メモを直す', () => this.openEdit(), { id: 'walk-edit' }));
    actions.push(button('変更の履歴', (el) => this.showHistory(el), { id: 'walk-history-button' }));
    const { element, heading } = walkPage(feature, {
      actions,
      recording: feature.id === this.recording.walk()?.id,
      onTane: (id) => this.page.openTane(id),
      onPlace: (id) => this.page.openPlace(id),
    });
    replaceChildren($('#walk-body'), element);
    this.page.say(message);
    this.drawWalk(feature);
    this.page.showView('walk', heading);
  }

  /** The walk's route (fitted), its タネ and its places on the map. */
  drawWalk(feature) {
    const map = this.page.map();
    if (!map) return;
    const found = foundOn(feature);
    const others = this.open ? this.walks.filter((w) => w.id !== feature.id) : [];
    map.showWalks([...others, feature], {
      focus: feature.id,
      places: found.places,
      onClick: (id) => this.openWalk(id),
      onPlace: (id) => this.page.openPlace(id),
    });
    map.showTane(found.tane.map(({ id, geometry, text }) => ({ id, geometry, properties: { text } })),
      { onClick: (id) => this.page.openTane(id) });
  }

  async showHistory(button) {
    if (!this.current) return;
    this.page.setBusy(button, true);
    try {
      const history = await api.getWalkHistory(this.current.feature.id);
      replaceChildren($('#walk-history'),
        h('h3', { id: 'walk-history-heading', tabindex: '-1' }, '変更の履歴'),
        fieldworkHistory(history.versions ?? []));
      $('#walk-history-heading').focus();
    } catch (error) {
      this.page.explain(error, '履歴を見る');
    } finally {
      this.page.setBusy(button, false);
    }
  }

  // ------------------------------------------------------------ a new walk

  /** The form for a new walk, or (`walk`: {feature, etag}) for this walk's title, date, people and notes. */
  fillForm(walk = null) {
    this.editing = walk;
    const p = walk?.feature.properties ?? {};
    $('#walk-form').reset();
    $('#walk-form-heading').textContent = walk ? 'まち歩きを編集' : 'まち歩きを始める・登録する';
    $('#w-title').value = p.title ?? '';
    $('#w-walked-on').value = p.walked_on ?? todayInJapan();
    $('#w-participants').value = Number.isFinite(p.participants) ? String(p.participants) : '';
    $('#w-notes').value = p.notes ?? '';
    for (const section of document.querySelectorAll('.walk-new-only')) section.hidden = Boolean(walk);
    $('#walk-form-save').hidden = !walk;
    $('#walk-form-error').hidden = true;
    $('#walk-start-status').textContent = '';
    this.titleError('');
    this.page.say('');
    this.page.showView('walk-new', $('#walk-form-heading'));
  }

  openEdit() {
    if (this.current) this.fillForm(this.current);
  }

  async saveEdit() {
    const properties = this.formProperties();
    if (!properties) return;
    const base = this.editing.feature.properties ?? {};
    const patch = {};
    for (const field of ['title', 'walked_on', 'notes', 'participants']) {
      const value = properties[field] ?? null;
      if ((base[field] ?? null) !== value) patch[field] = value;
    }
    if (!Object.keys(patch).length) {
      this.showWalk(this.editing, { message: '変更はありませんでした。' });
      this.editing = null;
      return;
    }
    const button = $('#walk-form-save');
    this.page.setBusy(button, true);
    try {
      await api.patchWalk(this.editing.feature.id, this.editing.etag, { properties: patch });
      const id = this.editing.feature.id;
      if (patch.title) this.recording.renamed(id, patch.title);
      this.editing = null;
      this.load();
      await this.openWalk(id, { message: '変更を保存しました。' });
    } catch (error) {
      const box = $('#walk-form-error');
      if (error.status === 412) {
        // Someone saved first (the recorder's route, another person): keep what was typed, on the newest version.
        try {
          this.editing = await api.getWalk(this.editing.feature.id);
          box.textContent = 'ほかの人（または記録中の道のり）が先にこのまち歩きを保存しました。入力はそのままです。もう一度「変更を保存」を押してください。';
        } catch (again) {
          this.page.explain(again, '変更を保存');
          return;
        }
        box.hidden = false;
      } else if (error.status === 400 || error.status === 422) {
        box.textContent = `保存できませんでした：${error.problem?.detail ?? '入力を確かめてください。'}`;
        box.hidden = false;
      } else {
        this.page.explain(error, '変更を保存');
      }
    } finally {
      this.page.setBusy(button, false);
    }
  }

  openNew() {
    if (this.recording.walk()) {
      this.page.say(`「${this.recording.walk().title}」を記録中です。新しいまち歩きは、その記録を終えてから始めてください。`);
      return;
    }
    this.fillForm(null);
  }

  titleError(message) {
    const box = $('#walk-form [data-walk-field="title"]');
    box.classList.toggle('invalid', Boolean(message));
    $('#w-title-error').textContent = message;
    $('#w-title-error').hidden = !message;
    if (message) $('#w-title').setAttribute('aria-invalid', 'true');
    else $('#w-title').removeAttribute('aria-invalid');
  }

  /** The form's properties, or null (and the focus on the title) when it has none. */
  formProperties() {
    const title = $('#w-title').value.trim();
    if (!title) {
      this.titleError('題名を入力してください（例：桔梗が丘まち歩き）。');
      $('#w-title').focus();
      return null;
    }
    const properties = { title, walked_on: $('#w-walked-on').value || todayInJapan() };
    const notes = $('#w-notes').value.trim();
    if (notes) properties.notes = notes;
    const participants = $('#w-participants').value.trim();
    if (participants !== '') properties.participants = Number(participants);
    return properties;
  }

  async create(geometry, button, doing) {
    const properties = this.formProperties();
    if (!properties) return null;
    this.page.setBusy(button, true);
    try {
      return await api.createWalk({ type: 'Feature', geometry, properties });
    } catch (error) {
      if (error.status === 400 || error.status === 422) {
        const box = $('#walk-form-error');
        box.textContent = `保存できませんでした：${error.problem?.detail ?? '入力を確かめてください。'}`;
        box.hidden = false;
      } else {
        this.page.explain(error, doing);
      }
      return null;
    } finally {
      this.page.setBusy(button, false);
    }
  }

  async startRecording() {
    if (!('geolocation' in navigator)) {
      $('#walk-start-status').textContent = 'この端末では位置を使えません。「地図に道をかく」をお使いください。';
      return;
    }
    const created = await this.create(null, $('#walk-start'), '記録を始める');
    if (!created) return;
    this.recording.begin(created);
    this.page.onChanged();
    this.load();
    const title = created.feature.properties?.title ?? '';
    this.showWalk(created, { message: `「${title}」の記録を始めました。タネや場所を入れると、このまち歩きにつながります。` });
  }

  startDrawing() {
    if (!this.formProperties()) return;
    if (!this.drawer.start()) {
      $('#walk-form-error').textContent = '地図を表示できないため、道をかけません。';
      $('#walk-form-error').hidden = false;
    }
  }

  async saveDrawn(geometry, button) {
    const created = await this.create(geometry, button, '道を保存');
    if (!created) return false;
    this.page.onChanged();
    this.load();
    this.showWalk(created, { message: '地図にかいた道のりで、まち歩きを登録しました。' });
    return true;
  }

  // ------------------------------------------------------------ GPX

  gpxError(message) {
    $('#gpx-error').textContent = message;
    $('#gpx-error').hidden = !message;
    $('#gpx-form [data-walk-field="gpx"]').classList.toggle('invalid', Boolean(message));
  }

  async uploadGpx() {
    const file = $('#gpx-file').files?.[0];
    if (!file) {
      this.gpxError('GPXファイルを選んでください。');
      $('#gpx-file').focus();
      return;
    }
    const button = $('#gpx-upload');
    this.page.setBusy(button, true);
    try {
      const created = await api.uploadGpx(file);
      $('#gpx-form').reset();
      this.page.onChanged();
      this.load();
      this.showWalk(created, { message: `GPXファイル「${file.name}」から、まち歩きを登録しました。` });
    } catch (error) {
      if (error.status === 400 || error.status === 415 || error.status === 422) {
        // The server says where in English (「line 7, column 52」); where is said in Japanese too.
        const detail = error.problem?.detail ?? '';
        const where = /line (\d+), column (\d+)/.exec(detail);
        const lead = where
          ? `このファイルは読み取れませんでした（${where[1]} 行目、${where[2]} 文字目のあたりが途中で切れているか、形がくずれています）。`
          : 'このファイルは読み取れませんでした。';
        this.gpxError(detail ? `${lead}サーバーの説明：${detail}` : lead);
      } else if (error.status === 413) {
        this.gpxError('ファイルが大きすぎます（8 MB まで）。');
      } else {
        this.page.explain(error, 'GPXファイルを取り込む');
      }
    } finally {
      this.page.setBusy(button, false);
    }
  }
}
