// The form that records or edits a タネ (web/staff.html, #tane-form): text, source, date found,
// an optional point, an optional walk, and (when editing) its status. It reads back a new
// Feature or a merge patch of what changed, and shows the server's personal-data warning
// with the two ways on (「戻って直す」「このまま保存」).
//
// The text lives only in this form and in requests: nothing here writes it to storage or the URL.

import { h, replaceChildren } from './dom.js';
import { formatPoint } from './staff-fields.js';
import { personalDataText, todayInJapan, TANE_STATUS_LABELS } from './fieldwork-fields.js';

const MAX_TEXT = 4000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function radioValue(form, name) {
  return form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
}

function setRadio(form, name, value) {
  for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = input.value === value;
}

export class TaneForm {
  /** `handlers`: onSubmit(), onCancel(), onUseLocation(), onPickOnMap(), onPointChange([lon, lat] | null). */
  constructor(form, handlers) {
    this.form = form;
    this.handlers = handlers;
    this.base = null;
    this.pointValue = null;
    this.text = form.querySelector('#t-text');
    this.foundOn = form.querySelector('#t-found-on');
    this.walk = form.querySelector('#t-walk');
    this.summary = form.querySelector('#tane-form-summary');
    this.personal = form.querySelector('#tane-personal');
    this.pointNote = form.querySelector('#t-point-note');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.handlers.onSubmit?.({ confirmed: false });
    });
    form.querySelector('#tane-cancel').addEventListener('click', () => this.handlers.onCancel?.());
    form.querySelector('#t-here').addEventListener('click', () => this.handlers.onUseLocation?.());
    form.querySelector('#t-pick').addEventListener('click', () => this.handlers.onPickOnMap?.());
    form.querySelector('#t-clear').addEventListener('click', () => {
      this.setPoint(null, '地点なしにしました。');
      this.handlers.onPointChange?.(null);
    });
    form.querySelector('#tane-personal-fix').addEventListener('click', () => {
      this.hidePersonal();
      this.text.focus();
    });
    form.querySelector('#tane-personal-keep').addEventListener('click', () => this.handlers.onSubmit?.({ confirmed: true }));
    // A changed text is a new question: the warning about the old one no longer holds.
    this.text.addEventListener('input', () => {
      this.clearError('text');
      this.hidePersonal();
    });
  }

  /** The walks to choose from ([Feature]), newest first. */
  setWalks(walks) {
    const chosen = this.walk.value;
    replaceChildren(this.walk, h('option', { value: '' }, '（なし）'),
      walks.map((w) => h('option', { value: w.id }, `${w.properties?.title ?? ''}（${w.properties?.walked_on ?? ''}）`)));
    this.walk.value = chosen;
  }

  /**
   * Fills the form: `feature` to edit (null for a new タネ); a new one made while `walk`
   * ({id, title}) is being recorded belongs to it and comes from a walk.
   */
  open({ feature = null, walk = null, point = null } = {}) {
    this.base = feature;
    this.form.reset();
    this.clearErrors();
    this.hidePersonal();
    const p = feature?.properties ?? {};
    this.form.querySelector('#tane-form-heading').textContent = feature ? 'タネを編集' : 'タネを記録';
    this.text.value = typeof p.text === 'string' ? p.text : '';
    setRadio(this.form, 't-source', p.source ?? (walk ? 'walk' : 'other'));
    this.foundOn.value = p.found_on ?? todayInJapan();
    const promoted = p.status === 'promoted';
    this.form.querySelector('#t-status-field').hidden = !feature || promoted;
    setRadio(this.form, 't-status', promoted ? 'new' : p.status ?? 'new');
    const walkId = feature ? p.walk_id ?? '' : walk?.id ?? '';
    if (walkId && ![...this.walk.options].some((o) => o.value === walkId)) {
      this.walk.append(h('option', { value: walkId }, walk?.id === walkId ? walk.title : 'ほかのまち歩き'));
    }
    this.walk.value = walkId;
    const banner = this.form.querySelector('#tane-form-walk');
    banner.hidden = !(walk && !feature);
    banner.textContent = walk && !feature ? `まち歩きを記録中: ${walk.title}（このタネはこのまち歩きにつながります）` : '';
    this.setPoint(feature ? feature.geometry?.coordinates ?? null : point, '');
  }

  /** [lon, lat] or null; `note` says where it came from (「現在地（誤差 約 8 m）を地点にしました。」). */
  setPoint(point, note = '') {
    this.pointValue = Array.isArray(point) ? [Number(point[0]), Number(point[1])] : null;
    this.clearError('geometry');
    const where = this.pointValue ? `${formatPoint(this.pointValue)}。地図に赤い印で示しています（ドラッグで直せます）。` : '地点はありません。';
    this.pointNote.textContent = note ? `${note}${where}` : where;
  }

  point() {
    return this.pointValue;
  }

  values() {
    return {
      text: this.text.value.replace(/\r\n?/g, '\n').trim(),
      source: radioValue(this.form, 't-source') ?? 'other',
      found_on: this.foundOn.value || todayInJapan(),
      walk_id: this.walk.value || null,
      status: this.base && this.base.properties?.status !== 'promoted' ? radioValue(this.form, 't-status') : undefined,
    };
  }

  /** True when something was typed or chosen that a tap elsewhere would lose. */
  inUse() {
    if (this.base) return this.changesFrom(this.base) !== null;
    return this.values().text !== '' || this.pointValue !== null;
  }

  validate() {
    const { text } = this.values();
    const errors = [];
    if (!text) errors.push({ field: 'text', message: '気づいたことを入力してください。' });
    else if ([...text].length > MAX_TEXT) errors.push({ field: 'text', message: `気づいたことは ${MAX_TEXT} 文字以内にしてください。` });
    else if (CONTROL.test(text)) errors.push({ field: 'text', message: '気づいたことに使えない文字（制御文字）が入っています。' });
    return errors;
  }

  /** A new タネ as a Feature (`confirmed`: the user chose 「このまま保存」). */
  toFeature({ confirmed = false } = {}) {
    const { status, ...properties } = this.values();
    if (!properties.walk_id) delete properties.walk_id;
    if (confirmed) properties.personal_data_confirmed = true;
    return {
      type: 'Feature',
      geometry: this.pointValue ? { type: 'Point', coordinates: this.pointValue } : null,
      properties,
    };
  }

  /** What changed from `base` as a merge patch, or null. */
  changesFrom(base, { confirmed = false } = {}) {
    const values = this.values();
    const properties = {};
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if ((base.properties?.[field] ?? null) !== (value ?? null)) properties[field] = value;
    }
    const patch = {};
    const old = base.geometry?.coordinates ?? null;
    const now = this.pointValue;
    if (JSON.stringify(old) !== JSON.stringify(now)) patch.geometry = now ? { type: 'Point', coordinates: now } : null;
    if (Object.keys(properties).length) patch.properties = properties;
    if (!Object.keys(patch).length) return null;
    if (confirmed) (patch.properties ??= {}).personal_data_confirmed = true;
    return patch;
  }

  /**
   * Fills the form with `feature` (the newest version), then puts the user's own changes
   * (`patch`, from changesFrom) back on top: what the user did not touch shows what the other
   * person saved, so that saving again overwrites nothing of theirs.
   */
  openWithChanges(feature, patch) {
    const walkOptions = [...this.walk.options].map((o) => o.value);
    this.open({ feature });
    const p = patch?.properties ?? {};
    if (p.text !== undefined) this.text.value = p.text;
    if (p.source !== undefined) setRadio(this.form, 't-source', p.source);
    if (p.found_on !== undefined) this.foundOn.value = p.found_on;
    if (p.status !== undefined) setRadio(this.form, 't-status', p.status);
    if (p.walk_id !== undefined && (p.walk_id === null || walkOptions.includes(p.walk_id))) this.walk.value = p.walk_id ?? '';
    if (patch && 'geometry' in patch) this.setPoint(patch.geometry?.coordinates ?? null);
  }

  /** The server's personal-data finding ([{kind, label, text}]): what it found, and the question. */
  showPersonal(items) {
    replaceChildren(this.form.querySelector('#tane-personal-list'),
      items.map((item) => h('li', {}, personalDataText(item))));
    this.personal.hidden = false;
    this.personal.scrollIntoView({ block: 'nearest' });
    this.personal.focus({ preventScroll: true });
  }

  hidePersonal() {
    this.personal.hidden = true;
  }

  clearError(field) {
    const box = this.form.querySelector(`[data-tane-field="${field}"]`);
    if (!box) return;
    box.classList.remove('invalid');
    const error = box.querySelector('.field-error');
    if (error) {
      error.textContent = '';
      error.hidden = true;
    }
    for (const input of box.querySelectorAll('input, select, textarea')) input.removeAttribute('aria-invalid');
  }

  clearErrors() {
    for (const box of this.form.querySelectorAll('[data-tane-field]')) this.clearError(box.dataset.taneField);
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Each error next to its field, a summary on top, the focus on the first field that is wrong. */
  showErrors(errors) {
    this.clearErrors();
    if (!errors.length) return;
    let first = null;
    for (const { field, message } of errors) {
      const box = this.form.querySelector(`[data-tane-field="${field}"]`);
      if (!box) continue;
      box.classList.add('invalid');
      const error = box.querySelector('.field-error');
      if (error) {
        error.textContent = message;
        error.hidden = false;
      }
      const input = box.querySelector('textarea, input, select');
      input?.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
    replaceChildren(this.summary,
      h('p', { class: 'form-summary-title' }, `保存できませんでした。${errors.length} か所を直してください。`),
      h('ul', {}, errors.map((e) => h('li', {}, e.message))));
    this.summary.hidden = false;
    (first ?? this.summary).focus();
  }

  /** The server's field errors ([{field, reason}], English) in Japanese, next to our fields. */
  static serverMessages(fieldErrors) {
    return fieldErrors.map(({ field: name, reason }) => {
      const field = String(name ?? '').split(/[./]/).filter(Boolean).pop() ?? '';
      const why = String(reason ?? '');
      if (/geometry|coordinates/.test(String(name))) return { field: 'geometry', message: '地点を確かめてください（日本の中の地点）。' };
      if (field === 'text') return { field: 'text', message: /long/i.test(why) ? `気づいたことは ${MAX_TEXT} 文字以内にしてください。` : '気づいたことを確かめてください。' };
      if (field === 'found_on') return { field: 'found_on', message: '見つけた日を確かめてください。' };
      if (field === 'walk_id') return { field: 'walk_id', message: 'このまち歩きは見つかりませんでした。選び直してください。' };
      if (field === 'status') return { field: 'status', message: `状態は「${TANE_STATUS_LABELS.new}」「${TANE_STATUS_LABELS.looking}」「${TANE_STATUS_LABELS.set_aside}」から選んでください。` };
      return { field: 'text', message: `入力を確かめてください（${field}）。` };
    });
  }
}
