import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type AuditRecord, type AuditWriter, createAuditLog } from '../src/audit/index.js';
import { context, VigilError } from '../src/index.js';
import { createMetrics } from '../src/metrics/index.js';
import { loadSqliteStore, type SqliteAuditDatabase } from './support/audit-receiver.js';
import { captureLogger } from './support/capture.js';
import { sampleValue } from './support/metrics-read.js';

function counters() {
  const { log, out } = captureLogger({ level: 'debug' });
  const metrics = createMetrics({ defaultMetrics: false, logger: log });
  const read = (name: string, labels: Record<string, string>) =>
    sampleValue({ metric: metrics.registry.getSingleMetric(name) as never }, labels).then((v) => v ?? 0);
  const dropped = (reason: string) => read('vigil_audit_events_dropped_total', { reason });
  const written = () => read('vigil_audit_events_written_total', {});
  return { log, out, metrics, dropped, written };
}

/** A writer that keeps batches in memory, or throws as told. */
function memoryWriter(refuse: (event: AuditRecord) => boolean = () => false) {
  const batches: AuditRecord[][] = [];
  const writer: AuditWriter = {
    async appendBatch(events) {
      if (events.some(refuse)) throw new Error('refused');
      batches.push([...events]);
    },
  };
  return { writer, batches, events: () => batches.flat() };
}

