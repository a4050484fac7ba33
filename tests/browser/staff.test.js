// The staff page (/staff) against the real server: accounts made with `tsunagari user add`,
// a real session cookie, the real write path (Part 4, If-Match) and the real public map.
//
// Staff log in, add a place by clicking the map, publish it, log out — and residents see
// it; two sessions edit the same place and the second sees the 412, what the first changed,
// and reapplies its own edit; hostile names typed into the form are text on both pages; the
// form says in Japanese what is wrong next to each field, on a 360 px phone; history with
// the diff, restore, archive, 要確認 and 「確認しました」; the keyboard alone can add a place.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, openPhone, placeFeature, screenshot, getJson,
  staffLogin as login, assertAxeClean,
} from './helpers.js';

const skip = missingPrerequisite();

const USERS = [
  { name: 'sato', role: 'staff', password: 'kayoi-no-ba-2026!' },
  { name: 'tanaka', role: 'staff', password: 'machi-aruki-2026!' },
  { name: 'link1', role: 'linkworker', password: 'shohousen-2026!' },
  { name: 'yamada', role: 'staff', password: 'tane-kara-basho-2026!' },
];
const [SATO, TANAKA, LINK, YAMADA] = USERS;

const PLACES = [
  placeFeature(136.1, 34.62, { name: '412テスト サロン', name_kana: 'よんいちにてすと', verified_at: '2026-11-01', address: '名張市丸之内 1' }),
  placeFeature(136.095, 34.615, { name: '確認待ち 体操の会', name_kana: 'かくにんまち', category: 'kayoinoba', verified_at: '2024-04-01' }),
  placeFeature(136.09, 34.625, { name: '履歴テスト 子ども食堂', name_kana: 'りれきてすと', category: 'kodomo_shokudo', status: 'draft', verified_at: '2026-11-01' }),
];

const HOSTILE_NAME = '<img src=x onerror=window.__xss=1>"><svg onload=window.__xss=1><script>window.__xss=1</script>';
const HOSTILE_DESCRIPTION = '<iframe src="javascript:window.__xss=1"></iframe><b>太字</b>';
const HOSTILE_ADDRESS = '<a href="javascript:window.__xss=1">名張市</a>';

const ITEMS = '/api/collections/places/items';


/** Opens a place from the staff list by its name. */
async function openFromList(page, name) {
  await page.locator('#places-list a.place-link', { hasText: name }).first().click();
  await page.locator('#detail-view').waitFor({ state: 'visible' });
  await page.locator('#detail-heading', { hasText: name }).waitFor();
  return page.locator('.place-detail').getAttribute('data-id');
}

