// The link worker's results: places nearest first, twenty at a time, each with the walk it
// takes and a button that puts it into (or takes it out of) the shortlist.

import { h } from './dom.js';
import { formatDistance } from './i18n.js';
import { placeSummary } from './place-view.js';

/** Walking speed for the time shown: 80 m a minute (the real-estate rule in Japan). */
const METRES_PER_MINUTE = 80;
/** Results shown at a time: a phone's screen holds a few, and the shortlist comes after. */
export const RESULTS_PER_STEP = 20;

export function walkingMinutes(metres) {
  return Math.max(1, Math.ceil(metres / METRES_PER_MINUTE));
}

function distanceLine(metres) {
  return `${formatDistance(metres)}・歩いて約 ${walkingMinutes(metres)} 分（直線距離）`;
}

/**
 * A result's button says whether the place is in the shortlist; its name for screen readers
 * starts with the words shown, then names the place.
 */
function showPicked(button, name, picked) {
  const label = picked ? '処方箋に入れました（外す）' : '処方箋に入れる';
  button.textContent = label;
  button.setAttribute('aria-label', `${label}：${name}`);
  button.classList.toggle('button-picked', picked);
  button.classList.toggle('button-primary', !picked);
}

export class ResultList {
  /** `list`: the <ol>; `more`: the 「次の 20 件」 button; `shortlist`: a Shortlist. */
  constructor(list, more, shortlist) {
    this.list = list;
    this.more = more;
    this.shortlist = shortlist;
    this.features = [];
    more.addEventListener('click', () => this.showMore()?.querySelector('.pick-toggle')?.focus());
  }

  /** Replaces the results (nearest first). */
  show(features) {
    this.features = features;
    this.list.replaceChildren();
    this.more.hidden = true;
    this.showMore();
  }

  item(feature, i) {
    const p = feature.properties ?? {};
    const toggle = h('button', { type: 'button', class: 'button pick-toggle' });
    showPicked(toggle, p.name ?? '', this.shortlist.has(feature.id));
    toggle.addEventListener('click', () => {
      if (this.shortlist.has(feature.id)) this.shortlist.remove(feature.id);
      else this.shortlist.add(feature);
      toggle.focus();
    });
    return h('li', { class: 'result-item' },
      h('div', { class: 'result-rank', 'aria-hidden': 'true' }, String(i + 1)),
      h('div', { class: 'result-body' },
        placeSummary(feature),
        Number.isFinite(p.distance_m) ? h('span', { class: 'item-line result-walk' }, distanceLine(p.distance_m)) : null,
        toggle));
  }

  /** Shows up to `count` more; answers the first item added. */
  showMore(count = RESULTS_PER_STEP) {
    const from = this.list.children.length;
    const upto = Math.min(this.features.length, from + count);
    this.list.append(...this.features.slice(from, upto).map((feature, i) => this.item(feature, from + i)));
    const rest = this.features.length - upto;
    this.more.hidden = rest === 0;
    this.more.textContent = `次の ${Math.min(rest, RESULTS_PER_STEP)} 件を表示（あと ${rest} 件）`;
    return this.list.children[from];
  }

  /** After the shortlist changed: each button says again whether its place is in it. */
  refresh() {
    [...this.list.children].forEach((item, index) => {
      const feature = this.features[index];
      showPicked(item.querySelector('.pick-toggle'), feature?.properties?.name ?? '', this.shortlist.has(feature?.id));
    });
  }
}
