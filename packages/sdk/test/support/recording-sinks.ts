import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import type { InvocationRow, InvocationSink } from '../../src/recording/index.js';
import { onLoopback } from './loopback.js';

/** A complete invocation row with every field set. */
export function sampleRow(overrides: Partial<InvocationRow> = {}): InvocationRow {
  return {
    id: randomUUID(),
    ts: Date.parse('2026-11-23T10:00:00Z'),
    app_id: 'support',
    session_id: 's-1',
    correlation_id: 'req-1',
    task_type: 'parse_task',
    model_alias: 'fast',
    model_actual: 'gpt-4o-2024-08-06',
    provider: 'openai',
    input_hash: 'a'.repeat(64),
    latency_ms: 1500,
    tokens_in: 1000,
    tokens_out: 200,
    cache_read_tokens_in: 400,
    cache_creation_tokens_in: 0,
    cost_usd: 0.004,
    user_id: 'u-7',
    task_id: 'task-9',
    is_shadow: false,
    skill_id: 'reminders',
    escalation_request_id: 42,
    chain_id: 'chain-3',
    caller: 'orchestrator.parse',
    queue_wait_ms: 12,
    overflow_escalated: false,
    status: 'ok',
    error: null,
    ...overrides,
  };
}

/** One sink under test: the sink and a way to read back what reached its destination. */
export interface SinkUnderTest {
  sink: InvocationSink;
  /** The rows the destination holds, as plain objects with the row's field names. */
  stored(): Promise<Record<string, unknown>[]>;
  /** Frees the destination (server, database). */
  dispose(): Promise<void>;
}

/** The contract every invocation sink passes. */
export function sinkContract(name: string, make: () => Promise<SinkUnderTest>) {
  describe(`${name} sink contract`, () => {
    test('every field of a written row reaches the destination after flush', async () => {
      const under = await make();
      try {
        const row = sampleRow();
        under.sink.write(row);
        await under.sink.flush();
        const stored = await under.stored();
        assert.equal(stored.length, 1);
        for (const [key, value] of Object.entries(row)) assert.deepEqual(stored[0]![key], value, key);
      } finally {
        await under.dispose();
      }
    });

    test('close delivers what is queued, runs once, and later writes neither throw nor arrive', async () => {
      const under = await make();
      try {
        const rows = [sampleRow(), sampleRow({ status: 'error', error: 'RateLimitError', cost_usd: 0 })];
        for (const row of rows) under.sink.write(row);
        await Promise.all([under.sink.close(), under.sink.close()]);
        assert.doesNotThrow(() => under.sink.write(sampleRow()));
        await under.sink.flush();
        const ids = (await under.stored()).map((row) => row.id).sort();
        assert.deepEqual(ids, rows.map((row) => row.id).sort());
      } finally {
        await under.dispose();
      }
    });

    test('the same row written twice is stored once (idempotent by id)', async (t) => {
      if (name === 'memory') return t.skip('the memory test double keeps every write');
      const under = await make();
      try {
        const row = sampleRow();
        under.sink.write(row);
        await under.sink.flush();
        under.sink.write(row);
        await under.sink.flush();
        assert.equal((await under.stored()).length, 1);
      } finally {
        await under.dispose();
      }
    });
  });
}

/** What a scripted receiver does with one POST: answer a status (and headers), or never answer. */
export type Answer = number | { status: number; headers?: Record<string, string> } | 'hang';

/** A loopback stand-in for the Vigil service's invocation endpoint: stores rows once by id, answers by script. */
export async function invocationReceiver(script: Answer[] = []) {
  const rows = new Map<string, Record<string, unknown>>();
  const requests: { headers: IncomingMessage['headers']; count: number }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { invocations: Record<string, unknown>[] };
    requests.push({ headers: req.headers, count: body.invocations.length });
    const answer = script.shift() ?? 200;
    if (answer === 'hang') return;
    // Store first, as a server whose answer is lost on the way back would: the retry must not duplicate.
    for (const row of body.invocations) if (!rows.has(String(row.id))) rows.set(String(row.id), row);
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ stored: body.invocations.length }));
  }).listen(0, '127.0.0.1');
  const served = await onLoopback(server);
  return { url: `${served.url}/api/vigil/invocations`, rows, requests, close: served.close };
}
