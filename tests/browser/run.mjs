// Runs every browser test file, one at a time, and fails the run when fewer tests ran than
// the files define — a skipped file (no Chromium, no binary) or a skipped test must never
// look like a green run. Usage, from the repository root:
//
//   node tests/browser/run.mjs                 # all files
//   node tests/browser/run.mjs near.test.js    # some files
//
// "Defined" is counted from the source: every line that starts with `it(`. Tests are written
// as plain `it(…)` calls for this reason (no loops that define tests).

import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).map((arg) => arg.replace(/^.*\//, ''));
const files = readdirSync(HERE)
  .filter((name) => name.endsWith('.test.js'))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort()
  .map((name) => join(HERE, name));
if (files.length === 0 || files.length < wanted.length) {
  console.error(`no such test files: ${wanted.join(', ')}`);
  process.exit(2);
}

const defined = files.reduce((sum, file) => sum + (readFileSync(file, 'utf8').match(/^\s*it\(/gm) ?? []).length, 0);
let passed = 0;
let failed = 0;
let skipped = 0;

const stream = run({ files, concurrency: 1 });
stream.on('test:pass', (event) => {
  if (event.details?.type === 'suite') return;
  if (event.skip || event.todo) skipped += 1;
  else passed += 1;
});
stream.on('test:fail', (event) => {
  if (event.details?.type !== 'suite') failed += 1;
});
stream.compose(spec).pipe(process.stdout);
let reported = false;
// After the reporter's own summary.
process.on('beforeExit', () => {
  if (reported) return;
  reported = true;
  const ran = passed + failed;
  const line = `browser tests: ${defined} defined, ${ran} ran (${passed} passed, ${failed} failed), ${skipped} skipped`;
  if (failed > 0 || ran < defined) {
    console.error(`\n${line} — FAILED${ran < defined ? ': fewer tests ran than the files define' : ''}`);
    process.exitCode = 1;
  } else {
    console.log(`\n${line}`);
  }
});
