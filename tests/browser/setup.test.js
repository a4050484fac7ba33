// The shared setup itself: closing a page's context fails the test when the page saw an
// uncaught script error or a CSP violation, so no test can forget to check them.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { missingPrerequisite, launchBrowser, openPage } from './helpers.js';

const skip = missingPrerequisite();

describe('shared browser setup', { skip: skip ?? false }, () => {
  let browser;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('context.close() fails on an uncaught script error, also one seen before a navigation', async () => {
    const { context, page } = await openPage(browser);
    await Promise.all([
      page.waitForEvent('pageerror'),
      page.setContent('<script>setTimeout(() => { throw new Error("boom"); }, 0)</script>'),
    ]);
    await page.setContent('<p>a later page</p>');
    await assert.rejects(context.close(), /boom/);
  });

  it('context.close() fails on a CSP violation', async () => {
    const { context, page } = await openPage(browser);
    await Promise.all([
      page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text())),
      page.setContent(`<meta http-equiv="Content-Security-Policy" content="script-src 'none'; img-src 'none'"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`),
    ]);
    await assert.rejects(context.close(), /img-src|script-src|Content Security Policy/);
  });

  it('context.close() passes on a clean page', async () => {
    const { context, page } = await openPage(browser);
    await page.setContent('<p>nothing wrong</p>');
    await context.close();
  });
});
