// 「いつ」: which day (今日, 明日, a weekday) and which part of it (午前, 午後) a place should
// meet. It turns the resident's choice into the API's `open_at` window in Japan time, so the
// answer is the same wherever the browser's clock is set.

import { h } from './dom.js';
import { t } from './i18n.js';

export const DAYS = Object.freeze(['today', 'tomorrow', 'mo', 'tu', 'we', 'th', 'fr', 'sa', 'su']);
export const TIMES = Object.freeze(['am', 'pm']);
const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

/** Today's date in Japan as [year, month, day]. */
function todayInJapan(now) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(now);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return [get('year'), get('month'), get('day')];
}

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

/**
 * The date (YYYY-MM-DD, Japan) a day choice means: today, tomorrow, or the next such
 * weekday (today when today is that weekday).
 */
export function dateOf(day, now = new Date()) {
  const [y, m, d] = todayInJapan(now);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (day === 'tomorrow') date.setUTCDate(date.getUTCDate() + 1);
  const weekday = WEEKDAYS.indexOf(day);
  if (weekday >= 0) {
    const todayIndex = (date.getUTCDay() + 6) % 7; // Monday = 0
    date.setUTCDate(date.getUTCDate() + ((weekday - todayIndex + 7) % 7));
  }
  return isoDate(date);
}

/** The `open_at` value for a state's day and time, or '' when no day is chosen. */
export function openAtOf(state, now = new Date()) {
  if (!state.day) return '';
  const date = dateOf(state.day, now);
  if (state.time === 'am') return `${date}T00:00/${date}T12:00`;
  if (state.time === 'pm') {
    const next = new Date(`${date}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return `${date}T12:00/${isoDate(next)}T00:00`;
  }
  return date;
}

/** 「火曜・午前」, "Tuesday morning": the choice as a condition of the count line. */
export function whenLabel(state) {
  if (!state.day) return '';
  const day = t(`when.day.${state.day}`);
  return state.time ? t('when.label.time', { day, time: t(`when.time.${state.time}`) }) : day;
}

/** The chips: one row for the day, one for the part of the day. */
export class WhenFilter {
  /** `onChange({day, time})` when the resident chooses. */
  constructor(root, onChange) {
    this.root = root;
    this.onChange = onChange;
    this.state = { day: '', time: '' };
    this.dayRow = root.querySelector('#when-days');
    this.timeRow = root.querySelector('#when-times');
    this.build();
  }

  build() {
    const chip = (name, value, labelKey) => {
      const id = `when-${name}-${value || 'any'}`;
      const input = h('input', { type: 'radio', name: `when-${name}`, value, id });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        const next = { ...this.state, [name]: value };
        // A part of the day needs a day: choosing 午前 alone means today.
        if (name === 'time' && value && !next.day) next.day = 'today';
        if (name === 'day' && !value) next.time = '';
        this.onChange(next);
      });
      return h('label', { class: 'radio-chip', for: id }, input, h('span', { 'data-key': labelKey }, t(labelKey)));
    };
    this.dayRow.replaceChildren(chip('day', '', 'when.any'), ...DAYS.map((d) => chip('day', d, `when.day.${d}`)));
    this.timeRow.replaceChildren(chip('time', '', 'when.allday'), ...TIMES.map((v) => chip('time', v, `when.time.${v}`)));
  }

  show(state) {
    this.state = { day: state.day, time: state.time };
    for (const input of this.dayRow.querySelectorAll('input')) input.checked = input.value === state.day;
    for (const input of this.timeRow.querySelectorAll('input')) input.checked = input.value === state.time;
    this.timeRow.closest('.when-times').hidden = !state.day;
  }

  relabel(state) {
    for (const span of this.root.querySelectorAll('[data-key]')) span.textContent = t(span.dataset.key);
    this.show(state);
  }
}
