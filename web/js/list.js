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
  constructor(root, handlers) {
    this.handlers = handlers;
    this.root = root;
    this.listView = root.querySelector('#list-view');
    this.detailView = root.querySelector('#detail-view');
    this.count = root.querySelector('#result-count');
    this.notice = root.querySelector('#result-notice');
    this.list = root.querySelector('#place-list');
    this.empty = root.querySelector('#result-empty');
    this.more = root.querySelector('#result-more');
    this.detailBody = root.querySelector('#detail-body');
    this.features = [];
    this.shown = 0;
    this.selectedId = null;
    this.more.addEventListener('click', () => this.drawMore(true));
    root.querySelector('#detail-back').addEventListener('click', () => this.handlers.onBack?.());
    root.querySelector('#empty-clear').addEventListener('click', () => this.handlers.onClearAll?.());
    this.list.addEventListener('click', (event) => {
      const link = event.target.closest('a.place-link');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.handlers.onSelect?.(link.dataset.id);
    });
  }

  setLoading(loading) {
    this.list.setAttribute('aria-busy', loading ? 'true' : 'false');
    this.root.classList.toggle('loading', loading);
    if (loading && this.features.length === 0 && !this.count.textContent) {
      this.count.textContent = t('results.loading');
    }
  }

  /**
   * Shows `features` (already in display order). `info`: {mode: 'view'|'near', radius,
   * matched (number in this view), elsewhere (number matching in all, when larger), tooMany}.
   */
  render(features, info) {
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
