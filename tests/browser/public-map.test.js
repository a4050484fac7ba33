// The public map at `/` with the sample Nabari data: markers, list, filters, search, the
// chosen place, the language and text-size switches, failures, and screenshots.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, problems, listCount, viewBbox,
  getJson, screenshot, markersRepresented, placeNamed,
} from './helpers.js';

const skip = missingPrerequisite();

async function apiCount(server, params) {
  const query = new URLSearchParams({ ...params, limit: '1' });
  return (await getJson(`${server.url}/api/collections/places/items?${query}`)).numberMatched;
}

/** Runs `action` and waits for the places request it causes, then for the list to settle. */
async function andWaitForList(page, action) {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/collections/places/items?')),
    action(),
  ]);
  return listCount(page);
}

function assertNoProblems(found) {
  assert.deepEqual(found.csp, [], 'no securitypolicyviolation events');
  assert.deepEqual(found.cspConsole, [], 'no CSP errors on the console');
  assert.deepEqual(found.errors, [], 'no uncaught script errors');
}

describe('public map (sample data)', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the sample places as markers and a list whose count is the API count for the view', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      const count = await listCount(page);
      const bbox = await viewBbox(page);
      assert.match(bbox, /^[\d.]+,[\d.]+,[\d.]+,[\d.]+$/);
      const expected = await apiCount(server, { bbox });
      assert.equal(count, expected, `list count ${count} = API numberMatched ${expected} for bbox ${bbox}`);
      assert.ok(count >= 60, `most of the 95 sample places are in the default view (got ${count})`);
      assert.equal(await page.locator('#place-list > li').count(), Math.min(count, 50));
      assert.match(await page.locator('#result-count').textContent(), new RegExp(`${count} 件`));

      // Markers and clusters: every place in view is represented on the map.
      const represented = await markersRepresented(page);
      assert.ok(represented >= count, `markers+clusters represent ${represented} ≥ ${count} places`);
      assert.ok(await page.locator('#map .place-cluster').count() > 0, 'clusters are drawn');
      assert.ok(await page.locator('#map .place-marker').count() > 0, 'single markers are drawn');

      // The page asked for the viewport (bbox), not for everything.
      assert.ok(watch.apiRequests.length > 0);
      for (const url of watch.apiRequests) assert.ok(new URL(url).searchParams.has('bbox'), `${url} has bbox`);

      // Every place shows the sample badge (the sample data is made up).
      assert.equal(await page.locator('#place-list .sample-badge').count(), Math.min(count, 50));
      assert.equal(await page.locator('#place-list .sample-badge').first().textContent(), 'サンプルデータ');

      // Tiles cannot load here (the internet is blocked): the resident is told, the list still works.
      assert.ok(watch.blocked.some((u) => u.startsWith('https://cyberjapandata.gsi.go.jp/')), 'GSI tiles are the default');
      await page.locator('#map-notice').waitFor({ state: 'visible' });
      assert.match(await page.locator('#map-notice').textContent(), /地図の画像を読み込めませんでした/);
      const attribution = page.locator('.map-attribution a', { hasText: '地理院タイル' });
      assert.equal(await attribution.getAttribute('href'), 'https://maps.gsi.go.jp/development/ichiran.html');

      console.log(`desktop screenshot: ${await screenshot(page, 'desktop-1280x800')}`);

      // OpenStreetMap is offered as the other base map.
      await page.locator('.leaflet-control-layers').hover();
      assert.equal(await page.locator('.leaflet-control-layers-base label', { hasText: 'OpenStreetMap' }).count(), 1);

      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('a category chip changes the count to the API count for that category', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      const all = await listCount(page);
      assert.equal(await page.locator('#clear-all').isHidden(), true, 'nothing to clear yet');
      await page.locator('#more-filters summary').click();
      const chip = page.locator('#category-chips .chip[data-code="salon"]');
      assert.equal(await chip.textContent(), 'サロン');
      const count = await andWaitForList(page, () => chip.click());
      assert.equal(await chip.getAttribute('aria-pressed'), 'true');
      const bbox = await viewBbox(page);
      assert.equal(count, await apiCount(server, { bbox, category: 'salon' }));
      assert.ok(count > 0 && count < all, `salons ${count} < all ${all}`);
      const tags = await page.locator('#place-list .cat-tag').allTextContents();
      assert.equal(tags.length, count);
      assert.ok(tags.every((tag) => tag === 'サロン'), `only salons listed: ${tags}`);
      assert.equal(new URL(page.url()).searchParams.get('category'), 'salon');

      // A second chip adds its places; the count follows the API again.
      const both = await andWaitForList(page, () => page.locator('#category-chips .chip[data-code="kayoinoba"]').click());
      assert.equal(both, await apiCount(server, { bbox: await viewBbox(page), category: 'kayoinoba,salon' }));
      assert.ok(both > count);

      // 「すべて解除」 brings everything back.
      const cleared = await andWaitForList(page, () => page.locator('#clear-all').click());
      assert.equal(cleared, await apiCount(server, { bbox: await viewBbox(page) }));
      assert.equal(await chip.getAttribute('aria-pressed'), 'false');
      assert.equal(new URL(page.url()).searchParams.get('category'), null);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('the area filter follows the API, and the map moves to the area', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#more-filters summary').click();
      await page.locator('#area').selectOption('kikyogaoka');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('area') === 'kikyogaoka');
      const count = await listCount(page);
      assert.equal(count, await apiCount(server, { bbox: await viewBbox(page), area: 'kikyogaoka' }));
      assert.equal(count, await apiCount(server, { area: 'kikyogaoka' }), 'the map shows the whole area');
      assert.ok(count > 0);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('a text search finds the place, and an empty result says so plainly', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#q').fill('ひだまり');
      await page.locator('#q').press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ひだまり');
      const count = await listCount(page);
      const names = await page.locator('#place-list .item-name').allTextContents();
      assert.ok(names.includes('本町サロン ひだまり'), `found: ${names}`);
      assert.equal(count, await apiCount(server, { q: 'ひだまり' }));

      // Kana-insensitive: katakana finds the hiragana name too (the API normalises).
      await page.locator('#q').fill('ヒダマリ');
      await page.locator('#search-form button[type="submit"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ヒダマリ');
      await listCount(page);
      assert.ok((await page.locator('#place-list .item-name').allTextContents()).includes('本町サロン ひだまり'));

      // An archived place is never shown: the empty state explains, in plain words.
      await page.locator('#q').fill('つくし');
      await page.locator('#q').press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'つくし');
      assert.equal(await listCount(page), 0);
      await page.locator('#result-empty').waitFor({ state: 'visible' });
      assert.match(await page.locator('#result-empty').textContent(), /条件に合う場所が見つかりませんでした/);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('choosing a list entry opens it on the map and shows everything a resident needs', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/?q=${encodeURIComponent('丸之内 火曜サロン')}`);
      await listCount(page);
      const link = page.locator('#place-list a.place-link').first();
      const id = await link.getAttribute('data-id');
      const feature = await getJson(`${server.url}/api/collections/places/items/${id}`);
      const p = feature.properties;
      assert.equal(p.name, '丸之内 火曜サロン');
      await link.click();

      // Details replace the list and take the focus.
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-heading');
      assert.equal(await page.locator('#detail-heading').textContent(), p.name);
      assert.equal(new URL(page.url()).searchParams.get('place'), id);
      const detail = page.locator('.place-detail');
      const text = await detail.textContent();
      for (const expected of [p.schedule_text, p.address, p.cost, p.accessibility, p.phone, 'サロン', 'サンプルデータ']) {
        assert.ok(text.includes(expected), `details show ${expected}`);
      }
      assert.ok(text.includes(p.audience.join('、')), 'audience');
      const [y, m, d] = p.verified_at.split('-').map(Number);
      assert.ok(text.includes(`${y}年${m}月${d}日`), 'last-verified date');
      const tel = await detail.locator('a[href^="tel:"]').first().getAttribute('href');
      assert.equal(tel, `tel:${p.phone.replace(/\D/g, '')}`);
      const [lon, lat] = feature.geometry.coordinates;
      const directions = await detail.locator('a.directions').getAttribute('href');
      assert.equal(directions, `https://www.google.com/maps/dir/?api=1&destination=${lat.toFixed(6)},${lon.toFixed(6)}`);
      assert.equal(await detail.locator('a.directions').getAttribute('rel'), 'noopener noreferrer');

      // The map opened the same place: popup and highlighted marker.
      await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), p.name);
      assert.equal(await page.locator('#map .place-marker-selected').count(), 1);

      await page.waitForTimeout(400); // the popup fades in
      console.log(`desktop place screenshot: ${await screenshot(page, 'desktop-place-1280x800')}`);

      // Back to the list: the focus returns to the entry.
      await page.locator('#detail-back').click();
      await page.locator('#list-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset?.id), id);
      assert.equal(new URL(page.url()).searchParams.get('place'), null);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('viewing a place and coming back keeps the list as it was (the map keeps its zoom)', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      const before = await listCount(page);
      const bboxBefore = await viewBbox(page);
      const names = await page.locator('#place-list .item-name').allTextContents();
      const zoom = new URL(page.url()).searchParams.get('map');
      // The listed place nearest the top of the view: its popup (drawn above the marker) does
      // not fit, so the map pans to show it — the case where the list could change.
      const ids = await page.locator('#place-list a.place-link').evaluateAll((links) => links.map((a) => a.dataset.id));
      const inView = await getJson(`${server.url}/api/collections/places/items?bbox=${bboxBefore}&limit=1000`);
      const lat = new Map(inView.features.map((f) => [f.id, f.geometry.coordinates[1]]));
      const index = ids.reduce((best, id, i) => (lat.get(id) > lat.get(ids[best]) ? i : best), 0);
      await page.locator('#place-list a.place-link').nth(index).click();
      await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), names[index]);
      await listCount(page);
      assert.notEqual(await viewBbox(page), bboxBefore, 'the map panned to show the popup');
      await page.locator('#detail-back').click();
      await page.locator('#list-view').waitFor({ state: 'visible' });
      assert.equal(await listCount(page), before);
      assert.equal(await viewBbox(page), bboxBefore, 'the map is back where the resident left it');
      assert.deepEqual(await page.locator('#place-list .item-name').allTextContents(), names, 'the same entries');
      const after = new URL(page.url()).searchParams.get('map');
      assert.equal(after?.split('/')[0] ?? '13', zoom?.split('/')[0] ?? '13', 'same zoom');
      assert.equal(await page.evaluate(() => document.activeElement?.querySelector('.item-name')?.textContent), names[index]);

      // 「地図で見る」 zooms in until the place's own marker shows.
      await page.locator('#place-list a.place-link').nth(index).click();
      await page.locator('.show-on-map').click();
      await page.waitForFunction(() => document.querySelectorAll('#map .place-marker-selected').length === 1);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('choosing a marker on the map shows that place in the list panel (with a text tooltip)', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      // Zoomed in on 丸之内 火曜サロン (its point from the API) so that its marker stands alone
      // at the centre.
      const [lon, lat] = (await placeNamed(server, '丸之内 火曜サロン')).geometry.coordinates;
      await page.goto(`${server.url}/?map=18/${lat}/${lon}`);
      await listCount(page);
      const box = await page.locator('#map').boundingBox();
      const x = box.x + box.width / 2;
      const yCentre = box.y + box.height / 2;
      await page.mouse.move(x, yCentre);
      await page.locator('.leaflet-tooltip .place-tooltip').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.leaflet-tooltip .place-tooltip').textContent(), '丸之内 火曜サロン');
      await page.mouse.click(x, yCentre);
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-heading').textContent(), '丸之内 火曜サロン');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-heading');
      await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), '丸之内 火曜サロン');
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('switches to English and to large text', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      const count = await listCount(page);
      assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
      await page.locator('#lang-switch').click();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.locator('label[for="q"]').textContent(), 'Search by words (Japanese)');
      assert.equal(await page.locator('#near-geo').textContent(), 'Use my location');
      assert.equal(await page.locator('#more-filters summary').textContent(), 'Filter (when, type, area)');
      assert.equal(await page.locator('#category-chips .chip[data-code="salon"]').textContent(), 'Salon');
      assert.equal(await page.locator('#lang-switch').textContent(), '日本語');
      assert.equal(await page.locator('#result-count').textContent(), `${count} places in the map view`);
      assert.equal(await page.locator('#place-list .sample-badge').first().textContent(), 'Sample data');
      assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
      assert.match(await page.title(), /Tsunagari Map/);
      assert.match(await page.locator('#map-notice').textContent(), /map images could not be loaded/);
      assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('aria-label'), 'Zoom in');
      console.log(`English screenshot: ${await screenshot(page, 'desktop-english-1280x800')}`);

      // The choice survives a reload.
      await page.reload();
      await listCount(page);
      assert.equal(await page.locator('#near-geo').textContent(), 'Use my location');
      await page.locator('#lang-switch').click();
      assert.equal(await page.locator('#near-geo').textContent(), '現在地から探す');

      // Large text: the base size grows from 18 px to 22 px, and stays after a reload.
      const size = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      assert.equal(await size(), '18px');
      await page.locator('#large-text').click();
      assert.equal(await page.locator('#large-text').getAttribute('aria-pressed'), 'true');
      assert.equal(await size(), '22px');
      await page.reload();
      await listCount(page);
      assert.equal(await size(), '22px');
      console.log(`large-text screenshot: ${await screenshot(page, 'desktop-large-text-1280x800')}`);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });

  it('tells the resident when the API fails, where the list would be, and recovers with 「もう一度読み込む」', async () => {
    const { context, page } = await openPage(browser);
    try {
      let fail = true;
      await page.route('**/api/collections/places/items?**', (route) => (fail
        ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"type":"about:blank","title":"Unavailable","status":503,"detail":"down"}' })
        : route.continue()));
      await page.goto(`${server.url}/`);
      await page.locator('#result-error').waitFor({ state: 'visible' });
      assert.match(await page.locator('#result-error').textContent(), /一覧を読み込めませんでした/);
      assert.equal(await page.locator('#place-list > li').count(), 0);
      fail = false;
      await andWaitForList(page, () => page.locator('#result-error button', { hasText: 'もう一度読み込む' }).click());
      assert.ok(await listCount(page) > 0);
      assert.equal(await page.locator('#result-error').isHidden(), true);
    } finally {
      await context.close();
    }
  });

  it('without the map libraries (a build without npm packages) the list still works', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.route('**/vendor/**', (route) => route.fulfill({ status: 404, body: 'missing' }));
      await page.goto(`${server.url}/`);
      await page.locator('#map-notice').waitFor({ state: 'visible' });
      assert.match(await page.locator('#map-notice').textContent(), /地図を表示できません/);
      const count = await listCount(page);
      assert.equal(count, await apiCount(server, {}), 'all places are listed');
      assert.match(await page.locator('#result-count').textContent(), /全部で \d+ 件/);
      await page.locator('#place-list a.place-link').first().click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.deepEqual((await problems(page, watch)).errors, []);
    } finally {
      await context.close();
    }
  });

  it('works at 360 px wide (stacked), with tap targets of at least 44 px', async () => {
    const { context, page, watch } = await openPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scrolling (page is ${width} px wide)`);
      const order = await page.evaluate(() => ['#search-panel', '#map-panel', '#filter-panel', '#results']
        .map((s) => document.querySelector(s).getBoundingClientRect().top));
      assert.ok(order[0] < order[1] && order[1] < order[2] && order[2] < order[3], `stacked: words, map, near and filters, list (${order})`);
      const small = await page.evaluate(() => [...document.querySelectorAll('button, a.place-link, input, select, summary, .radio-chip span')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.id || el.className || el.tagName, h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
        .filter((r) => r.h < 44 || r.w < 44));
      assert.deepEqual(small, [], 'every control is at least 44×44 px');
      console.log(`phone screenshot: ${await screenshot(page, 'phone-360x740-top')}`);
      await page.locator('#results-heading').scrollIntoViewIfNeeded();
      console.log(`phone screenshot: ${await screenshot(page, 'phone-360x740-list')}`);
      await page.locator('#place-list a.place-link').first().click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      await page.waitForTimeout(400);
      console.log(`phone screenshot: ${await screenshot(page, 'phone-360x740-place')}`);

      // Large text at 360 px: still no sideways scrolling, nothing cut off.
      await page.locator('#large-text').click();
      await page.evaluate(() => window.scrollTo(0, 0));
      const large = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(large <= 360, `no sideways scrolling with large text (page is ${large} px wide)`);
      const overflowing = await page.evaluate(() => [...document.querySelectorAll('button, .radio-chip span, .chip, summary, .place-link')]
        .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.id || el.textContent.trim().slice(0, 20)));
      assert.deepEqual(overflowing, [], 'no control cuts its label off');
      // The open popup is sized again for the larger text: it stays within the screen.
      await page.waitForFunction(() => {
        const r = document.querySelector('.leaflet-popup')?.getBoundingClientRect();
        return r && r.left >= 0 && r.right <= window.innerWidth;
      }, null, { timeout: 10_000 });
      const settings = await page.locator('#large-text, #lang-switch').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
      assert.equal(settings[0], settings[1], 'the two settings stay in one row with large text');
      console.log(`phone screenshot: ${await screenshot(page, 'phone-360x740-large-text')}`);
      assertNoProblems(await problems(page, watch));
    } finally {
      await context.close();
    }
  });
});
