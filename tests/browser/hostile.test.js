// Place data is text, never HTML: hostile names stored through the real importer show as
// literal characters in the list, the details, the popup and the tooltip, and nothing runs.
// Fields the server refuses (a `javascript:` URL, markup in a phone number) are injected
// into the API answer on the way to the page, to prove the page's own checks too.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, problems, listCount, placeFeature, screenshot,
} from './helpers.js';

const skip = missingPrerequisite();

const HOSTILE = [
  '<img src=x onerror=window.__xss=1>',
  '<script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  'javascript:window.__xss=1',
  "'); window.__xss=1; //<b onmouseover=window.__xss=1>x</b>",
];

const places = HOSTILE.map((name, i) => placeFeature(136.105 + i * 0.0008, 34.625 + (i % 2) * 0.0003, {
  name,
  name_kana: `テスト${i}`,
  description: `<iframe src="javascript:window.__xss=1"></iframe>${name}`,
  address: `<img src=x onerror=window.__xss=1> 名張市${i}`,
  schedule: 'Tu 10:00-12:00',
  schedule_note: `<script>window.__xss=1</script>毎週火曜`,
  cost: '<b>無料</b>',
  audience: ['<img src=x onerror=window.__xss=1>', '高齢者'],
  accessibility: '"><svg onload=window.__xss=1>',
  phone: '0595-00-0000',
  url: 'https://example.jp/"><img src=x onerror=window.__xss=1>',
  verified_at: '2026-11-01',
}));

/** Elements that would only exist if data had been parsed as HTML. */
async function injected(page) {
  return page.evaluate(() => ({
    xss: window.__xss,
    imgX: document.querySelectorAll('img[src="x"], img[onerror]').length,
    svgOnload: document.querySelectorAll('svg[onload]').length,
    svgInData: document.querySelectorAll('#results svg, .leaflet-popup svg, .leaflet-tooltip svg').length,
    iframes: document.querySelectorAll('iframe').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    bold: document.querySelectorAll('#results b, .leaflet-popup b, .leaflet-tooltip b').length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => !/^(https?:|tel:|mailto:|\/|\?|#)/.test(a.getAttribute('href'))).map((a) => a.getAttribute('href')),
  }));
}

function assertClean(found, where) {
  assert.deepEqual(found, {
    xss: undefined, imgX: 0, svgOnload: 0, svgInData: 0, iframes: 0, inlineScripts: 0, bold: 0, jsLinks: [],
  }, `nothing from the data became HTML (${where})`);
}

describe('hostile place data', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ places, sample: false });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders hostile names as literal text in the list, details, popup and tooltip; nothing runs', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      // The API answer is passed on with fields the importer would refuse.
      await page.route('**/api/collections/places/items**', async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        for (const feature of body.features ?? [body]) {
          if (!feature.properties) continue;
          feature.properties.url = 'javascript:window.__xss=1';
          feature.properties.phone = '0595<img src=x onerror=window.__xss=1>12-34';
          feature.properties.email = 'a@b.jp"><img src=x onerror=window.__xss=1>';
        }
        await route.fulfill({ response, json: body });
      });
      await page.goto(`${server.url}/?map=17/34.62515/136.10660`);
      assert.equal(await listCount(page), HOSTILE.length);
      const names = await page.locator('#place-list .item-name').allTextContents();
      assert.deepEqual([...names].sort(), [...HOSTILE].sort(), 'the list shows the names as typed');
      assertClean(await injected(page), 'list');

      for (const name of HOSTILE) {
        // The list entry → details and popup.
        const index = (await page.locator('#place-list .item-name').allTextContents()).indexOf(name);
        await page.locator('#place-list a.place-link').nth(index).click();
        await page.locator('#detail-view').waitFor({ state: 'visible' });
        assert.equal(await page.locator('#detail-heading').textContent(), name);
        const detail = await page.locator('.place-detail').textContent();
        assert.ok(detail.includes('<iframe src="javascript:window.__xss=1"></iframe>'), 'description as text');
        assert.ok(detail.includes('<script>window.__xss=1</script>毎週火曜'), 'schedule note as text');
        assert.ok(detail.includes('javascript:window.__xss=1'), 'the refused URL is shown as text');
        assert.equal(await page.locator('.place-detail a.url').count(), 0, 'a javascript: URL is never a link');
        assert.equal(await page.locator('.place-detail a[href^="mailto:"]').count(), 0, 'a malformed e-mail is never a link');
        assert.equal(await page.locator('.place-detail a[href^="tel:"]').count(), 0, 'a phone number with markup is never a tel: link');
        assert.ok(detail.includes('0595<img src=x onerror=window.__xss=1>12-34'), 'the phone is shown as text');
        await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
        assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), name);
        assertClean(await injected(page), `details and popup of ${name}`);
        await page.locator('#detail-back').click();
        await page.locator('#list-view').waitFor({ state: 'visible' });
      }
      await page.waitForTimeout(300);
      await page.keyboard.press('Escape');

      // Tooltips: hover each single marker on the map.
      const markers = page.locator('#map .place-marker');
      const count = await markers.count();
      assert.equal(count, HOSTILE.length, 'all markers stand alone at this zoom');
      const tooltips = [];
      for (let i = 0; i < count; i += 1) {
        await page.mouse.move(0, 0);
        await markers.nth(i).hover({ force: true });
        const tooltip = page.locator('.leaflet-tooltip .place-tooltip');
        // The previous tooltip fades out: wait until only this marker's is left.
        await page.waitForFunction(() => document.querySelectorAll('.leaflet-tooltip').length === 1);
        await tooltip.waitFor({ state: 'visible' });
        tooltips.push(await tooltip.textContent());
      }
      assert.deepEqual(tooltips.sort(), [...HOSTILE].sort(), 'tooltips show the names as text');
      assertClean(await injected(page), 'tooltips');
      console.log(`hostile screenshot: ${await screenshot(page, 'hostile-names-1280x800')}`);

      const found = await problems(page, watch);
      assert.deepEqual(found.csp, [], 'no CSP violation (an inline handler would have caused one)');
      assert.deepEqual(found.cspConsole, []);
      assert.deepEqual(found.errors, []);
    } finally {
      await context.close();
    }
  });
});
