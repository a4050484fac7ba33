// Place data is text, never HTML: hostile names stored through the real importer show as
// literal characters in the list, the details, the popup and the tooltip — in Japanese, in
// English and in near mode — and nothing runs. Tile layer names and attributions from the
// server's configuration are treated the same way. (`html-sinks.test.js` checks the source.)
// Fields the server refuses (a `javascript:` URL, markup in a phone number) are injected
// into the API answer on the way to the page, to prove the page's own checks too.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, listCount, placeFeature, screenshot,
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

  /**
   * The list, every place's details and popup, and every marker's tooltip, at `path`
   * (which keeps the map at zoom 17 so that the markers stand alone).
   */
  async function checkEverywhere(page, path, { lang, near }) {
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
    await page.goto(`${server.url}${path}`);
    assert.equal(await listCount(page), HOSTILE.length);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    const names = await page.locator('#place-list .item-name').allTextContents();
    assert.deepEqual([...names].sort(), [...HOSTILE].sort(), 'the list shows the names as typed');
    assert.equal(await page.locator('#place-list .item-distance').count(), near ? HOSTILE.length : 0, near ? 'near mode: distances shown' : 'view mode');
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
    // (context.close() then asserts no CSP violation — an inline handler would cause one —
    // and no script error.)
  }

  it('renders hostile names as literal text in the list, details, popup and tooltip; nothing runs', async () => {
    const { context, page } = await openPage(browser);
    try {
      await checkEverywhere(page, '/?map=17/34.62515/136.10660', { lang: 'ja', near: false });
      console.log(`hostile screenshot: ${await screenshot(page, 'hostile-names-1280x800')}`);
    } finally {
      await context.close();
    }
  });

  it('the same in English', async () => {
    const { context, page } = await openPage(browser);
    try {
      await checkEverywhere(page, '/?lang=en&map=17/34.62515/136.10660', { lang: 'en', near: false });
    } finally {
      await context.close();
    }
  });

  it('the same in near mode (distances shown)', async () => {
    const { context, page } = await openPage(browser);
    try {
      await checkEverywhere(page, '/?near=136.1066,34.6252&radius=500&map=17/34.62515/136.10660', { lang: 'ja', near: true });
    } finally {
      await context.close();
    }
  });

  it('tile layer names and attributions from the configuration are text in the layer switcher and the attribution', async () => {
    const { context, page } = await openPage(browser);
    try {
      const layers = [
        {
          name: '<img src=x onerror=window.__xss=1>地図A',
          url: `${server.url}/no-tiles/a/{z}/{x}/{y}.png`,
          attribution: '<img src=x onerror=window.__xss=1>© A',
          attribution_url: 'javascript:window.__xss=1',
        },
        {
          name: '<b onmouseover=window.__xss=1>B</b>',
          url: `${server.url}/no-tiles/b/{z}/{x}/{y}.png`,
          attribution: '<script>window.__xss=1</script>© B',
          attribution_url: 'https://example.org/b',
        },
      ];
      await page.route('**/api/map-config', (route) => route.fulfill({ json: { tile_layers: layers } }));
      await page.goto(`${server.url}/?map=17/34.62515/136.10660`);
      await listCount(page);
      assert.equal(await page.locator('.map-attribution').textContent(), `${layers[0].attribution} | Leaflet`);
      assert.equal(await page.locator('.map-attribution a', { hasText: '© A' }).count(), 0, 'a javascript: attribution link is not a link');
      await page.locator('.leaflet-control-layers').hover();
      const labels = await page.locator('.leaflet-control-layers-base label').allTextContents();
      assert.deepEqual(labels.map((l) => l.trim()), layers.map((l) => l.name));
      assertClean(await injected(page), 'layer switcher');
      // Switching layers shows the other attribution, as text, with its link.
      await page.locator('.leaflet-control-layers-base label', { hasText: 'B</b>' }).click();
      await page.waitForFunction(() => document.querySelector('.map-attribution').textContent.includes('© B'));
      assert.equal(await page.locator('.map-attribution').textContent(), `${layers[1].attribution} | Leaflet`);
      assert.equal(await page.locator('.map-attribution a', { hasText: '© B' }).getAttribute('href'), 'https://example.org/b');
      assertClean(await injected(page), 'attribution after switching');
    } finally {
      await context.close();
    }
  });
});
