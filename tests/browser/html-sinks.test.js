// The page's own scripts never turn a string into HTML. Place data (and the tile names and
// attributions from the server's configuration) reach the page only as text: through
// textContent / setAttribute (web/js/dom.js) and as DOM nodes given to Leaflet. This reads
// the source, so it needs no browser; `hostile.test.js` proves the same in the browser.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers.js';

const WEB_JS = join(REPO, 'web', 'js');

/** Each rule: a name and a pattern that must not match (comments are stripped first). */
const RULES = [
  ['innerHTML', /\binnerHTML\b/],
  ['outerHTML', /\bouterHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\s*\.\s*write(ln)?\b/],
  ['DOMParser / createContextualFragment', /\bDOMParser\b|\bcreateContextualFragment\b/],
  ['eval / new Function', /\beval\s*\(|\bnew\s+Function\s*\(/],
  // Leaflet treats a string given to a popup or tooltip as HTML: only nodes (or functions
  // that answer nodes) may be given. A string, template or concatenation as the first
  // argument is refused.
  ['a string given to a Leaflet popup/tooltip',
    /\.(bindPopup|bindTooltip|setContent|setPopupContent|setTooltipContent|openPopup|openTooltip)\s*\(\s*(['"`]|[\w.]+\s*\+)/],
  ['L.popup/L.tooltip content as a string', /\bL\.(popup|tooltip)\s*\([^)]*\bcontent\s*:/],
  // A DivIcon's `html` option is also set with innerHTML: only the empty string is allowed.
  ['a DivIcon with html', /\bhtml\s*:(?!\s*(''|""|``))/],
  // Leaflet's own attribution control and a tile layer's `attribution` option use innerHTML.
  ['Leaflet attribution from data', /\battribution\s*:/],
  ['Leaflet attribution control', /\baddAttribution\s*\(|\bcontrol\.attribution\b|\bL\.Control\.Attribution\b/],
  // The layer switcher sets the object keys it is given as HTML: only TextLayersControl.
  ['L.control.layers (use TextLayersControl)', /\bL\.control\.layers\s*\(/],
];

/** The source with comments removed, so that a comment may name what it avoids. */
function code(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function violations(name, source) {
  const found = [];
  const lines = code(source).split('\n');
  for (const [rule, pattern] of RULES) {
    lines.forEach((line, i) => {
      if (pattern.test(line)) found.push(`${name}:${i + 1}: ${rule}: ${line.trim()}`);
    });
  }
  return found;
}

describe('no HTML sinks in web/js', () => {
  it('the checker catches each sink it is meant to catch', () => {
    const bad = [
      "el.innerHTML = name;",
      "el.outerHTML = '<b>';",
      "el.insertAdjacentHTML('beforeend', s);",
      "document.write(s);",
      "marker.bindPopup(`<b>${name}</b>`);",
      "marker.bindTooltip('<b>' + name);",
      "marker.bindTooltip(name + '!');",
      "popup.setContent(\"<p>\");",
      "new L.DivIcon({ html: name });",
      "L.tileLayer(url, { attribution: config.attribution });",
      "L.control.layers(base).addTo(map);",
    ];
    for (const line of bad) assert.equal(violations('sample', line).length > 0, true, `not caught: ${line}`);
    const good = [
      "el.textContent = name;",
      "marker.bindTooltip(() => placeTooltip(f), { direction: 'top' });",
      "this.popup.setContent(placePopup(feature));",
      "new PlaceIcon({ html: '', colour });",
      "// innerHTML is never used",
    ];
    for (const line of good) assert.deepEqual(violations('sample', line), [], `wrongly caught: ${line}`);
  });

  it('web/js uses none of them', () => {
    const files = readdirSync(WEB_JS).filter((name) => name.endsWith('.js'));
    assert.ok(files.length >= 5, `the page's modules are found (${files.join(', ')})`);
    const found = files.flatMap((name) => violations(`web/js/${name}`, readFileSync(join(WEB_JS, name), 'utf8')));
    assert.deepEqual(found, []);
  });
});
