// The history of a タネ or a walk: every version, who changed what, newest first. Drawn like
// a place's history (place-history.js) but with the fields of these collections, and without
// 「この版に戻す」 (the API offers no restore for them).

import { h } from './dom.js';
import { changeLabel, formatDateTime } from './staff-fields.js';
import { fieldworkLabel, formatFieldworkValue, shownInHistory } from './fieldwork-fields.js';

const CHANGES = Object.freeze({ promote: '場所にした' });

function diffItem({ field, before, after }) {
  return h('li', { class: 'diff-item', 'data-field': field },
    h('span', { class: 'diff-field' }, fieldworkLabel(field)),
    h('span', { class: 'diff-values' },
      h('span', { class: 'diff-before' }, h('span', { class: 'visually-hidden' }, '変更前：'), formatFieldworkValue(field, before)),
      h('span', { class: 'diff-arrow', 'aria-hidden': 'true' }, ' → '),
      h('ins', { class: 'diff-after' }, h('span', { class: 'visually-hidden' }, '変更後：'), formatFieldworkValue(field, after))));
}

/** `versions` as the API answers them; `headingLevel` the level of each version's title. */
export function fieldworkHistory(versions, { headingLevel = 4 } = {}) {
  if (!versions.length) return h('p', { class: 'hint' }, '履歴はまだありません。');
  return h('ol', { class: 'history-list' }, versions.map((v, i) => {
    const diff = (Array.isArray(v.diff) ? v.diff : []).filter((d) => shownInHistory(d.field));
    return h('li', { class: 'history-item', 'data-version': v.version },
      h(`h${headingLevel}`, { class: 'history-title' },
        `第 ${v.version} 版`, ' ', h('span', { class: 'history-change' }, CHANGES[v.change] ?? changeLabel(v.change)),
        i === 0 ? h('span', { class: 'history-current' }, '（いまの内容）') : null),
      h('p', { class: 'history-meta' }, `${formatDateTime(v.changed_at)}　${typeof v.changed_by === 'string' ? v.changed_by : ''}`),
      diff.length
        ? h('ul', { class: 'diff-list' }, diff.map(diffItem))
        : h('p', { class: 'hint' }, i === versions.length - 1 ? '最初の版です。' : '内容の変更はありません。'));
  }));
}
