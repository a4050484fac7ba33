// Accessibility: axe-core (npm) checks the WCAG 2.1 A/AA rules it can automate — colour
// contrast, labels, names, landmarks, ARIA — on the page in several states; and the keyboard
// alone can search, choose a place and come back.
//
// axe is injected as a script, which the page's CSP rightly forbids, so the axe runs use a
// context with `bypassCSP`; every other test runs under the real CSP.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, listCount,
} from './helpers.js';

const skip = missingPrerequisite();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    resultTypes: ['violations'],
  }));
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
  }));
  const checked = [...result.passes, ...result.incomplete].map((r) => r.id);
  assert.ok(checked.includes('color-contrast') && checked.includes('label') && checked.length > 15,
    `axe ran its rules (${label}): ${checked.length} checked`);
  assert.deepEqual(violations, [], `axe found WCAG A/AA violations (${label}):\n${JSON.stringify(violations, null, 2)}`);
}

describe('accessibility', { skip: skip ?? false }, () => {
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

  it('axe finds no WCAG 2.1 AA violations: list, filters, details, near, English, large text, phone', async () => {
    const { context, page } = await openPage(browser, { bypassCSP: true });
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      await page.locator('#more-filters summary').click();
      await page.locator('#category-chips .chip[data-code="salon"]').click();
      await listCount(page);
      await axe(page, 'desktop, filters open, a chip pressed');

      await page.locator('#place-list a.place-link').first().click();
      await page.locator('.leaflet-popup .popup-name').waitFor({ state: 'visible' });
      await page.waitForTimeout(400);
      await axe(page, 'details and popup');

      await page.goto(`${server.url}/?near=136.1009,34.6197&radius=2000&lang=en`);
      await listCount(page);
      await axe(page, 'near, English');

      await page.locator('#large-text').click();
      await axe(page, 'large text');
    } finally {
      await context.close();
    }
    const phone = await openPage(browser, { bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      await phone.page.goto(`${server.url}/?q=${encodeURIComponent('つくし')}`);
      await listCount(phone.page);
      await axe(phone.page, 'phone, empty result');
    } finally {
      await phone.context.close();
    }
  });

  it('the keyboard alone can search, open a place and come back', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(`${server.url}/`);
      await listCount(page);
      // The first Tab reaches the skip link, which jumps to the list.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      // Type a search and press Enter.
      await page.locator('#q').focus();
      await page.keyboard.type('ひだまり');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ひだまり');
      await listCount(page);
      // Tab forward until the first result has focus (the order: search → near → filters → map → list).
      let steps = 0;
      while (steps < 60) {
        await page.keyboard.press('Tab');
        steps += 1;
        if (await page.evaluate(() => document.activeElement.classList.contains('place-link'))) break;
      }
      assert.ok(steps < 60, 'the list is reachable by Tab');
      await page.keyboard.press('Enter');
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-heading', 'focus moved to the details');
      assert.equal(await page.locator('#detail-heading').textContent(), '本町サロン ひだまり');
      // Shift+Tab reaches 「一覧にもどる」; Enter returns to the list with focus on the entry.
      await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-back');
      await page.keyboard.press('Enter');
      await page.locator('#list-view').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.querySelector('.item-name')?.textContent), '本町サロン ひだまり');
      // The count is announced politely.
      assert.equal(await page.locator('#result-count').getAttribute('aria-live'), 'polite');
    } finally {
      await context.close();
    }
  });
});
