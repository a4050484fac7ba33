// The address look-up of the link worker page (web/js/town-lookup.js), run in Node against
// the real town list (data/nabari-towns.csv and data/nabari-landmarks.csv): what a link
// worker types, and the town it must find. No browser needed: the module has no DOM.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers.js';
import { TownLookup, normalise, distanceM } from '../../web/js/town-lookup.js';

function csvRows(file) {
  const [header, ...lines] = readFileSync(join(REPO, 'data', file), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

/** The same shape as GET /api/towns answers. */
function townList() {
  const towns = csvRows('nabari-towns.csv').map((r) => ({
    name: r.town, ...(r.koaza ? { koaza: r.koaza } : {}), point: [Number(r.lng), Number(r.lat)],
  }));
  const landmarks = csvRows('nabari-landmarks.csv').map((r) => ({
    name: r.name, kana: r.kana, town: r.town, what: r.what, point: towns.find((t) => t.name === r.town).point,
  }));
  return { attribution: 'test', towns, landmarks };
}

const lookup = new TownLookup(townList());

function found(text) {
  return lookup.find(text).match?.label ?? null;
}

describe('town look-up', () => {
  it('finds the town an address starts with, however it is written', () => {
    assert.equal(found('蔵持町原出'), '蔵持町原出');
    assert.equal(found('三重県名張市蔵持町原出1502-3'), '蔵持町原出');
    assert.equal(found('名張市 桔梗が丘3番町 5-12'), '桔梗が丘三番町');
    assert.equal(found('桔梗が丘３番町５－１２'), '桔梗が丘三番町');
    assert.equal(found('桔梗ケ丘一番町'), '桔梗が丘一番町');
    assert.equal(found('桔梗ヶ丘西7番町'), '桔梗が丘西七番町');
    assert.equal(found('夏見'), '夏見');
    assert.equal(found('名張市夏見下出 123'), '夏見（下出）');
  });

  it('finds landmarks by name or reading, at their town\'s point', () => {
    const station = lookup.find('名張駅').match;
    assert.equal(station.kind, 'landmark');
    assert.equal(station.town, '平尾');
    assert.ok(distanceM(station.point, [136.0959, 34.6217]) < 200);
    assert.equal(found('なばりえき'), '名張駅');
    assert.equal(found('ナバリエキ'), '名張駅');
  });

  it('offers the towns a partial name fits, in reading order, and says how many more', () => {
    const { match, candidates, more } = lookup.find('桔梗が丘');
    assert.equal(match, null);
    assert.ok(candidates.length > 1 && candidates.length <= 8);
    assert.ok(candidates.every((c) => c.label.startsWith('桔梗が丘')));
    // Landmarks first (a station is what people say), then towns in number order.
    assert.equal(candidates[0].label, '桔梗が丘駅');
    assert.equal(candidates.find((c) => c.kind === 'town').label, '桔梗が丘一番町');
    assert.ok(candidates.findIndex((c) => c.label === '桔梗が丘二番町') < candidates.findIndex((c) => c.label === '桔梗が丘三番町'));
    assert.equal(typeof more, 'number');
  });

  it('finds nothing for what is not a town of Nabari', () => {
    assert.deepEqual(lookup.find('東京都千代田区'), { match: null, candidates: [], more: 0 });
    assert.deepEqual(lookup.find('   '), { match: null, candidates: [] });
  });

  it('says how far a town\'s point may be from an address in it', () => {
    const town = lookup.find('蔵持町原出').match;
    assert.ok(town.spreadM > 50 && town.spreadM < 5000, `${town.spreadM} m`);
    assert.equal(normalise('三重県名張市 夏見 ３丁目'), '夏見三丁目');
  });
});
