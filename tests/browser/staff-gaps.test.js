// 「歩く候補」 on the staff page: the towns with no published 通いの場・サロン within walking
// distance are listed farthest first as the API says, marked on the map, and a town chosen in
// the list is shown on the map.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, screenshot, staffLogin,
} from './helpers.js';

const skip = missingPrerequisite();
const STAFF = { name: 'kubo', role: 'staff', password: 'tsugi-no-machi-2026!' };

describe('the staff page\'s 歩く候補', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ users: [STAFF] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists and marks the towns without a 通いの場 or サロン nearby, and shows one on the map', async () => {
    const { context, page } = await openPage(browser);
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-gaps').click();
      await page.locator('#gaps-list li').first().waitFor();
      const api = await page.evaluate(() => fetch('/api/gaps?within=500').then((r) => r.json()));
      assert.ok(api.towns.length > 0 && api.towns.length < api.towns_total);
      assert.equal(await page.locator('#gaps-count').textContent(), `${api.towns_total} 町のうち ${api.towns.length} 町`);
      const names = await page.locator('#gaps-list .item-name').allTextContents();
      assert.deepEqual(names, api.towns.map((t) => (t.koaza ? `${t.name}（${t.koaza}）` : t.name)), 'farthest first, as the API');
      assert.equal(await page.locator('path.gap-marker').count(), api.towns.length, 'each town is marked on the map');
      await screenshot(page, 'staff-gaps');

      // 1 km: fewer towns, and fewer circles.
      await page.locator('#gaps-within').selectOption('1000');
      const wide = await page.evaluate(() => fetch('/api/gaps?within=1000').then((r) => r.json()));
      await page.waitForFunction((n) => document.querySelectorAll('#gaps-list li').length === n, wide.towns.length);
      assert.ok(wide.towns.length <= api.towns.length);
      assert.equal(await page.locator('path.gap-marker').count(), wide.towns.length);

      // A town chosen in the list is where the map goes: its circle (the first drawn) ends up
      // at the map's centre.
      await page.locator('#gaps-list button').first().click();
      await page.waitForFunction(() => {
        const map = document.querySelector('#map').getBoundingClientRect();
        const circle = document.querySelector('path.gap-marker')?.getBoundingClientRect();
        if (!circle) return false;
        const dx = circle.x + circle.width / 2 - (map.x + map.width / 2);
        const dy = circle.y + circle.height / 2 - (map.y + map.height / 2);
        return Math.hypot(dx, dy) < 4;
      });

      // Back to the list of places: the circles go.
      await page.locator('#tab-places').click();
      assert.equal(await page.locator('path.gap-marker').count(), 0);
    } finally {
      await context.close();
    }
  });
});
