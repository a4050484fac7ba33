// まち歩き on the staff page (issue 17), against the real server: a walk recorded with the
// device's location (faked through Playwright), paused and resumed, surviving a reload, with a
// タネ and a place added on the way; a route drawn on the map; GPX files, good and broken;
// and axe on every new view at 360 px.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO, missingPrerequisite, startServer, launchBrowser, openPage, screenshot, staffLogin, assertAxeClean,
} from './helpers.js';

const skip = missingPrerequisite();
const STAFF = { name: 'kubo', role: 'staff', password: 'machi-aruki-2026!' };
const GPX = join(REPO, 'tests', 'fixtures', 'gpx');
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
/** Near 名張駅 (west exit), walking southwest: good fixes, 10 m accuracy. */
const ROUTE = [[136.0962, 34.6214], [136.0958, 34.6211], [136.0953, 34.62075], [136.0948, 34.6204], [136.0942, 34.6200]];
const LATER = [[136.0930, 34.6193], [136.0925, 34.61895], [136.0920, 34.6186]];

async function apiGet(page, path) {
  return page.evaluate((p) => fetch(p, { cache: 'no-store' }).then((r) => r.json()), path);
}

/** The route points the page keeps in localStorage: [[ [lon, lat], … ], …] or null. */
async function storedSegments(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('tsunagari.walkRecording') ?? 'null')?.segments ?? null);
}

/** Moves the faked device to each point and waits until the page has recorded it. */
async function walkAlong(page, context, points, { accuracy = 10 } = {}) {
  for (const [longitude, latitude] of points) {
    await context.setGeolocation({ longitude, latitude, accuracy });
    await page.waitForFunction(([lon, lat]) => {
      const stored = JSON.parse(localStorage.getItem('tsunagari.walkRecording') ?? 'null');
      return stored?.segments.at(-1).some(([x, y]) => x === lon && y === lat);
    }, [longitude, latitude]);
  }
}

