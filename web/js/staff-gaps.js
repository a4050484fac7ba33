// 「歩く候補」: the towns with no published 通いの場・サロン within walking distance, farthest
// first — where the next neighbourhood walk should go. A town in the list shows itself on the
// map; the map marks every listed town with a circle.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatDistance } from './i18n.js';

export class GapsPanel {
  /** `onShowTown(town)` when a town is chosen; `onTowns(towns)` after each answer (for the map). */
  constructor(root, { onShowTown, onTowns, onUnauthorized }) {
    this.root = root;
    this.onShowTown = onShowTown;
    this.onTowns = onTowns;
    this.onUnauthorized = onUnauthorized;
    this.within = root.querySelector('#gaps-within');
    this.list = root.querySelector('#gaps-list');
    this.count = root.querySelector('#gaps-count');
    this.error = root.querySelector('#gaps-error');
    this.attribution = root.querySelector('#gaps-attribution');
    this.request = 0;
    this.within.addEventListener('change', () => this.load());
    root.querySelector('#gaps-retry').addEventListener('click', () => this.load());
  }

  async load() {
    const request = ++this.request;
    this.error.hidden = true;
    this.count.textContent = '読み込み中…';
    try {
      const answer = await api.getGaps(Number(this.within.value));
      if (request !== this.request) return;
      this.render(answer);
    } catch (error) {
      if (request !== this.request) return;
      if (error.status === 401) {
        this.onUnauthorized?.(error);
        return;
      }
      console.warn('gaps request failed', error);
      this.count.textContent = '';
      this.error.hidden = false;
    }
  }

  render(answer) {
    const towns = answer.towns ?? [];
    this.count.textContent = `${answer.towns_total} 町のうち ${towns.length} 町`;
    replaceChildren(this.list, towns.map((town) => {
      const name = town.koaza ? `${town.name}（${town.koaza}）` : town.name;
      const nearest = town.nearest
        ? `いちばん近い通いの場・サロンまで ${formatDistance(town.nearest.distance_m)}（${town.nearest.name}）`
        : '通いの場・サロンがまだありません';
      const button = h('button', { type: 'button', class: 'place-link gap-town' },
        h('span', { class: 'item-name' }, name),
        h('span', { class: 'item-line' }, nearest));
      button.addEventListener('click', () => this.onShowTown?.(town));
      return h('li', { class: 'place-item' }, button);
    }));
    this.attribution.textContent = `町の代表点: ${answer.attribution ?? ''}`;
    this.onTowns?.(towns);
  }

  clear() {
    this.onTowns?.([]);
  }
}
