// The search panel: words, "near", category chips, area, and 「すべて解除」.
// It reports what the resident asked for; main.js decides what to fetch.

import { h, setCategoryColour } from './dom.js';
import { t, categoryName, areaName, formatRadius } from './i18n.js';
import { RADII } from './state.js';
import { Suggest } from './suggest.js';

export class Filters {
  /**
   * `handlers`: onSearch(q), onCategories(codes), onArea(code), onRadius(metres),
   * onNearGeo(), onNearPick(), onNearClear(), onClearAll().
   */
  constructor(root, handlers) {
    this.root = root;
    this.handlers = handlers;
    this.form = root.querySelector('#search-form');
    this.submit = root.querySelector('#search-submit');
    this.q = root.querySelector('#q');
    this.chips = root.querySelector('#category-chips');
    this.area = root.querySelector('#area');
    this.radius = root.querySelector('#radius-choices');
    this.nearStatus = root.querySelector('#near-status');
    this.nearClear = root.querySelector('#near-clear');
    this.details = root.querySelector('#more-filters');
    this.summary = root.querySelector('#more-filters-summary');
    this.categories = [];
    this.areas = [];
    this.selected = new Set();

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.handlers.onSearch?.(this.q.value.trim());
    });
    // Names as the user types; picking one searches for it (see suggest.js for the IME).
    this.suggest = new Suggest(this.q, { onChoose: (name) => this.handlers.onSearch?.(name.trim()) });
    // Clearing the box with its × (type=search) clears the search too.
    this.q.addEventListener('search', () => {
      if (this.q.value === '') this.handlers.onSearch?.('');
    });
    this.area.addEventListener('change', () => this.handlers.onArea?.(this.area.value));
    root.querySelector('#near-geo').addEventListener('click', () => this.handlers.onNearGeo?.());
    root.querySelector('#near-pick').addEventListener('click', () => this.handlers.onNearPick?.());
    this.nearClear.addEventListener('click', () => this.handlers.onNearClear?.());
    root.querySelector('#clear-all').addEventListener('click', () => this.handlers.onClearAll?.());
    this.buildRadii();
  }

  buildRadii() {
    const choices = RADII.map((metres) => {
      const input = h('input', { type: 'radio', name: 'radius', value: String(metres), id: `radius-${metres}` });
      input.addEventListener('change', () => {
        if (input.checked) this.handlers.onRadius?.(metres);
      });
      return h('label', { class: 'radio-chip', for: `radius-${metres}` }, input, h('span', {}, formatRadius(metres)));
    });
    this.radius.replaceChildren(...choices);
  }

  /** Builds the chips and the area list from the API's reference data. */
  setReference(categories, areas) {
    this.categories = categories;
    this.areas = areas;
    this.chips.replaceChildren(...categories.map((category) => {
      const chip = h('button', {
        type: 'button',
        class: 'chip',
        'aria-pressed': 'false',
        'data-code': category.code,
      }, h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), h('span', { class: 'chip-label' }, categoryName(category)));
      setCategoryColour(chip, category.color);
      chip.addEventListener('click', () => {
        const codes = new Set(this.selected);
        if (codes.has(category.code)) codes.delete(category.code);
        else codes.add(category.code);
        this.handlers.onCategories?.(this.categories.map((c) => c.code).filter((c) => codes.has(c)));
      });
      return chip;
    }));
    this.fillAreas();
  }

  fillAreas() {
    const value = this.area.value;
    this.area.replaceChildren(
      h('option', { value: '' }, t('filters.area.all')),
      ...this.areas.map((area) => h('option', { value: area.code }, areaName(area))),
    );
    this.area.value = value;
  }

  /** Shows the state in the controls (after a change, a reload or the back button). */
  show(state) {
    this.q.value = state.q;
    this.selected = new Set(state.category);
    for (const chip of this.chips.querySelectorAll('.chip')) {
      chip.setAttribute('aria-pressed', this.selected.has(chip.dataset.code) ? 'true' : 'false');
    }
    this.area.value = this.areas.some((a) => a.code === state.area) ? state.area : '';
    for (const input of this.radius.querySelectorAll('input')) input.checked = Number(input.value) === state.radius;
    this.nearClear.hidden = !state.near;
    this.root.classList.toggle('near-active', Boolean(state.near));
    if (state.near) this.setNearStatus('near.active', 'active', { radius: formatRadius(state.radius) });
    else if (this.nearStatusKind === 'active') this.setNearStatus('');
    const active = state.category.length + (state.area ? 1 : 0) + (state.day ? 1 : 0);
    this.summary.textContent = active ? t('filters.summary.active', { n: active }) : t('filters.summary');
    if (active) this.details.open = true;
    this.root.querySelector('#clear-all').hidden = !(active || state.q || state.near);
  }

  /** A message (by its i18n key, so a language switch can redraw it) under the near buttons. */
  setNearStatus(key, kind = key ? 'active' : '', vars = {}) {
    this.nearStatusKey = key;
    this.nearStatus.textContent = key ? t(key, vars) : '';
    this.nearStatusKind = kind;
    this.nearStatus.classList.toggle('notice-warn', kind === 'error');
  }

  /** The 検索 button shows that an answer is on its way (it stays usable: a new search replaces the old). */
  setBusy(busy) {
    this.busy = busy;
    this.submit.setAttribute('aria-busy', busy ? 'true' : 'false');
    this.submit.classList.toggle('busy', busy);
    this.submit.textContent = t(busy ? 'search.busy' : 'search.submit');
  }

  /** After a language switch: labels built from the reference data. */
  relabel(state) {
    for (const chip of this.chips.querySelectorAll('.chip')) {
      const category = this.categories.find((c) => c.code === chip.dataset.code);
      chip.querySelector('.chip-label').textContent = categoryName(category);
    }
    this.fillAreas();
    this.suggest.relabel();
    this.setBusy(Boolean(this.busy));
    if (this.nearStatusKey && this.nearStatusKind !== 'active') this.setNearStatus(this.nearStatusKey, this.nearStatusKind);
    this.show(state);
  }
}
