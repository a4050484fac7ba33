// The URL carries the state: a shared link restores the filters, the chosen place and the
// map view; the back button undoes one step at a time.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, problems, listCount, viewBbox, getJson,
  placeNamed, queryDatabase,
} from './helpers.js';

const skip = missingPrerequisite();

describe('URL state', { skip: skip ?? false }, () => {
  let server;
  let browser;
  let hidamari;
  let sharedView; // the map view of the shared link: zoom 15 centred on 本町サロン ひだまり

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hidamari = await placeNamed(server, '本町サロン ひだまり');
    const [lon, lat] = hidamari.geometry.coordinates;
    sharedView = `15/${lat.toFixed(5)}/${lon.toFixed(5)}`; // as the page writes map=
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function assertShared(page) {
    await page.locator('#detail-view').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#detail-heading').textContent(), '本町サロン ひだまり');
    assert.equal(await page.locator('#q').inputValue(), 'サロン');
    assert.equal(await page.locator('#category-chips .chip[data-code="salon"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#more-filters').getAttribute('open'), '', 'active filters are shown open');
    const count = await listCount(page);
    const bbox = await viewBbox(page);
    const api = await getJson(`${server.url}/api/collections/places/items?bbox=${bbox}&category=salon&q=${encodeURIComponent('サロン')}&limit=1`);
    assert.equal(count, api.numberMatched);
    const view = new URL(page.url()).searchParams.get('map');
    assert.equal(view, sharedView, 'the map view is kept');
    await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.leaflet-popup .popup-name').textContent(), '本町サロン ひだまり');
  }

  it('a shared link restores filters, the chosen place and the map view, also after a reload', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      const shared = `/?category=salon&q=${encodeURIComponent('サロン')}&place=${hidamari.id}&map=${sharedView}`;
      await page.goto(`${server.url}${shared}`);
      await assertShared(page);
      await page.reload();
      await assertShared(page);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });

  it('a link to a place that is not published says so and shows the map', async () => {
    // A real place that is not published: one of the sample's drafts (its id from the database,
    // since the public API never lists a draft).
    const drafts = queryDatabase(server, "SELECT id, name FROM places WHERE status = 'draft' ORDER BY seq");
    assert.ok(drafts.length >= 1, 'the sample has draft places');
    const draft = drafts[0];
    const answer = await fetch(`${server.url}/api/collections/places/items/${draft.id}`);
    assert.equal(answer.status, 404, `the API does not show the draft ${draft.name}`);
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${server.url}/?place=${draft.id}`);
      await page.locator('#app-alert').waitFor({ state: 'visible' });
      assert.match(await page.locator('#app-alert').textContent(), /見つかりませんでした/);
      assert.equal((await page.locator('body').textContent()).includes(draft.name), false, 'nothing of the draft is shown');
      assert.ok(await listCount(page) > 0);
      assert.equal(new URL(page.url()).searchParams.get('place'), null);
    } finally {
      await context.close();
    }
  });

  it('the back button undoes a place, then a filter; forward redoes', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      const all = await listCount(page);
      await page.locator('#more-filters summary').click();
      const chip = page.locator('#category-chips .chip[data-code="salon"]');
      await chip.click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('category') === 'salon');
      const salons = await listCount(page);
      assert.ok(salons < all);
      const first = page.locator('#place-list a.place-link').first();
      const name = await first.locator('.item-name').textContent();
      await first.click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-heading').textContent(), name);

      await page.goBack();
      await page.locator('#list-view').waitFor({ state: 'visible' });
      assert.equal(new URL(page.url()).searchParams.get('place'), null);
      assert.equal(await chip.getAttribute('aria-pressed'), 'true');
      assert.equal(await listCount(page), salons);
      assert.equal(await page.locator('.leaflet-popup').count(), 0, 'the popup closed too');

      await page.goBack();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('category'));
      assert.equal(await chip.getAttribute('aria-pressed'), 'false');
      assert.equal(await listCount(page), all);

      await page.goForward();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('category') === 'salon');
      assert.equal(await chip.getAttribute('aria-pressed'), 'true');
      assert.equal(await listCount(page), salons);
      await page.goForward();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#detail-heading').textContent(), name);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });

  it('malformed URL state is ignored, not sent to the API', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(`${server.url}/?near=abc,1e999&radius=7&category=%3Cscript%3E&map=99/x/y&place=../../etc`);
      const count = await listCount(page);
      assert.ok(count > 0);
      for (const url of watch.apiRequests) {
        const params = new URL(url).searchParams;
        assert.equal(params.has('near'), false);
        assert.equal(params.has('category'), false);
      }
      assert.equal(await page.locator('#app-alert').isHidden(), true);
    } finally {
      await context.close();
    }
  });
});
