// The list of places beside (or, on a phone, under) the map, its count, and the details
// of the chosen place.

import { h, replaceChildren, setCategoryColour } from './dom.js';
import { t, formatCount, formatRadius } from './i18n.js';
import { placeSummary, placeDetail, categoryOf } from './place-view.js';

/** Entries drawn at first and per 「さらに表示」: the list stays quick with thousands in view. */
const PAGE = 50;

export class PlaceList {
  /**
   * `handlers`: onSelect(id), hrefFor(id) → link for the entry, onBack(), onShowMap(id),
   * onShowAll(), onClearAll().
   */
  constructor(root, handlers, { bar = null } = {}) {
    this.handlers = handlers;
    this.root = root;
    this.listView = root.querySelector('#list-view');
    this.detailView = root.querySelector('#detail-view');
    this.count = root.querySelector('#result-count');
    this.conditions = root.querySelector('#result-conditions');
    this.error = root.querySelector('#result-error');
    this.loading = root.querySelector('#result-loading');
    this.notice = root.querySelector('#result-notice');
    this.list = root.querySelector('#place-list');
    this.empty = root.querySelector('#result-empty');
    this.more = root.querySelector('#result-more');
    this.detailBody = root.querySelector('#detail-body');
    this.bar = bar; // 「結果を見る（N 件）」 under the controls (phone)
    this.features = [];
    this.shown = 0;
    this.selectedId = null;
    this.status = 'loading';
    this.more.addEventListener('click', () => this.drawMore(true));
    root.querySelector('#detail-back').addEventListener('click', () => this.handlers.onBack?.());
    root.querySelector('#empty-clear').addEventListener('click', () => this.handlers.onClearAll?.());
    root.querySelector('#result-retry').addEventListener('click', () => this.handlers.onRetry?.());
    this.bar?.addEventListener('click', () => this.handlers.onShowResults?.());
    this.list.addEventListener('click', (event) => {
      const link = event.target.closest('a.place-link');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.handlers.onSelect?.(link.dataset.id);
    });
  }

  /**
   * The answer is on its way. `stale`: the entries shown answer another question (other
   * filters, another point), so they go at once — the list and its count never show an old
   * answer as the current one. Without `stale` (the map moved a little) they stay, marked busy.
   */
  setLoading(loading, { stale = false } = {}) {
    this.list.setAttribute('aria-busy', loading ? 'true' : 'false');
    this.root.classList.toggle('loading', loading);
    if (!loading) return;
    this.error.hidden = true;
    if (stale || this.status !== 'ready') {
      // Keep the height the entries had, so the page does not jump while the answer comes.
      if (this.features.length > 0) this.listView.style.minHeight = `${this.listView.offsetHeight}px`;
      this.status = 'loading';
      this.features = [];
      this.shown = 0;
      this.list.replaceChildren();
      this.more.hidden = true;
      this.empty.hidden = true;
      this.notice.replaceChildren();
      this.count.textContent = t('results.loading');
      delete this.count.dataset.count;
      this.loading.hidden = false;
    }
    this.updateBar();
  }

  /** The request failed: say so here, where the answer would have been, with a retry. */
  showError() {
    this.listView.style.removeProperty('min-height');
    this.status = 'error';
    this.features = [];
    this.shown = 0;
    this.list.replaceChildren();
    this.list.setAttribute('aria-busy', 'false');
    this.root.classList.remove('loading');
    this.more.hidden = true;
    this.empty.hidden = true;
    this.loading.hidden = true;
    this.notice.replaceChildren();
    this.count.textContent = t('results.show.failed');
    delete this.count.dataset.count;
    this.error.hidden = false;
    this.updateBar();
  }

  /** The phone's 「結果を見る（N 件）」 button, in step with the list. */
  updateBar() {
    if (!this.bar) return;
    const text = {
      loading: () => t('results.show.loading'),
      error: () => t('results.show.failed'),
      ready: () => t('results.show', { n: formatCount(this.info?.matched ?? this.features.length) }),
    }[this.status]();
    this.bar.textContent = text;
    this.bar.setAttribute('aria-busy', this.status === 'loading' ? 'true' : 'false');
    this.bar.dataset.status = this.status;
  }

  /** Redraws the texts that depend on the language. */
  relabel() {
    if (this.status === 'loading') this.count.textContent = t('results.loading');
    if (this.status === 'error') this.count.textContent = t('results.show.failed');
    this.updateBar();
  }

