// The form that adds or edits a place (web/staff.html, #place-form): fills it from a
// Feature, reads it back as a Feature or as a merge patch of what changed, and checks it
// before anything is sent. What is wrong is said in Japanese next to the field, for the
// form's own checks and for the server's (whose reasons are English).

import { h, replaceChildren } from './dom.js';
import { categoryName, areaName } from './i18n.js';
import { fieldLabel, sameValue } from './staff-fields.js';
import { ScheduleField } from './schedule-field.js';

/** Japan, as the server checks it: [minLon, minLat, maxLon, maxLat]. */
export const JAPAN = Object.freeze([122, 20, 154, 46]);

/** Text fields: input id suffix, longest length the server takes. */
const TEXT_FIELDS = Object.freeze({
  name: 200,
  name_kana: 200,
  address: 500,
  schedule_note: 500,
  schedule: 500,
  description: 4000,
  phone: 40,
  email: 254,
  url: 2000,
  cost: 500,
  accessibility: 500,
});
const LIST_FIELDS = Object.freeze(['audience', 'tags']);
const SELECT_FIELDS = Object.freeze(['category', 'area', 'source']);
/** Every property the form edits (status and verified_at have their own buttons). */
export const FORM_FIELDS = Object.freeze([...Object.keys(TEXT_FIELDS), ...LIST_FIELDS, ...SELECT_FIELDS]);

const MESSAGES = {
  nameRequired: '名前を入力してください。',
  categoryRequired: '種類を選んでください。',
  pointRequired: '地点を決めてください（地図をタップ、「現在地」、または緯度・経度を入力）。',
  pointNumbers: '緯度と経度は数字で入力してください（例：緯度 34.628、経度 136.108）。',
  pointOutside: '日本の中の地点ではありません。緯度は 20〜46、経度は 122〜154 の範囲です。',
  pointSwapped: '緯度と経度が入れ替わっているようです。緯度は 20〜46、経度は 122〜154 の範囲です。',
  phone: '電話番号は数字と「-」「(」「)」「+」で入力してください（例：0595-63-0000）。',
  email: 'メールアドレスの形になっていません（例：info@example.jp）。',
  url: 'ホームページのアドレスは https:// か http:// で始めてください。',
  unknownCategory: 'この種類は一覧にありません。選び直してください。',
  unknownArea: 'この地域は一覧にありません。選び直してください。',
  control: (label) => `${label}に使えない文字（改行や制御文字）が入っています。`,
  tooLong: (label, n) => `${label}は ${n} 文字以内にしてください。`,
  tooMany: (label, n) => `${label}は ${n} 個までにしてください。`,
  other: (label) => `${label}の内容を確かめてください。`,
};

function trimmed(value) {
  return typeof value === 'string' ? value.trim() : '';
}

/** 「高齢者、子育て」 or "a, b" or one per line → ['高齢者', '子育て']. */
function splitList(text) {
  return [...new Set(text.split(/[、,，\n]/).map((s) => s.trim()).filter(Boolean))];
}

/** Full-width digits and dashes, as phones and IMEs type them, to the ASCII the server takes. */
function normalisePhone(text) {
  return text.normalize('NFKC').replace(/[‐‑–—−ー－]/g, '-').trim();
}

function plausibleEmail(text) {
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return false;
  const domain = text.slice(at + 1);
  return domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') && !/[\s<>]/.test(text);
}

/** The server's field name (`properties.name`, `/properties/name`, `geometry.coordinates`) as ours. */
function fieldOf(name) {
  const text = String(name ?? '');
  if (/geometry|coordinates|location/.test(text)) return 'geometry';
  return text.split(/[./]/).filter(Boolean).pop() ?? text;
}

