// Drawing a walk's route on the map: each tap (or 「地図の中心に点を置く」, or a place's
// marker) adds a point, 「一つ戻す」 takes the last one back, 「かき終えて保存」 hands the line on.

const $ = (selector) => document.querySelector(selector);

export class RouteDrawing {
  /** `onSave(geometry, button)` → true when saved; `onStop()` after drawing ends. */
  constructor(page, { onSave, onStop }) {
    this.page = page;
    this.onSave = onSave;
    this.onStop = onStop;
    this.drawn = null; // [[lon, lat], …] while a route is drawn
    $('#draw-centre').addEventListener('click', () => this.add(page.map()?.centrePoint()));
    $('#draw-undo').addEventListener('click', () => {
      this.drawn?.pop();
      this.show();
    });
    $('#draw-done').addEventListener('click', (event) => this.save(event.currentTarget));
    $('#draw-cancel').addEventListener('click', () => this.stop({ back: true }));
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.active && !$('#promote-dialog').open) this.stop({ back: true });
    });
  }

  get active() {
    return this.drawn !== null;
  }

  /** Starts taking taps on the map as the route's points; false when there is no map. */
  start() {
    const map = this.page.map();
    if (!map) return false;
    this.drawn = [];
    map.setDrawing((point) => this.add(point));
    $('#draw-bar').hidden = false;
    this.show();
    $('#map-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
    $('#draw-prompt').focus({ preventScroll: true });
    return true;
  }

  /** A point of the route ([lon, lat]): a tap, the map's centre, a place's marker. */
  add(point) {
    if (!this.drawn || !point) return;
    this.drawn.push([Number(point[0].toFixed(6)), Number(point[1].toFixed(6))]);
    this.show();
  }

  show() {
    const n = this.drawn?.length ?? 0;
    this.page.map()?.showLiveRoute(this.drawn ? [this.drawn] : null);
    $('#draw-count').textContent = n ? `${n} 点` : 'まだ点がありません。';
    $('#draw-undo').disabled = n === 0;
  }

  stop({ back = false } = {}) {
    this.drawn = null;
    this.page.map()?.setDrawing(null);
    $('#draw-bar').hidden = true;
    this.onStop?.(); // the live line is the recording's again (or none)
    if (back) $('#walk-draw').focus();
  }

  /** 「かき終えて保存」: the route as a LineString to `onSave`, which answers whether it was saved. */
  async save(button) {
    if ((this.drawn?.length ?? 0) < 2) {
      $('#draw-count').textContent = '道のりには 2 点以上が要ります。地図をタップして点を置いてください。';
      return;
    }
    if (await this.onSave({ type: 'LineString', coordinates: this.drawn }, button)) this.stop();
  }
}
