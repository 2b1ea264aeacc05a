import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAuditLog, createHttpAuditWriter } from '@vigil/sdk/audit';
import { createHttpSink } from '@vigil/sdk/recording';
import { post, startIngestApp } from './support/ingest-app.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function row(i: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `inv-${i}`,
    ts: T0 + i,
    app_id: 'support-bot',
    session_id: 's1',
    correlation_id: 'req-1',
    task_type: 'chat',
    model_alias: 'fast',
    model_actual: 'claude-haiku-4-5',
    provider: 'anthropic',
    input_hash: null,
    latency_ms: 100 + i,
    tokens_in: 10,
    tokens_out: 5,
    cache_read_tokens_in: 0,
    cache_creation_tokens_in: 0,
    cost_usd: 0.001,
    user_id: 'u1',
    task_id: null,
    is_shadow: false,
    skill_id: null,
    escalation_request_id: null,
    chain_id: null,
    caller: null,
    queue_wait_ms: null,
    overflow_escalated: false,
    status: 'ok' as const,
    error: null,
    ...overrides,
  };
}

const quick = { baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} };

describe("the SDK's HTTP sinks against the ingest routes", () => {
  test('createHttpSink delivers invocation rows; a 2xx means they are committed', async () => {
    const { base, store } = await startIngestApp();
    const sink = createHttpSink({ url: `${base}/api/vigil/ingest/invocations`, ...quick });
    for (let i = 0; i < 5; i++) sink.write(row(i));
    await sink.flush();
    assert.equal(await store.invocations.count(), 5);
    await sink.close();
  });

  test('a retried batch (the answer was lost after the commit) stores every row once', async () => {
    const { base, store } = await startIngestApp();
    let calls = 0;
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      calls++;
      if (calls === 1) throw new TypeError('socket hang up (after the server committed)');
      return response;
    };
    const sink = createHttpSink({ url: `${base}/api/vigil/ingest/invocations`, fetch: losingFetch, ...quick });
    sink.write(row(1));
    sink.write(row(2));
    await sink.flush();
    assert.equal(calls, 2);
    sink.write(row(2));
    sink.write(row(3));
    await sink.flush();
    await sink.close();
    assert.deepEqual(
      (await store.invocations.query()).map((r) => r.id),
      ['inv-1', 'inv-2', 'inv-3'],
    );
  });

  test('createHttpAuditWriter: the service computes the chain; a retried batch appends nothing twice', async () => {
    const { base, store } = await startIngestApp();
    const writer = createHttpAuditWriter({ url: `${base}/api/vigil/ingest/audit`, ...quick });
    const audit = createAuditLog({ writer });
    audit.append({
      event_type: 'token.revoked',
      actor_user_id: 'admin',
      target_user_id: 'u7',
      success: true,
      details: { reason: 'rotation' },
    });
    audit.append({ event_type: 'gate.denied', success: false });
    await audit.flush();
    const events = await store.audit.query();
    assert.equal(events.length, 2);
    assert.equal(events[1]?.prev_hash, events[0]?.hash);
    const records = events.map(({ seq: _seq, prev_hash: _p, hash: _h, ...rest }) => rest);
    await writer.appendBatch(records);
    assert.equal(await store.audit.count(), 2);
    assert.equal((await store.audit.verify()).ok, true);
    await audit.close();
  });

  test('an audit id stored with other content is 409 and the writer rejects the batch at once', async () => {
    const { base } = await startIngestApp();
    const writer = createHttpAuditWriter({ url: `${base}/api/vigil/ingest/audit`, ...quick });
    const event = {
      id: 'e1',
      ts: T0,
      event_type: 'auth.login',
      actor_user_id: 'u1',
      target_user_id: null,
      target_app_id: null,
      success: true,
      details: {},
    };
    await writer.appendBatch([event]);
    await assert.rejects(writer.appendBatch([{ ...event, success: false }]), /refused the audit batch: HTTP 409/);
    const answer = await post(
      `${base}/api/vigil/ingest/audit`,
      JSON.stringify({ audit: [{ ...event, success: false }] }),
      { 'content-type': 'application/json' },
    );
    assert.equal(answer.status, 409);
    assert.match((answer.json() as { error: string }).error, /already stored \(event #1\) with different content/);
  });

  test('bad bodies are 400 naming the field; a whole bad batch stores nothing', async () => {
    const { base, store } = await startIngestApp();
    const url = `${base}/api/vigil/ingest/invocations`;
    const json = { 'content-type': 'application/json' };
    const cases: [string, number, RegExp][] = [
      [
        JSON.stringify({ invocations: [row(1), row(2, { tokens_in: -1 })] }),
        400,
        /records\[1\]\.tokens_in must be a whole number ≥ 0/,
      ],
      [JSON.stringify({ rows: [] }), 400, /the body must be \{"invocations": \[\.\.\.\]\}/],
      ['{"invocations": [', 400, /does not parse/],
      [JSON.stringify({ invocations: [row(1, { status: 'weird' })] }), 400, /status must be one of/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await post(url, body, json);
      assert.equal(answer.status, status, body);
      assert.match((answer.json() as { error: string }).error, message);
    }
    assert.equal((await post(url, '{}', { 'content-type': 'text/plain' })).status, 415);
    const audit = await post(
      `${base}/api/vigil/ingest/audit`,
      JSON.stringify({ audit: [{ event_type: 'x', success: true }] }),
      json,
    );
    assert.equal(audit.status, 400);
    assert.match((audit.json() as { error: string }).error, /audit\[0\] must carry its id and ts/);
    assert.equal(await store.invocations.count(), 0);
    assert.equal(await store.audit.count(), 0);
  });

  test('more rows than the per-request limit is 413', async () => {
    const { base } = await startIngestApp({ limits: { maxRecordsPerRequest: 2 } });
    const answer = await post(
      `${base}/api/vigil/ingest/invocations`,
      JSON.stringify({ invocations: [row(1), row(2), row(3)] }),
      { 'content-type': 'application/json' },
    );
    assert.equal(answer.status, 413);
  });
});
