import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyRetention, startRetention } from '../src/records/retention.js';
import { startIngestApp } from './support/ingest-app.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

async function seeded() {
  const app = await startIngestApp();
  const { store } = app;
  await store.spans.insertBatch([
    {
      trace_id: TRACE,
      span_id: '00f067aa0ba90201',
      name: 'POST /chat',
      kind: 'server',
      ts: T0,
      duration_ms: 900,
      service: 'gateway',
      correlation_id: 'req-1',
    },
    {
      trace_id: TRACE,
      span_id: '00f067aa0ba90202',
      parent_span_id: '00f067aa0ba90201',
      name: 'plan',
      ts: T0 + 10,
      duration_ms: 700,
      service: 'planner',
    },
    {
      trace_id: TRACE,
      span_id: '00f067aa0ba90203',
      parent_span_id: '00f067aa0ba90202',
      name: 'chat claude',
      kind: 'client',
      ts: T0 + 20,
      duration_ms: 600,
      service: 'planner',
      status: 'error',
      status_message: '529',
    },
    {
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: '00f067aa0ba90209',
      name: 'other',
      ts: T0,
      duration_ms: 1,
      service: 'gateway',
    },
  ]);
  await store.logs.insertBatch([
    {
      ts: T0 + 5,
      service: 'gateway',
      message: 'request in',
      correlation_id: 'req-1',
      trace_id: TRACE,
      component: 'http',
      event: 'http.request.started',
    },
    {
      ts: T0 + 650,
      service: 'planner',
      level: 'error',
      message: 'provider answered 529 overloaded',
      trace_id: TRACE,
      event: 'llm.call.failed',
      component: 'llm',
    },
    { ts: T0 + 60_000, service: 'planner', level: 'error', message: 'later failure' },
    { ts: T0 + 61_000, service: 'planner', level: 'warning', message: 'slow' },
    { ts: T0 + 62_000, service: 'other', message: 'unrelated', correlation_id: 'req-2' },
  ]);
  await store.invocations.insertBatch([
    {
      id: 'inv-1',
      ts: T0 + 20,
      task_type: 'chat',
      model_actual: 'claude-haiku-4-5',
      latency_ms: 600,
      correlation_id: 'req-1',
      app_id: 'planner',
      status: 'error',
    },
    {
      id: 'inv-2',
      ts: T0 + 700,
      task_type: 'chat',
      model_actual: 'claude-haiku-4-5',
      latency_ms: 150,
      correlation_id: 'req-1',
      app_id: 'planner',
    },
    {
      id: 'inv-3',
      ts: T0 + 800,
      task_type: 'summarize',
      model_actual: 'gpt-4o-mini',
      latency_ms: 50,
      correlation_id: 'req-2',
      app_id: 'other',
    },
  ]);
  return app;
}

