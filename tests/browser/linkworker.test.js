// The link worker page (/linkworker) against the real server: a link worker logs in, types
// the client's town, picks three places, reorders them, writes a note, and prints the
// handout (a screenshot and a PDF go to test-artifacts/) — and the client's point and the
// typed address are nowhere the browser keeps them: not in storage, not in the URL, not in
// a request's URL, not in the handout, not in the share link. The share link opens a public
// list without a login. Hostile place names stay text in the list, shortlist and handout.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import qrcode from '../../web/node_modules/qrcode-generator/dist/qrcode.mjs';
import {
  ARTIFACTS, CHROMIUM, assertAxeClean as axe, tabTo, missingPrerequisite, startServer, launchBrowser, openPage, openPhone, placeFeature, screenshot,
} from './helpers.js';

const skip = missingPrerequisite();

const LINK = { name: 'link1', role: 'linkworker', password: 'shohousen-2026!' };
const STAFF = { name: 'sato', role: 'staff', password: 'kayoi-no-ba-2026!' };
/** 蔵持町原出's point in data/nabari-towns.csv: what the page must use and never keep. */
const TOWN = '蔵持町原出';
const TOWN_POINT = ['136.110089', '34.634653'];
/** The same digits as any serialisation might shorten them. */
const SECRETS = [TOWN, '136.1100', '34.6346', '136.11009', '34.63465'];

const HOSTILE = '<img src=x onerror=window.__xss=1>"><svg onload=window.__xss=1><script>window.__xss=1</script>';
const HOSTILE_PLACES = [
  placeFeature(136.1105, 34.6349, {
    name: HOSTILE, name_kana: 'きけん', address: '<a href="javascript:window.__xss=1">名張市</a>',
    description: '<iframe src="javascript:window.__xss=1"></iframe><b>太字</b>', cost: '<b>無料</b>',
    phone: '0595-00-0999', audience: ['<i>どなたでも</i>'], accessibility: '<u>段差なし</u>',
  }),
];

async function login(page, url, user) {
  await page.goto(`${url}/linkworker`);
  await page.locator('#login-panel').waitFor({ state: 'visible' });
  await page.locator('#login-username').fill(user.name);
  await page.locator('#login-password').fill(user.password);
  await page.locator('#login-submit').click();
  await page.locator('#client-panel').waitFor({ state: 'visible' });
}

/** Types the client's town and waits for the results. Answers how many are listed. */
async function setTown(page, text) {
  await page.locator('#town-q').fill(text);
  await page.locator('#town-q').press('Enter');
  await page.locator('#result-list .result-item').first().waitFor();
  return page.locator('#result-list .result-item').count();
}

/** Everything the browser keeps or shows that must not hold the client's point. */
async function keptByTheBrowser(page) {
  return page.evaluate(() => {
    const dump = (storage) => Object.keys(storage).map((k) => `${k}=${storage.getItem(k)}`).join('\n');
    return {
      url: location.href,
      history: String(history.length) + JSON.stringify(history.state),
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      cookie: document.cookie,
    };
  });
}

