// A place's history (every version, who changed what, a field-level diff, 「この版に戻す」)
// and the view shown when a save meets a newer version (412): what the other person changed,
// what this user changed, and ways on — never an overwrite the user has not seen.

import { h } from './dom.js';
import { changeLabel, diffPlaces, fieldLabel, formatDateTime, formatValue, sameValue } from './staff-fields.js';

function empty(value) {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** One change as 「名前：旧 → 新」, with the words "before"/"after" for screen readers. */
function diffItem({ field, before, after }, { mark = null } = {}) {
  return h('li', { class: `diff-item${mark ? ' diff-item-marked' : ''}`, 'data-field': field },
    h('span', { class: 'diff-field' }, fieldLabel(field)),
    h('span', { class: 'diff-values' },
      empty(before)
        ? h('span', { class: 'diff-before diff-empty' }, h('span', { class: 'visually-hidden' }, '変更前：'), formatValue(field, before))
        : h('del', { class: 'diff-before' }, h('span', { class: 'visually-hidden' }, '変更前：'), formatValue(field, before)),
      h('span', { class: 'diff-arrow', 'aria-hidden': 'true' }, ' → '),
      h('ins', { class: 'diff-after' }, h('span', { class: 'visually-hidden' }, '変更後：'), formatValue(field, after))),
    mark ? h('span', { class: 'diff-mark' }, mark) : null);
}

export function diffList(changes, options = {}) {
  if (!changes.length) return h('p', { class: 'hint' }, '内容の変更はありません。');
  return h('ul', { class: 'diff-list' }, changes.map((c) => diffItem(c, { mark: options.markFor?.(c.field) ?? null })));
}

/**
 * The history view. `versions` newest first, as the API answers; `onRestore(version)` brings
 * one back (not offered for the newest, which is the place as it is).
 */
export function historyView({ feature, versions, onRestore }) {
  const name = typeof feature?.properties?.name === 'string' ? feature.properties.name : '';
  const heading = h('h2', { id: 'history-heading', class: 'view-heading', tabindex: '-1' }, '変更の履歴');
  const items = versions.map((v, i) => {
    const diff = Array.isArray(v.diff) ? v.diff : [];
    let restore = null;
    if (i > 0 && onRestore) {
      restore = h('button', { type: 'button', class: 'button restore-button', 'data-version': v.version },
        `第 ${v.version} 版に戻す`);
      restore.addEventListener('click', () => onRestore(v.version, restore));
    }
    return h('li', { class: 'history-item', 'data-version': v.version },
      h('h3', { class: 'history-title' },
        `第 ${v.version} 版`, ' ', h('span', { class: 'history-change' }, changeLabel(v.change)),
        i === 0 ? h('span', { class: 'history-current' }, '（いまの内容）') : null),
      h('p', { class: 'history-meta' }, `${formatDateTime(v.changed_at)}　${typeof v.changed_by === 'string' ? v.changed_by : ''}`),
      i === versions.length - 1 && diff.length === 0
        ? h('p', { class: 'hint' }, '最初の版です。')
        : diffList(diff),
      restore);
  });
  const element = h('section', { class: 'history', 'aria-labelledby': 'history-heading' },
    heading,
    h('p', { class: 'history-place' }, name),
    h('p', { class: 'hint' }, '新しい順です。「戻す」を選ぶと、その版の内容が新しい版として保存されます（それまでの版も残ります）。'),
    h('ol', { class: 'history-list' }, items));
  return { element, heading };
}

/**
 * The 412 view. `base` is the Feature the user started from, `current` the place as it is now,
 * `versions` its history (may be empty if it could not be read); `mine` is the user's
 * merge patch (an edit) or null for an action (publish, archive …), `actionLabel` that action.
 * Answers {element, heading, pending: the user's changes not yet in `current`, actions: the
 * box for the buttons, which depend on `pending`}.
 */
export function conflictView({ base, current, versions = [], mine = null, actionLabel = '' }) {
  const theirs = diffPlaces(base, current);
  const baseVersion = Number(base?.properties?.version);
  const newer = versions.filter((v) => Number(v.version) > baseVersion);
  const people = [...new Set(newer.map((v) => v.changed_by).filter((v) => typeof v === 'string' && v))];
  const latest = newer[0];
  const heading = h('h2', { id: 'conflict-heading', class: 'view-heading', tabindex: '-1' },
    'ほかの人が先にこの場所を変更しました');
  const who = people.length ? `${people.join('、')} さん` : 'ほかの人';
  const when = latest?.changed_at ? `（${formatDateTime(latest.changed_at)}）` : '';

  const mineChanges = [];
  if (mine) {
    if (mine.geometry) mineChanges.push({ field: 'geometry', before: current?.geometry, after: mine.geometry });
    for (const [field, value] of Object.entries(mine.properties ?? {})) {
      mineChanges.push({ field, before: current?.properties?.[field] ?? null, after: value });
    }
  }
  const theirFields = new Set(theirs.map((c) => c.field));
  const overlap = mineChanges.filter((c) => theirFields.has(c.field));
  // What the user typed that is already what the other person saved needs nothing more.
  const pending = mineChanges.filter((c) => !sameValue(
    c.field === 'geometry' ? c.before?.coordinates : c.before,
    c.field === 'geometry' ? c.after?.coordinates : c.after));

  const element = h('section', { class: 'conflict', 'aria-labelledby': 'conflict-heading' },
    heading,
    h('p', { class: 'conflict-lead' },
      `あなたが開いたあと（第 ${Number.isFinite(baseVersion) ? baseVersion : '?'} 版）に、${who}が変更を保存しました${when}。`,
      `いまは第 ${current?.properties?.version ?? '?'} 版です。`,
      mine ? 'あなたの変更はまだ保存されていません。' : `「${actionLabel}」はまだ行われていません。`),
    h('h3', { class: 'conflict-sub' }, `${who}の変更`),
    diffList(theirs),
    mine ? h('h3', { class: 'conflict-sub' }, 'あなたの変更（まだ保存されていません）') : null,
    mine ? (pending.length
      ? h('ul', { class: 'diff-list' }, pending.map((c) => diffItem(c, {
        mark: theirFields.has(c.field) ? 'ほかの人も変えた項目です。' : null,
      })))
      : h('p', { class: 'hint' }, 'あなたの変更は、すでに最新の内容に入っています。')) : null,
    overlap.length ? h('p', { class: 'notice notice-warn' },
      `「${overlap.map((c) => fieldLabel(c.field)).join('」「')}」はお二人とも変えています。重ねて保存すると、あなたの内容になります。`) : null,
    h('div', { class: 'conflict-actions', role: 'group', 'aria-label': 'どうしますか' }));
  return { element, heading, pending, actions: element.querySelector('.conflict-actions') };
}
