// The public page on a phone (360×740, touch), as residents use it: the first screen shows
// how many places match and takes them there; a failed or slow request is shown where the
// answer will appear, never an old answer looking current; the count line lists the
// conditions, each removable; the popup stays clear of the map's controls and on screen
// with large text; schedules read as the place's own words in both languages.
// (Issue 14, points 15–20.) Slow and failed requests are simulated with Playwright routing:
// a request is held until the test lets it go, so nothing depends on timing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPhone, listCount, viewBbox, getJson, screenshot,
} from './helpers.js';

const skip = missingPrerequisite();
const ITEMS = '**/api/collections/places/items?**';

async function apiCount(server, params) {
  const query = new URLSearchParams({ ...params, limit: '1' });
  return (await getJson(`${server.url}/api/collections/places/items?${query}`)).numberMatched;
}

/** Holds every places request until `release()`: a network as slow as the test wants. */
async function holdRequests(page) {
  let open;
  const gate = new Promise((resolve) => {
    open = resolve;
  });
  const held = [];
  await page.route(ITEMS, async (route) => {
    held.push(route.request().url());
    await gate;
    await route.continue().catch(() => {}); // the page may have cancelled it meanwhile
  });
  return {
    held,
    async release() {
      open();
      await page.unroute(ITEMS);
    },
  };
}

/** Whether the element is inside the 360×740 screen now. */
async function onScreen(page, selector) {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  });
}

/** Places drawn on the map (single markers and the numbers on clusters). */
async function placesOnMap(page) {
  return page.evaluate(() => {
    let total = document.querySelectorAll('#map .place-marker').length;
    for (const el of document.querySelectorAll('#map .place-cluster .cluster-count')) total += Number(el.textContent);
    return total;
  });
}

/** Waits until `selector` has not moved for 10 animation frames (scrolling, panning, fading). */
async function stillFor10Frames(page, selector) {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const now = `${r.x},${r.y},${r.width},${r.height},${getComputedStyle(el).opacity}`;
    window.__still = window.__still?.rect === now ? { rect: now, n: window.__still.n + 1 } : { rect: now, n: 0 };
    return window.__still.n >= 10;
  }, selector, { polling: 'raf', timeout: 20_000 });
}

async function openFilters(page) {
  if (await page.locator('#more-filters').getAttribute('open') === null) await page.locator('#more-filters summary').click();
}