  /**
   * Shows `features` (already in display order). `info`: {mode: 'view'|'near', radius,
   * matched (number in this view), elsewhere (number matching in all, when larger), tooMany}.
   */
  render(features, info) {
    this.status = 'ready';
    this.listView.style.removeProperty('min-height');
    this.error.hidden = true;
    this.loading.hidden = true;
    this.features = features;
    this.info = info;
    this.shown = 0;
    const n = formatCount(info.matched ?? features.length);
    const count = {
      near: () => t('results.count.near', { n, radius: formatRadius(info.radius) }),
      view: () => t('results.count.view', { n }),
      all: () => t('results.count.all', { n }),
    }[info.mode]();
    if (this.count.textContent !== count) this.count.textContent = count;
    this.count.dataset.count = String(info.matched ?? features.length);
    this.renderConditions(info.conditions ?? []);
    this.updateBar();

    const notices = [];
    if (info.tooMany) notices.push(h('p', { class: 'notice notice-warn' }, t('map.too.many', { n: formatCount(info.matched) })));
    if (info.elsewhere) {
      const button = h('button', { type: 'button', class: 'button' }, t('results.show.all'));
      button.addEventListener('click', () => this.handlers.onShowAll?.());
      notices.push(h('p', { class: 'notice' }, t('results.elsewhere', { n: formatCount(info.elsewhere) })), button);
    } else if (info.mode === 'view' && features.length > 0) {
      notices.push(h('p', { class: 'hint' }, t('results.hint.move')));
    }
    replaceChildren(this.notice, notices);

    this.empty.hidden = features.length > 0;
    // Redrawing must not lose the keyboard's place: refocus the same entry if it is still here.
    const focusedId = this.list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    this.list.replaceChildren();
    this.drawMore(false);
    if (focusedId) {
      const index = features.findIndex((f) => f.id === focusedId);
      while (index >= this.shown && this.shown < this.features.length) this.drawMore(false);
      const link = [...this.list.querySelectorAll('a.place-link')].find((a) => a.dataset.id === focusedId);
      link?.focus({ preventScroll: true });
    }
  }

  /**
   * The conditions the count answers (words, each category, the area, the radius), each a
   * button that removes it: a resident sees why there are only 1 of 7 places nearby.
   * `conditions`: [{key, label, onRemove}].
   */
  renderConditions(conditions) {
    const focusedKey = this.conditions.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const buttons = conditions.map((condition) => {
      const button = h('button', {
        type: 'button',
        class: 'condition',
        'data-key': condition.key,
        'aria-label': t('results.condition.remove', { label: condition.label }),
      }, h('span', { class: 'condition-label' }, condition.label), h('span', { class: 'condition-x', 'aria-hidden': 'true' }, '×'));
      button.addEventListener('click', () => condition.onRemove());
      return h('li', {}, button);
    });
    if (buttons.length === 0) {
      this.conditions.replaceChildren();
      this.conditions.hidden = true;
    } else {
      replaceChildren(this.conditions,
        h('span', { class: 'conditions-label', id: 'conditions-label' }, t('results.conditions')),
        h('ul', { class: 'condition-list', 'aria-labelledby': 'conditions-label' }, buttons));
      this.conditions.hidden = false;
    }
    if (focusedKey) {
      const again = [...this.conditions.querySelectorAll('button.condition')].find((b) => b.dataset.key === focusedKey);
      (again ?? this.root.querySelector('#results-heading')).focus({ preventScroll: true });
    }
  }

  drawMore(focusFirstNew) {
    const start = this.shown;
    const end = Math.min(this.features.length, start + PAGE);
    const items = [];
    for (let i = start; i < end; i += 1) items.push(this.item(this.features[i]));
    this.list.append(...items);
    this.shown = end;
    const left = this.features.length - end;
    this.more.hidden = left <= 0;
    if (left > 0) this.more.textContent = t('results.more', { n: formatCount(left) });
    if (focusFirstNew && items[0]) items[0].querySelector('a').focus();
  }

  item(feature) {
    const link = h('a', {
      class: 'place-link',
      href: this.handlers.hrefFor?.(feature.id) ?? '#',
      'data-id': feature.id,
      'aria-current': feature.id === this.selectedId ? 'true' : null,
    }, placeSummary(feature));
    setCategoryColour(link, categoryOf(feature)?.color);
    return h('li', { class: 'place-item' }, link);
  }

  /** Shows the chosen place's details in place of the list. */
  showDetail(feature, { focus = true, preventScroll = false } = {}) {
    this.selectedId = feature.id;
    const { element, heading } = placeDetail(feature, { onShowMap: () => this.handlers.onShowMap?.(feature.id) });
    replaceChildren(this.detailBody, element);
    this.listView.hidden = true;
    this.detailView.hidden = false;
    if (focus) {
      heading.focus({ preventScroll: true });
      // Show the details from their top (「一覧にもどる」 first), not just their heading.
      if (!preventScroll) this.detailView.scrollIntoView({ block: 'start' });
    }
  }

  /** Back to the list; focus returns to the entry that was open, when it is in the list. */
  hideDetail({ focus = false } = {}) {
    const previous = this.selectedId;
    this.selectedId = null;
    const wasOpen = !this.detailView.hidden;
    this.detailView.hidden = true;
    this.listView.hidden = false;
    this.detailBody.replaceChildren();
    for (const link of this.list.querySelectorAll('a[aria-current]')) link.removeAttribute('aria-current');
    if (focus && wasOpen) {
      const link = previous && [...this.list.querySelectorAll('a.place-link')].find((a) => a.dataset.id === previous);
      (link ?? this.root.querySelector('#results-heading')).focus();
    }
  }

  isShowingDetail() {
    return !this.detailView.hidden;
  }
}
