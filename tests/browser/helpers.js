// Shared by the browser tests: start the real server on a fresh database, launch Debian's
// headless Chromium with the internet blocked, and watch the page for CSP violations and
// script errors — checked by every page's `context.close()`, so no test can forget it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(REPO, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The debug build `make test` made: in cargo's target directory, wherever CARGO_TARGET_DIR puts it.
const BIN = process.env.TSUNAGARI_BIN
  || join(resolve(REPO, process.env.CARGO_TARGET_DIR || 'target'), 'debug', 'tsunagari');

/**
 * True in continuous integration: `CI` set and non-empty — the same rule as the Rust tests
 * (`tests/common`). There, a test that cannot run fails instead of skipping.
 */
export function inCI() {
  return (process.env.CI ?? '') !== '';
}

/**
 * Skips (locally) or fails (in CI) when the browser or the server binary is missing.
 * Call first in every test file: `if (!ready(t)) return;` inside a `before`/test, or use
 * `skipReason()` in `describe(…, { skip })`.
 */
export function missingPrerequisite() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium is not at ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)`);
  if (!existsSync(BIN)) missing.push(`the server binary is not at ${BIN} (run cargo build, or set TSUNAGARI_BIN)`);
  if (missing.length === 0) return null;
  const message = `browser tests cannot run: ${missing.join('; ')}`;
  if (inCI()) throw new Error(`${message} — failing because CI is set`);
  console.error(`\n${'!'.repeat(78)}\n!! SKIPPED: ${message}\n${'!'.repeat(78)}\n`);
  return message;
}

/** A GeoJSON Feature with the place fields the importer takes. */
export function placeFeature(lon, lat, properties) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { category: 'salon', status: 'published', area: 'nabari', ...properties },
  };
}

/**
 * Starts `tsunagari serve` on a random port with a fresh SQLite database. `places` (GeoJSON
 * Features) are imported first; `sample: false` serves only them. `users` ([{name, role,
 * password}]) are created with `tsunagari user add` (the password on standard input), as an
 * administrator would.
 * Answers {url, databaseFile, stop()}.
 */
export async function startServer({ places = null, sample = true, users = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagari-browser-'));
  const database = `sqlite://${join(dir, 'test.db')}`;
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' };
  if ((places || users.length) && sample) {
    // An empty database gets the sample data on the first `serve`; import after that.
    const first = await startServer.spawn(database, env, []);
    await first.stop();
  }
  if (places) {
    const file = join(dir, 'places.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: places }));
    const run = spawnSync(BIN, ['import', file, '--database', database], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`import failed:\n${run.stdout}\n${run.stderr}`);
  }
  for (const user of users) addUser(database, user, env);
  const server = await startServer.spawn(database, env, sample ? [] : ['--no-sample']);
  return {
    url: server.url,
    databaseFile: join(dir, 'test.db'),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `tsunagari user add NAME --role ROLE --database URL`, the password on standard input. */
export function addUser(database, { name, role, password }, env = process.env) {
  const run = spawnSync(BIN, ['user', 'add', name, '--role', role, '--database', database], {
    env,
    input: `${password}\n`,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`user add ${name} failed:\n${run.stdout}\n${run.stderr}`);
}

startServer.spawn = function spawnServer(database, env, extra) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--database', database, ...extra], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const stop = () => new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
    function fail(error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /serving at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolvePromise({ url: match[1], stop });
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited (${code}) before serving:\n${output}`)));
    child.on('error', fail);
  });
};

/** Launches Debian's Chromium headless with a fresh profile. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new page in a fresh context that can reach only 127.0.0.1 (so the map tiles fail, as on
 * a network that cannot reach them). Records CSP violations, CSP console errors, uncaught
 * errors and the API requests the page makes.
 *
 * `context.close()` asserts that the page saw no CSP violation and no uncaught script error
 * (over every navigation of the page), so every test that closes its context — all do, in
 * `finally` — checks them. The axe runs open their context with `bypassCSP: true` (axe is
 * an injected script), so for them only the script errors are meaningful.
 */
export async function openPage(browser, { viewport = { width: 1280, height: 800 }, geolocation, locale = 'ja-JP', ...options } = {}) {
  const context = await browser.newContext({
    viewport,
    locale,
    timezoneId: 'Asia/Tokyo',
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
    ...options,
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  const watch = { csp: [], cspConsole: [], errors: [], apiRequests: [], blocked };
  // Reported through a binding (not a page variable), so that a later navigation cannot lose them.
  await context.exposeBinding('__tsunagariCsp', (source, text) => {
    watch.csp.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__tsunagariCsp(`${event.violatedDirective} ${event.blockedURI} ${event.sample ?? ''}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) watch.cspConsole.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  page.on('request', (request) => {
    if (request.url().includes('/api/collections/places/items')) watch.apiRequests.push(request.url());
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    assertNoProblems(watch);
  };
  return { context, page, watch };
}

/** A phone: 360×740, touch, as in the issues that describe the page on a phone. */
export function openPhone(browser, options = {}) {
  return openPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, ...options });
}

/** The CSP violations and script errors seen so far (each list must be empty). */
export async function problems(page, watch) {
  return { csp: [...watch.csp], cspConsole: [...watch.cspConsole], errors: [...watch.errors] };
}

function assertNoProblems(watch) {
  assert.deepEqual(
    { csp: watch.csp, cspConsole: watch.cspConsole, errors: watch.errors },
    { csp: [], cspConsole: [], errors: [] },
    'the page saw no CSP violation and no uncaught script error',
  );
}

/**
 * Waits until the page has settled — the list shows a count, nothing is loading, and the
 * count, the map view and the URL have not changed for half a second (map moves are
 * debounced, and a search may zoom the map) — and answers the count shown.
 */
export async function listCount(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(() => document.querySelector('#result-count')?.dataset.count !== undefined, null, { timeout });
  const deadline = Date.now() + timeout;
  let last = null;
  let stableSince = Date.now();
  for (;;) {
    const now = await page.evaluate(() => JSON.stringify([
      document.querySelector('#result-count')?.dataset.count,
      document.querySelector('#place-list')?.getAttribute('aria-busy'),
      document.querySelector('#map')?.dataset.bbox,
      location.href,
    ]));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (JSON.parse(now)[1] === 'false' && Date.now() - stableSince >= 500) {
      return Number(JSON.parse(now)[0]);
    }
    if (Date.now() > deadline) throw new Error(`the page did not settle: ${now}`);
    await page.waitForTimeout(50);
  }
}

/** The current map view's bbox as the page computes it (from the URL's map= and the map size). */
export async function viewBbox(page) {
  return page.evaluate(() => document.querySelector('#map').dataset.bbox);
}

export async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * The published place called exactly `name`, as the API answers it (Feature with id, geometry
 * and properties) — so that tests take a place's position from the data, never hard-code it.
 */
export async function placeNamed(server, name) {
  const found = await getJson(`${server.url}/api/collections/places/items?q=${encodeURIComponent(name)}&limit=50`);
  const matches = found.features.filter((f) => f.properties.name === name);
  assert.equal(matches.length, 1, `exactly one published place is called ${name}`);
  return matches[0];
}

/**
 * Rows of a read-only SQL query on the server's SQLite database, through Debian's `sqlite3`
 * command (apt-get install -y sqlite3) — for what the public API rightly never tells, such as
 * the id of a draft place. Fails the test, saying why, when the command is missing.
 */
export function queryDatabase(server, sql) {
  const run = spawnSync('sqlite3', ['-readonly', '-json', server.databaseFile, sql], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run sqlite3 (apt-get install -y sqlite3): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr}`);
  return run.stdout.trim() ? JSON.parse(run.stdout) : [];
}

/** Saves a screenshot under test-artifacts/ and answers its path. */
export async function screenshot(page, name, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, ...options });
  return path;
}

/** The numbers on the cluster icons plus the single markers now drawn on the map. */
export async function markersRepresented(page) {
  return page.evaluate(() => {
    let total = document.querySelectorAll('#map .place-marker').length;
    for (const el of document.querySelectorAll('#map .place-cluster .cluster-count')) total += Number(el.textContent);
    return total;
  });
}

/** Logs `user` ({name, password}) in on the staff page and waits for the list. */
export async function staffLogin(page, url, user) {
  await page.goto(`${url}/staff`);
  await page.locator('#login-panel').waitFor({ state: 'visible' });
  await page.locator('#login-username').fill(user.name);
  await page.locator('#login-password').fill(user.password);
  await page.locator('#login-submit').click();
  await page.locator('#places-count[data-count]').waitFor();
  const shown = await page.locator('#account-name').textContent();
  if (!shown.includes(user.name)) throw new Error(`logged in as ${shown}, not ${user.name}`);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core's WCAG 2.x A/AA rules on the page and fails with the violations found. axe is
 * injected as an inline script, which the CSP refuses: call it in a context opened with
 * `bypassCSP: true`, and check the CSP in the other tests.
 */
export async function assertAxeClean(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    resultTypes: ['violations'],
  }));
  const violations = result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
  }));
  assert.deepEqual(violations, [], `axe found WCAG A/AA violations (${label}):\n${JSON.stringify(violations, null, 2)}`);
}

/** Presses Tab (or Shift+Tab) until `selector` has the focus (at most `max` times). */
export async function tabTo(page, selector, max = 60, key = 'Tab') {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${selector}`);
}
