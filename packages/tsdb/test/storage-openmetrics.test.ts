import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { requireBinary } from '@vigil/test-peers';
import { exportOpenMetrics, importOpenMetrics, STALE_NAN, type Tsdb, TsdbError } from '../src/index.js';
import { eq, manualClock, openStore, readAll, T0, tempDir, times } from './support/storage-fixture.js';

async function exported(db: Tsdb, options?: Parameters<typeof exportOpenMetrics>[1]): Promise<string> {
  let text = '';
  for await (const piece of exportOpenMetrics(db, options)) text += piece;
  return text;
}

// A counter scraped from Prometheus text (metadata under the _total name), a histogram, a gauge without
// metadata, odd label values and timestamps whose seconds do not divide evenly.
function sample(db: Tsdb): void {
  db.setMetadata('http_requests_total', { type: 'counter', help: 'Requests "served".\nAll of them.' });
  db.setMetadata('latency_seconds', { type: 'histogram', help: 'Latency.', unit: 'seconds' });
  const req = db.series({ __name__: 'http_requests_total', code: '200', path: 'a"b\\c\nd' });
  const bucket = db.series({ __name__: 'latency_seconds_bucket', le: '0.5' });
  const inf = db.series({ __name__: 'latency_seconds_bucket', le: '+Inf' });
  const count = db.series({ __name__: 'latency_seconds_count' });
  const temp = db.series({ __name__: 'temperature' });
  for (let i = 0; i < 50; i++) {
    const t = T0 + i * 15_001 + (i % 7);
    db.append(req, t, i * 3);
    db.append(bucket, t, i);
    db.append(inf, t, i * 2);
    db.append(count, t, i * 2);
    db.append(temp, t, i === 10 ? STALE_NAN : 20 + i / 10);
  }
}

