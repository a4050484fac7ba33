// Records a walk's route with the device's location (navigator.geolocation.watchPosition).
//
// The points are kept in localStorage after every fix, so that a reload, a crash or a locked
// screen loses nothing: only the walk's id and the route's points — never a タネ's text, nor a
// title. Each pause starts a new segment (the route becomes a MultiLineString), so that the
// line never jumps straight across a part of the walk that was not recorded.
//
// When the page is hidden (the screen locks, another app comes up) most phones stop giving
// the page its location; the recording is paused then, and the page says to press 「再開」.

const KEY = 'tsunagari.walkRecording';
/** Fixes less accurate than this are dropped: a 50 m error is already the width of a block. */
export const MAX_ACCURACY_M = 50;
/** A fix closer than this to the last point adds nothing (standing at a crossing). */
const MIN_STEP_M = 3;

/** Great-circle distance in metres between two [lon, lat]. */
export function haversine([lon1, lat1], [lon2, lat2]) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The route of `segments` as GeoJSON: segments of fewer than two points are left out. */
export function routeGeometry(segments) {
  const lines = segments.filter((s) => s.length >= 2);
  if (lines.length === 0) return null;
  if (lines.length === 1) return { type: 'LineString', coordinates: lines[0] };
  return { type: 'MultiLineString', coordinates: lines };
}

function read() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof stored?.walkId !== 'string' || !Array.isArray(stored.segments)) return null;
    const segments = stored.segments
      .filter(Array.isArray)
      .map((s) => s.filter((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)));
    return { walkId: stored.walkId, segments: segments.length ? segments : [[]] };
  } catch {
    return null;
  }
}

export class WalkRecorder {
  /** `onChange(recorder)` after every change; `onProblem(kind)`: 'denied', 'unavailable', 'hidden', 'storage'. */
  constructor({ onChange, onProblem }) {
    this.onChange = onChange;
    this.onProblem = onProblem;
    this.walkId = null;
    this.segments = [];
    this.paused = true;
    this.watchId = null;
    this.dropped = 0;
    this.lastAccuracy = null;
    this.wakeLock = null;
    document.addEventListener('visibilitychange', () => {
      if (document.hidden && this.recording) {
        this.pause();
        this.onProblem?.('hidden');
      } else if (!document.hidden && this.recording) {
        this.keepScreenOn();
      }
    });
  }

  /** A recording left by an earlier page (a reload, a closed tab): {walkId, segments} or null. */
  static stored() {
    return read();
  }

  get active() {
    return this.walkId !== null;
  }

  /** Active and not paused. */
  get recording() {
    return this.active && !this.paused;
  }

  get pointCount() {
    return this.segments.reduce((n, s) => n + s.length, 0);
  }

  get lengthM() {
    let total = 0;
    for (const segment of this.segments) {
      for (let i = 1; i < segment.length; i += 1) total += haversine(segment[i - 1], segment[i]);
    }
    return total;
  }

  geometry() {
    return routeGeometry(this.segments);
  }

  /** Starts recording the walk `walkId` (just created). */
  begin(walkId) {
    this.walkId = walkId;
    this.segments = [[]];
    this.dropped = 0;
    this.paused = false;
    this.persist();
    this.watch();
    this.onChange?.(this);
  }

  /** Takes up a stored recording, paused: the location is watched again on 「再開」. */
  restore({ walkId, segments }) {
    this.walkId = walkId;
    this.segments = segments;
    this.paused = true;
    this.onChange?.(this);
  }

  pause() {
    if (!this.active) return;
    this.unwatch();
    this.paused = true;
    this.persist();
    this.onChange?.(this);
  }

  /** Goes on in a new segment (what happened in between was not recorded). */
  resume() {
    if (!this.active) return;
    if (this.segments.at(-1)?.length) this.segments.push([]);
    this.paused = false;
    this.persist();
    this.watch();
    this.onChange?.(this);
  }

  /** Stops and forgets the recording (after the route was saved). */
  end() {
    this.unwatch();
    this.walkId = null;
    this.segments = [];
    this.paused = true;
    try {
      localStorage.removeItem(KEY);
    } catch {
      // nothing was stored
    }
    this.onChange?.(this);
  }

  watch() {
    this.unwatch();
    if (!('geolocation' in navigator)) {
      this.paused = true;
      this.onProblem?.('unavailable');
      return;
    }
    this.watchId = navigator.geolocation.watchPosition(
      (position) => this.fix(position),
      (error) => {
        if (error.code === error.PERMISSION_DENIED) {
          this.pause();
          this.onProblem?.('denied');
        } else {
          this.onProblem?.('unavailable');
        }
      },
      // No timeout: standing still for a while is not a failure.
      { enableHighAccuracy: true, maximumAge: 0 },
    );
    this.keepScreenOn();
  }

  unwatch() {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    this.wakeLock?.release().catch(() => {});
    this.wakeLock = null;
  }

  /**
   * Asks the browser to keep the screen on while recording (Screen Wake Lock, where the
   * browser has it): the simplest way not to lose the location on a walk.
   */
  async keepScreenOn() {
    if (this.wakeLock || !navigator.wakeLock || document.hidden) return;
    try {
      this.wakeLock = await navigator.wakeLock.request('screen');
      this.wakeLock.addEventListener('release', () => {
        this.wakeLock = null;
      });
    } catch {
      // refused (battery saver, no support): the page's note about the screen still holds
    }
  }

  fix(position) {
    if (!this.recording) return;
    const { longitude, latitude, accuracy } = position.coords;
    this.lastAccuracy = accuracy;
    if (!Number.isFinite(accuracy) || accuracy > MAX_ACCURACY_M) {
      this.dropped += 1;
      this.onChange?.(this);
      return;
    }
    const point = [Number(longitude.toFixed(6)), Number(latitude.toFixed(6))];
    const segment = this.segments.at(-1);
    const last = segment.at(-1);
    if (last && haversine(last, point) < MIN_STEP_M) return;
    segment.push(point);
    this.persist();
    this.onChange?.(this);
  }

  persist() {
    try {
      localStorage.setItem(KEY, JSON.stringify({ walkId: this.walkId, segments: this.segments }));
    } catch {
      this.onProblem?.('storage');
    }
  }
}
