// The shortlist: the places a link worker picked for the client, in the order they will be
// handed over, each with a note for the client. Kept in this page's memory only.

import { h, replaceChildren } from './dom.js';

/** Notes stay short: they are printed under the place's name. */
export const NOTE_MAX = 200;

export class Shortlist {
  /** `onChange()` after anything changes (to redraw the map and the results' buttons). */
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    /** [{feature, note}] in handout order. */
    this.items = [];
    this.status = document.querySelector('#shortlist-status');
  }

  has(id) {
    return this.items.some((item) => item.feature.id === id);
  }

  ids() {
    return this.items.map((item) => item.feature.id);
  }

  features() {
    return this.items.map((item) => item.feature);
  }

  notes() {
    return new Map(this.items.map((item) => [item.feature.id, item.note]));
  }

  add(feature) {
    if (this.has(feature.id)) return;
    this.items.push({ feature, note: '' });
    this.changed(`「${feature.properties?.name ?? ''}」を ${this.items.length} 番目に入れました。`);
  }

  remove(id, { focus = false } = {}) {
    const index = this.items.findIndex((item) => item.feature.id === id);
    if (index < 0) return;
    const [removed] = this.items.splice(index, 1);
    this.changed(`「${removed.feature.properties?.name ?? ''}」を外しました。`);
    if (focus) {
      const next = this.root.querySelectorAll('.shortlist-item')[Math.min(index, this.items.length - 1)];
      (next?.querySelector('.shortlist-note') ?? document.querySelector('#shortlist-heading')).focus();
    }
  }

  /** Moves a place up (-1) or down (+1); focus stays on the same button of the moved place. */
  move(id, delta, buttonClass) {
    const index = this.items.findIndex((item) => item.feature.id === id);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.items.length) return;
    const [item] = this.items.splice(index, 1);
    this.items.splice(target, 0, item);
    this.changed(`「${item.feature.properties?.name ?? ''}」を ${target + 1} 番目にしました。`);
    const moved = this.root.querySelectorAll('.shortlist-item')[target];
    const button = moved?.querySelector(`.${buttonClass}:not([disabled])`) ?? moved?.querySelector('button');
    button?.focus();
  }

  changed(message) {
    this.render();
    if (this.status) this.status.textContent = message;
    this.onChange();
  }

  render() {
    const count = this.items.length;
    replaceChildren(this.root, this.items.map((item, i) => {
      const { feature } = item;
      const name = feature.properties?.name ?? '';
      const noteId = `note-${i}`;
      const note = h('textarea', {
        id: noteId, class: 'shortlist-note', rows: '2', maxlength: String(NOTE_MAX),
        placeholder: '例：火曜の午前がおすすめです。受付で「○○さんの紹介」と伝えてください。',
      });
      note.value = item.note;
      note.addEventListener('input', () => {
        item.note = note.value.slice(0, NOTE_MAX);
      });
      const button = (label, aria, cls, onClick, disabled = false) => {
        const b = h('button', { type: 'button', class: `button ${cls}`, 'aria-label': aria, disabled }, label);
        b.addEventListener('click', onClick);
        return b;
      };
      return h('li', { class: 'shortlist-item' },
        h('div', { class: 'shortlist-head' },
          h('span', { class: 'shortlist-number', 'aria-hidden': 'true' }, String(i + 1)),
          h('span', { class: 'shortlist-name' }, name),
          h('span', { class: 'shortlist-buttons' },
            button('↑', `「${name}」を上へ`, 'move-up', () => this.move(feature.id, -1, 'move-up'), i === 0),
            button('↓', `「${name}」を下へ`, 'move-down', () => this.move(feature.id, 1, 'move-down'), i === count - 1),
            button('外す', `「${name}」を外す`, 'remove', () => this.remove(feature.id, { focus: true })))),
        h('label', { for: noteId, class: 'small-label' }, 'ご本人へのひとこと（処方箋に載ります・なくてもかまいません）'),
        note);
    }));
  }
}
