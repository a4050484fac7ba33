// Names under the search box as the user types: the WAI-ARIA combobox pattern (an input with
// a listbox popup; arrows move, Enter picks, Escape closes; focus stays in the box).
//
// Japanese is typed through an IME: kana are composed, then converted and confirmed with
// Enter. Keystrokes of a composition belong to the IME, so nothing is fetched while composing
// and the Enter that confirms a conversion neither picks a suggestion nor submits the search;
// suggestions follow the text once it is confirmed.

import { h } from './dom.js';
import { getSuggestions } from './api.js';
import { t } from './i18n.js';

/** Waits this long after the last keystroke before asking, so a fast typist asks once. */
const DELAY_MS = 120;

export class Suggest {
  /** `onChoose(name)`: the user picked a suggestion. */
  constructor(input, { onChoose }) {
    this.input = input;
    this.onChoose = onChoose;
    this.composing = false;
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.pending = null;
    this.list = h('ul', {
      id: `${input.id}-suggestions`,
      role: 'listbox',
      class: 'suggestions',
      'aria-label': t('suggest.label'),
      hidden: true,
    });
    input.closest('.search-row').after(this.list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('aria-expanded', 'false');

    input.addEventListener('compositionstart', () => {
      this.composing = true;
      this.close();
    });
    input.addEventListener('compositionend', () => {
      this.composing = false;
      this.schedule();
    });
    input.addEventListener('input', (event) => {
      if (event.isComposing || this.composing) return;
      this.schedule();
    });
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('blur', () => this.close());
    // A click on a suggestion must not take the focus from the box first (which would close
    // the list before the click lands).
    this.list.addEventListener('mousedown', (event) => event.preventDefault());
  }

  onKey(event) {
    // keyCode 229: the key went to the IME (Safari ends the composition before the keydown
    // of the confirming Enter, so isComposing alone does not tell).
    if (event.isComposing || this.composing || event.keyCode === 229) {
      // An Enter that the IME used must not reach the form either.
      if (event.key === 'Enter') event.preventDefault();
      return;
    }
    const open = !this.list.hidden;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!open) {
          this.schedule(0);
          return;
        }
        event.preventDefault();
        this.move(event.key === 'ArrowDown' ? 1 : -1);
        break;
      case 'Enter':
        if (open && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          this.close();
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          this.close();
        }
        break;
      default:
    }
  }

  schedule(delay = DELAY_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(), delay);
  }

  async fetch() {
    this.pending?.abort();
    const q = this.input.value.trim();
    if (!q) {
      this.close();
      return;
    }
    const pending = new AbortController();
    this.pending = pending;
    try {
      const suggestions = await getSuggestions(q, pending.signal);
      // An answer to an older text, or one that arrives mid-composition, is not shown.
      if (this.pending !== pending || this.composing || this.input.value.trim() !== q) return;
      this.show(suggestions);
    } catch (error) {
      if (error.name !== 'AbortError') this.close();
    }
  }

  show(suggestions) {
    this.options = suggestions.map((s, i) => {
      const option = h('li', {
        id: `${this.list.id}-${i}`,
        role: 'option',
        class: 'suggestion',
        'aria-selected': 'false',
      }, s.name);
      option.addEventListener('click', () => this.choose(i));
      return option;
    });
    this.list.replaceChildren(...this.options);
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    const open = this.options.length > 0 && document.activeElement === this.input;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  move(step) {
    const n = this.options.length;
    if (n === 0) return;
    this.active = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
    this.options.forEach((option, i) => option.setAttribute('aria-selected', i === this.active ? 'true' : 'false'));
    this.input.setAttribute('aria-activedescendant', this.options[this.active].id);
    this.options[this.active].scrollIntoView({ block: 'nearest' });
  }

  choose(i) {
    const name = this.options[i]?.textContent ?? '';
    this.close();
    this.input.value = name;
    this.onChoose?.(name);
  }

  close() {
    clearTimeout(this.timer);
    this.pending?.abort();
    this.pending = null;
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** After a language switch. */
  relabel() {
    this.list.setAttribute('aria-label', t('suggest.label'));
  }
}
