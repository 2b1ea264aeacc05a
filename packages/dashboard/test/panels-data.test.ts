import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActiveTarget } from '../web/src/api/prometheus.js';
import { isolatedPoints, legendName, seriesName, toColumns } from '../web/src/chart/series.js';
import { formatTicks, formatValue } from '../web/src/chart/units.js';
import { matchers, quote } from '../web/src/ui/promql.js';
import { durationSeconds, summarizeServices, targetLevel } from '../web/src/views/system/targets.js';

describe('chart data', () => {
  it('puts series on the query grid with gaps as null', () => {
    const columns = toColumns(
      [
        {
          metric: { a: '1' },
          values: [
            [10, '1'],
            [30, '3'],
          ],
        },
        {
          metric: { a: '2' },
          values: [
            [20, 'NaN'],
            [30, '+Inf'],
          ],
        },
      ],
      { start: 10, end: 30, step: 10, at: 30 },
    );
    assert.deepEqual(columns, [
      [10, 20, 30],
      [1, null, 3],
      [null, null, null],
    ]);
  });

  it('finds the points no line passes through', () => {
    assert.deepEqual(isolatedPoints([1, null, 2, 3, null, 4]), [0, 5]);
    assert.deepEqual(isolatedPoints([null, null]), []);
  });

  it('names series like Prometheus and fills legend templates', () => {
    assert.equal(seriesName({ __name__: 'up', job: 'node' }), 'up{job="node"}');
    assert.equal(seriesName({}), '{}');
    assert.equal(legendName({ model: 'gpt-4o', x: 'y' }, '{{model}} p95'), 'gpt-4o p95');
  });

  it('formats values for people', () => {
    assert.equal(formatValue(1234), '1.23k');
    assert.equal(formatValue(0.25, 'seconds'), '250 ms');
    assert.equal(formatValue(0.0286, 'percent'), '2.86%');
    assert.equal(formatValue(3.5, 'usd'), '$3.50');
    assert.equal(formatValue(750, 'usd'), '$750');
    assert.equal(formatValue(1536, 'bytes'), '1.5 KiB');
    assert.equal(formatValue(null), '–');
    assert.equal(formatValue(Number.POSITIVE_INFINITY), '+Inf');
  });

  it('gives axis ticks as many decimals as keep them apart', () => {
    assert.deepEqual(formatTicks([0.6925, 0.6926, 0.6927], 'percent'), ['69.25%', '69.26%', '69.27%']);
    assert.deepEqual(formatTicks([0, 500, 1000], 'short'), ['0', '500', '1k']);
  });
});

describe('PromQL from filters', () => {
  it('quotes values so that no filter changes the query', () => {
    assert.equal(quote('a"} or vector(1) #'), '"a\\"} or vector(1) #"');
    assert.equal(matchers({ model: 'gpt-4o', provider: '', other: null }), '{model="gpt-4o"}');
    assert.equal(matchers({}), '');
  });
});

describe('target traffic lights', () => {
  const now = Date.parse('2026-11-23T13:00:00Z');
  const target = (over: Partial<ActiveTarget>): ActiveTarget => ({
    labels: {},
    scrapePool: 'agent',
    scrapeUrl: 'http://a/metrics',
    lastError: '',
    lastScrape: '2026-11-23T12:59:55Z',
    lastScrapeDuration: 0.01,
    health: 'up',
    scrapeInterval: '15s',
    ...over,
  });

  it('is green when up, yellow with an error or a late scrape, red when down', () => {
    assert.equal(targetLevel(target({}), now), 'ok');
    assert.equal(targetLevel(target({ lastError: 'sample limit' }), now), 'warn');
    assert.equal(targetLevel(target({ lastScrape: '2026-11-23T12:58:00Z' }), now), 'warn');
    assert.equal(targetLevel(target({ health: 'down' }), now), 'bad');
    assert.equal(targetLevel(target({ health: 'unknown' }), now), 'unknown');
  });

  it('sums services: all up green, some down yellow, all down red', () => {
    const services = summarizeServices(
      [
        target({ scrapePool: 'b', health: 'down' }),
        target({ scrapePool: 'a' }),
        target({ scrapePool: 'c' }),
        target({ scrapePool: 'c', health: 'down' }),
      ],
      now,
    );
    assert.deepEqual(
      services.map((s) => [s.name, s.level, s.up, s.total]),
      [
        ['a', 'ok', 1, 1],
        ['b', 'bad', 0, 1],
        ['c', 'warn', 1, 2],
      ],
    );
  });

  it('reads Prometheus durations', () => {
    assert.equal(durationSeconds('1m30s'), 90);
    assert.equal(durationSeconds('500ms'), 0.5);
    assert.equal(durationSeconds('soon'), undefined);
  });
});
