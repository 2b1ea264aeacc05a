import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createHealth, EventLoopMonitor, TurnPool } from '../src/health/index.js';
import { VigilError } from '../src/index.js';

function clock(start = Date.parse('2026-11-23T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const quietLoop = () => new EventLoopMonitor({ windowMs: 60_000 });

describe('readiness', () => {
  test('ready when every readiness check passes, not_ready naming the failing ones', async () => {
    const health = createHealth({ eventLoop: quietLoop() });
    let dbUp = true;
    health.check('db', () => dbUp, { kind: 'database' });
    health.check('vault', () => undefined, { kind: 'vault' });
    health.check('mcp', () => 'degraded', { kind: 'mcp_server' });
    health.check(
      'slow-cache',
      () => {
        throw new Error('nope');
      },
      { readiness: false },
    );
    assert.deepEqual(await health.readiness(), { status: 'ready' });
    dbUp = false;
    const c = clock();
    const h2 = createHealth({ eventLoop: quietLoop(), now: c.now });
    h2.check('db', () => dbUp, { kind: 'database' });
    assert.deepEqual(await h2.readiness(), { status: 'not_ready', failed: ['db'] });
  });

  test('a check that hangs fails after its timeout', async () => {
    const health = createHealth({ eventLoop: quietLoop() });
    health.check('hangs', () => new Promise(() => {}), { timeoutMs: 20 });
    assert.deepEqual(await health.readiness(), { status: 'not_ready', failed: ['hangs'] });
    const detailed = await health.detailed();
    assert.match(detailed.components[0]!.last_error ?? '', /timed out after 20 ms/);
  });

  test('results are cached briefly and concurrent probes share one run', async () => {
    const c = clock();
    const health = createHealth({ eventLoop: quietLoop(), now: c.now, cacheMs: 1_000 });
    let runs = 0;
    health.check('db', async () => {
      runs++;
    });
    await Promise.all(Array.from({ length: 50 }, () => health.readiness()));
    assert.equal(runs, 1);
    c.advance(500);
    await health.readiness();
    assert.equal(runs, 1, 'still cached');
    c.advance(600);
    await health.readiness();
    assert.equal(runs, 2, 're-checked after the cache time');
  });

  test('draining wins over every check', async () => {
    const health = createHealth({ eventLoop: quietLoop() });
    health.check('db', () => true);
    health.startDraining();
    assert.deepEqual(await health.readiness(), { status: 'draining' });
  });
});

describe('detailed health', () => {
  test('ok with system figures, event-loop lag, workers and components', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-health-'));
    const pool = new TurnPool({ maxWorkers: 2 });
    const health = createHealth({ service: 'svc', version: '1.0.0', dataDir: dir, pool, eventLoop: quietLoop() });
    health.check('db', () => true, { kind: 'database', critical: true });
    const report = await health.detailed();
    assert.equal(report.status, 'ok');
    assert.deepEqual(report.reasons, []);
    assert.equal(report.service, 'svc');
    assert.equal(report.version, '1.0.0');
    assert.ok(report.system.rss_bytes > 0 && report.system.heap_used_bytes > 0);
    assert.equal(report.system.load_average.length, 3);
    assert.equal(report.system.disk?.path, dir);
    assert.ok((report.system.disk?.used_percent ?? -1) >= 0);
    assert.deepEqual(Object.keys(report.event_loop).sort(), [
      'last_stall_at',
      'longest_stall_ms',
      'max_ms',
      'p50_ms',
      'p99_ms',
      'stalls',
      'window_seconds',
    ]);
    assert.deepEqual(report.workers, {
      active: 0,
      max_workers: 2,
      queued: 0,
      max_queue: 100,
      completed: 0,
      rejected: 0,
    });
    const [db] = report.components;
    assert.equal(db!.name, 'db');
    assert.equal(db!.kind, 'database');
    assert.equal(db!.status, 'ok');
    assert.ok(db!.checked_at !== null && db!.latency_ms >= 0);
  });

  test('down when a critical component fails, degraded when a non-critical one does', async () => {
    const health = createHealth({ eventLoop: quietLoop() });
    let vaultFails = false;
    health.check('channel', () => ({ status: 'degraded', detail: 'discord slow' }), { kind: 'channel' });
    health.check(
      'vault',
      () => {
        if (vaultFails) throw new Error('sealed; token sk-abcdefghijklmnopqrstu');
      },
      { kind: 'vault', critical: true, readiness: false },
    );
    let report = await health.detailed();
    assert.equal(report.status, 'degraded');
    assert.deepEqual(report.reasons, ['component channel is degraded']);
    vaultFails = true;
    const h2 = createHealth({ eventLoop: quietLoop() });
    h2.check(
      'vault',
      () => {
        if (vaultFails) throw new Error('sealed; token sk-abcdefghijklmnopqrstu');
      },
      { critical: true },
    );
    report = await h2.detailed();
    assert.equal(report.status, 'down');
    assert.equal(report.components[0]!.last_error, 'sealed; token [REDACTED]', 'no secret in the health body');
  });

  test('degraded when the event loop lags or every worker is busy', async () => {
    const loop = quietLoop();
    const stalls: number[] = [];
    const watched = new EventLoopMonitor({ windowMs: 60_000, onStall: (ms) => stalls.push(ms) });
    watched.recordStall(1500);
    assert.deepEqual(stalls, [1500]);
    assert.equal(watched.lag().stalls, 1);
    assert.equal(watched.lag().longest_stall_ms, 1500);
    const pool = new TurnPool({ maxWorkers: 1 });
    let release = () => {};
    const running = pool.run(() => new Promise<void>((resolve) => (release = resolve)));
    const health = createHealth({ eventLoop: loop, pool, lagThresholdMs: -1 });
    const report = await health.detailed();
    assert.equal(report.status, 'degraded');
    assert.ok(report.reasons.some((r) => r.startsWith('event loop p99')));
    assert.ok(report.reasons.includes('all 1 workers busy'));
    release();
    await running;
  });

  test('the watchdog notices a stalled event loop', async () => {
    const stalls: number[] = [];
    const monitor = new EventLoopMonitor({ stallMs: 100, onStall: (ms) => stalls.push(ms) }).start();
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // block the loop: this is the stall the watchdog must notice
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    monitor.stop();
    assert.equal(stalls.length, 1);
    assert.ok(stalls[0]! > 100);
  });
});

describe('turn pool', () => {
  test('runs at most maxWorkers turns at once, queues the rest, rejects beyond the queue', async () => {
    const pool = new TurnPool({ maxWorkers: 2, maxQueue: 1 });
    const releases: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const a = pool.run(hold);
    const b = pool.run(hold);
    const c = pool.run(hold);
    await assert.rejects(
      pool.run(hold),
      (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_TURN_POOL_FULL',
    );
    assert.deepEqual(pool.stats(), { active: 2, max_workers: 2, queued: 1, max_queue: 1, completed: 0, rejected: 1 });
    assert.equal(pool.saturated, true);
    releases.shift()!();
    await a;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pool.stats().queued, 0);
    for (const release of releases.splice(0)) release();
    await Promise.all([b, c]);
    assert.deepEqual(pool.stats(), { active: 0, max_workers: 2, queued: 0, max_queue: 1, completed: 3, rejected: 1 });
  });

  test('a failing turn frees its worker', async () => {
    const pool = new TurnPool({ maxWorkers: 1 });
    await assert.rejects(
      pool.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await pool.run(() => 7), 7);
  });

  test('bad sizes are refused', () => {
    assert.throws(() => new TurnPool({ maxWorkers: 0 }), /maxWorkers must be an integer ≥ 1, got 0/);
    assert.throws(() => new TurnPool({ maxQueue: 1.5 }), /maxQueue/);
  });
});
