// 「近くを探す」: from a point in the URL, from the browser's location (a fixed position
// granted to the test browser), and from a tap on the map. The list must be ordered by
// distance, nearest first, with the distance shown, and agree with the API.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, problems, listCount, getJson, screenshot, placeNamed,
} from './helpers.js';

const skip = missingPrerequisite();

/** A place's point as the URL keeps it (4 decimals, about 10 m; `roundPoint` in web/js/state.js). */
function urlPoint(feature) {
  return feature.geometry.coordinates.map((v) => Number(v.toFixed(4)));
}

/** 「350 m」「1.2 km」 → metres. */
function metres(text) {
  const m = /^(\d+(?:\.\d+)?) (m|km)$/.exec(text.trim());
  assert.ok(m, `distance shown as 「N m」 or 「N.N km」: ${JSON.stringify(text)}`);
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

async function assertNearList(page, server, [lon, lat], radius) {
  const count = await listCount(page);
  const api = await getJson(`${server.url}/api/collections/places/items?near=${lon},${lat}&radius=${radius}&limit=50`);
  assert.equal(count, api.numberMatched, `count ${count} = API numberMatched ${api.numberMatched}`);
  assert.ok(count > 1, 'several places nearby');
  const names = await page.locator('#place-list .item-name').allTextContents();
  assert.deepEqual(names, api.features.map((f) => f.properties.name), 'same places in the same order as the API');
  const shown = (await page.locator('#place-list .item-distance').allTextContents()).map(metres);
  assert.equal(shown.length, names.length, 'every entry shows its distance');
  for (let i = 1; i < shown.length; i += 1) {
    assert.ok(shown[i] >= shown[i - 1], `nearest first: ${shown[i - 1]} then ${shown[i]}`);
  }
  for (const [i, feature] of api.features.entries()) {
    const d = feature.properties.distance_m;
    const tolerance = d < 1000 ? 5 : 50;
    assert.ok(Math.abs(shown[i] - d) <= tolerance, `shown ${shown[i]} m ≈ API ${d} m`);
    assert.ok(d <= radius);
  }
  const { radius: r } = Object.fromEntries(new URL(page.url()).searchParams);
  assert.equal(Number(r), radius);
  return { count, names, shown };
}

describe('near search', { skip: skip ?? false }, () => {
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

  it('from a point in the URL: sorted by distance, distances shown, same as the API', async () => {
    // A link made at 丸之内 火曜サロン (its point from the API, as the URL would keep it).
    const point = urlPoint(await placeNamed(server, '丸之内 火曜サロン'));
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/?near=${point.join(',')}&radius=2000`);
      const { count: wide, names, shown } = await assertNearList(page, server, point, 2000);
      assert.equal(names[0], '丸之内 火曜サロン');
      assert.ok(shown[0] <= 10, `the place itself is first, within the URL's rounding: ${shown[0]} m`);
      assert.ok(shown.some((m) => m >= 1000), 'distances of 1 km and more are shown in km too');
      assert.match(await page.locator('#result-count').textContent(), /2 km 以内に \d+ 件（近い順）/);
      assert.equal(await page.locator('#radius-2000').isChecked(), true);
      assert.ok(await page.locator('#map path').count() >= 1, 'circle drawn');
      // Every request of this mode used `near`, none used bbox.
      const nearRequests = watch.apiRequests.filter((u) => new URL(u).searchParams.has('near'));
      assert.ok(nearRequests.length >= 1);

      // A smaller radius: fewer places, still in order, still the API's answer.
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('radius=500')),
        page.locator('label[for="radius-500"]').click(),
      ]);
      const small = await assertNearList(page, server, point, 500);
      assert.ok(small.count < wide, `fewer within 500 m (${small.count}) than within 2 km (${wide})`);
      assert.equal(small.names.length, small.count, 'all of them listed (fewer than 50)');
      assert.deepEqual(small.names, names.slice(0, small.count), 'the nearest of the 2 km answer, in the same order');

      // Stop: back to the places in the map view.
      await page.locator('#near-clear').click();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('near'));
      await listCount(page);
      assert.match(await page.locator('#result-count').textContent(), /地図に見えている範囲に/);
      assert.equal(await page.locator('#place-list .item-distance').count(), 0);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });

  it('「現在地から探す」 uses the browser location (a fixed position here)', async () => {
    // She is at 本町サロン ひだまり (its point from the API).
    const hidamari = await placeNamed(server, '本町サロン ひだまり');
    const home = { latitude: hidamari.geometry.coordinates[1], longitude: hidamari.geometry.coordinates[0] };
    const { context, page, watch } = await openPage(browser, {
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      geolocation: home,
    });
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#near-geo').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.has('near'));
      const near = new URL(page.url()).searchParams.get('near').split(',').map(Number);
      assert.deepEqual(near, urlPoint(hidamari), 'the point is kept to about 10 m (4 decimals) in the URL');
      const { names, shown } = await assertNearList(page, server, near, 1000);
      assert.equal(names[0], '本町サロン ひだまり');
      assert.ok(shown[0] <= 10, `she is there: ${shown[0]} m`);
      // Would she find the Tuesday salon? It is first, with its day and time in words and
      // when it next meets.
      const first = page.locator('#place-list a.place-link').first();
      assert.match(await first.textContent(), /毎週火曜 13:30〜15:30/);
      assert.match(await first.textContent(), /次回: \d{1,2}月\d{1,2}日\(火\) 13:30〜|開催中（15:30まで）/);
      await page.locator('#results-heading').scrollIntoViewIfNeeded();
      console.log(`phone near screenshot: ${await screenshot(page, 'phone-360x740-near')}`);

      // 「火曜 サロン」 near her: only Tuesday salons, nearest first.
      await page.locator('#q').fill('火曜 サロン');
      await page.locator('#q').press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '火曜 サロン');
      const count = await listCount(page);
      const api = await getJson(`${server.url}/api/collections/places/items?near=${near.join(',')}&radius=1000&q=${encodeURIComponent('火曜 サロン')}`);
      assert.equal(count, api.numberMatched);
      assert.ok(count >= 2);
      const whens = await page.locator('#place-list .item-when').allTextContents();
      assert.ok(whens.every((w) => w.includes('火')), `all on Tuesdays: ${whens}`);
      const tuesday = (await page.locator('#place-list .item-distance').allTextContents()).map(metres);
      assert.deepEqual(tuesday, [...tuesday].sort((a, b) => a - b));
      await page.waitForTimeout(300);
      console.log(`phone Tuesday-salon screenshot: ${await screenshot(page, 'phone-360x740-tuesday-salon')}`);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });

  it('when the location is refused, says so and offers the map instead', async () => {
    const { context, page } = await openPage(browser); // no geolocation permission granted
    try {
      await context.clearPermissions();
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#near-geo').click();
      await page.waitForFunction(() => /現在地がわかりませんでした/.test(document.querySelector('#near-status').textContent), null, { timeout: 20_000 });
      assert.equal(new URL(page.url()).searchParams.has('near'), false);
    } finally {
      await context.close();
    }
  });

  it('「地図をタップして地点を選ぶ」 takes the tapped point, or the map centre', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/?map=15/34.6300/136.1100`);
      await listCount(page);
      await page.locator('#near-pick').click();
      await page.locator('#pick-bar').waitFor({ state: 'visible' });
      assert.match(await page.locator('.pick-prompt').textContent(), /地図をタップ/);
      const box = await page.locator('#map').boundingBox();
      // Tap a little left of the centre, where no marker is (markers would open their place).
      await page.mouse.click(box.x + box.width / 2 - 37, box.y + box.height / 2 + 23);
      await page.waitForFunction(() => new URL(location.href).searchParams.has('near'));
      assert.equal(await page.locator('#pick-bar').isHidden(), true);
      const point = new URL(page.url()).searchParams.get('near').split(',').map(Number);
      assert.ok(Math.abs(point[0] - 136.11) < 0.01 && Math.abs(point[1] - 34.63) < 0.01, `tapped near the centre: ${point}`);
      await assertNearList(page, server, point, 1000);

      // The keyboard way: 「地図の中心で決める」.
      await page.goto(`${server.url}/?map=15/34.6000/136.0900`);
      await listCount(page);
      await page.locator('#near-pick').click();
      await page.locator('#pick-centre').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.has('near'));
      const centre = new URL(page.url()).searchParams.get('near').split(',').map(Number);
      assert.deepEqual(centre, [136.09, 34.6]);
      await assertNearList(page, server, centre, 1000);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });
});
