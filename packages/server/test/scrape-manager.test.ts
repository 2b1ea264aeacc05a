import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isStaleNaN } from '@vigil/tsdb';
import { fetchExposition } from '../src/scrape/fetch-exposition.js';
import { stampOf } from '../src/scrape/scrape-loop.js';
import { ScrapeManager } from '../src/scrape/scrape-manager.js';
import { exposition } from './support/exposition-server.js';
import { RecordingSink } from './support/recording-sink.js';
import { targetFor } from './support/scrape-target.js';

const servers: Server[] = [];
let a = '';
let b = '';
before(async () => {
  for (const body of ['from_a 1\n', 'from_b 2\n']) {
    const target = await exposition({ body });
    servers.push(target.server);
    if (a === '') a = target.url;
    else b = target.url;
  }
});
after(() => {
  for (const server of servers) server.close();
});

// Real loops on real timers: short intervals, every wait bounded.
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('sync starts a loop per target, stops vanished ones with staleness markers, and stop() ends the rest', async () => {
  const sink = new RecordingSink();
  const manager = new ScrapeManager(sink);
  const fast = { intervalMs: 40, timeoutMs: 40 };
  const upOf = (url: string) => sink.of(`up{instance="${new URL(url).host}",job="test"}`);
  await manager.sync([targetFor(a, fast), targetFor(b, fast)]);
  assert.equal(manager.active.length, 2);
  await until(() => upOf(a).length >= 2 && upOf(b).length >= 2, 'two scrapes of each target');

  await manager.sync([targetFor(a, fast)]);
  assert.equal(manager.active.length, 1);
  const bSamples = sink.of(`from_b{instance="${new URL(b).host}",job="test"}`);
  assert.ok(isStaleNaN(bSamples.at(-1)!.v), 'the removed target ends stale');
  const bCount = bSamples.length;

  await manager.stop();
  assert.equal(manager.active.length, 0);
  assert.ok(isStaleNaN(sink.of(`from_a{instance="${new URL(a).host}",job="test"}`).at(-1)!.v));
  // Nothing scrapes after stop.
  const total = sink.samples.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(sink.samples.length, total);
  assert.equal(sink.of(`from_b{instance="${new URL(b).host}",job="test"}`).length, bCount);
});

test('offsets spread targets over the interval and stay the same for the same target', async () => {
  const offsets = new Set<number>();
  for (let i = 0; i < 20; i++) {
    const sink = new RecordingSink();
    const manager = new ScrapeManager(sink);
    const offset = (manager as unknown as { offsetOf(t: unknown): number }).offsetOf(
      targetFor(`http://127.0.0.1:${9000 + i}/metrics`),
    );
    assert.ok(offset >= 0 && offset < 15_000);
    offsets.add(offset);
    const again = (manager as unknown as { offsetOf(t: unknown): number }).offsetOf(
      targetFor(`http://127.0.0.1:${9000 + i}/metrics`),
    );
    assert.equal(again, offset);
  }
  assert.ok(offsets.size >= 18, `offsets spread: ${[...offsets].join(',')}`);
});

test('redirects are followed unless follow_redirects is false', async () => {
  const final = await exposition({ body: 'moved 1\n' });
  const redirect = createServer((_req, res) => res.writeHead(302, { location: final.url }).end());
  redirect.listen(0, '127.0.0.1');
  await once(redirect, 'listening');
  const url = `http://127.0.0.1:${(redirect.address() as AddressInfo).port}/metrics`;
  try {
    const answer = await fetchExposition({ url, timeoutMs: 2_000 });
    assert.equal(answer.body, 'moved 1\n');
    await assert.rejects(
      fetchExposition({ url, timeoutMs: 2_000, followRedirects: false }),
      /HTTP status 302 \(a redirect\) and follow_redirects is false/,
    );
  } finally {
    redirect.close();
    final.server.close();
  }
});

test('a scrape that starts within 25 ms of its schedule is stamped with the scheduled time', () => {
  assert.equal(stampOf(1_000_000, 1_000_010), 1_000_000);
  assert.equal(stampOf(1_000_000, 999_980), 1_000_000);
  assert.equal(stampOf(1_000_000, 1_000_026), 1_000_026);
});