export class PlaceForm {
  /**
   * `handlers`: onSubmit(), onCancel(), onPickOnMap(), onUseLocation(), onUseCentre(),
   * onPointChange([lon, lat] | null) (the user typed a point).
   */
  constructor(form, handlers) {
    this.form = form;
    this.handlers = handlers;
    this.heading = form.querySelector('#form-heading');
    this.summary = form.querySelector('#form-summary');
    this.more = form.querySelector('#form-more');
    this.lat = form.querySelector('#f-lat');
    this.lon = form.querySelector('#f-lon');
    this.base = null; // the Feature being edited (null: a new place)
    this.schedule = new ScheduleField(form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.handlers.onSubmit?.();
    });
    form.querySelector('#form-cancel').addEventListener('click', () => this.handlers.onCancel?.());
    form.querySelector('#f-pick').addEventListener('click', () => this.handlers.onPickOnMap?.());
    form.querySelector('#f-here').addEventListener('click', () => this.handlers.onUseLocation?.());
    form.querySelector('#f-centre').addEventListener('click', () => this.handlers.onUseCentre?.());
    for (const input of [this.lat, this.lon]) {
      // Typed by hand: what the page said about the last point chosen no longer holds.
      input.addEventListener('input', () => {
        form.querySelector('#f-here-status').textContent = '';
      });
      input.addEventListener('change', () => {
        const point = this.point();
        this.handlers.onPointChange?.(Array.isArray(point) ? point : null);
      });
    }
    // An error goes away as soon as the field is changed; the check runs again on save.
    form.addEventListener('input', (event) => {
      const field = event.target.closest('[data-field]')?.dataset.field;
      if (field) this.clearError(field);
    });
  }

  input(field) {
    return this.form.querySelector(`#f-${field.replaceAll('_', '-')}`);
  }

  setReference(categories, areas) {
    const category = this.input('category');
    replaceChildren(category, h('option', { value: '' }, '選んでください'),
      categories.map((c) => h('option', { value: c.code }, categoryName(c))));
    const area = this.input('area');
    replaceChildren(area, h('option', { value: '' }, '（指定しない）'),
      areas.map((a) => h('option', { value: a.code }, areaName(a))));
  }

  /** Fills the form: `feature` to edit (null for a new place), `point` [lon, lat] for a new one. */
  open({ feature = null, point = null, source = null } = {}) {
    this.base = feature;
    this.form.reset();
    this.clearErrors();
    this.heading.textContent = feature ? '場所を編集' : '場所を追加';
    this.form.querySelector('#form-save').textContent = feature ? '変更を保存' : '下書きとして保存';
    const p = feature?.properties ?? {};
    for (const field of Object.keys(TEXT_FIELDS)) this.input(field).value = typeof p[field] === 'string' ? p[field] : '';
    for (const field of LIST_FIELDS) this.input(field).value = Array.isArray(p[field]) ? p[field].join('、') : '';
    selectValue(this.input('category'), p.category);
    selectValue(this.input('area'), p.area);
    selectValue(this.input('source'), p.source ?? source ?? 'staff');
    this.setPoint(feature?.geometry?.coordinates ?? point);
    // The less used fields stay folded, unless this place has something in them.
    this.more.open = ['phone', 'email', 'url', 'cost', 'accessibility', 'name_kana']
      .some((f) => trimmed(p[f]) !== '') || LIST_FIELDS.some((f) => (p[f] ?? []).length > 0);
    this.schedule.reset();
  }

  /** Fills in a point: [lon, lat] as numbers (kept exact, so an untouched point is no change). */
  setPoint(point) {
    this.lat.value = Array.isArray(point) ? String(point[1]) : '';
    this.lon.value = Array.isArray(point) ? String(point[0]) : '';
    this.clearError('geometry');
    this.describePoint();
  }

  describePoint() {
    const point = this.point();
    const note = this.form.querySelector('#f-point-note');
    if (point === 'invalid' || (Array.isArray(point) && !inJapan(point))) {
      note.textContent = '緯度・経度を確かめてください。';
      return;
    }
    note.textContent = Array.isArray(point)
      ? '地図に赤い印で示しています。直すときは「地図で選ぶ」を押すか、印をドラッグしてください。'
      : 'まだ決まっていません。「地図で選ぶ」か「現在地」で決めてください。';
  }

  /** [lon, lat], null when both are empty, or 'invalid'. */
  point() {
    const lat = trimmed(this.lat.value).normalize('NFKC');
    const lon = trimmed(this.lon.value).normalize('NFKC');
    if (lat === '' && lon === '') return null;
    const numbers = [Number(lon), Number(lat)];
    if (lat === '' || lon === '' || !numbers.every(Number.isFinite)) return 'invalid';
    return numbers;
  }

  /** The properties as the form holds them (empty texts as null, lists as arrays). */
  properties() {
    const props = {};
    for (const field of Object.keys(TEXT_FIELDS)) {
      let value = trimmed(this.input(field).value);
      if (field === 'phone') value = normalisePhone(value);
      props[field] = value === '' ? null : value;
    }
    for (const field of LIST_FIELDS) props[field] = splitList(this.input(field).value);
    for (const field of SELECT_FIELDS) props[field] = this.input(field).value || null;
    return props;
  }

  /** The form's own checks: [{field, message}] in the form's order (empty when all is well). */
  validate() {
    const errors = [];
    const props = this.properties();
    const fail = (field, message) => {
      if (!errors.some((e) => e.field === field)) errors.push({ field, message });
    };
    if (!props.name) fail('name', MESSAGES.nameRequired);
    if (!props.category) fail('category', MESSAGES.categoryRequired);
    const point = this.point();
    if (point === null) fail('geometry', MESSAGES.pointRequired);
    else if (point === 'invalid') fail('geometry', MESSAGES.pointNumbers);
    else if (!inJapan(point)) fail('geometry', inJapan([point[1], point[0]]) ? MESSAGES.pointSwapped : MESSAGES.pointOutside);
    for (const [field, max] of Object.entries(TEXT_FIELDS)) {
      const value = props[field];
      if (value === null) continue;
      if ([...value].length > max) fail(field, MESSAGES.tooLong(fieldLabel(field), max));
      // eslint-disable-next-line no-control-regex
      const control = field === 'description' || field === 'schedule_note' || field === 'accessibility'
        ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
      if (control.test(value)) fail(field, MESSAGES.control(fieldLabel(field)));
    }
    if (props.phone && !/^[0-9+\-() ]+$/.test(props.phone)) fail('phone', MESSAGES.phone);
    if (props.email && !plausibleEmail(props.email)) fail('email', MESSAGES.email);
    if (props.url && !/^https?:\/\//.test(props.url)) fail('url', MESSAGES.url);
    for (const field of LIST_FIELDS) {
      if (props[field].length > 20) fail(field, MESSAGES.tooMany(fieldLabel(field), 20));
      if (props[field].some((item) => [...item].length > 40)) fail(field, MESSAGES.tooLong(`${fieldLabel(field)}の一つ一つ`, 40));
    }
    const order = ['name', 'name_kana', 'category', 'geometry', ...FORM_FIELDS];
    return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  }

  /** The server's field errors ([{field, reason}], reasons in English) in Japanese. */
  static serverMessages(fieldErrors) {
    return fieldErrors.map(({ field: name, reason }) => {
      const field = fieldOf(name);
      const label = fieldLabel(field);
      const why = String(reason ?? '');
      let message;
      if (field === 'geometry') {
        message = /outside|japan/i.test(why) ? MESSAGES.pointOutside
          : /required|missing/i.test(why) ? MESSAGES.pointRequired : MESSAGES.pointNumbers;
      } else if (/required/i.test(why)) {
        message = field === 'category' ? MESSAGES.categoryRequired : field === 'name' ? MESSAGES.nameRequired : `${label}を入力してください。`;
      } else if (/unknown category/i.test(why)) {
        message = MESSAGES.unknownCategory;
      } else if (/unknown area/i.test(why)) {
        message = MESSAGES.unknownArea;
      } else if (/longer than (\d+)/i.test(why)) {
        message = MESSAGES.tooLong(label, /longer than (\d+)/i.exec(why)[1]);
      } else if (/more than (\d+) items/i.test(why)) {
        message = MESSAGES.tooMany(label, /more than (\d+) items/i.exec(why)[1]);
      } else if (/control/i.test(why)) {
        message = MESSAGES.control(label);
      } else if (field === 'schedule') {
        // The server says in Japanese where reading stopped.
        message = `日時を読み取れませんでした。${why}`;
      } else if (field === 'phone' || field === 'email' || field === 'url') {
        message = MESSAGES[field];
      } else {
        message = MESSAGES.other(label);
      }
      return { field, message };
    });
  }

  clearError(field) {
    const box = this.form.querySelector(`[data-field="${field}"]`);
    if (!box) return;
    box.classList.remove('invalid');
    const error = box.querySelector('.field-error');
    if (error) {
      error.textContent = '';
      error.hidden = true;
    }
    for (const input of box.querySelectorAll('input, select, textarea')) input.removeAttribute('aria-invalid');
    if (field === 'geometry') this.describePoint();
  }

  clearErrors() {
    for (const box of this.form.querySelectorAll('[data-field]')) this.clearError(box.dataset.field);
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /**
   * Shows each error next to its field and a summary at the top (links to the fields), and
   * moves the focus to the first field that is wrong.
   */
  showErrors(errors) {
    this.clearErrors();
    if (errors.length === 0) return;
    const items = [];
    let first = null;
    for (const { field, message } of errors) {
      const box = this.form.querySelector(`[data-field="${field}"]`);
      const target = box ? (field === 'geometry' ? this.lat : box.querySelector('input, select, textarea')) : null;
      if (box) {
        if (box.closest('details')) box.closest('details').open = true;
        box.classList.add('invalid');
        const error = box.querySelector('.field-error');
        error.textContent = message;
        error.hidden = false;
        for (const input of box.querySelectorAll('input, select, textarea')) input.setAttribute('aria-invalid', 'true');
        first ??= target;
      }
      const jump = h('a', { href: `#${target?.id ?? 'form-heading'}` }, message);
      jump.addEventListener('click', (event) => {
        event.preventDefault();
        target?.focus();
      });
      items.push(h('li', {}, jump));
    }
    replaceChildren(this.summary,
      h('p', { class: 'form-summary-title' }, `保存できませんでした。${errors.length} か所を直してください。`),
      h('ul', {}, items));
    this.summary.hidden = false;
    (first ?? this.summary).focus();
  }

  /** A new place as a GeoJSON Feature (empty fields left out). */
  toFeature() {
    const properties = {};
    for (const [field, value] of Object.entries(this.properties())) {
      if (value !== null && !(Array.isArray(value) && value.length === 0)) properties[field] = value;
    }
    return { type: 'Feature', geometry: { type: 'Point', coordinates: this.point() }, properties };
  }

  /**
   * What the user changed from `base` (a Feature) as a JSON merge patch — only those
   * fields, so that a save never sends back what someone else may have changed meanwhile.
   * Null when nothing changed.
   */
  changesFrom(base) {
    const patch = {};
    const properties = {};
    const props = this.properties();
    for (const field of FORM_FIELDS) {
      if (!sameValue(props[field], base?.properties?.[field])) properties[field] = props[field];
    }
    if (Object.keys(properties).length) patch.properties = properties;
    const point = this.point();
    const old = base?.geometry?.coordinates;
    if (!Array.isArray(old) || !Array.isArray(point) || point[0] !== Number(old[0]) || point[1] !== Number(old[1])) {
      patch.geometry = { type: 'Point', coordinates: point };
    }
    return Object.keys(patch).length ? patch : null;
  }

  /** Fills the form with `feature`, then with the changes of `patch` on top (a reapplied edit). */
  openWithChanges(feature, patch) {
    this.open({ feature });
    const p = patch?.properties ?? {};
    for (const [field, value] of Object.entries(p)) {
      const input = this.input(field);
      if (!input) continue;
      input.value = Array.isArray(value) ? value.join('、') : value ?? '';
    }
    if (patch?.geometry?.coordinates) this.setPoint(patch.geometry.coordinates);
    if (Object.keys(p).some((f) => this.input(f)?.closest('details'))) this.more.open = true;
    this.schedule.reset();
  }
}

/**
 * Chooses `value` in a select; a value the lists do not hold (an area added to the data after
 * the page loaded) gets its own option, so that an edit never drops it without a word.
 */
function selectValue(select, value) {
  const code = typeof value === 'string' ? value : '';
  if (code && ![...select.options].some((o) => o.value === code)) select.append(h('option', { value: code }, code));
  select.value = code;
}

export function inJapan([lon, lat]) {
  return lon >= JAPAN[0] && lon <= JAPAN[2] && lat >= JAPAN[1] && lat <= JAPAN[3];
}
