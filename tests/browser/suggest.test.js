// The search box suggests names as the user types (a combobox with a listbox: arrows, Enter,
// Escape, the mouse), and leaves keystrokes of an IME composition alone: nothing is suggested
// mid-composition, and the Enter that confirms a kana-to-kanji conversion does not search.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { missingPrerequisite, startServer, launchBrowser, openPage, listCount } from './helpers.js';

const skip = missingPrerequisite();

describe('search suggestions', { skip: skip ?? false }, () => {
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

  const options = (page) => page.locator('#q-suggestions [role="option"]');
  const qOf = (page) => new URL(page.url()).searchParams.get('q');

  it('suggests names as the user types; arrows and Enter pick one, which is searched', async () => {
    const { context, page } = await openPage(browser);
    try {
      await page.goto(server.url);
      await listCount(page);
      const box = page.locator('#q');
      assert.equal(await box.getAttribute('role'), 'combobox');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      await box.pressSequentially('ききょう', { delay: 30 });
      await options(page).first().waitFor({ state: 'visible' });
      assert.equal(await box.getAttribute('aria-expanded'), 'true');
      const names = await options(page).allTextContents();
      assert.equal(names[0], 'ききょう子ども食堂', `a name that starts so comes first: ${names}`);
      assert.ok(names.length <= 8, `${names}`);
      // Arrows move the active option; the focus stays in the box.
      await box.press('ArrowDown');
      await box.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator(`#${active}`).textContent(), names[1]);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
      await box.press('Enter');
      await page.waitForFunction((name) => new URL(location.href).searchParams.get('q') === name, names[1]);
      assert.equal(await box.inputValue(), names[1]);
      assert.equal(await page.locator('#q-suggestions').isHidden(), true);
      assert.ok(await listCount(page) >= 1);
      // Escape closes the list without searching; a click picks.
      await box.fill('');
      await box.pressSequentially('サロン', { delay: 30 });
      await options(page).first().waitFor({ state: 'visible' });
      await box.press('Escape');
      assert.equal(await page.locator('#q-suggestions').isHidden(), true);
      assert.equal(qOf(page), names[1], 'Escape does not search');
      await box.press('ArrowDown');
      await options(page).first().waitFor({ state: 'visible' });
      const clicked = await options(page).nth(0).textContent();
      await options(page).nth(0).click();
      await page.waitForFunction((name) => new URL(location.href).searchParams.get('q') === name, clicked);
    } finally {
      await context.close();
    }
  });

  it('ignores the keystrokes of an IME composition: the Enter that confirms a conversion does not search', async () => {
    const { context, page, watch } = await openPage(browser);
    try {
      await page.goto(server.url);
      await listCount(page);
      const box = page.locator('#q');
      await box.focus();
      const suggestRequests = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/suggest')) suggestRequests.push(r.url());
      });
      const itemsBefore = watch.apiRequests.length;
      const urlBefore = page.url();
      // Chromium's own IME path: kana composed, then converted to kanji, still composing.
      const cdp = await context.newCDPSession(page);
      for (const text of ['き', 'きき', 'ききょ', 'ききょう', '桔梗']) {
        await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
        await page.waitForTimeout(40);
      }
      // The Enter that confirms the conversion arrives while composing (keyCode 229).
      const enterDuring = await page.evaluate(() => {
        const input = document.querySelector('#q');
        const event = new KeyboardEvent('keydown', {
          key: 'Enter', code: 'Enter', keyCode: 229, isComposing: true, bubbles: true, cancelable: true,
        });
        input.dispatchEvent(event);
        return event.defaultPrevented;
      });
      assert.equal(enterDuring, true, 'the confirming Enter is kept from the form');
      await page.waitForTimeout(400);
      assert.deepEqual(suggestRequests, [], 'nothing is asked while composing');
      assert.equal(await page.locator('#q-suggestions').isHidden(), true);
      // The IME commits 桔梗: now the text is the user's, and suggestions follow it.
      await cdp.send('Input.insertText', { text: '桔梗' });
      assert.equal(await box.inputValue(), '桔梗');
      await options(page).first().waitFor({ state: 'visible' });
      assert.ok(suggestRequests.length >= 1);
      // With the dictionary of readings, 桔梗 also suggests names written ききょう.
      const suggested = await options(page).allTextContents();
      assert.ok(suggested.every((n) => n.includes('桔梗') || n.includes('ききょう')), suggested.join(' / '));
      assert.equal(page.url(), urlBefore, 'no search was made by the composition');
      assert.equal(watch.apiRequests.slice(itemsBefore).some((u) => new URL(u).searchParams.has('q')), false);
      // Safari ends the composition before the keydown of the confirming Enter, which then
      // has isComposing false but keyCode 229: that Enter does not search either.
      const enterAfter = await page.evaluate(() => {
        const event = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 229, bubbles: true, cancelable: true });
        document.querySelector('#q').dispatchEvent(event);
        return event.defaultPrevented;
      });
      assert.equal(enterAfter, true);
      // A plain Enter, with no suggestion chosen, searches for what is in the box.
      await box.press('Escape');
      await box.press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '桔梗');
    } finally {
      await context.close();
    }
  });
});
