import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { context } from '../src/index.js';
import { createRecorder, type InvocationRow, noopSink } from '../src/recording/index.js';
import { SessionRegistry } from '../src/sessions/index.js';
import { captureLogger } from './support/capture.js';
import { sampleValue } from './support/metrics-read.js';
import { ANTHROPIC_RESULT, FakeRateLimitError, OPENAI_RESULT, testRecorder } from './support/recording-fixtures.js';

/** A UUID version 7: time-ordered, as invocation ids are. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REQUEST = { correlation_id: 'req-1', user_id: 'u-7', task_id: 'task-9', channel: 'app' };

function only(rows: InvocationRow[]): InvocationRow {
  assert.equal(rows.length, 1, 'one invocation row');
  return rows[0]!;
}

describe('llm.call', () => {
  test('an OpenAI chat completion feeds the row, cost, session, metrics and a completed event', async () => {
    const { recorder, clock, sink, sessions, metrics, out } = testRecorder();
    const t0 = clock.now();
    const result = await context.run(REQUEST, () =>
      recorder.llm.call(
        {
          model: 'gpt-4o',
          provider: 'openai',
          taskType: 'parse_task',
          modelAlias: 'fast',
          prompt: 'Remind me to call Bob',
          sessionId: 's-1',
          isShadow: true,
          skillId: 'reminders',
          escalationRequestId: 42,
          chainId: 'chain-3',
          caller: 'orchestrator.parse',
          queueWaitMs: 12,
          overflowEscalated: true,
        },
        async () => {
          clock.advance(1500);
          return OPENAI_RESULT;
        },
      ),
    );
    assert.equal(result, OPENAI_RESULT, 'the result comes back as it was');

    const row = only(sink.rows);
    assert.match(row.id, UUID);
    const cost = row.cost_usd!;
    // 600 uncached × 2.5 + 400 cached × 1.25 + 200 output × 10, per million tokens.
    assert.ok(Math.abs(cost - 0.004) < 1e-12, `cost ${cost}`);
    assert.deepEqual(row, {
      id: row.id,
      ts: t0,
      app_id: 'support',
      session_id: 's-1',
      correlation_id: 'req-1',
      task_type: 'parse_task',
      model_alias: 'fast',
      model_actual: 'gpt-4o-2024-08-06',
      provider: 'openai',
      input_hash: createHash('sha256').update('Remind me to call Bob').digest('hex'),
      latency_ms: 1500,
      tokens_in: 1000,
      tokens_out: 200,
      cache_read_tokens_in: 400,
      cache_creation_tokens_in: 0,
      cost_usd: cost,
      user_id: 'u-7',
      task_id: 'task-9',
      is_shadow: true,
      skill_id: 'reminders',
      escalation_request_id: 42,
      chain_id: 'chain-3',
      caller: 'orchestrator.parse',
      queue_wait_ms: 12,
      overflow_escalated: true,
      status: 'ok',
      error: null,
    });
    assert.ok(!JSON.stringify(row).includes('Bob'), 'the prompt itself is never stored');

    const session = sessions.get('s-1')!.snapshot();
    assert.equal(session.prompt_tokens, 1000);
    assert.equal(session.completion_tokens, 200);
    assert.equal(session.llm_calls, 1);
    assert.equal(session.llm_last_ms, 1500);
    assert.equal(session.model, 'gpt-4o-2024-08-06');
    assert.equal(session.provider, 'openai');

    const labels = { gen_ai_request_model: 'gpt-4o', gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai' };
    const tokens = metrics.agent.tokenUsage;
    assert.equal(
      await sampleValue(tokens, { ...labels, gen_ai_token_type: 'input' }, 'gen_ai_client_token_usage_sum'),
      1000,
    );
    assert.equal(
      await sampleValue(tokens, { ...labels, gen_ai_token_type: 'output' }, 'gen_ai_client_token_usage_sum'),
      200,
    );
    const duration = metrics.agent.operationDuration;
    assert.equal(await sampleValue(duration, labels, 'gen_ai_client_operation_duration_seconds_sum'), 1.5);
    assert.equal(await sampleValue(duration, labels, 'gen_ai_client_operation_duration_seconds_count'), 1);

    const event = out.lines.find((line) => line.event === 'llm.call.completed')!;
    assert.equal(event.level, 'debug');
    assert.equal(event.correlation_id, 'req-1');
    assert.equal(event.invocation_id, row.id);
    assert.equal(event.tokens_in, 1000);
    assert.equal(event.cost_usd, cost);
    assert.ok(!out.raw.join('').includes('Bob'), 'the prompt is never logged');
  });

  test('an Anthropic message counts cache reads and writes into tokens_in and prices them apart', async () => {
    const { recorder, sink, sessions } = testRecorder();
    await recorder.llm.call(
      { model: 'claude-sonnet-4-5', provider: 'anthropic', sessionId: 's-2' },
      () => ANTHROPIC_RESULT,
    );
    const row = only(sink.rows);
    assert.equal(row.tokens_in, 1300);
    assert.equal(row.tokens_out, 50);
    assert.equal(row.cache_read_tokens_in, 1000);
    assert.equal(row.cache_creation_tokens_in, 200);
    assert.equal(row.task_type, 'chat');
    assert.equal(row.model_alias, null);
    assert.equal(row.input_hash, null);
    assert.equal(row.user_id, 'system', 'outside a request the context user is system');
    assert.equal(row.correlation_id, null);
    // 100 × 3 + 1000 × 0.3 + 200 × 3.75 + 50 × 15, per million tokens.
    assert.ok(Math.abs(row.cost_usd! - 0.0021) < 1e-12, `cost ${row.cost_usd}`);
    assert.equal(sessions.get('s-2')!.snapshot().prompt_tokens, 1300);
  });

  test('a 429 is recorded as rate_limited and the very same error is rethrown', async () => {
    const { recorder, sink, metrics, out, clock } = testRecorder();
    const thrown = new FakeRateLimitError('Rate limit reached for gpt-4o (key sk-proj-abcdefghijklmnopqrstu)');
    await assert.rejects(
      context.run(REQUEST, () =>
        recorder.llm.call({ model: 'gpt-4o', provider: 'openai', sessionId: 's-3' }, async () => {
          clock.advance(80);
          throw thrown;
        }),
      ),
      (error) => error === thrown,
    );
    const row = only(sink.rows);
    assert.equal(row.status, 'error');
    assert.equal(row.latency_ms, 80);
    assert.equal(row.tokens_in, 0);
    assert.equal(row.cost_usd, null);
    assert.equal(row.correlation_id, 'req-1');
    assert.equal(row.error, 'RateLimitError: Rate limit reached for gpt-4o (key [REDACTED])');
    const labels = {
      gen_ai_request_model: 'gpt-4o',
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      error_type: 'rate_limited',
    };
    assert.equal(await sampleValue(metrics.agent.llmErrors, labels), 1);
    const event = out.lines.find((line) => line.event === 'llm.call.failed')!;
    assert.equal(event.level, 'error');
    assert.equal(event.error_type, 'rate_limited');
    assert.ok(!out.raw.join('').includes('sk-proj-abc'), 'no key reaches a log line');
  });

  test('a synchronous throw is rethrown too, and a timeout gives the row status timeout', async () => {
    const { recorder, sink } = testRecorder();
    const timeout = Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' });
    await assert.rejects(
      recorder.llm.call({ model: 'gpt-4o', provider: 'openai' }, () => {
        throw timeout;
      }),
      (error) => error === timeout,
    );
    assert.equal(only(sink.rows).status, 'timeout');
  });

  test('a thrown non-Error value is rethrown as it is', async () => {
    const { recorder, sink } = testRecorder();
    await assert.rejects(
      recorder.llm.call({ model: 'gpt-4o' }, () => Promise.reject('plain string')),
      (error) => error === 'plain string',
    );
    assert.equal(only(sink.rows).error, 'plain string');
  });

  test('readResponse reads a shape Vigil does not know', async () => {
    const { recorder, sink } = testRecorder();
    const answer = { text: 'ok', meta: { in: 7, out: 3, engine: 'local-llm' } };
    await recorder.llm.call(
      {
        model: 'local',
        provider: 'ollama',
        costUsd: 0,
        readResponse: (r: typeof answer) => ({
          usage: { prompt_tokens: r.meta.in, completion_tokens: r.meta.out },
          model: r.meta.engine,
        }),
      },
      () => answer,
    );
    const row = only(sink.rows);
    assert.equal(row.tokens_in, 7);
    assert.equal(row.tokens_out, 3);
    assert.equal(row.model_actual, 'local-llm');
    assert.equal(row.cost_usd, 0);
  });
});

describe('llm.record', () => {
  test('takes a call made elsewhere and returns its row id', () => {
    const { recorder, sink, clock } = testRecorder();
    const id = recorder.llm.record({
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      durationMs: 250,
      rawUsage: ANTHROPIC_RESULT.usage,
      inputHash: 'abc123',
    });
    const row = only(sink.rows);
    assert.equal(id, row.id);
    assert.equal(row.ts, clock.now() - 250);
    assert.equal(row.input_hash, 'abc123');
    assert.equal(row.tokens_in, 1300);
  });

  test("sessions are the recorder's app's, as its rows are: two apps sharing a registry keep apart", async () => {
    const { recorder: support, sink, sessions } = testRecorder();
    const billing = createRecorder({ app: 'billing', sessions, sink, tracing: false, metrics: false, env: {} });
    const usage = { inputTokens: 100, outputTokens: 10 };
    support.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage, sessionId: 's' });
    billing.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage, sessionId: 's' });
    await billing.tool.call('lookup', async () => 1, { sessionId: 's' });
    await billing.agent.turn({ sessionId: 's' }, async () => undefined);
    assert.deepEqual(
      sink.rows.map((r) => r.app_id),
      ['support', 'billing'],
    );
    const ofSupport = sessions.get({ appId: 'support', sessionId: 's' })!.snapshot();
    const ofBilling = sessions.get({ appId: 'billing', sessionId: 's' })!.snapshot();
    assert.deepEqual(
      [ofSupport.app_id, ofSupport.llm_calls, ofSupport.tool_calls_total, ofSupport.turn],
      ['support', 1, 0, 0],
    );
    assert.deepEqual(
      [ofBilling.app_id, ofBilling.llm_calls, ofBilling.tool_calls_total, ofBilling.turn],
      ['billing', 1, 1, 1],
    );
    await billing.close();
  });

  test("a session the agent started by id is the one its recorder records into, whatever the recorder's app", () => {
    const { sessions, sink } = testRecorder();
    const registry = new SessionRegistry({ appId: 'support', sweepIntervalMs: 0 });
    registry.start('s-42', { userId: 'u-7' });
    const named = createRecorder({
      app: 'support-agent',
      sessions: registry,
      sink,
      tracing: false,
      metrics: false,
      env: {},
    });
    const usage = { inputTokens: 100, outputTokens: 10 };
    named.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage, sessionId: 's-42' });
    const unnamed = createRecorder({
      sessions: registry,
      sink,
      tracing: false,
      metrics: false,
      env: { VIGIL_SERVICE: '' },
    });
    unnamed.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage, sessionId: 's-42' });
    assert.deepEqual(
      registry.list().map((s) => [s.app_id, s.session_id, s.user_id, s.llm_calls]),
      [['support', 's-42', 'u-7', 2]],
    );
    assert.deepEqual(
      sink.rows.map((r) => r.app_id),
      ['support-agent', 'support'],
      "a recorder without an app takes the registry's",
    );
    assert.equal(sessions.list().length, 0);
    registry.close();
  });

  test('a failed call given an errorType is recorded with it', () => {
    const { recorder, sink } = testRecorder();
    recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 3, errorType: 'content_filter' });
    const row = only(sink.rows);
    assert.equal(row.status, 'error');
    assert.equal(row.error, 'content_filter');
  });

  test('with costs off, usage is still read and cost is null', () => {
    const { recorder, sink } = testRecorder({ costs: false });
    recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 3, rawUsage: OPENAI_RESULT.usage });
    const row = only(sink.rows);
    assert.equal(row.tokens_in, 1000);
    assert.equal(row.cost_usd, null);
  });

  test('an unknown model gets cost null, never a guess', () => {
    const { recorder, sink } = testRecorder();
    recorder.llm.record({ model: 'my-finetune', provider: 'openai', durationMs: 3, rawUsage: OPENAI_RESULT.usage });
    assert.equal(only(sink.rows).cost_usd, null);
  });

  test("each row's cost is added to vigil_llm_cost_usd_total by exactly its amount; an unpriced row to the unpriced count", async () => {
    const { recorder, sink, metrics } = testRecorder();
    const call = { provider: 'openai', durationMs: 3, rawUsage: OPENAI_RESULT.usage };
    recorder.llm.record({ ...call, model: 'gpt-4o' });
    recorder.llm.record({ ...call, model: 'gpt-4o' });
    recorder.llm.record({ ...call, model: 'my-finetune' });
    const [first, second, unpriced] = sink.rows;
    assert.ok(first!.cost_usd! > 0);
    assert.equal(unpriced!.cost_usd, null);

    const labels = (model: string) => ({
      gen_ai_request_model: model,
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
    });
    assert.equal(await sampleValue(metrics.agent.llmCost, labels('gpt-4o')), first!.cost_usd! + second!.cost_usd!);
    assert.equal(await sampleValue(metrics.agent.llmCost, labels('my-finetune')), undefined);
    assert.equal(await sampleValue(metrics.agent.llmUnpriced, labels('my-finetune')), 1);
    assert.equal(await sampleValue(metrics.agent.llmUnpriced, labels('gpt-4o')), undefined);
  });
});

describe('llm.start (streams)', () => {
  test('end records once with the usage of the last chunk; later ends and fails do nothing', () => {
    const { recorder, sink, clock } = testRecorder();
    const call = recorder.llm.start({ model: 'claude-sonnet-4-5', provider: 'anthropic' });
    clock.advance(900);
    const id = call.end({ usage: ANTHROPIC_RESULT.usage, model: 'claude-sonnet-4-5-20250929' });
    assert.equal(call.end(), undefined);
    assert.equal(call.fail(new Error('late')), undefined);
    const row = only(sink.rows);
    assert.equal(row.id, id);
    assert.equal(row.latency_ms, 900);
    assert.equal(row.tokens_in, 1300);
    assert.equal(row.model_actual, 'claude-sonnet-4-5-20250929');
  });

  test('fail records the error kind', () => {
    const { recorder, sink } = testRecorder();
    recorder.llm
      .start({ model: 'gpt-4o', provider: 'openai' })
      .fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    assert.equal(only(sink.rows).status, 'cancelled');
  });
});

describe('cost and budgets', () => {
  test('every priced call is added to the budgets, per app and user', async () => {
    const { createBudgets } = await import('../src/cost/index.js');
    const { clock, log, metrics } = testRecorder();
    const budgets = createBudgets({
      budgets: [{ name: 'daily', limitUsd: 0.006, period: 'day', per: 'user' }],
      now: clock.now,
      logger: log,
      metrics,
    });
    const { recorder } = testRecorder({ budgets, metrics: false });
    await context.run(REQUEST, async () => {
      await recorder.llm.call({ model: 'gpt-4o', provider: 'openai' }, () => OPENAI_RESULT);
      assert.equal(budgets.check({ user: 'u-7' }).allowed, true);
      await recorder.llm.call({ model: 'gpt-4o', provider: 'openai' }, () => OPENAI_RESULT);
    });
    assert.equal(budgets.check({ user: 'u-7' }).allowed, false, '2 × $0.004 is over $0.006');
    assert.equal(budgets.check({ user: 'someone-else' }).allowed, true);
  });
});

describe('tool.call', () => {
  test('a successful call is counted in the session, the metrics and a completed event', async () => {
    const { recorder, sessions, metrics, out, clock } = testRecorder();
    const answer = await recorder.tool.call(
      'search_docs',
      async () => {
        clock.advance(40);
        return ['doc-1'];
      },
      { sessionId: 's-1', callId: 'call-1' },
    );
    assert.deepEqual(answer, ['doc-1']);
    const tool = sessions.get('s-1')!.snapshot().tool_metrics.search_docs!;
    assert.equal(tool.calls, 1);
    assert.equal(tool.successes, 1);
    assert.equal(await sampleValue(metrics.agent.toolCalls, { agent: 'triage', tool: 'search_docs', status: 'ok' }), 1);
    const event = out.lines.find((line) => line.event === 'tool.call.completed')!;
    assert.equal(event.tool, 'search_docs');
    assert.equal(event.duration_ms, 40);
  });

  test('at level info a successful call writes no line and a failed one an error line', async () => {
    const { log, out } = captureLogger({ level: 'info' });
    const recorder = createRecorder({
      app: 'support',
      logger: log,
      metrics: false,
      tracing: false,
      env: {},
      sink: noopSink,
    });
    const ok = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 10, usage: { inputTokens: 1 } });
    await recorder.tool.call('search_docs', () => 'found');
    assert.ok(ok !== undefined);
    assert.deepEqual(
      out.lines.filter((line) => String(line.event).endsWith('.completed')),
      [],
      'completed calls are debug lines',
    );
    const failedId = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 10, errorType: 'timeout' });
    const failed = out.lines.find((line) => line.event === 'llm.call.failed')!;
    assert.equal(failed.level, 'error');
    assert.equal(failed.invocation_id, failedId);
  });

  test('a failing tool rethrows its own error and is counted as failed', async () => {
    const { recorder, sessions, metrics, out } = testRecorder();
    const thrown = new Error('upstream 502');
    await assert.rejects(
      recorder.tool.call(
        'search_docs',
        () => {
          throw thrown;
        },
        { sessionId: 's-1' },
      ),
      (error) => error === thrown,
    );
    const tool = sessions.get('s-1')!.snapshot().tool_metrics.search_docs!;
    assert.equal(tool.failures, 1);
    assert.equal(
      await sampleValue(metrics.agent.toolCalls, { agent: 'triage', tool: 'search_docs', status: 'error' }),
      1,
    );
    const event = out.lines.find((line) => line.event === 'tool.call.failed')!;
    assert.equal(event.level, 'error');
    assert.equal(event.error, 'Error: upstream 502');
  });

  test('tool.record takes a call made elsewhere', async () => {
    const { recorder, metrics } = testRecorder();
    recorder.tool.record({ name: 'calc', durationMs: 2 });
    assert.equal(await sampleValue(metrics.agent.toolCalls, { agent: 'triage', tool: 'calc', status: 'ok' }), 1);
  });
});

describe('agent.turn', () => {
  test('puts the session in the context for the calls inside and counts the turn', async () => {
    const { recorder, sink, sessions, metrics } = testRecorder();
    const reply = await recorder.agent.turn({ sessionId: 's-9' }, async () => {
      await recorder.llm.call({ model: 'gpt-4o', provider: 'openai' }, () => OPENAI_RESULT);
      await recorder.tool.call('calc', () => 4);
      return 'done';
    });
    assert.equal(reply, 'done');
    assert.equal(only(sink.rows).session_id, 's-9');
    const session = sessions.get('s-9')!.snapshot();
    assert.equal(session.turn, 1);
    assert.equal(session.llm_calls, 1);
    assert.equal(session.tool_calls_total, 1);
    assert.equal(await sampleValue(metrics.agent.turns, { agent: 'triage' }), 1);
    assert.equal(await sampleValue(metrics.agent.invocations, { agent: 'triage', status: 'ok' }), 1);
  });

  test('a failed turn is counted by status and its error rethrown', async () => {
    const { recorder, sessions, metrics, out } = testRecorder();
    const thrown = new FakeRateLimitError('slow down');
    await assert.rejects(
      recorder.agent.turn({ sessionId: 's-9', agent: 'planner' }, async () => {
        throw thrown;
      }),
      (error) => error === thrown,
    );
    assert.equal(await sampleValue(metrics.agent.invocations, { agent: 'planner', status: 'error' }), 1);
    assert.equal(await sampleValue(metrics.agent.turns, { agent: 'planner' }), undefined);
    assert.equal(sessions.get('s-9'), undefined, 'a failed turn is not a completed turn');
    assert.equal(out.lines.find((line) => line.event === 'agent.failed')?.error_type, 'rate_limited');
  });
});

describe('recording never throws into the agent', () => {
  test('a throwing sink, onRecord and readResponse are logged once and counted', async () => {
    const { recorder, metrics, out } = testRecorder({
      sink: {
        write() {
          throw new Error('disk full');
        },
        flush: async () => {},
        close: async () => {},
      },
      onRecord() {
        throw new Error('callback bug');
      },
    });
    for (let i = 0; i < 3; i++) {
      const result = await recorder.llm.call(
        {
          model: 'gpt-4o',
          provider: 'openai',
          readResponse: () => {
            throw new Error('reader bug');
          },
        },
        () => OPENAI_RESULT,
      );
      assert.equal(result, OPENAI_RESULT);
    }
    assert.deepEqual(recorder.stats().errors, { read_response: 3, sink: 3, on_record: 3 });
    const counter = metrics.registry.getSingleMetric('vigil_recording_errors_total') as never;
    assert.equal(await sampleValue({ metric: counter }, { stage: 'sink' }), 3);
    const logged = out.lines.filter((line) => line.module === 'recording' && line.level === 'error');
    assert.deepEqual(logged.map((line) => line.stage).sort(), ['on_record', 'read_response', 'sink']);
  });

  test('bad input to record (no duration, cyclic prompt) does not throw', () => {
    const { recorder } = testRecorder();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.doesNotThrow(() => recorder.llm.record({ model: 'gpt-4o', durationMs: 1, prompt: cyclic }));
    assert.doesNotThrow(() => recorder.llm.record(null as never));
    assert.doesNotThrow(() => recorder.tool.record(undefined as never));
    assert.ok((recorder.stats().errors.llm ?? 0) >= 1);
  });

  test('a record with an unusable duration is counted, not thrown, and writes no row', () => {
    const { recorder, sink } = testRecorder();
    for (const durationMs of [Number.NaN, -1, Number.POSITIVE_INFINITY, '12' as never]) {
      assert.equal(recorder.llm.record({ model: 'gpt-4o', durationMs }), undefined);
      recorder.tool.record({ name: 'calc', durationMs });
    }
    assert.equal(sink.rows.length, 0);
    assert.deepEqual(recorder.stats().errors, { llm: 4, tool: 4 });
  });

  test('a stream ended with null or a non-object ends it like end() with nothing', () => {
    const { recorder, sink } = testRecorder();
    assert.doesNotThrow(() => recorder.llm.start({ model: 'gpt-4o', provider: 'openai' }).end(null as never));
    assert.doesNotThrow(() => recorder.llm.start({ model: 'gpt-4o' }).end(42 as never));
    assert.deepEqual(
      sink.rows.map((r) => [r.status, r.tokens_in, r.cost_usd]),
      [
        ['ok', 0, null],
        ['ok', 0, null],
      ],
    );
    // No meta at all: nothing to record a row from, so it is counted, like llm.record(null).
    assert.doesNotThrow(() => recorder.llm.start(null as never).end(null as never));
    assert.equal(sink.rows.length, 2);
    assert.equal(recorder.stats().errors.llm, 1);
  });

  test('usage with a bad count keeps the row with tokens 0 and cost null, and warns once naming the field', () => {
    for (const costs of [undefined, false] as const) {
      const { recorder, sink, out } = testRecorder(costs === false ? { costs } : {});
      const bad = { inputTokens: -5, outputTokens: 'x' as never };
      recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage: bad });
      recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, usage: { inputTokens: 1.5 } });
      assert.deepEqual(
        sink.rows.map((r) => [r.tokens_in, r.tokens_out, r.cost_usd]),
        [
          [0, 0, null],
          [0, 0, null],
        ],
      );
      if (costs === false) {
        assert.equal(recorder.stats().errors.usage, 2, 'counted when no cost meter warns');
        continue;
      }
      const warnings = out.lines.filter((l) => l.level === 'warning');
      assert.equal(warnings.length, 1, 'one warning per model');
      assert.match(
        String(warnings[0]!.msg),
        /usage\.inputTokens must be a whole number >= 0, got -5; its calls get no cost/,
      );
    }
  });

  test('a throwing logger does not reach the agent either', async () => {
    const broken = createRecorder({
      logger: {
        module: () => {
          throw new Error('logger bug');
        },
      } as never,
      metrics: false,
      tracing: false,
      env: {},
      sink: noopSink,
    });
    assert.equal(await broken.llm.call({ model: 'gpt-4o' }, () => 1), 1);
    assert.equal(await broken.tool.call('x', () => 2), 2);
    assert.equal(await broken.agent.turn({}, () => 3), 3);
    assert.equal(await broken.agent.turn(null as never, () => 4), 4);
  });
});

describe('defaults', () => {
  test('without a sink and without @vigil/store, one info line says rows are not kept', async () => {
    const { recorder, out } = testRecorder({ sink: undefined, storeInstalled: () => false });
    await recorder.llm.call({ model: 'gpt-4o' }, () => OPENAI_RESULT);
    await recorder.llm.call({ model: 'gpt-4o' }, () => OPENAI_RESULT);
    const lines = out.lines.filter((line) => String(line.msg).startsWith('invocation rows are not kept'));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 'info');
  });

  test('provider falls back to the recorder default and the usage shape is recognised', async () => {
    const { recorder, sink } = testRecorder({ provider: 'anthropic' });
    await recorder.llm.call({ model: 'claude-sonnet-4-5' }, () => ANTHROPIC_RESULT);
    assert.equal(only(sink.rows).provider, 'anthropic');
    assert.equal(only(sink.rows).tokens_in, 1300);
  });
});
