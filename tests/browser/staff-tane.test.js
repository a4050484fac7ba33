// タネ on the staff page (issue 17), against the real server: staff record a タネ, make it a
// place, finish and publish the place in the form — and residents find it on the map; a タネ
// whose text holds a phone number is saved only after staff answer 「このまま保存」; and the
// text is never kept in the browser's storage or the URL.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, screenshot, staffLogin, listCount,
} from './helpers.js';

const skip = missingPrerequisite();
const STAFF = { name: 'yamada', role: 'staff', password: 'tane-kara-basho-2026!' };
const OTHER = { name: 'tanaka', role: 'staff', password: 'machi-no-hokenshitsu-2026!' };
const TANE = '/api/collections/tane/items';

/** The タネ whose text holds `marker`, as the API answers them to the logged-in page. */
async function taneWith(page, marker) {
  const all = await page.evaluate((url) => fetch(`${url}?limit=500`).then((r) => r.json()), TANE);
  return all.features.filter((f) => String(f.properties.text).includes(marker));
}

/** Clicks the map `dx`, `dy` pixels from its centre. */
async function clickMap(page, dx, dy) {
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

/** Everything the browser keeps for the page that a script can read, and the URL. */
async function kept(page) {
  return page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, url: location.href, history: history.state }));
}