/** Clicks the map `dx`, `dy` pixels from its centre (away from the fixture places). */
async function clickMap(page, dx, dy) {
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

/** The place as anyone sees it through the public API (null when not published). */
async function publicPlace(url, id) {
  const response = await fetch(`${url}${ITEMS}/${id}`);
  if (response.status === 404) return null;
  assert.equal(response.status, 200);
  return response.json();
}

/** Elements that would only exist if data had been parsed as HTML. */
async function injected(page) {
  return page.evaluate(() => ({
    xss: window.__xss,
    imgX: document.querySelectorAll('img[src="x"], img[onerror]').length,
    svgOnload: document.querySelectorAll('svg[onload]').length,
    iframes: document.querySelectorAll('iframe').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    bold: document.querySelectorAll('main b, .leaflet-popup b').length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => !/^(https?:|tel:|mailto:|\/|\?|#)/.test(a.getAttribute('href'))).map((a) => a.getAttribute('href')),
  }));
}

function assertClean(found, where) {
  assert.deepEqual(found, { xss: undefined, imgX: 0, svgOnload: 0, iframes: 0, inlineScripts: 0, bold: 0, jsLinks: [] },
    `nothing typed into the form became HTML (${where})`);
}

async function axe(page, label) {
  // A popup fading in or out is not what anyone reads.
  await page.waitForFunction(() => [...document.querySelectorAll('.leaflet-popup')].every((p) => getComputedStyle(p).opacity === '1'));
  await assertAxeClean(page, label);
}

/** Presses Tab (or Shift+Tab) until `selector` has the focus (at most `max` times). */
async function tabTo(page, selector, max = 60, key = 'Tab') {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${selector}`);
}

function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('the staff page', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ sample: false, places: PLACES, users: USERS });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('staff log in, add a place by clicking the map, publish it, log out, and the public map shows it', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${server.url}/staff`);
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#map-panel').isHidden(), true, 'nothing but the login before a session');
      // Empty fields are named in Japanese; a wrong password is refused plainly.
      await page.locator('#login-submit').click();
      assert.equal(await page.locator('#login-username-error').textContent(), 'ユーザー名を入力してください。');
      await page.locator('#login-username').fill(SATO.name);
      await page.locator('#login-password').fill('wrong password');
      await page.locator('#login-submit').click();
      await page.locator('#login-error').waitFor({ state: 'visible' });
      assert.match(await page.locator('#login-error').textContent(), /ユーザー名かパスワードが違います/);

      await login(page, server.url, SATO);
      // Drafts and published places, each with its status.
      assert.equal(await page.locator('#places-list .status-draft', { hasText: '下書き' }).count(), 1);
      assert.equal(await page.locator('#places-list .status-published').count(), 2);

      await page.locator('#add-tap').click();
      await page.locator('#pick-bar').waitFor({ state: 'visible' });
      await clickMap(page, 180, -140);
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#form-heading').textContent(), '場所を追加');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name', 'the name is next to type');
      const lat = Number(await page.locator('#f-lat').inputValue());
      const lon = Number(await page.locator('#f-lon').inputValue());
      assert.ok(lat > 34.6 && lat < 34.7 && lon > 136 && lon < 136.2, `the clicked point is in Nabari (${lat}, ${lon})`);
      assert.equal(await page.locator('.edit-marker').count(), 1, 'a pin marks the point on the map');

      const name = 'まち歩きで見つけた 水曜の体操';
      await page.locator('#f-name').fill(name);
      await page.locator('#f-category').selectOption('kayoinoba');
      await page.locator('#f-schedule-note').fill('毎週水曜 10時〜11時');
      await page.locator('#form-save').click();
      await page.locator('#detail-heading', { hasText: name }).waitFor();
      assert.match(await page.locator('#app-status').textContent(), /下書きとして保存しました/);
      assert.equal(await page.locator('.detail-status .status-badge').textContent(), '下書き');
      const id = await page.locator('.place-detail').getAttribute('data-id');
      assert.equal(await publicPlace(server.url, id), null, 'a draft is not public');

      await page.locator('#action-publish').click();
      await page.locator('#action-unpublish').waitFor();
      assert.equal(await page.locator('.detail-status .status-badge').textContent(), '公開中');
      assert.match(await page.locator('#app-status').textContent(), /公開しました.*第 2 版/);
      const published = await publicPlace(server.url, id);
      assert.equal(published.properties.name, name);
      assert.deepEqual(published.geometry.coordinates, [lon, lat], 'the point clicked is the point stored');

      await page.locator('#logout').click();
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#login-note').textContent(), 'ログアウトしました。');
      assert.equal(await page.evaluate(() => fetch('/api/me').then((r) => r.status)), 401, 'the session has ended');

      await page.goto(`${server.url}/?place=${id}`);
      await page.locator('#detail-heading', { hasText: name }).waitFor();
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), name);
    } finally {
      await context.close();
    }
  });

  it('a second session edits the same place: the 412 shows what the other person changed, and the edit is reapplied', async () => {
    const a = await openPage(browser);
    const b = await openPage(browser);
    try {
      await login(a.page, server.url, SATO);
      await login(b.page, server.url, TANAKA);
      const id = await openFromList(a.page, '412テスト サロン');
      await openFromList(b.page, '412テスト サロン');
      const before = await publicPlace(server.url, id);
      await a.page.locator('#action-edit').click();
      await b.page.locator('#action-edit').click();

      // tanaka saves first.
      await b.page.locator('#f-name').fill('412テスト サロン ひだまり');
      await b.page.locator('#f-address').fill('名張市丸之内 79');
      await b.page.locator('#form-save').click();
      await b.page.locator('#detail-heading', { hasText: 'ひだまり' }).waitFor();

      // sato, still on the version both opened, changes the name too and the schedule.
      await a.page.locator('#f-name').fill('412テスト サロン こもれび');
      await a.page.locator('#f-schedule-note').fill('毎週木曜 13時〜15時');
      await a.page.locator('#form-save').click();
      await a.page.locator('#conflict-view').waitFor({ state: 'visible' });
      const conflict = a.page.locator('#conflict-body');
      assert.equal(await a.page.evaluate(() => document.activeElement.id), 'conflict-heading');
      assert.match(await conflict.locator('.conflict-lead').textContent(), /tanaka さんが変更を保存しました.*いまは第 2 版/);
      const theirs = conflict.locator('ul.diff-list').first();
      assert.deepEqual(await theirs.locator('.diff-field').allTextContents(), ['名前', '住所']);
      assert.match(await theirs.textContent(), /変更前：412テスト サロン → 変更後：412テスト サロン ひだまり/);
      assert.match(await theirs.textContent(), /変更前：名張市丸之内 1 → 変更後：名張市丸之内 79/);
      const mine = conflict.locator('ul.diff-list').nth(1);
      assert.deepEqual(await mine.locator('.diff-field').allTextContents(), ['名前', '日時の補足']);
      assert.equal(await mine.locator('.diff-item-marked .diff-field').textContent(), '名前', 'the field both changed is marked');
      // Nothing of sato's was saved.
      const now = await publicPlace(server.url, id);
      assert.equal(now.properties.name, '412テスト サロン ひだまり');
      assert.equal(now.properties.schedule_note ?? null, before.properties.schedule_note ?? null);
      await screenshot(a.page, 'staff-412');

      // Reapply through the form: tanaka's address stays, sato's name and schedule go on top.
      await a.page.locator('#conflict-review').click();
      await a.page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await a.page.locator('#f-name').inputValue(), '412テスト サロン こもれび');
      assert.equal(await a.page.locator('#f-address').inputValue(), '名張市丸之内 79');
      assert.equal(await a.page.locator('#f-schedule-note').inputValue(), '毎週木曜 13時〜15時');
      await a.page.locator('#form-save').click();
      await a.page.locator('#detail-heading', { hasText: 'こもれび' }).waitFor();
      const after = await publicPlace(server.url, id);
      assert.equal(after.properties.name, '412テスト サロン こもれび');
      assert.equal(after.properties.address, '名張市丸之内 79');
      assert.equal(after.properties.schedule_note, '毎週木曜 13時〜15時');
      assert.equal(after.properties.version, 3);

      // tanaka's page still shows version 2: an action (非公開にする) meets the 412 too, and
      // would go ahead only when asked again, on the latest version.
      await b.page.locator('#action-unpublish').click();
      await b.page.locator('#conflict-view').waitFor({ state: 'visible' });
      assert.match(await b.page.locator('.conflict-lead').textContent(), /sato さん.*「非公開にする」はまだ行われていません/);
      assert.ok(await publicPlace(server.url, id), 'still published');
      await b.page.locator('#conflict-discard').click();
      await b.page.locator('#detail-heading', { hasText: 'こもれび' }).waitFor();
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('hostile names typed into the form are text on the staff page and on the public map', async () => {
    const { context, page } = await openPage(browser);
    try {
      await login(page, server.url, SATO);
      await page.locator('#add-tap').click();
      await clickMap(page, -200, 150);
      await page.locator('#form-view').waitFor({ state: 'visible' });
      await page.locator('#f-name').fill(HOSTILE_NAME);
      await page.locator('#f-category').selectOption('salon');
      await page.locator('#f-description').fill(HOSTILE_DESCRIPTION);
      await page.locator('#f-address').fill(HOSTILE_ADDRESS);
      await page.locator('#form-save').click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-heading').textContent(), HOSTILE_NAME);
      assert.equal(await page.locator('.detail-description').textContent(), HOSTILE_DESCRIPTION);
      const id = await page.locator('.place-detail').getAttribute('data-id');
      await page.locator('#action-publish').click();
      await page.locator('#action-unpublish').waitFor();
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), HOSTILE_NAME);
      assert.equal(await page.locator('#places-list a.place-link[aria-current="true"] .item-name').textContent(), HOSTILE_NAME);
      assertClean(await injected(page), 'staff details, list and popup');
      await page.locator('#action-history').click();
      await page.locator('#history-view').waitFor({ state: 'visible' });
      assert.match(await page.locator('.history-list').textContent(), /公開中/);
      assertClean(await injected(page), 'staff history');

      await page.goto(`${server.url}/?place=${id}`);
      await page.locator('#detail-heading').waitFor();
      assert.equal(await page.locator('#detail-heading').textContent(), HOSTILE_NAME);
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), HOSTILE_NAME);
      await page.locator('#detail-back').click();
      await page.locator('#place-list .item-name', { hasText: 'onerror' }).first().waitFor();
      assert.deepEqual(await page.locator('#place-list .item-name', { hasText: 'onerror' }).allTextContents(), [HOSTILE_NAME]);
      assertClean(await injected(page), 'public details, popup and list');
    } finally {
      await context.close();
    }
  });

  it('on a 360 px phone the form says in Japanese what is wrong, next to each field, and adds from the device location', async () => {
    const { context, page } = await openPhone(browser, { geolocation: { latitude: 34.6301, longitude: 136.1002, accuracy: 12 } });
    const writes = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    try {
      await login(page, server.url, SATO);
      await page.locator('#add-here').click();
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#f-lat').inputValue(), '34.6301');
      assert.equal(await page.locator('#f-lon').inputValue(), '136.1002');
      assert.match(await page.locator('#f-here-status').textContent(), /現在地（誤差 約 12 m）/);
      assert.equal(await page.locator('#f-source').inputValue(), 'walk', 'a place found on a walk');

      // Everything wrong at once: no name, no category, latitude and longitude swapped, a bad phone.
      await page.locator('#f-lat').fill('136.1002');
      await page.locator('#f-lon').fill('34.6301');
      await page.locator('#form-more summary').click();
      await page.locator('#f-phone').fill('0595-63-<b>');
      await page.locator('#f-url').fill('javascript:alert(1)');
      await page.locator('#form-more summary').click(); // folded again: an error must unfold it
      writes.length = 0;
      await page.locator('#form-save').click();
      const errorOf = (field) => page.locator(`[data-field="${field}"] .field-error`).textContent();
      assert.equal(await errorOf('name'), '名前を入力してください。');
      assert.equal(await errorOf('category'), '種類を選んでください。');
      assert.match(await errorOf('geometry'), /緯度と経度が入れ替わっているようです/);
      assert.match(await errorOf('phone'), /電話番号は数字と/);
      assert.match(await errorOf('url'), /https:\/\/ か http:\/\/ で始めて/);
      assert.equal(await page.locator('#form-more').getAttribute('open'), '', 'the folded fields open to show their errors');
      assert.equal(await page.locator('#f-name').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#f-name').getAttribute('aria-describedby'), /f-name-error/);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name', 'the focus is on the first field to fix');
      assert.match(await page.locator('#form-summary').textContent(), /5 か所を直してください/);
      assert.deepEqual(writes, [], 'nothing was sent');

      // The phone at 360 px: no sideways scrolling, every control big enough to tap.
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        small: [...document.querySelectorAll('#place-form button, #place-form input, #place-form select, #place-form summary')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => [el.id || el.textContent.trim(), Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)])
          .filter(([, w, h]) => w < 44 || h < 44),
      }));
      assert.deepEqual(layout, { scrollWidth: 360, small: [] });
      await page.locator('#form-heading').scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -8));
      await screenshot(page, 'staff-phone-form-errors');
      await page.locator('[data-field="geometry"]').scrollIntoViewIfNeeded();
      await screenshot(page, 'staff-phone-form-point');

      // Fixed, it is saved — with the phone number's full-width digits made plain.
      await page.locator('#f-name').fill('公民館の朝の体操');
      assert.equal(await page.locator('[data-field="name"] .field-error').isHidden(), true, 'an error goes as the field is changed');
      await page.locator('#f-category').selectOption('kayoinoba');
      await page.locator('#f-here').click();
      await page.waitForFunction(() => document.querySelector('#f-lat').value === '34.6301');
      await page.locator('#f-phone').fill('０５９５－６３－００００');
      await page.locator('#f-url').fill('');
      await page.locator('#form-save').click();
      await page.locator('#detail-heading', { hasText: '公民館の朝の体操' }).waitFor();
      const id = await page.locator('.place-detail').getAttribute('data-id');
      const saved = await page.evaluate((path) => fetch(path).then((r) => r.json()), `${ITEMS}/${id}`);
      assert.equal(saved.properties.phone, '0595-63-0000');
      assert.equal(saved.properties.source, 'walk');
      assert.deepEqual(saved.geometry.coordinates, [136.1002, 34.6301]);
      assert.equal(saved.properties.status, 'draft');
      await screenshot(page, 'staff-phone-detail');
    } finally {
      await context.close();
    }
  });

  it('a field error from the server is shown in Japanese next to its field', async () => {
    const { context, page } = await openPage(browser);
    try {
      await login(page, server.url, SATO);
      // A category the server no longer knows (removed while the form was open): the form cannot
      // catch it, so the request is changed on its way, and the real server answers 422.
      await page.route('**/api/collections/places/items', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        const feature = route.request().postDataJSON();
        feature.properties.category = 'no_such_category';
        return route.fallback({ postData: JSON.stringify(feature) });
      });
      await page.locator('#add-tap').click();
      await clickMap(page, 150, 170);
      await page.locator('#form-view').waitFor({ state: 'visible' });
      await page.locator('#f-name').fill('種類が消えた場所');
      await page.locator('#f-category').selectOption('salon');
      const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(ITEMS));
      await page.locator('#form-save').click();
      const response = await answer;
      assert.equal(response.status(), 422);
      assert.equal((await response.json()).errors[0].field, 'category');
      const error = page.locator('[data-field="category"] .field-error');
      await error.waitFor({ state: 'visible' });
      assert.equal(await error.textContent(), 'この種類は一覧にありません。選び直してください。');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-category');
      assert.equal(await page.locator('#form-view').isVisible(), true, 'the form and what was typed stay');
      assert.equal(await page.locator('#f-name').inputValue(), '種類が消えた場所');
    } finally {
      await context.close();
    }
  });

  it('history shows each change with its diff and restores a version; archive; 要確認 and 「確認しました」', async () => {
    const { context, page } = await openPage(browser);
    try {
      await login(page, server.url, SATO);
      // 要確認: the place last checked in April 2024 is listed, and goes once checked.
      await page.locator('#tab-review').click();
      await page.locator('#review-count[data-count]').waitFor();
      const entry = page.locator('#review-list li', { hasText: '確認待ち 体操の会' });
      assert.match(await entry.textContent(), /前回の確認：2024年4月1日/);
      await entry.locator('.verify-button').click();
      await page.locator('#review-list li', { hasText: '確認待ち 体操の会' }).waitFor({ state: 'detached' });
      assert.match(await page.locator('#app-status').textContent(), /確認しました/);
      const list = await getJson(`${server.url}${ITEMS}?q=${encodeURIComponent('確認待ち')}`);
      assert.ok([todayIn('Asia/Tokyo'), todayIn('UTC')].includes(list.features[0].properties.verified_at),
        `verified today (${list.features[0].properties.verified_at})`);

      // History and restore, on a draft.
      await page.locator('#tab-places').click();
      const id = await openFromList(page, '履歴テスト 子ども食堂');
      await page.locator('#action-edit').click();
      await page.locator('#f-name').fill('履歴テスト こども食堂 みんなの台所');
      await page.locator('#form-save').click();
      await page.locator('#detail-heading', { hasText: 'みんなの台所' }).waitFor();
      await page.locator('#action-history').click();
      await page.locator('#history-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'history-heading');
      const items = page.locator('.history-item');
      assert.equal(await items.count(), 2);
      assert.match(await items.nth(0).locator('.history-title').textContent(), /第 2 版/);
      assert.match(await items.nth(0).locator('.history-meta').textContent(), /sato/);
      const diff = items.nth(0).locator('.diff-item[data-field="name"]');
      assert.equal(await diff.locator('del').textContent(), '変更前：履歴テスト 子ども食堂');
      assert.equal(await diff.locator('ins').textContent(), '変更後：履歴テスト こども食堂 みんなの台所');
      await screenshot(page, 'staff-history');
      await items.nth(1).locator('.restore-button').click();
      await page.locator('#detail-heading', { hasText: '履歴テスト 子ども食堂' }).waitFor();
      assert.match(await page.locator('#app-status').textContent(), /第 1 版の内容に戻しました.*第 3 版/);

      // Archive: gone from the default list and from residents, kept, and brought back.
      await page.locator('#action-archive').click();
      await page.locator('#action-unarchive').waitFor();
      assert.equal(await page.locator('.detail-status .status-badge').textContent(), 'アーカイブ');
      await page.locator('.back-to-list').click();
      await page.locator('#places-count[data-count]').waitFor();
      assert.equal(await page.locator('#places-list a.place-link', { hasText: '履歴テスト' }).count(), 0);
      await page.locator('.status-chip[data-status="archived"]').click();
      await page.locator('#places-list a.place-link', { hasText: '履歴テスト' }).waitFor();
      await openFromList(page, '履歴テスト 子ども食堂');
      await page.locator('#action-unarchive').click();
      await page.locator('.detail-status .status-draft').waitFor();
      assert.match(await page.locator('#app-status').textContent(), /下書きに戻しました/);
      assert.equal(await publicPlace(server.url, id), null);
    } finally {
      await context.close();
    }
  });

  it('when the session ends in the middle of an edit, logging in again keeps what was typed, and it is saved', async () => {
    const { context, page } = await openPage(browser);
    try {
      await login(page, server.url, TANAKA);
      const id = await openFromList(page, '確認待ち 体操の会');
      await page.locator('#action-edit').click();
      await page.locator('#f-schedule-note').fill('毎週月曜 9時半〜');
      await context.clearCookies(); // the session cookie is gone, as after the idle timeout
      await page.locator('#form-save').click();
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      assert.match(await page.locator('#login-note').textContent(), /ログインの期限が切れました.*入力した内容は残っています/);
      assert.equal(await page.locator('#login-username').inputValue(), TANAKA.name);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'login-password');
      await page.locator('#login-password').fill(TANAKA.password);
      await page.locator('#login-submit').click();
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#f-schedule-note').inputValue(), '毎週月曜 9時半〜');
      await page.locator('#form-save').click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal((await publicPlace(server.url, id)).properties.schedule_note, '毎週月曜 9時半〜');
    } finally {
      await context.close();
    }
  });

  it('the keyboard alone logs in, adds a place at the map centre and saves it; a link worker is turned away', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${server.url}/staff`);
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'login-username');
      await page.keyboard.type(TANAKA.name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(TANAKA.password);
      await page.keyboard.press('Enter');
      await page.locator('#places-count[data-count]').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'places-heading', 'the focus moves on from the login form');
      await tabTo(page, '#add-tap', 20, 'Shift+Tab');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'pick-prompt');
      await tabTo(page, '#pick-centre', 5);
      await page.keyboard.press('Enter');
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name');
      await page.keyboard.type('キーボードで追加した場所');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'f-category');
      await page.keyboard.press('ArrowDown');
      await page.locator('#f-name').press('Enter');
      await page.locator('#detail-heading', { hasText: 'キーボードで追加した場所' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-heading');
      await tabTo(page, '#logout', 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('#login-panel').waitFor({ state: 'visible' });

      // A link worker's account is not for this page.
      await page.locator('#login-username').fill(LINK.name);
      await page.locator('#login-password').fill(LINK.password);
      await page.locator('#login-submit').click();
      await page.locator('#login-error').waitFor({ state: 'visible' });
      assert.match(await page.locator('#login-error').textContent(), /スタッフ用です/);
      assert.equal(await page.locator('#staff-panel').isHidden(), true);
      // …and is shown the way to the link worker page.
      assert.equal(await page.locator('#login-error a').getAttribute('href'), '/linkworker');
    } finally {
      await context.close();
    }
  });

  it('after repeated wrong passwords the login is refused for a while, and the page says for how long', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${server.url}/staff`);
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      let status = 0;
      let retryAfter = null;
      for (let attempt = 1; attempt <= 10 && status !== 429; attempt += 1) {
        await page.locator('#login-username').fill(YAMADA.name);
        await page.locator('#login-password').fill(`wrong password ${attempt}`);
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/login'));
        await page.locator('#login-submit').click();
        const response = await answer;
        status = response.status();
        retryAfter = response.headers()['retry-after'] ?? null;
        await page.locator('#login-submit:not([disabled])').waitFor();
      }
      assert.equal(status, 429, 'the account is refused after repeated failures');
      const minutes = Math.ceil(Number(retryAfter) / 60);
      assert.ok(minutes >= 1, `Retry-After ${retryAfter}`);
      assert.equal(await page.locator('#login-error').textContent(),
        `ログインの失敗が続いたため、しばらくログインできません。${minutes} 分ほど待ってから、もう一度お試しください。`);
      // Even the right password waits.
      await page.locator('#login-password').fill(YAMADA.password);
      await page.locator('#login-submit').click();
      await page.locator('#login-submit:not([disabled])').waitFor();
      assert.match(await page.locator('#login-error').textContent(), /しばらくログインできません/);
      assert.equal(await page.locator('#staff-panel').isHidden(), true);
    } finally {
      await context.close();
    }
  });

  it('axe finds no WCAG 2.1 AA violations at the login, in the list, the form with errors and the 412 view', async () => {
    const { context, page } = await openPage(browser, { bypassCSP: true });
    try {
      await page.goto(`${server.url}/staff`);
      await page.locator('#login-panel').waitFor({ state: 'visible' });
      await page.locator('#login-submit').click();
      await axe(page, 'login with errors');
      await login(page, server.url, SATO);
      await axe(page, 'list');
      await page.locator('#add-tap').click();
      await clickMap(page, 120, 160);
      await page.locator('#form-view').waitFor({ state: 'visible' });
      await page.locator('#form-save').click();
      await page.locator('#form-summary').waitFor({ state: 'visible' });
      await axe(page, 'form with errors');
      await page.locator('#form-cancel').click();
      await openFromList(page, '412テスト サロン');
      await axe(page, 'details');
      // A stale version: the place changed after it was opened.
      const { id, version, etag } = await page.evaluate(async (items) => {
        const place = document.querySelector('.place-detail').dataset.id;
        const response = await fetch(`${items}/${place}`, { cache: 'no-store' });
        const feature = await response.json();
        return { id: place, version: feature.properties.version, etag: response.headers.get('ETag') };
      }, ITEMS);
      const patched = await page.evaluate(async ({ items, place, tag }) => (await fetch(`${items}/${place}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': tag },
        body: JSON.stringify({ properties: { cost: '無料' } }),
      })).status, { items: ITEMS, place: id, tag: etag });
      assert.equal(patched, 200, `a PATCH with If-Match ${etag} (version ${version})`);
      await page.locator('#action-edit').click();
      await page.locator('#f-schedule-note').fill('第2・第4 金曜');
      await page.locator('#form-save').click();
      await page.locator('#conflict-view').waitFor({ state: 'visible' });
      await page.locator('.leaflet-popup').waitFor({ state: 'detached' }); // not half faded out
      await axe(page, '412 view');
      // The other button: the user's change straight onto the latest version, keeping the other's.
      await page.locator('#conflict-reapply').click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      const saved = await publicPlace(server.url, id);
      assert.equal(saved.properties.cost, '無料');
      assert.equal(saved.properties.schedule_note, '第2・第4 金曜');
      assert.equal(saved.properties.version, version + 2);
    } finally {
      await context.close();
    }
  });
});