describe('on a phone (360×740)', { skip: skip ?? false }, () => {
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

  it('the first screen shows places on the map, the count and 「結果を見る（N 件）」, which follows a category chip and takes you to the list', async () => {
    const { context, page } = await openPhone(browser);
    try {
      await page.goto(`${server.url}/`);
      const all = await listCount(page);
      assert.equal(await page.locator('#show-results').textContent(), `結果を見る（${all} 件）`);
      assert.equal(await onScreen(page, '#show-results'), true, 'the button is on the first screen');
      const placesInSight = await page.evaluate(() => [...document.querySelectorAll('#map .place-marker, #map .place-cluster')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight - document.querySelector('#result-bar').offsetHeight;
        }).length);
      assert.ok(placesInSight >= 3, `places are on the first screen (${placesInSight} markers or clusters in sight)`);
      console.log(`phone first screen: ${await screenshot(page, 'phone-360x740-first-screen')}`);

      // Choosing a category changes what is on screen: the button's count, at once.
      await openFilters(page);
      await page.locator('#category-chips .chip[data-code="salon"]').scrollIntoViewIfNeeded();
      await page.locator('#category-chips .chip[data-code="salon"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('category') === 'salon');
      const salons = await listCount(page);
      assert.equal(salons, await apiCount(server, { bbox: await viewBbox(page), category: 'salon' }));
      assert.ok(salons > 0 && salons < all, `salons ${salons} < all ${all}`);
      assert.equal(await page.locator('#show-results').textContent(), `結果を見る（${salons} 件）`);
      // The new count is in sight: on the bar, or — when the shorter answer has brought the
      // list itself into the upper part of the screen and the bar has stepped aside — in the
      // list's own count line. (Which one depends on how far the page shrank.)
      console.log(`phone chip: ${await screenshot(page, 'phone-360x740-chip')}`);
      const barInSight = await onScreen(page, '#show-results');
      const listInSight = await page.locator('#results').evaluate((el) => el.getBoundingClientRect().top < window.innerHeight * 0.75);
      assert.ok(barInSight || listInSight, `the answer is in sight (bar ${barInSight}, list ${listInSight})`);

      // From the top of the page, the bar is there and takes the resident to the list.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForFunction(() => !document.querySelector('#result-bar').classList.contains('off'));
      assert.equal(await onScreen(page, '#show-results'), true, 'the bar is in sight above the list');
      // The button takes the resident to the list, its first place in sight.
      await page.locator('#show-results').click();
      await stillFor10Frames(page, '#results-heading');
      assert.equal(await onScreen(page, '#results-heading'), true);
      assert.equal(await onScreen(page, '#place-list li:first-child .item-name'), true, 'a place is in sight');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'results-heading', 'focus follows');
      await page.locator('#result-bar').waitFor({ state: 'hidden' });
      assert.equal(await page.locator('#result-bar').isHidden(), true, 'with the list in sight the bar steps aside');
      console.log(`phone results: ${await screenshot(page, 'phone-360x740-results')}`);
    } finally {
      await context.close();
    }
  });

  it('a failed request is shown where the answer would be, with no old places left looking current', async () => {
    const { context, page } = await openPhone(browser);
    try {
      await page.goto(`${server.url}/`);
      const all = await listCount(page);
      assert.ok(all > 0 && await placesOnMap(page) > 0);

      await page.route(ITEMS, (route) => route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: '{"type":"about:blank","title":"Unavailable","status":503,"detail":"down"}',
      }));
      await openFilters(page);
      await page.locator('#category-chips .chip[data-code="salon"]').click();
      await page.locator('#result-error').waitFor({ state: 'visible' });
      assert.match(await page.locator('#result-error').textContent(), /一覧を読み込めませんでした/);
      assert.equal(await page.locator('#place-list > li').count(), 0, 'the old list is gone');
      assert.equal(await page.locator('#result-count').textContent(), '読み込めませんでした', 'no old count');
      assert.equal(await page.locator('#result-count').getAttribute('data-count'), null);
      assert.equal(await placesOnMap(page), 0, 'the old markers are gone');
      assert.match(await page.locator('#map-status').textContent(), /場所を読み込めませんでした/);
      assert.equal(await page.locator('#map-status').isVisible(), true);
      // Where the resident is (at the chips), the button says so too…
      assert.equal(await page.locator('#show-results').textContent(), '読み込めませんでした');
      assert.equal(await onScreen(page, '#show-results'), true);
      console.log(`phone failure at the controls: ${await screenshot(page, 'phone-360x740-failed-controls')}`);
      // …and takes them to the message and its retry, in the list's place.
      await page.locator('#show-results').click();
      await stillFor10Frames(page, '#result-error');
      assert.equal(await onScreen(page, '#result-error'), true);
      console.log(`phone failure in the list: ${await screenshot(page, 'phone-360x740-failed-list')}`);

      await page.unroute(ITEMS);
      await page.locator('#result-retry').click();
      const salons = await listCount(page);
      assert.equal(salons, await apiCount(server, { bbox: await viewBbox(page), category: 'salon' }));
      assert.equal(await page.locator('#result-error').isHidden(), true);
      assert.equal(await page.locator('#map-status').isHidden(), true);
      assert.equal(await page.locator('#place-list > li').count(), Math.min(50, salons));
    } finally {
      await context.close();
    }
  });

  it('while a request is slow, the list, the map and the 検索 button show loading — never the old answer', async () => {
    const { context, page } = await openPhone(browser);
    try {
      // The first load: loading where the answer will appear, not a blank map and list.
      const first = await holdRequests(page);
      const requested = page.waitForRequest((r) => r.url().includes('/api/collections/places/items?'));
      await page.goto(`${server.url}/`);
      await requested;
      await page.waitForFunction(() => document.querySelector('#search-submit')?.getAttribute('aria-busy') === 'true');
      assert.equal(await page.locator('#result-loading').isVisible(), true);
      assert.equal(await page.locator('#result-count').textContent(), '読み込み中…');
      assert.equal(await page.locator('#map-status').textContent(), '読み込み中…');
      assert.equal(await page.locator('#map-status').isVisible(), true);
      assert.equal(await page.locator('#show-results').textContent(), '読み込み中…');
      assert.equal(await page.locator('#search-submit').textContent(), '検索中…');
      console.log(`phone first load, slow network: ${await screenshot(page, 'phone-360x740-loading')}`);
      await first.release();
      const all = await listCount(page);
      assert.ok(all > 0);
      assert.equal(await page.locator('#search-submit').getAttribute('aria-busy'), 'false');
      assert.equal(await page.locator('#search-submit').textContent(), '検索');
      assert.equal(await page.locator('#map-status').isHidden(), true);

      // A chip on a slow network: the old markers and entries go at once.
      const chip = await holdRequests(page);
      await openFilters(page);
      await page.locator('#category-chips .chip[data-code="salon"]').click();
      await page.waitForFunction(() => document.querySelector('#search-submit').getAttribute('aria-busy') === 'true');
      assert.equal(await placesOnMap(page), 0, 'no old markers while the new answer is on its way');
      assert.equal(await page.locator('#place-list > li').count(), 0, 'no old entries');
      assert.equal(await page.locator('#result-loading').isVisible(), true);
      assert.equal(await page.locator('#map-status').isVisible(), true);
      assert.equal(await page.locator('#show-results').textContent(), '読み込み中…');
      assert.equal(await page.locator('#show-results').getAttribute('aria-busy'), 'true');
      await chip.release();
      const salons = await listCount(page);
      assert.equal(salons, await apiCount(server, { bbox: await viewBbox(page), category: 'salon' }));
      assert.equal(await page.locator('#show-results').textContent(), `結果を見る（${salons} 件）`);
      assert.equal(await page.locator('#map-status').isHidden(), true);

      // A search typed on a slow network: the 検索 button shows it is busy.
      const search = await holdRequests(page);
      await page.locator('#q').fill('サロン');
      await page.locator('#search-submit').click();
      await page.waitForFunction(() => document.querySelector('#search-submit').getAttribute('aria-busy') === 'true');
      assert.equal(await page.locator('#search-submit').textContent(), '検索中…');
      await search.release();
      await listCount(page);
      assert.equal(await page.locator('#search-submit').textContent(), '検索');
    } finally {
      await context.close();
    }
  });

  it('the count line lists the conditions (words, each category, the radius), each removable', async () => {
    const { context, page } = await openPhone(browser);
    try {
      const point = '136.1054,34.6287';
      const both = await apiCount(server, { near: point, radius: '1000', category: 'exercise,kayoinoba' });
      const kayoinoba = await apiCount(server, { near: point, radius: '1000', category: 'kayoinoba' });
      const near = await apiCount(server, { near: point, radius: '1000' });
      assert.ok(both < near, `the filters hide places here (${both} of ${near})`);
      await page.goto(`${server.url}/?near=${point}&radius=1000&category=exercise,kayoinoba`);
      assert.equal(await listCount(page), both);
      assert.equal(await page.locator('#result-count').textContent(), `1 km 以内に ${both} 件（近い順）`);
      const labels = () => page.locator('#result-conditions button.condition .condition-label').allTextContents();
      assert.deepEqual(await labels(), ['通いの場', '運動・体操', '1 km 以内']);
      assert.equal(await page.locator('#result-conditions button.condition').first().getAttribute('aria-label'), '条件「通いの場」を外す');
      await page.locator('#results-heading').scrollIntoViewIfNeeded();
      console.log(`phone conditions: ${await screenshot(page, 'phone-360x740-conditions')}`);

      // Remove 運動・体操: the answer is the API's for the one category left.
      await page.locator('#result-conditions button.condition', { hasText: '運動・体操' }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('category') === 'kayoinoba');
      assert.equal(await listCount(page), kayoinoba);
      assert.deepEqual(await labels(), ['通いの場', '1 km 以内']);
      assert.equal(await page.locator('#category-chips .chip[data-code="exercise"]').getAttribute('aria-pressed'), 'false');

      // Remove 通いの場: every place within 1 km.
      await page.locator('#result-conditions button.condition', { hasText: '通いの場' }).click();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('category'));
      assert.equal(await listCount(page), near);
      assert.deepEqual(await labels(), ['1 km 以内']);

      // Words are a condition too; removing it clears the search box.
      await page.locator('#q').fill('サロン');
      await page.locator('#q').press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'サロン');
      await listCount(page);
      assert.deepEqual(await labels(), ['ことば「サロン」', '1 km 以内']);
      await page.locator('#result-conditions button.condition', { hasText: 'サロン' }).click();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('q'));
      assert.equal(await listCount(page), near);
      assert.equal(await page.locator('#q').inputValue(), '');

      // And the radius: back to the places in the map view, with no conditions.
      await page.locator('#result-conditions button.condition', { hasText: '1 km 以内' }).click();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('near'));
      await listCount(page);
      assert.match(await page.locator('#result-count').textContent(), /地図に見えている範囲に/);
      assert.equal(await page.locator('#result-conditions').isHidden(), true);
    } finally {
      await context.close();
    }
  });

  it('the popup keeps its close button clear of the zoom buttons, and stays on screen with large text', async () => {
    const { context, page } = await openPhone(browser);
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#large-text').click();
      for (const index of [0, 7]) {
        await page.locator('#place-list a.place-link').nth(index).click();
        await page.locator('#detail-view').waitFor({ state: 'visible' });
        await page.locator('.show-on-map').click();
        await page.locator('.leaflet-popup').waitFor({ state: 'visible' });
        await stillFor10Frames(page, '.leaflet-popup');
        const layout = await page.evaluate(() => {
          const box = (el) => {
            const r = el.getBoundingClientRect();
            return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          };
          const close = document.querySelector('.leaflet-popup-close-button');
          const c = box(close);
          const hit = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
          return {
            popup: box(document.querySelector('.leaflet-popup')),
            map: box(document.querySelector('#map')),
            close: c,
            closeOnTop: hit === close || close.contains(hit),
            controls: [...document.querySelectorAll('#map .leaflet-control')].map(box),
            viewport: { width: window.innerWidth, height: window.innerHeight },
          };
        });
        const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        assert.equal(layout.closeOnTop, true, `the close button can be tapped (place ${index})`);
        for (const control of layout.controls) assert.equal(overlaps(layout.close, control), false, `close button under a control: ${JSON.stringify(layout)}`);
        assert.ok(layout.popup.left >= 0 && layout.popup.right <= layout.viewport.width, `popup within the screen's width: ${JSON.stringify(layout.popup)}`);
        assert.ok(layout.popup.top >= layout.map.top && layout.popup.bottom <= layout.map.bottom, `popup within the map: ${JSON.stringify(layout)}`);
        assert.ok(layout.popup.top >= 0 && layout.popup.bottom <= layout.viewport.height, 'popup on screen');
        console.log(`phone popup, large text: ${await screenshot(page, `phone-360x740-popup-large-text-${index}`)}`);
        // Closing it with its own button works.
        await page.locator('.leaflet-popup-close-button').click();
        await page.locator('.leaflet-popup').waitFor({ state: 'detached' });
        await page.locator('#detail-back').click();
        await page.locator('#list-view').waitFor({ state: 'visible' });
      }
    } finally {
      await context.close();
    }
  });

  it('schedules are read out in Japanese and in English, never in opening_hours syntax', async () => {
    const { context, page } = await openPhone(browser);
    try {
      const osm = /\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b|\d{1,2}:\d{2}-\d{1,2}:\d{2}|\[\d/;
      for (const lang of ['ja', 'en']) {
        const api = await getJson(`${server.url}/api/collections/places/items?limit=200&lang=${lang}`);
        const texts = new Map(api.features.map((f) => [f.id, f.properties.schedule_text ?? f.properties.schedule_note ?? null]));
        assert.ok(api.features.some((f) => /\[/.test(f.properties.schedule ?? '')), 'the data has schedules such as Th[1,3]');
        await page.goto(`${server.url}/?lang=${lang}`);
        await listCount(page);
        const entries = await page.locator('#place-list a.place-link').evaluateAll((links) => links.map((a) => ({
          id: a.dataset.id,
          when: a.querySelector('.item-when')?.textContent ?? null,
          next: a.querySelector('.item-next')?.textContent ?? null,
        })));
        assert.ok(entries.length > 10);
        for (const { id, when, next } of entries) {
          assert.equal(when, texts.get(id), `${lang}: the schedule shown is the server's reading`);
          assert.doesNotMatch(when ?? '', osm);
          if (next) {
            assert.match(next, lang === 'ja'
              ? /^(次回: \d{1,2}月\d{1,2}日\([月火水木金土日]\) \d{1,2}:\d{2}〜|開催中（\d{1,2}:\d{2}まで）)$/
              : /^(Next: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{1,2}:\d{2}〜|On now \(until \d{1,2}:\d{2}\))$/);
          }
        }
        assert.ok(entries.some((e) => e.next), `${lang}: places say when they next meet`);
        if (lang === 'en') {
          assert.ok(entries.some((e) => /every|Monday|Tuesday|Wednesday|Thursday|Friday/.test(e.when ?? '')), 'English words');
        }
        // The details and the popup too.
        await page.locator('#place-list a.place-link').first().click();
        await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
        assert.doesNotMatch(await page.locator('.place-detail').textContent(), osm);
        assert.doesNotMatch(await page.locator('.leaflet-popup').textContent(), osm);
        if (lang === 'en') console.log(`phone English place: ${await screenshot(page, 'phone-360x740-english-place')}`);
      }
    } finally {
      await context.close();
    }
  });
});
