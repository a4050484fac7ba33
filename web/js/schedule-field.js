// The 日時 field of the staff form. Staff type a schedule as they say it (「第2・第4水曜
// 13:30〜15:30」) or put one together from choices (毎週 / 第n / 最終, weekdays, times, 祝日休み,
// 年末年始休み); the server's reading is shown as they go, so that what residents will see is
// checked before saving. What is stored is the OSM `opening_hours` text the server makes.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatSession } from './i18n.js';

const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const DAY_NAMES = ['月', '火', '水', '木', '金', '土', '日'];
/** How long typing must pause before the reading is asked for. */
const PAUSE_MS = 350;

/** 'HH:MM' from an <input type="time">, or null. */
function clock(value) {
  return /^\d{2}:\d{2}$/.test(value ?? '') ? value : null;
}

/**
 * The builder's choices as OSM syntax: {weeks: 'every' | 'last' | [1..5], days: ['Tu'],
 * times: [['10:00', '12:00']], holidaysOff, yearEndOff}. Null (with a reason) when something
 * is missing.
 */
export function composeSchedule({ weeks, days, times, holidaysOff, yearEndOff }) {
  if (days.length === 0) return { error: '曜日を選んでください。' };
  const ranges = times.filter(([a, b]) => a || b);
  if (ranges.length === 0) return { error: '時間（始まりと終わり）を入れてください。' };
  for (const [a, b] of ranges) {
    if (!clock(a) || !clock(b)) return { error: '時間は始まりと終わりの両方を入れてください。' };
    if (b <= a) return { error: '終わりの時間が始まりより前になっています。' };
  }
  let nth = '';
  if (weeks === 'last') nth = '[-1]';
  else if (Array.isArray(weeks)) {
    if (weeks.length === 0) return { error: '第何週かを選んでください。' };
    nth = `[${weeks.join(',')}]`;
  }
  const dayPart = nth ? days.map((d) => `${d}${nth}`).join(',') : days.join(',');
  const rules = [`${dayPart} ${ranges.map(([a, b]) => `${a}-${b}`).join(',')}`];
  if (holidaysOff) rules.push('PH off');
  if (yearEndOff) rules.push('Dec 29-Jan 03 off');
  return { schedule: rules.join('; ') };
}

export class ScheduleField {
  constructor(form) {
    this.form = form;
    this.input = form.querySelector('#f-schedule');
    this.reading = form.querySelector('#f-schedule-reading');
    this.builder = form.querySelector('#schedule-builder');
    this.timer = 0;
    this.asked = 0; // answers to older questions are dropped
    this.input.addEventListener('input', () => this.readSoon());
    this.buildChoices();
    this.builder.querySelector('#b-apply').addEventListener('click', () => this.applyBuilder());
    for (const radio of this.builder.querySelectorAll('input[name="b-weeks"]')) {
      radio.addEventListener('change', () => this.showWeeks());
    }
    this.showWeeks();
  }

  buildChoices() {
    replaceChildren(this.builder.querySelector('#b-days'), DAY_CODES.map((code, i) => h('label', { class: 'radio-chip check-chip' },
      h('input', { type: 'checkbox', value: code, name: 'b-day' }), h('span', {}, DAY_NAMES[i]))));
    replaceChildren(this.builder.querySelector('#b-nth'), [1, 2, 3, 4, 5].map((n) => h('label', { class: 'radio-chip check-chip' },
      h('input', { type: 'checkbox', value: String(n), name: 'b-nth' }), h('span', {}, `第${n}`))));
  }

  showWeeks() {
    const nth = this.builder.querySelector('input[name="b-weeks"][value="nth"]').checked;
    this.builder.querySelector('#b-nth').hidden = !nth;
  }

  /** After the form is filled (a new place or another one): the reading of what is there. */
  reset() {
    clearTimeout(this.timer);
    this.asked += 1;
    this.setReading(null);
    if (this.input.value.trim()) this.readNow();
  }

  readSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.readNow(), PAUSE_MS);
  }

  async readNow() {
    const text = this.input.value.trim();
    const asked = ++this.asked;
    if (!text) {
      this.setReading(null);
      return;
    }
    try {
      const answer = await api.interpretSchedule(text);
      if (asked !== this.asked) return;
      this.setReading(answer);
    } catch (error) {
      if (asked !== this.asked) return;
      const reason = error.problem?.errors?.[0]?.reason;
      this.setReading({ problem: reason ?? '日時を読み取れませんでした。通信の状態を確かめてください。' });
    }
  }

  /** Shows the reading: what residents will see and the next dates, or what could not be read. */
  setReading(answer) {
    this.reading.classList.toggle('schedule-problem', Boolean(answer?.problem));
    if (!answer) {
      this.reading.replaceChildren();
      this.reading.hidden = true;
      return;
    }
    this.reading.hidden = false;
    if (answer.problem) {
      replaceChildren(this.reading, h('strong', {}, '読み取れません: '), answer.problem);
      return;
    }
    const next = (answer.upcoming ?? []).map((s) => formatSession(s)).join('、');
    replaceChildren(this.reading,
      h('span', { class: 'schedule-reading-line' }, h('strong', {}, '住民の地図での表示: '), answer.text_ja),
      next ? h('span', { class: 'schedule-reading-line' }, h('strong', {}, '次の予定: '), next) : null);
  }

  /** The builder's choices into the text field, then read. */
  applyBuilder() {
    const b = this.builder;
    const mode = b.querySelector('input[name="b-weeks"]:checked')?.value ?? 'every';
    const weeks = mode === 'nth'
      ? [...b.querySelectorAll('input[name="b-nth"]:checked')].map((i) => Number(i.value))
      : mode;
    const composed = composeSchedule({
      weeks,
      days: [...b.querySelectorAll('input[name="b-day"]:checked')].map((i) => i.value),
      times: [[b.querySelector('#b-start1').value, b.querySelector('#b-end1').value],
        [b.querySelector('#b-start2').value, b.querySelector('#b-end2').value]],
      holidaysOff: b.querySelector('#b-ph').checked,
      yearEndOff: b.querySelector('#b-yearend').checked,
    });
    const message = b.querySelector('#b-message');
    if (composed.error) {
      message.textContent = composed.error;
      message.hidden = false;
      return;
    }
    message.hidden = true;
    this.input.value = composed.schedule;
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
    this.readNow();
    this.input.focus();
  }
}
