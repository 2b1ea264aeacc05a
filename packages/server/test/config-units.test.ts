import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { formatDuration, parseDuration, parseSize } from '../src/config/index.js';
import { SCRAPE_KEYS } from '../src/config/scrape-config.js';

describe('durations as Prometheus writes them', () => {
  test('each unit, combined in order, and 0', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['500ms', 500],
      ['15s', 15_000],
      ['1m30s', 90_000],
      ['1h30m', 5_400_000],
      ['1d', 86_400_000],
      ['1w', 7 * 86_400_000],
      ['1y', 365 * 86_400_000],
      ['2d3h4m5s6ms', 2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5000 + 6],
      ['0s', 0],
    ];
    for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
  });

  test('refused: no unit, units out of order or repeated, fractions, signs, spaces, empty, too long', () => {
    for (const text of ['', '30', '1s1m', '1s1s', '1.5s', '-1s', '+1s', '1 s', '1S', '1M', 'ms', '300y']) {
      assert.equal(parseDuration(text), undefined, JSON.stringify(text));
    }
  });

  test('printed as Prometheus prints them (__scrape_interval__ values)', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [15_000, '15s'],
      [90_000, '1m30s'],
      [60_000, '1m'],
      [500, '500ms'],
      [14 * 86_400_000, '2w'],
      [90 * 86_400_000, '90d'],
      [365 * 86_400_000, '1y'],
      [86_400_000 + 1, '1d1ms'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
  });
});

describe('sizes as Prometheus reads them (powers of 1024)', () => {
  test('units B to EB, the iB spellings, decimals, repeated parts, 0', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['512B', 512],
      ['1KB', 1024],
      ['1KiB', 1024],
      ['512MB', 512 * 1024 ** 2],
      ['1.5GB', 1.5 * 1024 ** 3],
      ['2TB', 2 * 1024 ** 4],
      ['1PB', 1024 ** 5],
      ['1GB512MB', 1024 ** 3 + 512 * 1024 ** 2],
    ];
    for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
  });

  test('refused: no unit, unknown units, lower case, spaces, signs', () => {
    for (const text of ['', '512', '1kb', '1 MB', '1XB', '-1MB', 'MB', '1M']) {
      assert.equal(parseSize(text), undefined, JSON.stringify(text));
    }
  });
});

describe('docs/configuration.md', () => {
  test('names every scrape_configs key Vigil reads', () => {
    const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const key of SCRAPE_KEYS) assert.ok(doc.includes(`\`${key}\``), `docs/configuration.md does not name ${key}`);
  });
});