function assertHoldsNoSecret(label, text) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${label} holds ${secret}: ${text.slice(0, 300)}`);
}

/** The modules of a QR code for `text`, as the path qr.js draws (level M, 4-module margin). */
function qrPath(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  let d = '';
  for (let row = 0; row < qr.getModuleCount(); row += 1) {
    for (let col = 0; col < qr.getModuleCount(); col += 1) {
      if (qr.isDark(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
    }
  }
  return d;
}

/** Every file under `dir` (a browser profile), as bytes. */
function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push([path, readFileSync(path)]);
  }
  return out;
}

describe('the link worker page', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ users: [LINK, STAFF], places: HOSTILE_PLACES });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds places near a typed town, builds a handout, prints it, and keeps nothing of the client', async () => {
    const { context, page } = await openPage(browser);
    const requests = [];
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? '' }));
    await login(page, server.url, LINK);

    const listed = await setTown(page, TOWN);
    assert.ok(listed >= 4, `places near ${TOWN}: ${listed}`);
    const status = await page.locator('#client-status').textContent();
    assert.match(status, /蔵持町原出/);
    assert.match(status, /代表点/);
    assert.match(status, /町単位の目安です。実際の住所から [\d.]+ k?m 以上離れていることもあります/);
    // Nearest first, with walking distance and time, said to be straight-line.
    const walks = await page.locator('.result-walk').allTextContents();
    assert.match(walks[0], /歩いて約 \d+ 分（直線距離）/);
    const metres = walks.map((w) => {
      const m = /^([\d.]+) (k?m)/.exec(w);
      return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
    });
    assert.deepEqual([...metres].sort((a, b) => a - b), metres, 'nearest first');
    // The search went as a POST body; no request's URL holds the point.
    const searches = requests.filter((r) => r.url.includes('/api/linkworker/search'));
    assert.equal(searches.length >= 1, true);
    assert.ok(searches.every((r) => r.method === 'POST' && r.body.includes('"near"')));
    for (const r of requests) assertHoldsNoSecret(`request ${r.url}`, decodeURIComponent(r.url));

    // Pick three, move the third up, write a note for the first.
    const names = await page.locator('#result-list .item-name').allTextContents();
    const picks = names.map((n, i) => [n, i]).filter(([n]) => n !== HOSTILE).slice(0, 3);
    for (const [, i] of picks) await page.locator('#result-list .pick-toggle').nth(i).click();
    await page.locator('#shortlist .shortlist-item').nth(2).waitFor();
    assert.equal(await page.locator('#result-list .pick-toggle.button-picked').count(), 3);
    await page.locator('#shortlist .shortlist-item').nth(2).locator('.move-up').click();
    const order = [picks[0][0], picks[2][0], picks[1][0]];
    assert.deepEqual(await page.locator('#shortlist .shortlist-name').allTextContents(), order);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('move-up')), true,
      'focus stays on the moved place');
    const note = '火曜の午前がおすすめです。受付で紹介と伝えてください。';
    await page.locator('#shortlist .shortlist-note').first().fill(note);
    // The map numbers the picked places.
    assert.deepEqual(
      (await page.locator('#map .number-marker-picked .number-marker-label').allTextContents()).sort(),
      ['1', '2', '3'],
    );
    await screenshot(page, 'linkworker-shortlist');

    await page.locator('#open-handout').click();
    await page.locator('#handout .handout-place').nth(2).waitFor();
    assert.deepEqual(await page.locator('#handout .handout-name').evaluateAll(
      (els) => els.map((el) => el.lastChild.textContent)), order);
    assert.equal(await page.locator('#handout .handout-note').count(), 1);
    assert.match(await page.locator('#handout .handout-note').textContent(), /火曜の午前/);
    assert.equal(await page.locator('#handout svg.qr-code').count(), 3);
    // Each QR code holds the public map's link to that very place.
    const cards = await page.locator('#handout .handout-place').evaluateAll((els) => els.map((el) => ({
      name: el.querySelector('.handout-name').lastChild.textContent,
      href: el.querySelector('.handout-open').href,
      d: el.querySelector('svg.qr-code path').getAttribute('d'),
    })));
    for (const card of cards) {
      const id = /\/\?place=([0-9a-f-]{36})$/.exec(card.href)?.[1];
      assert.ok(card.href.startsWith(`${server.url}/?place=`) && id, card.href);
      const place = await (await fetch(`${server.url}/api/collections/places/items/${id}`)).json();
      assert.equal(place.properties.name, card.name);
      assert.equal(card.d, qrPath(card.href), `the QR code of ${card.name} holds ${card.href}`);
    }
    assert.match(await page.locator('#handout .handout-date').textContent(), /^\d{4}年\d{1,2}月\d{1,2}日 作成$/);
    // Each card says when it meets, or at least where and what it is.
    const details = await page.locator('#handout .handout-details').allTextContents();
    assert.ok(details.every((d) => d.includes('場所')), details.join('\n'));
    assert.equal(await page.locator('#handout .handout-map .number-marker').count(), 3);

    // Nothing of the client in the handout: no point, no circle, no pin, no typed address
    // (a place's own address may name the town: those lines are set aside).
    const printed = await page.locator('#handout').evaluate((el) => {
      const copy = el.cloneNode(true);
      for (const row of copy.querySelectorAll('.handout-row')) {
        if (row.querySelector('dt')?.textContent === '場所') row.remove();
      }
      return copy.outerHTML;
    });
    assertHoldsNoSecret('the handout', printed);
    assert.equal(await page.locator('#handout .client-pin, #handout .leaflet-interactive').count(), 0,
      'no client pin or radius circle on the handout map');

    // Printed: A4 portrait, the screenshot and a PDF kept as artifacts.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.waitForTimeout(300);
    await screenshot(page, 'linkworker-handout-a4', { fullPage: true });
    assert.equal(await page.locator('.handout-toolbar').isVisible(), false, 'buttons are not printed');
    assert.equal(await page.locator('.site-header').isVisible(), false);
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'linkworker-handout.pdf'), format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10_000, `a PDF of ${pdf.length} bytes`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The PDF button opens the browser's print with a hint where to save.
    await page.evaluate(() => {
      window.__printed = 0;
      window.print = () => { window.__printed += 1; };
    });
    await page.locator('#handout-pdf').click();
    await page.waitForFunction(() => window.__printed === 1);
    assert.match(await page.locator('#handout-hint').textContent(), /PDFに保存/);

    // The share link: place ids only.
    await page.locator('#handout-share').click();
    const shared = await page.locator('#share-url').inputValue();
    assert.match(shared, /^http:\/\/127\.0\.0\.1:\d+\/list\?ids=[0-9a-f-]+(,[0-9a-f-]+){2}$/);
    assertHoldsNoSecret('the share link', decodeURIComponent(shared));
    assert.ok(!shared.includes(encodeURIComponent(note)) && !decodeURIComponent(shared).includes(note));

    const kept = await keptByTheBrowser(page);
    assert.equal(new URL(kept.url).pathname + new URL(kept.url).search, '/linkworker');
    assertHoldsNoSecret('what the browser keeps', JSON.stringify(kept));
    assert.equal(kept.localStorage, '');
    assert.equal(kept.sessionStorage, '');
    await context.close();

    // Anyone opens the shared list without a login: the same places, in order, no note.
    const visitor = await openPage(browser);
    await visitor.page.goto(shared);
    await visitor.page.locator('#handout .handout-place').nth(2).waitFor();
    assert.deepEqual(await visitor.page.locator('#handout .handout-name').evaluateAll(
      (els) => els.map((el) => el.lastChild.textContent)), order);
    assert.equal(await visitor.page.locator('#handout .handout-note').count(), 0);
    assert.match(await visitor.page.locator('#list-status').textContent(), /3 か所/);
    await screenshot(visitor.page, 'linkworker-shared-list');
    // Each card opens its place on the public map, as its QR code does.
    await visitor.page.locator('#handout .handout-open').first().click();
    await visitor.page.waitForURL(/\/\?place=[0-9a-f-]+$/);
    await visitor.page.locator('#detail-heading', { hasText: order[0] }).waitFor();
    await visitor.context.close();
  });

  it('on a phone, a tap sets the point even on a result, and 地図の中心 does too', async () => {
    const { context, page } = await openPhone(browser);
    await login(page, server.url, STAFF);
    await setTown(page, '名張駅');
    await page.locator('#result-list .pick-toggle').first().click();
    // What a link worker sees on a phone, screen by screen.
    for (const [name, selector] of [['map', '#map-panel'], ['search', '#search-panel'], ['results', '#results-panel'],
      ['shortlist', '#shortlist-panel']]) {
      await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, `linkworker-phone-${name}`);
    }
    assert.equal(await page.locator('#result-list .result-item').count(), 20, 'twenty at a time');
    await page.locator('#result-more').click();
    assert.ok(await page.locator('#result-list .result-item').count() > 20);
    await page.locator('#to-shortlist').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'shortlist-heading');
    await page.locator('#open-handout').click();
    await page.locator('#handout .handout-place').first().waitFor();
    await screenshot(page, 'linkworker-phone-handout', { fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `no sideways scrolling: ${wide} px`);
    await page.locator('#handout-back').click();
    assert.match(await page.locator('#client-status').textContent(), /名張駅の付近（平尾の代表点/);
    // Tap right on a result's marker: the point moves there, nothing opens.
    const marker = page.locator('#map .number-marker').first();
    await marker.scrollIntoViewIfNeeded();
    const box = await marker.boundingBox();
    const before = await page.locator('#result-count').textContent();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => /地図で選んだ所/.test(document.querySelector('#client-status').textContent));
    assert.equal(await page.locator('.leaflet-popup').count(), 0);
    await page.waitForFunction((b) => document.querySelector('#result-count').textContent !== b
      && !/探しています/.test(document.querySelector('#result-count').textContent), before);
    await page.locator('#use-centre').click();
    await page.waitForFunction(() => /地図の中心/.test(document.querySelector('#client-status').textContent));
    // A town typed with digits and spaces, or only in part, is still found.
    await page.locator('#town-q').fill('桔梗が丘 3番町 5-12');
    await page.locator('#town-q').press('Enter');
    await page.waitForFunction(() => /桔梗が丘三番町/.test(document.querySelector('#client-status').textContent));
    await page.locator('#town-q').fill('桔梗が丘');
    await page.locator('#town-q').press('Enter');
    await page.locator('#town-candidate-list button').first().waitFor();
    assert.ok(await page.locator('#town-candidate-list button').count() > 1);
    await screenshot(page, 'linkworker-phone-candidates');
    await page.locator('#town-candidate-list button', { hasText: '桔梗が丘一番町' }).click();
    await page.waitForFunction(() => /桔梗が丘一番町/.test(document.querySelector('#client-status').textContent));
    const kept = await keptByTheBrowser(page);
    assert.equal(kept.localStorage + kept.sessionStorage, '');
    assert.equal(new URL(kept.url).search, '');
    await context.close();
  });

  it('hostile place names stay text in the list, the shortlist, the handout and the shared list', async () => {
    const { context, page } = await openPage(browser);
    // Fields the importer refuses arrive hostile anyway, as from a compromised server.
    await context.route(/\/api\/(linkworker\/search|collections\/places\/items\/)/, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      for (const feature of body.features ?? [body]) {
        if (!feature.properties) continue;
        feature.properties.phone = '0595<img src=x onerror=window.__xss=1>12-34';
        feature.properties.url = 'javascript:window.__xss=1';
        feature.properties.schedule_text = '<img src=x onerror=window.__xss=1>毎週';
      }
      await route.fulfill({ response, json: body });
    });
    await login(page, server.url, LINK);
    await setTown(page, TOWN);
    const hostile = page.locator('#result-list .result-item', { hasText: '<img src=x' }).first();
    await hostile.locator('.pick-toggle').click();
    await page.locator('#shortlist .shortlist-item').first().waitFor();
    assert.equal(await page.locator('#shortlist .shortlist-name').first().textContent(), HOSTILE);
    await page.locator('#open-handout').click();
    await page.locator('#handout .handout-place').first().waitFor();
    assert.equal(await page.locator('#handout .handout-name').first().evaluate((el) => el.lastChild.textContent), HOSTILE);
    assert.match(await page.locator('#handout .handout-details').first().textContent(), /0595<img src=x/);
    const injected = (where) => page.locator([
      'img:not(.leaflet-tile)', 'iframe', 'script', 'b', 'i', 'u', 'a[href^="javascript"]', 'svg:not(.qr-code)',
    ].map((sel) => `${where} ${sel}`).join(', ')).count();
    for (const where of ['#result-list', '#shortlist', '#handout']) {
      assert.equal(await injected(where), 0, `${where}: no element from a payload`);
    }
    await page.locator('#handout-share').click();
    await page.goto(await page.locator('#share-url').inputValue());
    await page.locator('#handout .handout-place').first().waitFor();
    assert.equal(await page.locator('#handout .handout-name').first().evaluate((el) => el.lastChild.textContent), HOSTILE);
    assert.equal(await injected('#handout'), 0, 'shared list: no element from a payload');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await context.close();
  });

  it('axe finds no WCAG 2.1 AA violations in the page, the handout and the shared list', async () => {
    // axe is injected as an inline script, which the CSP rightly refuses: this context
    // alone bypasses it (the other tests check the CSP).
    const { context, page } = await openPage(browser, { bypassCSP: true });
    await login(page, server.url, LINK);
    await axe(page, 'before a point is set');
    await setTown(page, TOWN);
    for (let i = 0; i < 2; i += 1) await page.locator('#result-list .pick-toggle').nth(i).click();
    await axe(page, 'results and shortlist');
    await page.locator('#open-handout').click();
    await page.locator('#handout .handout-place').nth(1).waitFor();
    await axe(page, 'the handout');
    await page.locator('#handout-share').click();
    const shared = await page.locator('#share-url').inputValue();
    await page.goto(shared);
    await page.locator('#handout .handout-place').nth(1).waitFor();
    await axe(page, 'the shared list');
    await context.close();
  });

  it('the browser profile holds neither the point nor the address after a session', async () => {
    // A profile on disk, as a real browser keeps one: history, session restore, form data,
    // caches and storage are all in it once the browser has closed.
    const profile = mkdtempSync(join(tmpdir(), 'tsunagari-profile-'));
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
        locale: 'ja-JP',
        timezoneId: 'Asia/Tokyo',
      });
      await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1'
        ? route.continue() : route.abort('internetdisconnected')));
      const page = context.pages()[0] ?? await context.newPage();
      const bodies = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/linkworker/search')) bodies.push(JSON.parse(r.postData()));
      });
      await login(page, server.url, LINK);
      // A house number no public record holds; the town itself is in the public town list
      // (and the places' addresses), which the browser may cache like any public page.
      await setTown(page, `${TOWN}999-77`);
      assert.equal(await page.locator('#town-q').inputValue(), TOWN, 'the house number is gone from the box');
      // A tapped point: digits that no public data holds.
      const box = await page.locator('#map').boundingBox();
      await page.mouse.click(box.x + box.width / 2 + 37, box.y + box.height / 2 + 23);
      await page.waitForFunction(() => /地図で選んだ所/.test(document.querySelector('#client-status').textContent));
      await page.waitForFunction((n) => document.querySelectorAll('#result-list .result-item').length > 0, null);
      const tapped = bodies.at(-1).near;
      // Truncated, not rounded: any longer form of the number starts with these digits.
      const digits = tapped.map((v) => /^-?\d+\.\d{5}/.exec(String(v))[0]);
      assert.ok(!digits.some((d) => ['136.11009', '34.63465'].includes(d)), `a point away from the town: ${digits}`);
      await page.locator('#result-list .pick-toggle').first().click();
      await page.locator('#open-handout').click();
      await page.locator('#handout .handout-place').first().waitFor();
      await page.locator('#handout-share').click();
      await page.goto(await page.locator('#share-url').inputValue());
      await page.locator('#handout .handout-place').first().waitFor();
      await context.close();
      const files = filesUnder(profile);
      assert.ok(files.length > 10, `the profile was written: ${files.length} files`);
      // The control: the profile does record what the browser visited.
      assert.ok(files.some(([, bytes]) => bytes.includes(Buffer.from('/list?ids='))), 'the visit to the list is recorded');
      const hits = [];
      for (const secret of ['999-77', ...digits]) {
        for (const encoding of ['utf8', 'utf16le']) {
          const needle = Buffer.from(secret, encoding);
          for (const [path, bytes] of files) if (bytes.includes(needle)) hits.push(`${secret} (${encoding}) in ${path}`);
        }
      }
      assert.deepEqual(hits, []);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('the keyboard alone sets the point, picks, reorders and reaches the handout', async () => {
    const { context, page } = await openPage(browser);
    await login(page, server.url, LINK);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'town-q', 'the town box has the focus');
    await page.keyboard.type('桔梗が丘');
    await page.keyboard.press('Enter');
    // Candidates: the first has the focus; Enter chooses it.
    await page.locator('#town-candidate-list button').first().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('town-candidate')), true);
    await page.keyboard.press('Enter');
    await page.locator('#result-list .result-item').first().waitFor();
    await tabTo(page, '#result-list .pick-toggle', 120);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await tabTo(page, '#result-list .pick-toggle:not(.button-picked)', 20);
    await page.keyboard.press('Enter');
    await page.locator('#shortlist .shortlist-item').nth(1).waitFor();
    await tabTo(page, '#shortlist .move-up:not([disabled])', 200);
    await page.keyboard.press('Enter');
    const [first, second] = await page.locator('#result-list .item-name').allTextContents();
    assert.deepEqual(await page.locator('#shortlist .shortlist-name').allTextContents(), [second, first]);
    await tabTo(page, '#open-handout', 20);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('handout-title')), true);
    await tabTo(page, '#handout-back', 20, 'Shift+Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'open-handout', 'back where it started');
    await context.close();
  });

  it('a failed search says so in Japanese and 「もう一度探す」 brings the answer', async () => {
    const { context, page } = await openPage(browser);
    await login(page, server.url, LINK);
    await setTown(page, TOWN);
    let fail = true;
    await page.route('**/api/linkworker/search', (route) => (fail
      ? route.fulfill({ status: 503, contentType: 'application/problem+json',
        body: '{"type":"urn:tsunagari:problem:busy","title":"Busy","status":503,"detail":"busy"}' })
      : route.continue()));
    // The old answer goes when the new conditions fail.
    await page.locator('#audience').selectOption('高齢者');
    await page.locator('#result-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#result-error-text').textContent(), /探せませんでした。通信の状態を確かめて/);
    assert.equal(await page.locator('#result-list .result-item').count(), 0);
    assert.equal(await page.locator('#map .number-marker').count(), 0);
    fail = false;
    await page.locator('#result-retry').click();
    await page.locator('#result-list .result-item').first().waitFor();
    assert.equal(await page.locator('#result-error').isVisible(), false);
    await context.close();
  });

  it('a resident without a login sees the login, and the search is refused', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${server.url}/linkworker`);
    await page.locator('#login-panel').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#client-panel').isVisible(), false);
    const status = await page.evaluate(async () => (await fetch('/api/linkworker/search', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"near":[136.1,34.6]}',
    })).status);
    assert.equal(status, 401);
    await context.close();
  });
});
