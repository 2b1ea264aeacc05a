import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryInvocationStore, summarizeInvocations } from '../src/index.js';

test('summaries give calls, tokens, errors, cost and nearest-rank latency percentiles per task type and model', async () => {
  const store = new MemoryInvocationStore({ now: () => Date.parse('2026-11-23T10:00:00Z') });
  const rows = [];
  for (let i = 1; i <= 100; i++) {
    rows.push({
      task_type: 'parse_task',
      model_actual: i % 2 === 0 ? 'gpt-4o' : 'claude-sonnet-4',
      latency_ms: i * 10, // 10, 20, ... 1000 ms
      tokens_in: 100,
      tokens_out: 10,
      cost_usd: i === 1 ? null : 0.001,
      status: i % 10 === 0 ? ('error' as const) : ('ok' as const),
    });
  }
  rows.push({ task_type: 'escalation_lifecycle', model_alias: 'fast', latency_ms: 5, tokens_in: 1, tokens_out: 1 });
  await store.insertBatch(rows);
  const all = await store.query({ limit: 1000 });

  const byTask = summarizeInvocations(all, 'task_type');
  const parse = byTask.find((s) => s.task_type === 'parse_task')!;
  assert.equal(parse.calls, 100);
  assert.equal(parse.errors, 10);
  assert.equal(parse.error_rate, 0.1);
  assert.equal(parse.tokens_in, 10_000);
  assert.equal(parse.tokens_out, 1_000);
  assert.equal(parse.unpriced_calls, 1);
  assert.ok(Math.abs(parse.cost_usd - 0.099) < 1e-12);
  assert.deepEqual([parse.latency_p50_ms, parse.latency_p95_ms, parse.latency_p99_ms], [500, 950, 990]);
  assert.equal(parse.model, null);

  const byModel = summarizeInvocations(all, 'model');
  assert.deepEqual(byModel.map((s) => [s.model, s.calls]).sort(), [
    ['claude-sonnet-4', 50],
    ['fast', 1],
    ['gpt-4o', 50],
  ]);
  const both = summarizeInvocations(all, 'task_type_and_model');
  assert.equal(both.length, 3);
  assert.deepEqual(summarizeInvocations([], 'model'), []);
});