async function get(base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('record queries over HTTP', () => {
  test('logs by service, level, event, component, correlation id, trace id, time range and full text, paged by cursor', async () => {
    const { base } = await seeded();
    const messages = async (query: string) =>
      ((await get(base, `/api/vigil/logs?${query}`)).body.records as { message: string }[]).map((r) => r.message);
    assert.deepEqual(await messages('service=planner&level=error'), [
      'later failure',
      'provider answered 529 overloaded',
    ]);
    assert.deepEqual(await messages('min_level=warning&order=asc'), [
      'provider answered 529 overloaded',
      'later failure',
      'slow',
    ]);
    assert.deepEqual(await messages('level=warning,error&since=2026-11-23T12:01:00Z'), ['slow', 'later failure']);
    assert.deepEqual(await messages('event=llm.call.failed&component=llm'), ['provider answered 529 overloaded']);
    assert.deepEqual(await messages(`trace_id=${TRACE}&order=asc`), ['request in', 'provider answered 529 overloaded']);
    assert.deepEqual(await messages('correlation_id=req-2'), ['unrelated']);
    assert.deepEqual(await messages('text=overloaded'), ['provider answered 529 overloaded']);
    assert.deepEqual(await messages(`until=${T0 + 6}`), ['request in']);
    const first = (await get(base, '/api/vigil/logs?limit=3')).body;
    assert.equal((first.records as unknown[]).length, 3);
    const second = (await get(base, `/api/vigil/logs?limit=3&cursor=${first.next_cursor}`)).body;
    assert.equal((second.records as unknown[]).length, 2);
    assert.equal(second.next_cursor, null);
  });

  test('bad parameters are 400 naming the parameter', async () => {
    const { base } = await seeded();
    const cases: [string, RegExp][] = [
      ['/api/vigil/logs?level=loud', /parameter "level" must be one of/],
      ['/api/vigil/logs?limit=0', /parameter "limit" must be a whole number from 1 to 10000/],
      ['/api/vigil/logs?since=yesterday', /parameter "since" must be an RFC 3339 time or epoch milliseconds/],
      ['/api/vigil/logs?text=%3F%3F', /text has no word/],
      ['/api/vigil/logs?cursor=zz', /cursor/],
      ['/api/vigil/logs?since=2026-11-24T00:00:00Z&until=2026-11-23T00:00:00Z', /since .* is after until/],
      ['/api/vigil/logs/errors?step=fast', /parameter "step" must be a duration/],
      ['/api/vigil/spans?status=broken', /parameter "status" must be one of unset, ok, error/],
      ['/api/vigil/traces/xyz', /trace id must be 32 hex digits/],
      ['/api/vigil/invocations?offset=-1', /parameter "offset"/],
      ['/api/vigil/invocations/summary?by=user', /parameter "by" must be one of/],
    ];
    for (const [path, message] of cases) {
      const answer = await get(base, path);
      assert.equal(answer.status, 400, path);
      assert.match(String(answer.body.error), message, path);
    }
  });

  test('the error timeline counts error lines per bucket and service', async () => {
    const { base } = await seeded();
    const answer = await get(base, `/api/vigil/logs/errors?since=${T0}&until=${T0 + 120_000}&step=1m`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      since: T0,
      until: T0 + 120_000,
      step_ms: 60_000,
      buckets: [
        { ts: T0, service: 'planner', count: 1 },
        { ts: T0 + 60_000, service: 'planner', count: 1 },
      ],
    });
  });

  test('spans by trace, in start order; spans by filters', async () => {
    const { base } = await seeded();
    const trace = await get(base, `/api/vigil/traces/${TRACE.toUpperCase()}`);
    assert.equal(trace.status, 200);
    assert.deepEqual(
      (trace.body.spans as { name: string }[]).map((s) => s.name),
      ['POST /chat', 'plan', 'chat claude'],
    );
    assert.equal(trace.body.truncated, false);
    const failing = await get(base, '/api/vigil/spans?status=error');
    assert.deepEqual(
      (failing.body.records as { name: string }[]).map((s) => s.name),
      ['chat claude'],
    );
    const slow = await get(base, '/api/vigil/spans?min_duration_ms=650&service=gateway');
    assert.deepEqual(
      (slow.body.records as { name: string }[]).map((s) => s.name),
      ['POST /chat'],
    );
  });

  test('invocations: a filtered page with the total, and the summary per task type and model', async () => {
    const { base } = await seeded();
    const page = await get(base, '/api/vigil/invocations?correlation_id=req-1&limit=1');
    assert.equal(page.body.total, 2);
    assert.deepEqual(
      (page.body.records as { id: string }[]).map((r) => r.id),
      ['inv-1'],
    );
    const summary = await get(base, '/api/vigil/invocations/summary?by=model');
    assert.equal(summary.body.calls, 3);
    const groups = summary.body.groups as { model: string; calls: number; errors: number }[];
    assert.deepEqual(groups.map((g) => [g.model, g.calls, g.errors]).sort(), [
      ['claude-haiku-4-5', 2, 1],
      ['gpt-4o-mini', 1, 0],
    ]);
  });

  test('the correlation view follows one id across services and kinds, in time order, failing and slowest steps marked', async () => {
    const { base } = await seeded();
    const view = (await get(base, '/api/vigil/correlation/req-1')).body as {
      items: {
        kind: string;
        ts: number;
        service: string;
        failed: boolean;
        slowest: boolean;
        summary: string;
        self_ms: number | null;
      }[];
      trace_ids: string[];
      services: string[];
      failed: number;
      truncated: boolean;
    };
    assert.deepEqual(view.trace_ids, [TRACE]);
    assert.deepEqual(view.services, ['gateway', 'planner']);
    assert.deepEqual(
      view.items.map((i) => [i.kind, i.ts - T0]),
      [
        ['span', 0],
        ['log', 5],
        ['span', 10],
        ['span', 20],
        ['invocation', 20],
        ['log', 650],
        ['invocation', 700],
      ],
    );
    const failed = view.items.filter((i) => i.failed).map((i) => i.summary);
    assert.equal(view.failed, 3);
    assert.match(failed.join('|'), /client span "chat claude" 600\.0 ms failed: 529/);
    assert.match(failed.join('|'), /error llm\.call\.failed: provider answered 529/);
    assert.match(failed.join('|'), /LLM call chat on claude-haiku-4-5: 600 ms/);
    const slowest = view.items.filter((i) => i.slowest).map((i) => [i.kind, i.self_ms]);
    assert.deepEqual(slowest, [
      ['span', 200],
      ['span', 600],
      ['invocation', 600],
    ]);
    assert.equal(view.truncated, false);
    // The trace id finds the same request.
    const byTrace = (await get(base, `/api/vigil/correlation/${TRACE}`)).body as { items: unknown[] };
    assert.equal(byTrace.items.length, view.items.length);
  });

  test('retention deletes log lines and spans past their maximum age; invocations are permanent', async () => {
    const { store } = await seeded();
    assert.deepEqual(await applyRetention(store, { logs: 30_000 }, T0 + 70_000), { logs: 2, spans: 0 });
    assert.deepEqual(await applyRetention(store, { logs: 30_000, spans: 1000 }, T0 + 70_000), { logs: 0, spans: 4 });
    assert.equal((await store.logs.query()).records.length, 3);
    assert.equal(await store.invocations.count(), 3);
    await assert.rejects(applyRetention(store, { logs: -1 }), /retention for logs must be a positive number/);
  });

  test('startRetention runs on an interval and reports each pass', async (t) => {
    const { store } = await seeded();
    t.mock.timers.enable({ apis: ['setInterval'] });
    const passes: unknown[] = [];
    const stop = startRetention(
      store,
      { spans: 1 },
      { intervalMs: 1000, now: () => T0 + 10_000, onPass: (r) => passes.push(r) },
    );
    t.mock.timers.tick(1000);
    for (let i = 0; i < 20 && passes.length === 0; i++) await new Promise((r) => setImmediate(r));
    stop();
    assert.deepEqual(passes, [{ logs: 0, spans: 4 }]);
  });
});
