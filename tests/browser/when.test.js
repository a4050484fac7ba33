// 「いつ」: a resident asks what is on on a given day and part of the day. The list must be the
// API's answer for that window in Japan time, the choice must live in the URL (back button,
// shared links) and show as a removable condition, and each place says when it next meets.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingPrerequisite, startServer, launchBrowser, openPage, openPhone, problems, listCount, getJson, screenshot,
} from './helpers.js';

const skip = missingPrerequisite();
const STATION = [136.0959, 34.6217]; // 名張駅
const RADIUS = 5000;

/** The next `weekday` (0 = Sunday … 6 = Saturday) in Japan, today included, as YYYY-MM-DD. */
function nextWeekdayInJapan(weekday) {
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  const date = new Date(Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate()));
  date.setUTCDate(date.getUTCDate() + ((weekday - date.getUTCDay() + 7) % 7));
  return date.toISOString().slice(0, 10);
}

describe('the 「いつ」 filter', { skip: skip ?? false }, () => {
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

  async function apiNames(openAt) {
    const api = await getJson(`${server.url}/api/collections/places/items?near=${STATION.join(',')}&radius=${RADIUS}&limit=500&open_at=${encodeURIComponent(openAt)}`);
    return { count: api.numberMatched, names: api.features.map((f) => f.properties.name) };
  }

  it('Tuesday, then Tuesday morning, gives the API\'s places for those hours in Japan time', async () => {
    const { context, page, watch } = await openPhone(browser, { timezoneId: 'America/New_York' });
    try {
      await page.goto(`${server.url}/?near=${STATION.join(',')}&radius=${RADIUS}`);
      const all = await listCount(page);
      await page.locator('#more-filters-summary').click();
      await page.locator('label[for="when-day-tu"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('day') === 'tu');
      const tuesday = nextWeekdayInJapan(2);
      const wholeDay = await apiNames(tuesday);
      assert.ok(wholeDay.count > 0 && wholeDay.count < all, `some, not all, meet on Tuesday: ${wholeDay.count} of ${all}`);
      assert.equal(await listCount(page), wholeDay.count);
      assert.deepEqual(await page.locator('#place-list .item-name').allTextContents(), wholeDay.names);

      await page.locator('label[for="when-time-am"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('time') === 'am');
      const morning = await apiNames(`${tuesday}T00:00/${tuesday}T12:00`);
      assert.ok(morning.count > 0 && morning.count < wholeDay.count, `mornings are fewer: ${morning.count}`);
      assert.equal(await listCount(page), morning.count);
      assert.deepEqual(await page.locator('#place-list .item-name').allTextContents(), morning.names);
      // Every place listed says when it next meets, on a Tuesday morning or sooner.
      const nexts = await page.locator('#place-list .item-next').allTextContents();
      assert.equal(nexts.length, morning.count, 'each place shows its next session');
      for (const next of nexts) assert.match(next, /^(次回: \d{1,2}月\d{1,2}日\([月火水木金土日]\) \d{1,2}:\d{2}〜|開催中（\d{1,2}:\d{2}まで）)$/);
      await page.locator('#results-heading').scrollIntoViewIfNeeded();
      console.log(`phone Tuesday-morning screenshot: ${await screenshot(page, 'phone-360x740-tuesday-morning')}`);

      // The condition line names it, and removing it there brings every place back.
      const condition = page.locator('#result-conditions button', { hasText: '火曜・午前' });
      await condition.click();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('day'));
      assert.equal(await listCount(page), all);

      // The back button restores the morning, chips included.
      await page.goBack();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('time') === 'am');
      assert.equal(await listCount(page), morning.count);
      assert.equal(await page.locator('#when-day-tu').isChecked(), true);
      assert.equal(await page.locator('#when-time-am').isChecked(), true);
      const found = await problems(page, watch);
      assert.deepEqual([found.csp, found.cspConsole, found.errors], [[], [], []]);
    } finally {
      await context.close();
    }
  });

  it('a shared link with 今日 asks for today in Japan, and the English page reads schedules in English', async () => {
    const { context, page } = await openPage(browser, { timezoneId: 'Pacific/Honolulu' });
    try {
      const requests = [];
      page.on('request', (r) => { if (r.url().includes('/items?')) requests.push(new URL(r.url())); });
      await page.goto(`${server.url}/?near=${STATION.join(',')}&radius=${RADIUS}&day=today&lang=en`);
      await listCount(page);
      const jst = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
      const asked = requests.map((u) => u.searchParams.get('open_at'));
      assert.ok(asked.length > 0 && asked.every((a) => a === jst), `open_at=${jst} (Japan's today), got ${asked}`);
      assert.ok(requests.every((u) => u.searchParams.get('lang') === 'en'));
      const whens = await page.locator('#place-list .item-when').allTextContents();
      for (const when of whens) assert.doesNotMatch(when, /[月火水木金土日]曜/, `English: ${when}`);
      assert.ok(await page.locator('#result-conditions button', { hasText: 'Today' }).count() === 1);
    } finally {
      await context.close();
    }
  });
});