async function withSqlite(fn: (db: SqliteAuditDatabase, dir: string) => Promise<void>): Promise<void> {
  const store = await loadSqliteStore();
  assert.ok(store, '@vigil/store/sqlite must be built (npx tsc -b) for the audit tests');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-audit-'));
  const db = await store.openSqliteStore(join(dir, 'vigil.db'));
  try {
    await fn(db, dir);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('audit log', () => {
  test('events land in a real SQLite store in order, chained, and verify() passes', async () => {
    await withSqlite(async (db) => {
      const { log, metrics, written } = counters();
      const audit = createAuditLog({ writer: db.audit, logger: log, metrics, maxBatch: 2 });
      const ids = [
        audit.append({ event_type: 'auth.login', success: true, details: { method: 'password' } }),
        audit.append({ event_type: 'token.revoked', target_user_id: 'u7', target_app_id: 'bot', success: true }),
        audit.append({ event_type: 'gate.denied', success: false, details: { rule: 'budget', n: [1, { a: null }] } }),
      ];
      await audit.close();
      const stored = await db.audit.query({ limit: 10 });
      assert.deepEqual(
        stored.map((e) => e.id),
        ids,
      );
      assert.deepEqual(
        stored.map((e) => e.seq),
        [1, 2, 3],
      );
      assert.equal(stored[1]!.prev_hash, stored[0]!.hash);
      assert.equal(stored[2]!.prev_hash, stored[1]!.hash);
      assert.deepEqual(stored[2]!.details, { rule: 'budget', n: [1, { a: null }] });
      assert.equal(stored[2]!.success, false);
      assert.equal(stored[1]!.target_user_id, 'u7');
      const verified = await db.audit.verify();
      assert.equal(verified.ok, true);
      assert.equal(verified.checked, 3);
      assert.equal(await written(), 3);
    });
  });

  test('id is a UUID and ts comes from the clock', async () => {
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, metrics: false, now: () => 1_795_435_200_000 });
    const id = audit.append({ event_type: 'auth.login', success: true });
    await audit.flush();
    assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(events(), [
      {
        id,
        ts: 1_795_435_200_000,
        event_type: 'auth.login',
        actor_user_id: 'system',
        target_user_id: null,
        target_app_id: null,
        success: true,
        details: {},
      },
    ]);
    await audit.close();
  });

  test('actor_user_id comes from the request context when absent; a given one (or null) wins', async () => {
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, metrics: false });
    context.run({ user_id: 'u-42' }, () => {
      audit.append({ event_type: 'token.created', success: true });
      audit.append({ event_type: 'token.created', actor_user_id: 'admin', success: true });
      audit.append({ event_type: 'token.created', actor_user_id: null, success: true });
    });
    audit.append({ event_type: 'system.cleanup', success: true });
    await audit.close();
    assert.deepEqual(
      events().map((e) => e.actor_user_id),
      ['u-42', 'admin', null, 'system'],
    );
  });

  test('a bad event is refused, counted and logged once per field, naming it; append does not throw', async () => {
    const { log, out, metrics, dropped } = counters();
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, logger: log, metrics });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const bad: unknown[] = [
      { event_type: '', success: true },
      { event_type: 'x'.repeat(129), success: true },
      { event_type: 'auth.login' },
      { event_type: 'auth.login', success: true, details: { at: new Date(0) } },
      { event_type: 'auth.login', success: true, details: { list: [1, Number.NaN] } },
      { event_type: 'auth.login', success: true, details: cycle },
      { event_type: 'auth.login', success: true, details: ['not', 'an', 'object'] },
      { event_type: 'auth.login', success: true, target_user_id: 7 },
      null,
    ];
    for (const event of bad) {
      assert.equal(audit.append(event as never), undefined);
    }
    await audit.close();
    assert.equal(events().length, 0);
    assert.equal(audit.stats().dropped.invalid, bad.length);
    assert.equal(await dropped('invalid'), bad.length);
    const warnings = out.lines.filter((line) => line.level === 'warning');
    assert.deepEqual(
      warnings.map((line) => line.field),
      ['event_type', 'success', 'details', 'target_user_id', 'event'],
    );
    assert.match(String(warnings[2]!.msg), /details\.at must be JSON: a Date is not plain JSON/);
    assert.match(String(warnings[0]!.msg), /event_type is required/);
  });

  test('details are copied at append: changing the object afterwards does not change the event', async () => {
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, metrics: false });
    const details = { reason: 'rotation', tags: ['a'], skip: undefined };
    audit.append({ event_type: 'token.revoked', success: true, details });
    details.reason = 'changed';
    details.tags.push('b');
    await audit.close();
    assert.deepEqual(events()[0]!.details, { reason: 'rotation', tags: ['a'] });
  });

  test('the queue is bounded: events beyond it are dropped, counted and logged once', async () => {
    const { log, out, metrics, dropped } = counters();
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, logger: log, metrics, maxQueue: 2, maxBatch: 100, flushIntervalMs: 60_000 });
    const ids = Array.from({ length: 5 }, () => audit.append({ event_type: 'auth.login', success: true }));
    assert.equal(ids.filter((id) => id === undefined).length, 3);
    assert.equal(audit.stats().queued, 2);
    assert.equal(await dropped('overflow'), 3);
    assert.equal(out.lines.filter((line) => /queue is full/.test(String(line.msg))).length, 1);
    await audit.flush();
    assert.equal(events().length, 2);
    assert.ok(audit.append({ event_type: 'auth.login', success: true }), 'room again once written');
    await audit.close();
  });

  test('a throwing writer never reaches the caller: the batch is dropped as failed, counted and logged', async () => {
    const { log, out, metrics, dropped } = counters();
    let calls = 0;
    const writer: AuditWriter = {
      appendBatch() {
        calls++;
        throw new Error('disk on fire');
      },
    };
    const audit = createAuditLog({ writer, logger: log, metrics, maxBatch: 3 });
    for (let i = 0; i < 5; i++) assert.ok(audit.append({ event_type: 'auth.login', success: true }));
    await assert.doesNotReject(audit.flush());
    await assert.doesNotReject(audit.close());
    assert.equal(await dropped('failed'), 5);
    assert.equal(audit.stats().written, 0);
    // Batch of 3: once whole, then the first two alone before giving up; batch of 2: the same.
    assert.equal(calls, 6);
    const errors = out.lines.filter((line) => line.level === 'error');
    assert.equal(errors.length, 1, 'failures are logged at most once a minute');
    assert.match(String(errors[0]!.msg), /could not write 3 events/);
  });

  test('a batch the writer refuses for one event is written event by event; only that event is dropped', async () => {
    const { metrics, dropped, written } = counters();
    const { writer, events } = memoryWriter((event) => event.event_type === 'poison');
    const audit = createAuditLog({ writer, metrics, logger: captureLogger().log });
    audit.append({ event_type: 'poison', success: true });
    audit.append({ event_type: 'a', success: true });
    audit.append({ event_type: 'poison', success: true });
    audit.append({ event_type: 'b', success: true });
    await audit.close();
    assert.deepEqual(
      events().map((e) => e.event_type),
      ['a', 'b'],
    );
    assert.equal(await dropped('refused'), 2);
    assert.equal(await written(), 2);
  });

  test('audit.appended is logged at debug per append, in the request context, without details', async () => {
    const { log, out } = counters();
    const { writer } = memoryWriter();
    const audit = createAuditLog({ writer, logger: log, metrics: false });
    context.run({ correlation_id: 'req-9', user_id: 'u-1' }, () =>
      audit.append({ event_type: 'auth.login', target_app_id: 'bot', success: true, details: { secret: 'x' } }),
    );
    await audit.close();
    const line = out.lines.find((l) => l.event === 'audit.appended');
    assert.ok(line);
    assert.equal(line.level, 'debug');
    assert.equal(line.module, 'audit');
    assert.equal(line.correlation_id, 'req-9');
    assert.equal(line.audit_event_type, 'auth.login');
    assert.equal(line.actor_user_id, 'u-1');
    assert.equal(line.details, undefined);
  });

  test('close writes what is queued and runs once; later appends are dropped as closed and do not throw', async () => {
    const { metrics, dropped } = counters();
    const { writer, events } = memoryWriter();
    const audit = createAuditLog({ writer, metrics, flushIntervalMs: 60_000 });
    audit.append({ event_type: 'auth.login', success: true });
    await Promise.all([audit.close(), audit.close()]);
    assert.equal(audit.append({ event_type: 'auth.login', success: true }), undefined);
    assert.equal(events().length, 1);
    assert.equal(await dropped('closed'), 1);
  });

  test('without a writer, events go to $VIGIL_DATA_DIR/vigil.db, and close closes that database', async () => {
    const store = await loadSqliteStore();
    assert.ok(store);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-audit-default-'));
    try {
      const audit = createAuditLog({ env: { VIGIL_DATA_DIR: dir }, metrics: false });
      audit.append({ event_type: 'system.startup', success: true });
      audit.append({ event_type: 'auth.login', success: true });
      await audit.close();
      assert.ok(existsSync(join(dir, 'vigil.db')));
      const db = await store.openSqliteStore(join(dir, 'vigil.db'));
      try {
        assert.equal((await db.audit.query()).length, 2);
        assert.equal((await db.audit.verify()).ok, true);
      } finally {
        await db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a writer without appendBatch or a bad queue size is VIGIL_BAD_OPTION at creation', () => {
    assert.throws(
      () => createAuditLog({ writer: {} as never }),
      (error: unknown) =>
        error instanceof VigilError && error.code === 'VIGIL_BAD_OPTION' && /writer/.test(error.message),
    );
    assert.throws(
      () => createAuditLog({ writer: memoryWriter().writer, maxQueue: 0 }),
      (error: unknown) => error instanceof VigilError && /maxQueue/.test(error.message),
    );
  });
});
