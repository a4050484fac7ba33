// The staff form's 日時: staff type a schedule as they say it or put one together from
// choices, see how residents will read it (and the next dates) before saving, are told where
// a phrase could not be read, and what is stored is OSM `opening_hours` that the public map
// reads out and filters by.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, openPhone, screenshot, staffLogin,
} from './helpers.js';

const skip = missingPrerequisite();
const STAFF = { name: 'nishida', role: 'staff', password: 'shukai-jo-2026!' };
const ITEMS = '/api/collections/places/items';

describe('the staff form\'s schedule', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ sample: false, places: [], users: [STAFF] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPlace(page, name) {
    await page.locator('#add-tap').click();
    await page.locator('#pick-centre').click();
    await page.locator('#form-view').waitFor({ state: 'visible' });
    await page.locator('#f-name').fill(name);
    await page.locator('#f-category').selectOption('salon');
  }

  async function reading(page) {
    await page.locator('#f-schedule-reading:not([hidden])').waitFor();
    return page.locator('#f-schedule-reading').textContent();
  }

  it('a phrase is read back before saving, stored as opening_hours, and shown to residents in words', async () => {
    const { context, page } = await openPage(browser);
    try {
      await staffLogin(page, server.url, STAFF);
      await newPlace(page, '第2・第4水曜のサロン');
      // Not readable: said plainly, with the part that stopped the reading.
      await page.locator('#f-schedule').fill('第2・第4水曜 ほげ');
      await page.locator('#f-schedule-reading.schedule-problem').waitFor();
      assert.match(await reading(page), /読み取れません.*「ほげ」/);
      await page.locator('#f-schedule').fill('第2・第4水曜日 13時半〜15時半（祝日は休み）');
      await page.locator('#f-schedule-reading:not(.schedule-problem)').waitFor();
      await page.waitForFunction(() => document.querySelector('#f-schedule-reading').textContent.includes('13:30'));
      const text = await reading(page);
      assert.match(text, /住民の地図での表示: 第2・第4水曜 13:30〜15:30（祝日は休み）/);
      assert.match(text, /次の予定: \d{1,2}月\d{1,2}日\(水\) 13:30/);
      await page.locator('#f-schedule').scrollIntoViewIfNeeded();
      console.log(`staff schedule reading: ${await screenshot(page, 'staff-schedule-reading')}`);
      await page.locator('#form-save').click();
      await page.locator('#action-publish').click();
      await page.locator('#action-unpublish').waitFor();
      const id = await page.locator('.place-detail').getAttribute('data-id');
      const stored = await (await fetch(`${server.url}${ITEMS}/${id}`)).json();
      assert.equal(stored.properties.schedule, 'We[2,4] 13:30-15:30; PH off');
      assert.equal(stored.properties.schedule_text, '第2・第4水曜 13:30〜15:30（祝日は休み）');

      // Residents read it in words, and find it on a Wednesday afternoon when it meets.
      await page.goto(`${server.url}/?place=${id}`);
      await page.locator('#detail-heading', { hasText: '第2・第4水曜のサロン' }).waitFor();
      assert.match(await page.locator('.place-detail').textContent(), /第2・第4水曜 13:30〜15:30（祝日は休み）/);
    } finally {
      await context.close();
    }
  });

  it('choices put together on a phone become the schedule, with what is missing said first', async () => {
    const { context, page } = await openPhone(browser);
    try {
      await staffLogin(page, server.url, STAFF);
      await newPlace(page, '第1・第3火曜の体操');
      await page.locator('#schedule-builder summary').click();
      await page.locator('#b-apply').click();
      assert.equal(await page.locator('#b-message').textContent(), '曜日を選んでください。');
      await page.locator('#schedule-builder label.check-chip', { hasText: '第○週' }).click();
      await page.locator('#b-nth label.check-chip', { hasText: '第1' }).click();
      await page.locator('#b-nth label.check-chip', { hasText: '第3' }).click();
      await page.locator('#b-days label.check-chip', { hasText: '火' }).click();
      await page.locator('#b-start1').fill('10:00');
      await page.locator('#b-end1').fill('09:00');
      await page.locator('#b-apply').click();
      assert.equal(await page.locator('#b-message').textContent(), '終わりの時間が始まりより前になっています。');
      await page.locator('#b-end1').fill('11:30');
      await page.locator('#schedule-builder label.check-chip', { hasText: '祝日は休み' }).click();
      await page.locator('#b-apply').click();
      assert.equal(await page.locator('#f-schedule').inputValue(), 'Tu[1,3] 10:00-11:30; PH off');
      await page.waitForFunction(() => document.querySelector('#f-schedule-reading').textContent.includes('11:30'));
      assert.match(await reading(page), /第1・第3火曜 10:00〜11:30（祝日は休み）/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no sideways scrolling at 360 px');
      await page.locator('#schedule-builder').scrollIntoViewIfNeeded();
      console.log(`staff schedule builder (phone): ${await screenshot(page, 'phone-staff-schedule-builder')}`);
      await page.locator('#form-save').click();
      await page.locator('.place-detail').waitFor();
      const id = await page.locator('.place-detail').getAttribute('data-id');
      const answer = await page.evaluate((path) => fetch(path).then((r) => r.json()), `${ITEMS}/${id}`);
      assert.equal(answer.properties.schedule, 'Tu[1,3] 10:00-11:30; PH off');
    } finally {
      await context.close();
    }
  });
});
