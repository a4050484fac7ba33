// The walk being recorded: the bar above the map (「まち歩きを記録中: …」 with 一時停止・再開・
// タネを記録・途中で保存・記録を終える) and the saving of its route with PATCH. The points
// themselves, and keeping them through a reload, are walk-recorder.js's.

import * as api from './api.js';
import { formatDistance } from './i18n.js';
import { WalkRecorder, MAX_ACCURACY_M } from './walk-recorder.js';

const $ = (selector) => document.querySelector(selector);

export class WalkRecording {
  /** `walks`: the まち歩き panel (load, openWalk); `page`: what staff.js lends. */
  constructor(walks, page) {
    this.walks = walks;
    this.page = page;
    this.title = '';
    this.etag = null; // the walk's version the next route PATCH is made against
    this.problem = null;
    this.recorder = new WalkRecorder({
      onChange: () => this.show(),
      onProblem: (kind) => this.problemFound(kind),
    });
    $('#rec-pause').addEventListener('click', () => {
      this.recorder.pause();
      $('#rec-resume').focus();
    });
    $('#rec-resume').addEventListener('click', () => {
      this.recorder.resume();
      $('#rec-pause').focus();
    });
    $('#rec-save').addEventListener('click', (event) => this.save(event.currentTarget));
    $('#rec-finish').addEventListener('click', (event) => this.finish(event.currentTarget));
    $('#rec-tane').addEventListener('click', () => page.openTaneForm());
  }

  /** The walk being recorded: {id, title} or null. */
  walk() {
    return this.recorder.active ? { id: this.recorder.walkId, title: this.title } : null;
  }

  /** Starts recording `created` ({feature, etag}), a walk just made without a route. */
  begin(created) {
    this.title = created.feature.properties?.title ?? '';
    this.etag = created.etag;
    this.recorder.begin(created.feature.id);
  }

  /** The walk's title changed (on its page): the bar says the new one. */
  renamed(id, title) {
    if (id !== this.recorder.walkId) return;
    this.title = title;
    this.show();
  }

  /** Takes up a recording a reload (or a closed tab) left in this browser. */
  async resumeStored() {
    const stored = WalkRecorder.stored();
    if (!stored) return;
    try {
      const { feature, etag } = await api.getWalk(stored.walkId);
      this.title = feature.properties?.title ?? '';
      this.etag = etag;
      this.recorder.restore(stored);
      this.page.say(`「${this.title}」の記録の途中です（${this.recorder.pointCount} 点を残してあります）。続けるには「再開」を押してください。`);
    } catch (error) {
      if (error.status === 401) return;
      if (error.status === 404) {
        // Another server's walk (a test server, a database restored): nothing to save them to.
        this.recorder.end();
        this.page.showAlert('この端末に残っていたまち歩きの記録は、このサーバーにないまち歩きのものだったため、消しました。');
        return;
      }
      console.warn('stored walk could not be read', error);
      this.page.showAlert('前に記録していたまち歩きを読み込めませんでした。記録した点はこの端末に残してあります。ページを読み込み直してください。');
    }
  }

  /** The bar (shown only while a walk is recorded) and the recorded line on the map. */
  show() {
    const recorder = this.recorder;
    const bar = $('#walk-recording');
    bar.hidden = !recorder.active;
    this.page.map()?.showLiveRoute(recorder.active ? recorder.segments : null);
    if (!recorder.active) return;
    $('#walk-recording-title').textContent = `まち歩きを記録中: ${this.title}`;
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
  problemFound(kind) {
    this.problem = kind;
    this.show();
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
      return await api.patchWalk(id, this.etag, { geometry });
    } catch (error) {
      if (error.status !== 412) throw error;
      const latest = await api.getWalk(id);
      return api.patchWalk(id, latest.etag, { geometry });
    }
  }

  async save(button) {
    if (!this.recorder.geometry()) {
      this.page.say('まだ保存できる道のりがありません（2 点以上の記録が要ります）。');
      return null;
    }
    this.page.setBusy(button, true);
    try {
      const saved = await this.sendRoute();
      this.etag = saved.etag;
      this.page.say(`道のりを保存しました（${this.recorder.pointCount} 点・約 ${formatDistance(this.recorder.lengthM)}）。記録は続いています。`);
      return saved;
    } catch (error) {
      this.page.explain(error, '途中で保存');
      return null;
    } finally {
      this.page.setBusy(button, false);
    }
  }

  async finish(button) {
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
    this.title = '';
    this.etag = null;
    this.page.onChanged();
    this.walks.load();
    await this.walks.openWalk(id, { message: points ? '記録を終えて、道のりを保存しました。' : '記録を終えました（道のりは記録されませんでした）。' });
  }
}