describe('まち歩き on the staff page', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    // No sample places: taps on the map land on the map, not on a marker.
    server = await startServer({ sample: false, users: [STAFF] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a walk with the device location, paused and resumed, through a reload, with a タネ and a place found on it', async () => {
    const start = ROUTE[0];
    const { context, page } = await openPage(browser, { ...PHONE, geolocation: { longitude: start[0], latitude: start[1], accuracy: 10 } });
    const title = '名張駅まわり 記録テスト';
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-walks').click();
      await page.locator('#walks-count[data-count]').waitFor();
      await page.locator('#walk-new').click();
      await page.locator('#walk-new-view').waitFor({ state: 'visible' });
      assert.match(await page.locator('#walk-new-view .walk-lock-note').textContent(),
        /画面が消えると、多くのスマートフォンでは位置の記録が止まります。画面をつけたままにするか、戻ったら「再開」を押してください。記録した分は消えません。/);
      // The title is needed first.
      await page.locator('#walk-start').click();
      assert.equal(await page.locator('#w-title-error').textContent(), '題名を入力してください（例：桔梗が丘まち歩き）。');
      assert.equal((await apiGet(page, '/api/collections/walks/items')).features.length, 0, 'nothing created without a title');
      await page.locator('#w-title').fill(title);
      await page.locator('#w-participants').fill('6');
      await page.locator('#walk-start').click();

      // The walk exists (no route yet) as soon as recording starts; its page is shown.
      await page.locator('#walk-heading', { hasText: title }).waitFor();
      const walks = (await apiGet(page, '/api/collections/walks/items')).features;
      assert.equal(walks.length, 1);
      const walkId = walks[0].id;
      assert.equal(walks[0].geometry, null);
      assert.equal(walks[0].properties.participants, 6);
      await page.locator('#walk-recording').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#walk-recording-title').textContent(), `まち歩きを記録中: ${title}`);

      await walkAlong(page, context, ROUTE);
      // A fix worse than 50 m is dropped.
      await context.setGeolocation({ longitude: 136.0990, latitude: 34.6250, accuracy: 120 });
      await page.locator('#walk-recording-state', { hasText: '誤差が大きい' }).waitFor();
      assert.equal((await storedSegments(page)).flat().length, ROUTE.length);

      // A タネ added meanwhile: the form says it belongs to the walk.
      await page.locator('#rec-tane').click();
      await page.locator('#tane-form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#tane-form-walk').textContent(), `まち歩きを記録中: ${title}（このタネはこのまち歩きにつながります）`);
      assert.equal(await page.locator('input[name="t-source"]:checked').getAttribute('value'), 'walk');
      await page.locator('#t-text').fill('駅前の階段で毎朝ラジオ体操をしている人たち 歩き目印W9');
      await page.locator('#t-here').click();
      await page.locator('#t-point-note', { hasText: '現在地' }).waitFor();
      await page.locator('#tane-save').click();
      await page.locator('#tane-detail-heading').waitFor();
      assert.equal((await storedSegments(page)).flat().some((p) => typeof p === 'string'), false);
      assert.equal(JSON.stringify(await page.evaluate(() => ({ ...localStorage }))).includes('目印W9'), false,
        'localStorage holds the route only, never a タネ');

      // Pause, then a reload (a closed tab, a crash): the points stay, the recording waits for 「再開」.
      await page.locator('#rec-pause').click();
      await page.locator('#rec-resume').waitFor({ state: 'visible' });
      assert.match(await page.locator('#walk-recording-state').textContent(), new RegExp(`一時停止中（${ROUTE.length} 点`));
      await page.reload();
      await page.locator('#walk-recording').waitFor({ state: 'visible' });
      await page.locator('#rec-resume').waitFor({ state: 'visible' });
      assert.match(await page.locator('#walk-recording-state').textContent(), new RegExp(`一時停止中（${ROUTE.length} 点`));
      assert.match(await page.locator('#app-status').textContent(), /記録の途中です.*「再開」/);

      // Elsewhere now: 「再開」 starts a second segment (the line does not jump across the gap).
      await context.setGeolocation({ longitude: LATER[0][0], latitude: LATER[0][1], accuracy: 10 });
      await page.locator('#rec-resume').click();
      await walkAlong(page, context, LATER);
      assert.equal((await storedSegments(page)).length, 2);

      // A place added with the existing flow while recording belongs to the walk.
      await page.locator('#add-here').click();
      await page.locator('#form-view').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#form-walk').textContent(), `まち歩きを記録中: ${title}（この場所はこのまち歩きにつながります）`);
      await page.locator('#f-name').fill('階段下の休憩ベンチ');
      await page.locator('#f-category').selectOption('ibasho');
      await page.locator('#form-save').click();
      await page.locator('#detail-view').waitFor({ state: 'visible' });
      await screenshot(page, 'staff-walk-recording');

      // 「途中で保存」 sends the route so far; recording goes on.
      await page.locator('#rec-save').click();
      await page.locator('#app-status', { hasText: '道のりを保存しました' }).waitFor();
      const midway = (await apiGet(page, `/api/collections/walks/items/${walkId}`));
      assert.equal(midway.geometry.type, 'MultiLineString');

      await page.locator('#rec-finish').click();
      await page.locator('#walk-heading', { hasText: title }).waitFor();
      await page.locator('#walk-recording').waitFor({ state: 'hidden' });
      assert.equal(await storedSegments(page), null, 'the points are forgotten once saved');

      const walk = await apiGet(page, `/api/collections/walks/items/${walkId}`);
      assert.equal(walk.geometry.type, 'MultiLineString', 'a paused recording is two lines');
      assert.deepEqual(walk.geometry.coordinates, [ROUTE, LATER]);
      assert.ok(walk.properties.length_m > 100);
      // The walk's page lists what was found on it.
      assert.equal(walk.properties.found.tane.length, 1);
      assert.equal(walk.properties.found.places.length, 1);
      assert.match(await page.locator('.walk-found-tane').textContent(), /ラジオ体操をしている人たち/);
      assert.match(await page.locator('.walk-found-place').textContent(), /階段下の休憩ベンチ/);
      assert.equal(await page.locator('#walk-tane-heading').textContent(), '見つけたタネ（1 件）');
      const tane = await apiGet(page, `/api/collections/tane/items/${walk.properties.found.tane[0].id}`);
      assert.equal(tane.properties.walk_id, walkId);
      // On the map: the route and the タネ (a leaf, not a place marker).
      assert.equal(await page.locator('path.walk-line-focus').count(), 1);
      assert.equal(await page.locator('.tane-marker').count(), 1);
      await screenshot(page, 'staff-walk-page');

      // A タネ opened from the walk's page.
      await page.locator('.walk-found-tane').click();
      await page.locator('#tane-detail-heading').waitFor();
      assert.match(await page.locator('#tane-body .detail-list').textContent(), new RegExp(title));
    } finally {
      await context.close();
    }
  });

  it('draws a route by tapping the map, then notes how many came', async () => {
    const { context, page } = await openPage(browser);
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-walks').click();
      await page.locator('#walk-new').click();
      await page.locator('#w-title').fill('桔梗が丘 地図にかいた道');
      await page.locator('#walk-draw').click();
      await page.locator('#draw-bar').waitFor({ state: 'visible' });
      const box = await page.locator('#map').boundingBox();
      for (const [dx, dy] of [[-120, 80], [-40, 40], [30, 20]]) {
        await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
      }
      assert.equal(await page.locator('#draw-count').textContent(), '3 点');
      await page.locator('#draw-undo').click();
      assert.equal(await page.locator('#draw-count').textContent(), '2 点');
      await page.locator('#draw-centre').click();
      await page.locator('#draw-done').click();
      await page.locator('#walk-heading', { hasText: '桔梗が丘 地図にかいた道' }).waitFor();
      assert.equal(await page.locator('#draw-bar').isHidden(), true);
      const id = await page.locator('.walk-page').getAttribute('data-id');
      const walk = await apiGet(page, `/api/collections/walks/items/${id}`);
      assert.equal(walk.geometry.type, 'LineString');
      assert.equal(walk.geometry.coordinates.length, 3);

      // Afterwards: how many came, and a note.
      await page.locator('#walk-edit').click();
      await page.locator('#walk-form-heading', { hasText: 'まち歩きを編集' }).waitFor();
      assert.equal(await page.locator('#walk-start').isVisible(), false, 'no recording from the edit form');
      assert.equal(await page.locator('#w-title').inputValue(), '桔梗が丘 地図にかいた道');
      await page.locator('#w-participants').fill('4');
      await page.locator('#w-notes').fill('公園で休憩。次は駅の東側を歩く。');
      await page.locator('#walk-form-save').click();
      await page.locator('#app-status', { hasText: '変更を保存しました' }).waitFor();
      assert.match(await page.locator('#walk-body .detail-list').textContent(), /4 人.*公園で休憩/s);
      const edited = await apiGet(page, `/api/collections/walks/items/${id}`);
      assert.equal(edited.properties.participants, 4);
      assert.equal(edited.properties.version, 2);
      assert.equal(edited.geometry.coordinates.length, 3, 'the route is as it was');
    } finally {
      await context.close();
    }
  });

  it('a GPX file becomes a walk; a broken one says where it is broken', async () => {
    const { context, page } = await openPage(browser);
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-walks').click();
      await page.locator('#walks-count[data-count]').waitFor();

      // Broken: the server's own words about where, next to the file field; nothing created.
      const before = (await apiGet(page, '/api/collections/walks/items')).features.length;
      const broken = readFileSync(join(GPX, 'cut-off.gpx'), 'utf8');
      const problem = await page.evaluate((body) => fetch('/api/collections/walks/items', {
        method: 'POST', headers: { 'Content-Type': 'application/gpx+xml' }, body,
      }).then(async (r) => ({ status: r.status, body: await r.json() })), broken);
      assert.equal(problem.status, 400);
      await page.locator('#gpx-file').setInputFiles(join(GPX, 'cut-off.gpx'));
      await page.locator('#gpx-upload').click();
      await page.locator('#gpx-error').waitFor({ state: 'visible' });
      const [, line, column] = /line (\d+), column (\d+)/.exec(problem.body.detail);
      assert.equal(line, '7', 'the file is cut off on its last line');
      assert.equal(await page.locator('#gpx-error').textContent(),
        `このファイルは読み取れませんでした（${line} 行目、${column} 文字目のあたりが途中で切れているか、形がくずれています）。サーバーの説明：${problem.body.detail}`);
      assert.equal((await apiGet(page, '/api/collections/walks/items')).features.length, before);
      await screenshot(page, 'staff-walk-gpx-broken');

      // Good: a walk with the file's name, its date in Japan time, the route on the map.
      await page.locator('#gpx-file').setInputFiles(join(GPX, 'nabari-station-walk.gpx'));
      assert.equal(await page.locator('#gpx-error').isHidden(), true, 'a new file clears the old error');
      await page.locator('#gpx-upload').click();
      await page.locator('#walk-heading', { hasText: '名張駅から新町へのまち歩き' }).waitFor();
      const id = await page.locator('.walk-page').getAttribute('data-id');
      const walk = await apiGet(page, `/api/collections/walks/items/${id}`);
      assert.equal(walk.properties.walked_on, '2026-11-28', 'the first point (23:30 UTC) is the 28th in Japan');
      assert.equal(walk.geometry.coordinates.length, 8);
      assert.deepEqual(walk.geometry.coordinates[0].slice(0, 2), [136.0962, 34.6214]);
      assert.match(await page.locator('#walk-body .detail-list').textContent(), /2026年11月28日/);
      assert.equal(await page.locator('path.walk-line-focus').count(), 1, 'its route stands out on the map');
      // Back to the list: every walk with a route is a line on the map again.
      const routes = (await apiGet(page, '/api/collections/walks/items')).features.filter((f) => f.geometry).length;
      await page.locator('#walk-view .back-to-tab').click();
      await page.waitForFunction((n) => document.querySelectorAll('path.walk-line').length === n, routes);
      assert.equal(await page.locator('path.walk-line-focus').count(), 0);
      // …with the タネ found on walks as leaves.
      const onWalks = (await apiGet(page, '/api/collections/tane/items')).features.filter((f) => f.properties.walk_id && f.geometry);
      assert.ok(onWalks.length > 0);
      await page.waitForFunction((n) => document.querySelectorAll('#map .tane-marker').length === n, onWalks.length);
    } finally {
      await context.close();
    }
  });

  it('when the screen locks, the recording pauses, says so, and goes on in a new segment after 「再開」', async () => {
    const { context, page } = await openPage(browser, { ...PHONE, geolocation: { longitude: ROUTE[0][0], latitude: ROUTE[0][1], accuracy: 10 } });
    /** What a phone does when its screen goes off or on (the page becomes hidden or visible). */
    const screen = (hidden) => page.evaluate((value) => {
      Object.defineProperty(document, 'hidden', { value, configurable: true });
      Object.defineProperty(document, 'visibilityState', { value: value ? 'hidden' : 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-walks').click();
      await page.locator('#walk-new').click();
      await page.locator('#w-title').fill('画面ロックの確認');
      await page.locator('#walk-start').click();
      await page.locator('#walk-heading').waitFor();
      await walkAlong(page, context, ROUTE.slice(0, 3));

      await screen(true);
      await page.locator('#rec-resume').waitFor({ state: 'visible' });
      await screen(false);
      assert.match(await page.locator('#walk-recording-problem').textContent(), /画面が消えた.*記録を一時停止しました。続けるには「再開」を押してください。記録した分は残っています。/);
      assert.match(await page.locator('#walk-recording-state').textContent(), /一時停止中（3 点/);
      // A fix while paused is not recorded.
      await context.setGeolocation({ longitude: LATER[0][0], latitude: LATER[0][1], accuracy: 10 });
      await page.waitForTimeout(300);
      assert.equal((await storedSegments(page)).flat().length, 3);

      await page.locator('#rec-resume').click();
      assert.equal(await page.locator('#walk-recording-problem').textContent(), '', 'the warning goes with 「再開」');
      await walkAlong(page, context, LATER.slice(0, 2));
      assert.deepEqual(await storedSegments(page), [ROUTE.slice(0, 3), LATER.slice(0, 2)]);
    } finally {
      await context.close();
    }
  });

  it('axe finds no WCAG 2.1 AA violations in the タネ and まち歩き views at 360 px', async () => {
    const start = ROUTE[0];
    const { context, page } = await openPage(browser, { ...PHONE, bypassCSP: true, geolocation: { longitude: start[0], latitude: start[1], accuracy: 10 } });
    try {
      await staffLogin(page, server.url, STAFF);
      await page.locator('#tab-tane').click();
      await page.locator('#tane-count[data-count]').waitFor();
      await assertAxeClean(page, 'タネ list');
      await page.locator('#tane-new').click();
      await page.locator('#t-text').fill('日記より：お隣の田中さんが将棋を教えている');
      await page.locator('#tane-save').click();
      await page.locator('#tane-personal').waitFor({ state: 'visible' });
      await assertAxeClean(page, 'タネ form with the personal-data question');
      await screenshot(page, 'staff-phone-tane-form', { fullPage: true });
      await page.locator('#tane-personal-keep').click();
      await page.locator('#tane-detail-heading').waitFor();
      await page.locator('#tane-history-button').click();
      await page.locator('#tane-history .history-item').first().waitFor();
      await assertAxeClean(page, 'タネ details with history');
      await screenshot(page, 'staff-phone-tane-detail', { fullPage: true });
      await page.locator('#tane-promote').click();
      await page.locator('#promote-dialog[open]').waitFor();
      await assertAxeClean(page, '場所にする dialog');
      await screenshot(page, 'staff-phone-promote');
      await page.locator('#promote-cancel').click();

      await page.locator('#tane-view .back-to-tab').click();
      await page.locator('#tab-walks').click();
      await page.locator('#walks-count[data-count]').waitFor();
      await assertAxeClean(page, 'walk list');
      await screenshot(page, 'staff-phone-walks', { fullPage: true });
      await page.locator('#walk-new').click();
      await page.locator('#walk-start').click(); // a missing title
      await assertAxeClean(page, 'new walk with an error');
      await page.locator('#w-title').fill('axe まち歩き');
      await page.locator('#walk-start').click();
      await page.locator('#walk-heading').waitFor();
      await assertAxeClean(page, 'recording bar and the walk page');
      await screenshot(page, 'staff-phone-recording', { fullPage: true });
      await page.locator('#rec-finish').click();
      await page.locator('#walk-recording').waitFor({ state: 'hidden' });
      await page.locator('#walk-history-button').click();
      await page.locator('#walk-history .history-item').first().waitFor();
      await assertAxeClean(page, 'walk page with history');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `no sideways scrolling (${width} px)`);
    } finally {
      await context.close();
    }
  });
});
