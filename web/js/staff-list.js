// The staff's lists: every place with its status (下書き/公開中/アーカイブ), and the 要確認
// list of published places nobody has checked for a while, each with 「確認しました」.

import { h, setCategoryColour } from './dom.js';
import { categoryName, formatDate } from './i18n.js';
import { categoryOf } from './place-view.js';
import { STATUS_LABELS } from './staff-fields.js';

/** Entries drawn at first and per 「さらに表示」. */
const PAGE = 50;

export function statusBadge(status) {
  return h('span', { class: `status-badge status-${STATUS_LABELS[status] ? status : 'unknown'}` },
    STATUS_LABELS[status] ?? String(status ?? ''));
}

function categoryTag(feature) {
  const category = categoryOf(feature);
  const tag = h('span', { class: 'cat-tag' }, category ? categoryName(category) : feature.properties?.category ?? '');
  if (category) setCategoryColour(tag, category.color);
  return tag;
}

function entry(feature, { selected, extra = null }) {
  const p = feature.properties ?? {};
  const link = h('a', {
    class: 'place-link',
    href: `#place-${feature.id}`,
    'data-id': feature.id,
    'aria-current': selected ? 'true' : null,
  },
  h('span', { class: 'item-head' }, h('span', { class: 'item-name' }, typeof p.name === 'string' ? p.name : '')),
  h('span', { class: 'item-tags' }, statusBadge(p.status), categoryTag(feature)),
  typeof p.address === 'string' && p.address ? h('span', { class: 'item-line item-where' }, p.address) : null);
  const category = categoryOf(feature);
  if (category) setCategoryColour(link, category.color);
  return h('li', { class: 'staff-item' }, link, extra);
}

export class StaffList {
  /** `handlers`: onSelect(id), onVerify(feature), onMore(). */
  constructor({ list, count, more, error, retry }, handlers) {
    this.listEl = list;
    this.countEl = count;
    this.moreEl = more;
    this.errorEl = error;
    this.handlers = handlers;
    this.features = [];
    this.shown = 0;
    this.selectedId = null;
    list.addEventListener('click', (event) => {
      const link = event.target.closest('a.place-link');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.handlers.onSelect?.(link.dataset.id);
    });
    more?.addEventListener('click', () => this.drawMore(true));
    retry?.addEventListener('click', () => this.handlers.onRetry?.());
  }

  setLoading() {
    this.errorEl.hidden = true;
    this.listEl.setAttribute('aria-busy', 'true');
    this.countEl.textContent = '読み込み中…';
    delete this.countEl.dataset.count;
  }

  showError() {
    this.listEl.setAttribute('aria-busy', 'false');
    this.features = [];
    this.listEl.replaceChildren();
    this.moreEl.hidden = true;
    this.countEl.textContent = '';
    this.errorEl.hidden = false;
  }

  /** Draws `features`; `countText` says how many (e.g. 「全部で 12 件」). */
  render(features, countText, { truncated = false } = {}) {
    this.listEl.setAttribute('aria-busy', 'false');
    this.errorEl.hidden = true;
    this.features = features;
    this.shown = 0;
    this.listEl.replaceChildren();
    this.countEl.textContent = truncated ? `${countText}（多すぎるため一部だけ表示。ことばで絞り込んでください）` : countText;
    this.countEl.dataset.count = String(features.length);
    this.drawMore(false);
  }

  drawMore(focus) {
    const next = this.features.slice(this.shown, this.shown + PAGE);
    const items = next.map((f) => entry(f, { selected: f.id === this.selectedId, extra: this.extraFor(f) }));
    this.listEl.append(...items);
    if (focus && items[0]) items[0].querySelector('a').focus();
    this.shown += next.length;
    const left = this.features.length - this.shown;
    this.moreEl.hidden = left <= 0;
    this.moreEl.textContent = `さらに表示（残り ${left} 件）`;
  }

  /** Nothing extra in the main list (the review list adds 「確認しました」). */
  extraFor() {
    return null;
  }

  select(id) {
    this.selectedId = id;
    for (const link of this.listEl.querySelectorAll('a.place-link')) {
      if (link.dataset.id === id) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  }
}

/** The 要確認 list: when each place was last checked, and 「確認しました」 beside it. */
export class ReviewList extends StaffList {
  extraFor(feature) {
    const p = feature.properties ?? {};
    const when = p.verified_at ? `前回の確認：${formatDate(p.verified_at)}` : '確認した記録がありません';
    const button = h('button', { type: 'button', class: 'button verify-button', 'data-id': feature.id },
      '確認しました', h('span', { class: 'visually-hidden' }, `（${typeof p.name === 'string' ? p.name : ''}）`));
    button.addEventListener('click', () => this.handlers.onVerify?.(feature, button));
    return h('div', { class: 'review-extra' }, h('p', { class: 'review-when' }, when), button);
  }

  /** Takes a checked place off the list, saying so where it was. */
  remove(id) {
    this.features = this.features.filter((f) => f.id !== id);
    const item = this.listEl.querySelector(`a.place-link[data-id="${CSS.escape(id)}"]`)?.closest('li');
    item?.remove();
    this.shown = Math.max(0, this.shown - 1);
    this.countEl.textContent = `${this.features.length} 件`;
    this.countEl.dataset.count = String(this.features.length);
  }
}
