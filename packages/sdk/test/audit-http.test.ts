import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createAuditLog, createHttpAuditWriter } from '../src/audit/index.js';
import { VigilError } from '../src/index.js';
import { auditReceiver, loadSqliteStore } from './support/audit-receiver.js';
import { captureLogger } from './support/capture.js';

const noSleep = async () => {};

describe('HTTP audit writer', () => {
  test('posts {"audit":[...]} with an Idempotency-Key and bearer token; every field arrives', async () => {
    const receiver = await auditReceiver();
    try {
      const writer = createHttpAuditWriter({ url: receiver.url, token: 't0ken' });
      const audit = createAuditLog({ writer, metrics: false, now: () => 1_795_435_200_000 });
      const id = audit.append({
        event_type: 'token.revoked',
        actor_user_id: 'admin',
        target_user_id: 'u7',
        target_app_id: 'bot',
        success: true,
        details: { reason: 'rotation' },
      });
      await audit.close();
      assert.equal(receiver.requests.length, 1);
      const { headers, body } = receiver.requests[0]!;
      assert.match(String(headers['idempotency-key']), /^[0-9a-f-]{36}$/);
      assert.equal(headers.authorization, 'Bearer t0ken');
      assert.equal(headers['content-type'], 'application/json');
      assert.deepEqual(body, {
        audit: [
          {
            id,
            ts: 1_795_435_200_000,
            event_type: 'token.revoked',
            actor_user_id: 'admin',
            target_user_id: 'u7',
            target_app_id: 'bot',
            success: true,
            details: { reason: 'rotation' },
          },
        ],
      });
    } finally {
      await receiver.close();
    }
  });

  test('503, 429 and a timeout are retried under the same Idempotency-Key; the events are kept once', async () => {
    const receiver = await auditReceiver([503, { status: 429, headers: { 'retry-after': '0' } }, 'hang', 200]);
    const delays: number[] = [];
    try {
      const writer = createHttpAuditWriter({
        url: receiver.url,
        timeoutMs: 200,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
      });
      const audit = createAuditLog({ writer, metrics: false });
      audit.append({ event_type: 'auth.login', success: true });
      audit.append({ event_type: 'auth.logout', success: true });
      await audit.close();
      assert.equal(receiver.requests.length, 4);
      assert.equal(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size, 1);
      assert.equal(receiver.events.size, 2);
      assert.deepEqual(delays, [125, 250, 500]);
      assert.equal(audit.stats().written, 2);
    } finally {
      await receiver.close();
    }
  });

  test('a 400 is not retried: the lone event is dropped as failed and logged, append never throws', async () => {
    const receiver = await auditReceiver([400]);
    const { log, out } = captureLogger();
    try {
      const writer = createHttpAuditWriter({ url: receiver.url, sleep: noSleep });
      const audit = createAuditLog({ writer, metrics: false, logger: log });
      assert.ok(audit.append({ event_type: 'auth.login', success: true }));
      await audit.close();
      assert.equal(receiver.requests.length, 1);
      assert.equal(audit.stats().dropped.failed, 1);
      assert.match(String(out.lines.find((l) => l.level === 'error')?.msg), /could not write 1 events/);
    } finally {
      await receiver.close();
    }
  });

  test('a service that is down: tries run out, the batch is dropped as failed', async () => {
    const receiver = await auditReceiver([500, 500, 500, 500, 500, 500, 500, 500, 500]);
    try {
      const writer = createHttpAuditWriter({ url: receiver.url, maxAttempts: 3, sleep: noSleep });
      const audit = createAuditLog({ writer, metrics: false, logger: captureLogger().log });
      audit.append({ event_type: 'a', success: true });
      await audit.close();
      assert.equal(receiver.requests.length, 3);
      assert.equal(audit.stats().dropped.failed, 1);
    } finally {
      await receiver.close();
    }
  });

  test('a retry after a lost answer appends nothing twice to a real store: the chain verifies', async () => {
    const store = await loadSqliteStore();
    assert.ok(store, '@vigil/store/sqlite must be built');
    const dir = await mkdtemp(join(tmpdir(), 'vigil-audit-http-'));
    const db = await store.openSqliteStore(join(dir, 'vigil.db'));
    // The service appends each batch to its store, then its first answer is lost (a 502 from a proxy).
    const receiver = await auditReceiver([502, 200], (events) => db.audit.appendBatch(events).then(() => undefined));
    try {
      const writer = createHttpAuditWriter({ url: receiver.url, sleep: noSleep });
      const audit = createAuditLog({ writer, metrics: false });
      for (let i = 0; i < 3; i++) audit.append({ event_type: 'auth.login', success: true, details: { i } });
      await audit.close();
      assert.equal(receiver.requests.length, 2);
      assert.equal((await db.audit.query()).length, 3);
      const verified = await db.audit.verify();
      assert.deepEqual([verified.ok, verified.checked], [true, 3]);
    } finally {
      await receiver.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a URL that is not absolute http(s) is VIGIL_BAD_OPTION', () => {
    for (const url of ['not a url', 'ftp://x/audit']) {
      assert.throws(
        () => createHttpAuditWriter({ url }),
        (error: unknown) => error instanceof VigilError && error.code === 'VIGIL_BAD_OPTION',
      );
    }
  });
});
