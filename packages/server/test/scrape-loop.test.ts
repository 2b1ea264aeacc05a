import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { isStaleNaN } from '@vigil/tsdb';
import { METADATA_EVERY, ScrapeLoop } from '../src/scrape/scrape-loop.js';
import { type Answer, exposition } from './support/exposition-server.js';
import { RecordingSink } from './support/recording-sink.js';
import { targetFor } from './support/scrape-target.js';

const T0 = 1_700_000_000_000;
const TWO_SERIES = [
  '# HELP jobs_total Jobs run.',
  '# TYPE jobs_total counter',
  'jobs_total{kind="a"} 3',
  'jobs_total{kind="b"} 5',
  '',
].join('\n');

describe('ScrapeLoop against a real HTTP target', () => {
  let server: Server;
  let url = '';
  let host = '';
  let set: (a: Answer) => void;
  let requests: Record<string, string | string[] | undefined>[];
  before(async () => {
    const target = await exposition({ body: TWO_SERIES });
    ({ server, url, set, requests } = target);
    host = new URL(url).host;
  });
  after(() => server.close());

  const clockAt = (t: number) => () => t;

  test('stores every sample with job and instance, writes up and the scrape_* series and the metadata', async () => {
    set({ body: TWO_SERIES });
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink, { now: clockAt(T0) });
    const outcome = await loop.scrape(T0);
    assert.equal(outcome.up, true, outcome.error);
    assert.deepEqual(sink.of(`jobs_total{instance="${host}",job="test",kind="a"}`), [
      { series: `jobs_total{instance="${host}",job="test",kind="a"}`, t: T0, v: 3 },
    ]);
    assert.equal(sink.of(`up{instance="${host}",job="test"}`)[0]?.v, 1);
    assert.equal(sink.of(`scrape_samples_scraped{instance="${host}",job="test"}`)[0]?.v, 2);
    assert.equal(sink.of(`scrape_samples_post_metric_relabeling{instance="${host}",job="test"}`)[0]?.v, 2);
    assert.equal(sink.of(`scrape_series_added{instance="${host}",job="test"}`)[0]?.v, 2);
    assert.equal(sink.of(`scrape_duration_seconds{instance="${host}",job="test"}`).length, 1);
    assert.deepEqual(sink.metadata.get('jobs_total'), { type: 'counter', help: 'Jobs run.', unit: '' });
    assert.equal(loop.health.health, 'up');
    assert.equal(loop.health.lastScrape, T0);
    const headers = requests.at(-1)!;
    assert.match(String(headers.accept), /application\/openmetrics-text/);
    assert.equal(headers['accept-encoding'], 'gzip');
    assert.equal(headers['x-prometheus-scrape-timeout-seconds'], '2');
  });

  test('a gzip answer and an OpenMetrics answer are read', async () => {
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink, { now: clockAt(T0) });
    set({ body: TWO_SERIES, gzip: true });
    assert.equal((await loop.scrape(T0)).samplesStored, 2);
    set({
      body: '# TYPE temp_celsius gauge\n# UNIT temp_celsius celsius\ntemp_celsius 21.5 1700000001.5\n# EOF\n',
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
    });
    const om = await loop.scrape(T0 + 15_000);
    assert.equal(om.up, true, om.error);
    // The exposition's own timestamp is kept (honor_timestamps).
    assert.deepEqual(sink.of(`temp_celsius{instance="${host}",job="test"}`), [
      { series: `temp_celsius{instance="${host}",job="test"}`, t: 1_700_000_001_500, v: 21.5 },
    ]);
  });

  test('a series that disappears gets a staleness marker at the next scrape', async () => {
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink, { now: clockAt(T0) });
    set({ body: TWO_SERIES });
    await loop.scrape(T0);
    set({ body: 'jobs_total{kind="a"} 4\n' });
    const outcome = await loop.scrape(T0 + 15_000);
    assert.equal(outcome.staleMarkers, 1);
    const b = sink.of(`jobs_total{instance="${host}",job="test",kind="b"}`);
    assert.equal(b.length, 2);
    assert.equal(b[1]!.t, T0 + 15_000);
    assert.ok(isStaleNaN(b[1]!.v));
    assert.equal(sink.of(`jobs_total{instance="${host}",job="test",kind="a"}`)[1]?.v, 4);
    assert.equal(sink.of(`scrape_series_added{instance="${host}",job="test"}`)[1]?.v, 0);
  });

  test('a failed scrape writes up 0, marks every series of the last one stale and keeps the reason', async () => {
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink, { now: clockAt(T0) });
    set({ body: TWO_SERIES });
    await loop.scrape(T0);
    set({ status: 500, body: 'oops' });
    const outcome = await loop.scrape(T0 + 15_000);
    assert.equal(outcome.up, false);
    assert.equal(outcome.staleMarkers, 2);
    assert.match(loop.health.lastError, /HTTP status 500/);
    assert.equal(loop.health.health, 'down');
    assert.equal(sink.of(`up{instance="${host}",job="test"}`)[1]?.v, 0);
    for (const kind of ['a', 'b']) {
      const last = sink.of(`jobs_total{instance="${host}",job="test",kind="${kind}"}`).at(-1)!;
      assert.ok(isStaleNaN(last.v) && last.t === T0 + 15_000, kind);
    }
  });

  test('malformed text fails the whole scrape with line and column, and stores nothing of it', async () => {
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink, { now: clockAt(T0) });
    set({ body: 'good_one 1\ngood_two 2\nbad{x="1" 3\n' });
    const outcome = await loop.scrape(T0);
    assert.equal(outcome.up, false);
    assert.match(outcome.error, /^parse error: line 3:\d+: /);
    assert.deepEqual(sink.of(`good_one{instance="${host}",job="test"}`), []);
    assert.equal(sink.of(`up{instance="${host}",job="test"}`)[0]?.v, 0);
  });

  test('sample_limit and label limits fail the scrape whole, naming the limit', async () => {
    set({ body: TWO_SERIES });
    const limited = (limits: Partial<ReturnType<typeof targetFor>['limits']>) =>
      new ScrapeLoop(targetFor(url, { limits: { ...targetFor(url).limits, ...limits } }), new RecordingSink());
    const cases: [Partial<ReturnType<typeof targetFor>['limits']>, RegExp][] = [
      [{ sampleLimit: 1 }, /sample_limit exceeded/],
      [{ labelLimit: 3 }, /label_limit exceeded: series jobs_total has 4 labels, limit 3/],
      [{ labelValueLengthLimit: 5 }, /label_value_length_limit exceeded/],
      [{ labelNameLengthLimit: 3 }, /label_name_length_limit exceeded: label name "__name__"/],
    ];
    for (const [limits, reason] of cases) {
      const loop = limited(limits);
      const outcome = await loop.scrape(T0);
      assert.equal(outcome.up, false, JSON.stringify(limits));
      assert.match(outcome.error, reason);
      assert.equal(outcome.samplesStored, 0);
    }
    // Within the limits the same exposition is fine.
    assert.equal((await limited({ sampleLimit: 2, labelLimit: 4 }).scrape(T0)).up, true);
  });

  test('honor_labels decides who wins a clash; honor_timestamps false uses the scrape time', async () => {
    set({ body: 'clash{job="theirs"} 1 1600000000000\n' });
    const sink = new RecordingSink();
    await new ScrapeLoop(targetFor(url), sink).scrape(T0);
    assert.equal(sink.of(`clash{exported_job="theirs",instance="${host}",job="test"}`)[0]?.t, 1_600_000_000_000);
    const honoring = new RecordingSink();
    await new ScrapeLoop(targetFor(url, { honorLabels: true, honorTimestamps: false }), honoring).scrape(T0);
    assert.deepEqual(honoring.of(`clash{instance="${host}",job="theirs"}`), [
      { series: `clash{instance="${host}",job="theirs"}`, t: T0, v: 1 },
    ]);
  });

  test('metric_relabel_configs can drop samples, and sample_limit counts what is left', async () => {
    set({ body: TWO_SERIES });
    const sink = new RecordingSink();
    const target = targetFor(url, {
      limits: { ...targetFor(url).limits, sampleLimit: 1 },
      metricRelabel: (labels) => (labels.some((l) => l.name === 'kind' && l.value === 'b') ? undefined : labels),
    });
    const outcome = await new ScrapeLoop(target, sink).scrape(T0);
    assert.equal(outcome.up, true, outcome.error);
    assert.equal(outcome.samplesScraped, 2);
    assert.equal(outcome.samplesStored, 1);
    assert.deepEqual(sink.of(`jobs_total{instance="${host}",job="test",kind="b"}`), []);
  });

  test('a slow target fails with the timeout, a big one with body_size_limit, a closed port as refused', async () => {
    set({ body: TWO_SERIES, delayMs: 1_000 });
    const slow = await new ScrapeLoop(targetFor(url, { timeoutMs: 100 }), new RecordingSink()).scrape(T0);
    assert.match(slow.error, /context deadline exceeded.*0\.1s/);
    set({ body: TWO_SERIES });
    const big = await new ScrapeLoop(
      targetFor(url, { limits: { ...targetFor(url).limits, bodySizeLimit: 10 } }),
      new RecordingSink(),
    ).scrape(T0);
    assert.match(big.error, /body size limit exceeded: more than 10 bytes/);
    const refused = await new ScrapeLoop(targetFor('http://127.0.0.1:1/metrics'), new RecordingSink()).scrape(T0);
    assert.match(refused.error, /connection refused by 127\.0\.0\.1:1/);
  });

  test('samples the store refuses are counted by reason, not fatal', async () => {
    set({ body: 'dup 1 1600000000000\ndup 2 1600000000000\n' });
    const outcome = await new ScrapeLoop(targetFor(url), new RecordingSink()).scrape(T0);
    assert.equal(outcome.up, true);
    assert.deepEqual(outcome.rejected, { duplicate: 1 });
  });

  test('metadata is read on the first scrape and again every METADATA_EVERY scrapes', async () => {
    const sink = new RecordingSink();
    const loop = new ScrapeLoop(targetFor(url), sink);
    set({ body: '# HELP m First help.\n# TYPE m gauge\nm 1\n' });
    await loop.scrape(T0);
    assert.equal(sink.metadata.get('m')?.help, 'First help.');
    set({ body: '# HELP m Second help.\n# TYPE m gauge\nm 1\n' });
    for (let i = 1; i < METADATA_EVERY; i++) await loop.scrape(T0 + i * 15_000);
    assert.equal(sink.metadata.get('m')?.help, 'First help.', 'not re-read before the tenth scrape');
    await loop.scrape(T0 + METADATA_EVERY * 15_000);
    assert.equal(sink.metadata.get('m')?.help, 'Second help.');
  });

  test('stop() marks the last scrape and the report series stale', async () => {
    set({ body: TWO_SERIES });
    const sink = new RecordingSink();
    let now = T0;
    const loop = new ScrapeLoop(targetFor(url), sink, { now: () => now });
    await loop.scrape(T0);
    now = T0 + 1_000;
    await loop.stop();
    const stale = sink.samples.filter((s) => s.t === T0 + 1_000);
    assert.equal(stale.length, 2 + 5);
    assert.ok(stale.every((s) => isStaleNaN(s.v)));
  });
});
