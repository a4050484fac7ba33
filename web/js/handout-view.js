// The handout on the link worker page: shown in place of the search (which is hidden, not
// cleared, so 「もどる」 returns to it), printed or saved as a PDF by the browser, and shared as
// a link to the public list. Its DOM is removed when it is closed.

import { HandoutMap, renderHandout, shareUrl } from './handout.js';
import { mapAvailable } from './map.js';

const $ = (selector) => document.querySelector(selector);
const WORK_PANELS = ['#client-panel', '#map-panel', '#search-panel', '#results-panel', '#shortlist-panel'];

export class HandoutView {
  /** `shortlist`: what to show; `mapConfig()`: the base maps; `onClose()`: after 「もどる」. */
  constructor(shortlist, mapConfig, onClose) {
    this.shortlist = shortlist;
    this.mapConfig = mapConfig;
    this.onClose = onClose;
    this.map = null;
    $('#handout-back').addEventListener('click', () => this.close());
    $('#handout-print').addEventListener('click', () => this.print('印刷の画面が開きます。用紙は A4 縦です。'));
    $('#handout-pdf').addEventListener('click', () => this.print(
      '印刷の画面で、送信先（プリンター）を「PDFに保存」にして保存してください。'));
    $('#handout-share').addEventListener('click', () => this.share());
    $('#share-copy').addEventListener('click', () => this.copy());
  }

  open() {
    const features = this.shortlist.features();
    if (features.length === 0) return;
    const mapBox = renderHandout($('#handout'), features, { notes: this.shortlist.notes() });
    for (const id of WORK_PANELS) $(id).hidden = true;
    document.body.classList.add('showing-handout');
    $('#handout-panel').hidden = false;
    $('#share-box').hidden = true;
    $('#handout-hint').textContent = '';
    this.map = null;
    if (mapAvailable()) {
      try {
        this.map = new HandoutMap(mapBox, this.mapConfig(), features);
      } catch (error) {
        console.warn('handout map failed', error);
        mapBox.previousElementSibling?.remove(); // its caption
        mapBox.remove();
      }
    } else {
      mapBox.previousElementSibling?.remove();
      mapBox.remove();
    }
    $('#handout .handout-title').focus();
  }

  close() {
    $('#handout-panel').hidden = true;
    document.body.classList.remove('showing-handout');
    // Nothing printed stays in the page.
    $('#handout').replaceChildren();
    this.map = null;
    for (const id of WORK_PANELS) $(id).hidden = false;
    this.onClose();
  }

  print(hint) {
    $('#handout-hint').textContent = hint;
    this.map?.map.invalidateSize();
    // Let the hint and the map settle before the print dialog freezes the page.
    setTimeout(() => window.print(), 50);
  }

  share() {
    $('#share-url').value = shareUrl(this.shortlist.ids());
    $('#share-box').hidden = false;
    $('#share-url').focus();
    $('#share-url').select();
    $('#handout-hint').textContent = 'このリンクには選んだ場所だけが入っています（ひとことと相談者の地点は入りません）。ログインなしで開けます。';
  }

  async copy() {
    try {
      await navigator.clipboard.writeText($('#share-url').value);
      $('#handout-hint').textContent = '共有リンクをコピーしました。';
    } catch {
      $('#share-url').select();
      $('#handout-hint').textContent = 'コピーできませんでした。リンクを選んだ状態にしたので、手でコピーしてください。';
    }
  }
}
