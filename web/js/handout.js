// The handout (社会的処方箋): the places a link worker picked, numbered, for the client to
// take home — as a printed sheet, a PDF the browser saves, or the public list a share link
// opens. It shows places only: never the client's point, radius or the address typed.
// Place data goes in as text (dom.js).

import { h, replaceChildren, telHref } from './dom.js';
import { categoryName } from './i18n.js';
import { PlaceMap } from './map.js';
import { categoryOf, latLonOf, nextSessionText, scheduleText } from './place-view.js';
import { qrSvg } from './qr.js';
import { numberIcon } from './linkworker-map.js';

const L = globalThis.L;

function text(value) {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function list(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v.trim() !== '') : [];
}

/** The public map's page for one place: what the QR code opens. */
export function placeUrl(id, origin = location.origin) {
  return `${origin}/?place=${encodeURIComponent(id)}`;
}

/** The public, read-only list of these places: ids only, nothing about the client. */
export function shareUrl(ids, origin = location.origin) {
  return `${origin}/list?ids=${ids.map(encodeURIComponent).join(',')}`;
}

/** Today in Japan as 「2026年12月1日」. */
export function todayText(now = new Date()) {
  const parts = new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric',
  });
  return parts.format(now);
}

function row(label, value) {
  if (!value) return null;
  return h('div', { class: 'handout-row' }, h('dt', {}, label), h('dd', {}, value));
}

/** One place's card: number, name, what it is, when, where, contact, and its QR code. */
function placeCard(feature, number, note) {
  const p = feature.properties ?? {};
  const category = categoryOf(feature);
  const schedule = scheduleText(p);
  const next = nextSessionText(p);
  const tel = telHref(p.phone);
  const audience = list(p.audience).join('、');
  const what = [category ? categoryName(category) : null, text(p.description)].filter(Boolean);
  return h('li', { class: 'handout-place' },
    h('div', { class: 'handout-place-main' },
      h('h3', { class: 'handout-name' },
        h('span', { class: 'handout-number', 'aria-hidden': 'true' }, String(number)),
        h('span', { class: 'visually-hidden' }, `${number}番目：`),
        text(p.name) ?? ''),
      what.length ? h('p', { class: 'handout-what' }, what.join(' — ')) : null,
      note ? h('p', { class: 'handout-note' }, h('span', { class: 'handout-note-label' }, 'ひとこと：'), note) : null,
      h('dl', { class: 'handout-details' },
        row('日時', schedule ? [schedule, next ? h('span', { class: 'handout-next' }, `（${next}）`) : null] : null),
        row('日時の補足', text(p.schedule_text) && text(p.schedule_note) !== text(p.schedule_text) ? text(p.schedule_note) : null),
        row('場所', text(p.address)),
        row('電話', text(p.phone) ? (tel ? h('a', { href: tel }, p.phone) : p.phone) : null),
        row('費用', text(p.cost)),
        row('対象', audience || null),
        row('バリアフリー', text(p.accessibility)))),
    h('figure', { class: 'handout-qr' },
      qrSvg(placeUrl(feature.id), `${text(p.name) ?? ''}を地図で見るための QR コード`),
      h('figcaption', {}, 'スマホで読み取ると地図で見られます'),
      // On a screen (the shared list on a phone) a tap does what the QR code does on paper.
      h('a', { class: 'button handout-open', href: placeUrl(feature.id) }, '地図で見る',
        h('span', { class: 'visually-hidden' }, `：${text(p.name) ?? ''}`))));
}

/**
 * Fills `root` with the handout for `features` (in order). `notes`: Map(id → note for the
 * client), or null on the public list. Answers the element to put the map in.
 */
export function renderHandout(root, features, { notes = null, title = 'つながり先のご案内', intro = null } = {}) {
  const mapBox = h('div', { class: 'handout-map' });
  replaceChildren(root,
    h('header', { class: 'handout-header' },
      h('p', { class: 'handout-kind' }, '社会的処方箋'),
      h('h2', { class: 'handout-title', tabindex: '-1' }, title),
      h('p', { class: 'handout-date' }, `${todayText()} 作成`)),
    intro ? h('p', { class: 'handout-intro' }, intro) : null,
    features.length ? h('p', { class: 'handout-map-caption' }, '地図の番号は、下の一覧の番号です。') : null,
    features.length ? mapBox : null,
    h('ol', { class: 'handout-places' },
      features.map((f, i) => placeCard(f, i + 1, notes ? text(notes.get(f.id)) : null))),
    h('footer', { class: 'handout-footer' },
      // On the link worker's handout, room to write who to call back (by hand, not stored).
      notes ? h('p', { class: 'handout-contact' }, 'ご相談先：', h('span', { class: 'handout-blank' }), '担当：', h('span', { class: 'handout-blank' })) : null,
      h('p', {}, '内容や日時は変わることがあります。お出かけの前に、電話などで確かめてください。'),
      h('p', {}, `つながりマップ 名張市 — ${location.origin}/`)));
  return mapBox;
}

/** The handout's map: the picked places, numbered as in the list; nothing else. */
export class HandoutMap extends PlaceMap {
  constructor(container, config, features) {
    super(container, config, { lat: 34.628, lon: 136.108, zoom: 13 }, {});
    this.zoomControl.remove();
    this.layer = L.layerGroup().addTo(this.map);
    this.setFeatures(features);
    // The print layout gives the map another size than the screen: fit the places again
    // whenever its box changes, so no number is cut at the edge of the printed map.
    if ('ResizeObserver' in window) {
      new ResizeObserver(() => this.fit()).observe(container);
    }
  }

  fit() {
    this.map.invalidateSize();
    if (this.points?.length) {
      this.map.fitBounds(L.latLngBounds(this.points), { padding: [36, 36], maxZoom: 16, animate: false });
    }
  }

  setFeatures(features) {
    this.layer.clearLayers();
    const points = [];
    features.forEach((feature, i) => {
      const [lat, lon] = latLonOf(feature);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
      points.push([lat, lon]);
      L.marker([lat, lon], {
        icon: numberIcon(String(i + 1), { picked: true, colour: categoryOf(feature)?.color }),
        interactive: false,
        keyboard: false,
      }).addTo(this.layer);
    });
    this.points = points;
    this.fit();
  }
}
