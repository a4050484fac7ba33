// The まち歩き part of the staff page: the 「まち歩き」 tab (walks as lines on the map with
// their タネ), a walk's page (what was found on it), and the three ways to make one —
// recording with the device's location (walk-recorder.js), drawing on the map, and a GPX file.
//
// A recorded walk is created as soon as recording starts, so that タネ and places added while
// walking can name it (`walk_id`); its route is saved with PATCH on 「途中で保存」 and
// 「記録を終える」. `page` is what staff.js lends (see staff-tane.js).

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatDistance } from './i18n.js';
import { WalkRecorder, MAX_ACCURACY_M } from './walk-recorder.js';
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
    this.recordingTitle = '';
    this.recordingEtag = null;
    this.drawn = null; // [[lon, lat], …] while a route is drawn
    this.request = 0;
    this.recorder = new WalkRecorder({
      onChange: () => this.showRecording(),
      onProblem: (kind) => this.recordingProblem(kind),
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
    $('#rec-pause').addEventListener('click', () => {
      this.recorder.pause();
      $('#rec-resume').focus();
    });
    $('#rec-resume').addEventListener('click', () => {
      this.recorder.resume();
      $('#rec-pause').focus();
    });
    $('#rec-save').addEventListener('click', (event) => this.saveRoute(event.currentTarget));
    $('#rec-finish').addEventListener('click', (event) => this.finishRecording(event.currentTarget));
    $('#rec-tane').addEventListener('click', () => page.openTaneForm());
    $('#draw-centre').addEventListener('click', () => this.addDrawnPoint(page.map()?.centrePoint()));
    $('#draw-undo').addEventListener('click', () => {
      this.drawn?.pop();
      this.showDrawn();
    });
    $('#draw-done').addEventListener('click', (event) => this.saveDrawn(event.currentTarget));
    $('#draw-cancel').addEventListener('click', () => this.stopDrawing({ back: true }));
    $('#gpx-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.uploadGpx();
    });
    $('#gpx-file').addEventListener('change', () => this.gpxError(''));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.drawing && !$('#promote-dialog').open) this.stopDrawing({ back: true });
    });
  }

  /** The walk being recorded, for the タネ and place forms: {id, title} or null. */
  recordingWalk() {
    return this.recorder.active ? { id: this.recorder.walkId, title: this.recordingTitle } : null;
  }

  get drawing() {
    return this.drawn !== null;
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
      replaceChildren($('#walks-list'), features.map((f) => walkEntry(f, { recording: f.id === this.recorder.walkId })));
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
      recording: feature.id === this.recorder.walkId,
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
      if (id === this.recorder.walkId && patch.title) this.recordingTitle = patch.title;
      this.editing = null;
      this.showRecording();
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
    if (this.recorder.active) {
      this.page.say(`「${this.recordingTitle}」を記録中です。新しいまち歩きは、その記録を終えてから始めてください。`);
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

  // ------------------------------------------------------------ recording

  async startRecording() {
    const status = $('#walk-start-status');
    if (!('geolocation' in navigator)) {
      status.textContent = 'この端末では位置を使えません。「地図に道をかく」をお使いください。';
      return;
    }
    const created = await this.create(null, $('#walk-start'), '記録を始める');
    if (!created) return;
    this.recordingTitle = created.feature.properties?.title ?? '';
    this.recordingEtag = created.etag;
    this.recorder.begin(created.feature.id);
    this.page.onChanged();
    this.load();
    this.showWalk(created, { message: `「${this.recordingTitle}」の記録を始めました。タネや場所を入れると、このまち歩きにつながります。` });
  }

  /** Takes up a recording a reload (or a closed tab) left in this browser. */
  async resumeStored() {
    const stored = WalkRecorder.stored();
    if (!stored) return;
    try {
      const { feature, etag } = await api.getWalk(stored.walkId);
      this.recordingTitle = feature.properties?.title ?? '';
      this.recordingEtag = etag;
      this.recorder.restore(stored);
      this.page.say(`「${this.recordingTitle}」の記録の途中です（${this.recorder.pointCount} 点を残してあります）。続けるには「再開」を押してください。`);
    } catch (error) {
      if (error.status === 401) return;
      console.warn('stored walk could not be read', error);
      this.page.showAlert('前に記録していたまち歩きを読み込めませんでした。記録した点はこの端末に残してあります。ページを読み込み直してください。');
    }
  }

  showRecording() {
    const recorder = this.recorder;
    const bar = $('#walk-recording');
    bar.hidden = !recorder.active;
    this.page.map()?.showLiveRoute(recorder.active ? recorder.segments : null);
    if (!recorder.active) return;
    $('#walk-recording-title').textContent = `まち歩きを記録中: ${this.recordingTitle}`;
    $('#rec-pause').hidden = recorder.paused;
    $('#rec-resume').hidden = !recorder.paused;
    // A new point means the location works again; a pause the user chose needs no excuse.
    if (recorder.pointCount !== this.shownPoints && this.problem === 'unavailable') this.problem = null;
    if (!recorder.paused && ['hidden', 'denied'].includes(this.problem)) this.problem = null;
    this.shownPoints = recorder.pointCount;
    const figures = `${recorder.pointCount} 点・約 ${formatDistance(recorder.lengthM)}`;
    let state = recorder.paused ? `一時停止中（${figures}）` : `記録中（${figures}）`;
    if (!recorder.paused && recorder.lastAccuracy > MAX_ACCURACY_M) {
      state += `。位置の誤差が大きいため（約 ${Math.round(recorder.lastAccuracy)} m）、その点は使っていません。`;
    } else if (!recorder.paused && recorder.pointCount === 0) {
      state += '。位置を調べています…';
    }
    $('#walk-recording-state').textContent = state;
    const problem = this.problemText();
    if ($('#walk-recording-problem').textContent !== problem) $('#walk-recording-problem').textContent = problem;
  }

  /** What went wrong, said in the recording bar (next to 「再開」) until the next good fix. */
  recordingProblem(kind) {
    this.problem = kind;
    this.showRecording();
  }

  problemText() {
    const messages = {
      denied: '位置の利用が許可されていないため、記録を一時停止しました。端末の設定で許可してから「再開」を押してください。',
      unavailable: '位置がわかりません。屋外で少し待つと記録が続きます。',
      hidden: '画面が消えた（またはほかのアプリに切り替わった）ため、記録を一時停止しました。続けるには「再開」を押してください。記録した分は残っています。',
      storage: 'この端末に記録を残せません（ブラウザーの設定）。こまめに「途中で保存」を押してください。',
    };
    return messages[this.problem] ?? '';
  }

  /**
   * Saves the route recorded so far. Only the route is sent, so that a title someone else
   * changed meanwhile stays: on 412 the walk is read again and the route sent again once.
   */
  async sendRoute() {
    const geometry = this.recorder.geometry();
    const id = this.recorder.walkId;
    try {
      return await api.patchWalk(id, this.recordingEtag, { geometry });
    } catch (error) {
      if (error.status !== 412) throw error;
      const latest = await api.getWalk(id);
      return api.patchWalk(id, latest.etag, { geometry });
    }
  }

  async saveRoute(button) {
    if (!this.recorder.geometry()) {
      this.page.say('まだ保存できる道のりがありません（2 点以上の記録が要ります）。');
      return null;
    }
    this.page.setBusy(button, true);
    try {
      const saved = await this.sendRoute();
      this.recordingEtag = saved.etag;
      this.page.say(`道のりを保存しました（${this.recorder.pointCount} 点・約 ${formatDistance(this.recorder.lengthM)}）。記録は続いています。`);
      return saved;
    } catch (error) {
      this.page.explain(error, '途中で保存');
      return null;
    } finally {
      this.page.setBusy(button, false);
    }
  }

  async finishRecording(button) {
    const id = this.recorder.walkId;
    this.recorder.pause();
    this.page.setBusy(button, true);
    try {
      if (this.recorder.geometry()) await this.sendRoute();
    } catch (error) {
      // The points stay in this browser; the user can try again.
      this.page.explain(error, '記録を終える');
      return;
    } finally {
      this.page.setBusy(button, false);
    }
    const points = this.recorder.pointCount;
    this.recorder.end();
    this.recordingTitle = '';
    this.recordingEtag = null;
    this.page.onChanged();
    this.load();
    await this.openWalk(id, { message: points ? '記録を終えて、道のりを保存しました。' : '記録を終えました（道のりは記録されませんでした）。' });
  }

  // ------------------------------------------------------------ drawing

  startDrawing() {
    const map = this.page.map();
    if (!map) {
      $('#walk-form-error').textContent = '地図を表示できないため、道をかけません。';
      $('#walk-form-error').hidden = false;
      return;
    }
    if (!this.formProperties()) return;
    this.drawn = [];
    map.setDrawing((point) => this.addDrawnPoint(point));
    $('#draw-bar').hidden = false;
    this.showDrawn();
    $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
    $('#draw-prompt').focus({ preventScroll: true });
  }

  addDrawnPoint(point) {
    if (!this.drawn || !point) return;
    this.drawn.push([Number(point[0].toFixed(6)), Number(point[1].toFixed(6))]);
    this.showDrawn();
  }

  showDrawn() {
    const n = this.drawn?.length ?? 0;
    this.page.map()?.showLiveRoute(this.drawn ? [this.drawn] : null);
    $('#draw-count').textContent = n ? `${n} 点` : 'まだ点がありません。';
    $('#draw-undo').disabled = n === 0;
  }

  stopDrawing({ back = false } = {}) {
    this.drawn = null;
    this.page.map()?.setDrawing(null);
    $('#draw-bar').hidden = true;
    this.showRecording(); // the live line is the recording's again (or none)
    if (back) $('#walk-draw').focus();
  }

  async saveDrawn(button) {
    if ((this.drawn?.length ?? 0) < 2) {
      $('#draw-count').textContent = '道のりには 2 点以上が要ります。地図をタップして点を置いてください。';
      return;
    }
    const geometry = { type: 'LineString', coordinates: this.drawn };
    const created = await this.create(geometry, button, '道を保存');
    if (!created) return;
    this.stopDrawing();
    this.page.onChanged();
    this.load();
    this.showWalk(created, { message: '地図にかいた道のりで、まち歩きを登録しました。' });
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