describe('タネ on the staff page', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ users: [STAFF, OTHER] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('staff record a タネ, make it a place, publish it from the form, and the public map shows it', async () => {
    const { context, page } = await openPage(browser);
    const marker = 'タネ目印XK7Q';
    const name = 'ベンチ将棋の会 XK7Q';
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-tane').click();
      await page.locator('#tane-count[data-count]').waitFor();
      await page.locator('#tane-new').click();
      await page.locator('#tane-form-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 't-text', 'the focus is where the タネ is written');
      await page.locator('#t-text').fill(`${marker} 毎朝ベンチで将棋をさす人たち\n公園の東側、雨の日は集会所の軒下`);
      await page.locator('label', { hasText: '会話' }).click();
      // The point: a tap on the map, as on a walk.
      await page.locator('#t-pick').click();
      await page.locator('#pick-bar').waitFor({ state: 'visible' });
      await clickMap(page, 60, -40);
      await page.locator('#pick-bar').waitFor({ state: 'hidden' });
      assert.match(await page.locator('#t-point-note').textContent(), /地図で選んだ位置を地点にしました。緯度 34\.\d+, 経度 136\.\d+/);
      await page.locator('#tane-save').click();
      await page.locator('#tane-detail-heading').waitFor();
      assert.match(await page.locator('#app-status').textContent(), /タネを記録しました/);
      const [saved] = await taneWith(page, marker);
      assert.equal(saved.properties.source, 'conversation');
      assert.equal(saved.properties.status, 'new');
      assert.equal(saved.properties.recorded_by, STAFF.name);
      assert.equal(saved.geometry.type, 'Point', 'the tapped point is stored');
      assert.equal(await page.locator('.tane-text').textContent(), saved.properties.text, 'the whole text, newlines kept');

      // 「場所にする」: a small dialog with the name (the first line by default) and the kind.
      await page.locator('#tane-promote').click();
      await page.locator('#promote-dialog[open]').waitFor();
      assert.equal(await page.locator('#p-name').inputValue(), `${marker} 毎朝ベンチで将棋をさす人たち`);
      assert.equal(await page.locator('#p-category').inputValue(), 'ibasho', '居場所 unless staff choose another');
      await page.locator('#p-name').fill(name);
      await page.locator('#p-category').selectOption('salon');
      await page.locator('#promote-ok').click();

      // The new draft place opens in the place form, which says which タネ it came from.
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#form-heading').textContent(), '場所を編集');
      assert.equal(await page.locator('#f-name').inputValue(), name);
      assert.equal(await page.locator('#f-category').inputValue(), 'salon');
      assert.equal(await page.locator('#f-source').inputValue(), 'tane');
      assert.match(await page.locator('#f-description').inputValue(), new RegExp(marker), 'the text is the description, to be checked');
      await page.locator('#form-origin').waitFor({ state: 'visible' });
      assert.match(await page.locator('#form-origin').textContent(), new RegExp(`このタネから: ${marker}`));
      const [promoted] = await taneWith(page, marker);
      assert.equal(promoted.properties.status, 'promoted');
      assert.ok(promoted.properties.place_id, 'the タネ names its place');

      // Staff finish the place (a resident-facing description) and publish it.
      await page.locator('#f-description').fill('毎朝、公園のベンチで将棋をさしています。見学もどうぞ。');
      await page.locator('#form-save').click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.place-detail').getAttribute('data-id'), promoted.properties.place_id);
      await page.locator('#action-publish').click();
      await page.locator('#action-unpublish').waitFor();
      assert.equal(await page.locator('#detail-body .detail-status .status-badge').textContent(), '公開中');

      // The タネ list: with 「場所になった」 chosen, the entry says which place it became.
      await page.locator('#detail-view .back-to-list').click();
      await page.locator('.tane-status-chip[data-status="promoted"]').click();
      const entry = page.locator('#tane-list .tane-link', { hasText: marker });
      await entry.locator('.tane-place', { hasText: `場所になりました：${name}` }).waitFor();
      assert.equal(await entry.locator('.tane-status').textContent(), '場所になった');
      // Words narrow the list (the API's q): only this タネ holds the marker.
      await page.locator('#tane-q').fill('XK7Q');
      await page.locator('#tane-search button[type="submit"]').click();
      await page.waitForFunction(() => document.querySelector('#tane-count')?.dataset.count === '1');
      assert.equal(await page.locator('#tane-list .tane-link').count(), 1);
      await screenshot(page, 'staff-tane-promoted');

      // Residents: the public map finds the place by its name.
      const publicPage = await context.newPage();
      await publicPage.goto(`${server.url}/`);
      await listCount(publicPage);
      await publicPage.locator('#q').fill('ベンチ将棋の会');
      await publicPage.locator('#search-submit').click();
      await publicPage.locator('#place-list .item-name', { hasText: name }).waitFor();
      assert.equal(await listCount(publicPage), 1);
      await publicPage.locator('#place-list .item-name', { hasText: name }).click();
      await publicPage.locator('#detail-heading', { hasText: name }).waitFor();
      assert.equal(await publicPage.locator('.leaflet-popup .popup-name').textContent(), name, 'and shows it on the map');
      assert.equal(await publicPage.locator('body').textContent().then((t) => t.includes(marker)), false,
        'the タネ itself is nowhere on the public page');
      assert.equal((await kept(page)).includes(marker), false, 'no タネ text in storage or the URL');
    } finally {
      await context.close();
    }
  });

  it('a タネ with a phone number is saved only after 「このまま保存」', async () => {
    const { context, page } = await openPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const marker = '電話目印QP3';
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-tane').click();
      await page.locator('#tane-new').click();
      await page.locator('#t-text').fill(`${marker} 日記より：となりの方が体操の会をしている。連絡先 0595-63-1234`);
      await page.locator('label', { hasText: '日記' }).click();
      await page.locator('#tane-save').click();

      // The question, with what was found.
      await page.locator('#tane-personal').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#tane-personal .personal-check-title').textContent(),
        '個人の情報らしきものが含まれています。日記の内容は個人的なものです。このまま保存しますか？');
      assert.deepEqual(await page.locator('#tane-personal-list li').allTextContents(), ['電話番号「0595-63-1234」']);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tane-personal', 'the question gets the focus');
      assert.deepEqual(await taneWith(page, marker), [], 'nothing is saved before the answer');
      await screenshot(page, 'staff-tane-personal-data');

      // 「戻って直す」: back to the text, still nothing saved.
      await page.locator('#tane-personal-fix').click();
      assert.equal(await page.locator('#tane-personal').isHidden(), true);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 't-text');
      assert.deepEqual(await taneWith(page, marker), []);

      // Asked again on the next save; 「このまま保存」 saves it, marked.
      await page.locator('#tane-save').click();
      await page.locator('#tane-personal').waitFor({ state: 'visible' });
      await page.locator('#tane-personal-keep').click();
      await page.locator('#tane-detail-heading').waitFor();
      const saved = await taneWith(page, marker);
      assert.equal(saved.length, 1);
      assert.equal(saved[0].properties.source, 'diary');
      assert.ok(saved[0].properties.personal_data.some((p) => p.text === '0595-63-1234'));
      assert.match(await page.locator('.personal-found').textContent(), /電話番号「0595-63-1234」/);
      await page.locator('#tane-view .back-to-tab').click();
      await page.locator('#tane-list .tane-link', { hasText: marker }).locator('.personal-badge', { hasText: '個人の情報あり' }).waitFor();

      // Edit: status 調べている, and the changed text is asked about again.
      await page.locator('#tane-list .tane-link', { hasText: marker }).click();
      await page.locator('#tane-edit').click();
      await page.locator('label', { hasText: '調べている' }).click();
      await page.locator('#t-text').fill(`${marker} 日記より：体操の会がある。連絡は yamada@example.org`);
      await page.locator('#tane-save').click();
      await page.locator('#tane-personal').waitFor({ state: 'visible' });
      assert.match(await page.locator('#tane-personal-list').textContent(), /yamada@example\.org/);
      await page.locator('#tane-personal-keep').click();
      await page.locator('#tane-detail-heading').waitFor();
      const [edited] = await taneWith(page, marker);
      assert.equal(edited.properties.status, 'looking');
      assert.equal(edited.properties.version, 2);
      await page.locator('#tane-history-button').click();
      await page.locator('#tane-history .history-item').first().waitFor();
      assert.match(await page.locator('#tane-history .history-item').first().textContent(), /第 2 版.*調べている/s);

      assert.equal((await kept(page)).includes(marker), false, 'no タネ text in storage or the URL');
    } finally {
      await context.close();
    }
  });

  it('when someone else saved the タネ first, the form keeps both changes and overwrites nothing', async () => {
    const mine = await openPage(browser);
    const theirs = await openPage(browser);
    const marker = '二人目印ZT4';
    try {
      await staffLogin(mine.page, server.url, STAFF);
      await staffLogin(theirs.page, server.url, OTHER);
      const created = await mine.page.evaluate((body) => fetch('/api/collections/tane/items', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      }).then((r) => r.json()), { type: 'Feature', geometry: null, properties: { text: `${marker} 商店街の空き店舗で手芸の集まり`, source: 'walk' } });

      await mine.page.locator('#tab-tane').click();
      await mine.page.locator('#tane-list .tane-link', { hasText: marker }).click();
      await mine.page.locator('#tane-edit').click();
      await mine.page.locator('#t-text').fill(`${marker} 商店街の空き店舗で毎週木曜に手芸の集まり`);

      // Meanwhile the other staff member marks it 調べている.
      const status = await theirs.page.evaluate((id) => fetch(`/api/collections/tane/items/${id}`, {
        method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': '"1"' },
        body: JSON.stringify({ properties: { status: 'looking' } }),
      }).then((r) => r.status), created.id);
      assert.equal(status, 200);

      await mine.page.locator('#tane-save').click();
      await mine.page.locator('#tane-form-summary', { hasText: 'ほかの人が先にこのタネを変更しました（いまは第 2 版）' }).waitFor();
      assert.match(await mine.page.locator('#tane-form-summary').textContent(), /変わった項目：「状態」/);
      assert.equal(await mine.page.locator('input[name="t-status"]:checked').getAttribute('value'), 'looking', 'their change is in the form');
      assert.match(await mine.page.locator('#t-text').inputValue(), /毎週木曜/, 'and mine too');
      let [now] = await taneWith(mine.page, marker);
      assert.equal(now.properties.version, 2, 'nothing of mine was saved yet');

      await mine.page.locator('#tane-save').click();
      await mine.page.locator('#tane-detail-heading').waitFor();
      [now] = await taneWith(mine.page, marker);
      assert.equal(now.properties.version, 3);
      assert.equal(now.properties.status, 'looking');
      assert.match(now.properties.text, /毎週木曜/);
    } finally {
      await mine.context.close();
      await theirs.context.close();
    }
  });
});