describe('OpenMetrics export and import', () => {
  test('export writes families with metadata, sorted series, second timestamps and # EOF', async (t) => {
    const db = openStore(t, { samplesPerChunk: 16 });
    sample(db);
    const text = await exported(db);
    const lines = text.split('\n');
    assert.equal(lines.at(-2), '# EOF');
    assert.equal(lines.at(-1), '');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('#')),
      [
        '# TYPE http_requests counter',
        '# HELP http_requests Requests \\"served\\".\\nAll of them.',
        '# TYPE latency_seconds histogram',
        '# HELP latency_seconds Latency.',
        '# UNIT latency_seconds seconds',
        '# EOF',
      ],
    );
    assert.ok(lines.includes(`http_requests_total{code="200",path="a\\"b\\\\c\\nd"} 0 ${T0 / 1000}`));
    assert.ok(lines.includes(`latency_seconds_bucket{le="+Inf"} 2 ${(T0 + 15_002) / 1000}`));
    // The stale marker is left out; the other 49 temperature samples are there.
    assert.equal(lines.filter((l) => l.startsWith('temperature ')).length, 49);
  });

  test('export then import gives the same samples, metadata and export text', async (t) => {
    const clock = manualClock(T0 + 3_600_000);
    const source = openStore(t, { samplesPerChunk: 16, now: clock.now });
    sample(source);
    const text = await exported(source);
    const target = openStore(t, { path: join(tempDir(t), 'import.db'), samplesPerChunk: 16, now: clock.now });
    const summary = await importOpenMetrics(target, text);
    assert.equal(summary.samples, 249);
    assert.equal(summary.imported, 249);
    assert.equal(summary.newSeries, 5);
    assert.equal(await exported(target), text);
    assert.deepEqual(target.metadata().get('http_requests'), [
      { type: 'counter', help: 'Requests "served".\nAll of them.', unit: '' },
    ]);
    // Appends continue after the imported samples, and refuse older ones.
    const ref = target.lookup({ __name__: 'temperature' })!;
    assert.equal(target.append(ref, T0, 1), 'out_of_order');
    assert.equal(target.append(ref, T0 + 50 * 15_001, 1), 'ok');
  });

  test('export limits by matchers and time range', async (t) => {
    const db = openStore(t, {});
    sample(db);
    const text = await exported(db, {
      matchers: [eq('__name__', 'temperature')],
      mint: T0 + 15_001,
      maxt: T0 + 30_004,
    });
    assert.equal(text, `temperature 20.1 ${(T0 + 15_002) / 1000}\ntemperature 20.2 ${(T0 + 30_004) / 1000}\n# EOF\n`);
  });

  test('importing the same text twice stores it once; older samples backfill before a series, overlap is refused', async (t) => {
    const clock = manualClock(T0 + 3_600_000);
    const db = openStore(t, { now: clock.now, samplesPerChunk: 8 });
    const ref = db.series({ __name__: 'x' });
    for (let i = 20; i < 40; i++) db.append(ref, T0 + i * 1000, i);
    const line = (i: number) => `x ${i} ${(T0 + i * 1000) / 1000}`;
    const text = [...Array.from({ length: 50 }, (_, i) => line(i)), line(45), '# EOF', ''].join('\n');
    const first = await importOpenMetrics(db, text);
    assert.deepEqual(
      [first.samples, first.imported, first.overlapping, first.duplicates, first.newSeries],
      [51, 30, 20, 1, 0],
    );
    assert.deepEqual(
      times(db, [eq('__name__', 'x')]),
      Array.from({ length: 50 }, (_, i) => T0 + i * 1000),
    );
    const second = await importOpenMetrics(db, text);
    assert.deepEqual([second.imported, second.overlapping], [0, 50]);
  });

  test('samples older than retention are counted, not imported', async (t) => {
    const clock = manualClock(T0 + 10_000);
    const db = openStore(t, { now: clock.now, retentionMs: 5_000 });
    const summary = await importOpenMetrics(db, `x 1 ${T0 / 1000}\nx 2 ${(T0 + 6_000) / 1000}\n# EOF\n`);
    assert.deepEqual([summary.tooOld, summary.imported], [1, 1]);
  });

  test('lines may come as an async iterable; batches are cut at families and inside large ones with right line numbers', async (t) => {
    const clock = manualClock(T0 + 3_600_000);
    const db = openStore(t, { now: clock.now });
    const lines: string[] = [];
    for (let f = 0; f < 5; f++) {
      lines.push(`# TYPE f${f} gauge`, `# HELP f${f} Family ${f}.`);
      for (let i = 0; i < 200; i++) lines.push(`f${f}{i="${i % 10}"} ${i} ${(T0 + i * 1000) / 1000}`);
    }
    lines.push('# EOF');
    async function* feed() {
      for (const line of lines) yield line;
    }
    const progress: number[] = [];
    const summary = await importOpenMetrics(db, feed(), {
      batchChars: 500,
      onProgress: (p) => progress.push(p.lines),
    });
    assert.equal(summary.imported, 1000);
    assert.ok(progress.length > 10);
    assert.deepEqual(db.metadata('f3').get('f3'), [{ type: 'gauge', help: 'Family 3.', unit: '' }]);

    const bad = [...lines];
    bad[700] = 'f3{i="1"} oops 1';
    await assert.rejects(
      importOpenMetrics(openStore(t, { now: clock.now }), bad, { batchChars: 500 }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_PARSE' && e.line === 701,
    );
  });

  test('bad input: a sample without timestamp, a missing # EOF, text after # EOF', async (t) => {
    const db = openStore(t, {});
    await assert.rejects(importOpenMetrics(db, 'x 1 1.5\nx 2\n# EOF\n'), {
      code: 'VIGIL_PARSE',
      message: /line 2:1: a sample needs a timestamp/,
    });
    await assert.rejects(importOpenMetrics(db, 'x 1 1.5\n'), { code: 'VIGIL_PARSE', message: /without "# EOF"/ });
    await assert.rejects(importOpenMetrics(db, 'x 1 1.5\n# EOF\nx 2 2\n'), {
      code: 'VIGIL_PARSE',
      message: /line 3:1: nothing may follow/,
    });
  });

  test('promtool tsdb create-blocks-from openmetrics reads the export and dumps the same samples', async (t) => {
    const promtool = requireBinary('promtool', 'prometheus');
    const dir = tempDir(t);
    const db = openStore(t, { samplesPerChunk: 16 });
    sample(db);
    const file = join(dir, 'export.om');
    writeFileSync(file, await exported(db));
    const blocks = join(dir, 'blocks');
    const create = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, blocks], {
      encoding: 'utf8',
    });
    assert.equal(create.status, 0, create.stderr + create.stdout);
    mkdirSync(join(blocks, 'wal')); // promtool 2.x's dump opens the WAL directory even when there is none
    const dump = spawnSync(promtool, ['tsdb', 'dump', blocks], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(dump.status, 0, dump.stderr);
    // promtool dump prints `{labels} value timestamp_ms` per sample.
    const dumped = new Map<string, number[][]>();
    for (const line of dump.stdout.trim().split('\n')) {
      const m = /^(\{.*\}) (\S+) (\d+)$/.exec(line);
      assert.ok(m, line);
      const labels = [...m[1]!.matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)]
        .map(([, k, v]) => `${k}=${JSON.parse(`"${v}"`) as string}`)
        .sort()
        .join(',');
      if (!dumped.has(labels)) dumped.set(labels, []);
      dumped.get(labels)!.push([Number(m[3]), Number(m[2])]);
    }
    const ours = readAll(db, [{ type: '=~', name: '__name__', value: '.+' }]);
    assert.equal(dumped.size, ours.size);
    for (const [key, samples] of ours) {
      const sorted = key.split(',').sort().join(',');
      const kept = samples.filter(([, v]) => !Number.isNaN(v));
      assert.deepEqual(dumped.get(sorted), kept, key);
    }
  });
});
