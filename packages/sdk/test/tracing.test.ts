import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { GenAiTracer } from '../src/tracing/index.js';
import {
  ANTHROPIC_RESULT,
  FakeRateLimitError,
  memoryTracing,
  OPENAI_RESULT,
  testRecorder,
} from './support/recording-fixtures.js';

function byName(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.find((span) => span.name === name);
  assert.ok(found, `a span named "${name}" (have: ${spans.map((s) => s.name).join(', ')})`);
  return found;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('GenAI spans', () => {
  test('a turn nests its chat and execute_tool spans, with the conventions attributes', async () => {
    const { exporter, provider } = memoryTracing();
    const { recorder, sink } = testRecorder({ tracing: { tracerProvider: provider } });
    assert.equal(recorder.tracing, true);
    await recorder.agent.turn({ sessionId: 's-1', agentId: 'agent-7' }, async () => {
      await recorder.llm.call({ model: 'gpt-4o', provider: 'openai' }, () => OPENAI_RESULT);
      await recorder.tool.call('search_docs', () => 'found', { callId: 'call-1' });
    });

    const spans = exporter.getFinishedSpans();
    assert.equal(spans.length, 3);
    const turn = byName(spans, 'invoke_agent triage');
    const chat = byName(spans, 'chat gpt-4o');
    const tool = byName(spans, 'execute_tool search_docs');
    assert.equal(parentOf(turn), undefined);
    assert.equal(parentOf(chat), turn.spanContext().spanId);
    assert.equal(parentOf(tool), turn.spanContext().spanId);
    assert.equal(chat.spanContext().traceId, turn.spanContext().traceId);

    assert.equal(turn.kind, SpanKind.INTERNAL);
    assert.deepEqual(turn.attributes, {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'triage',
      'gen_ai.agent.id': 'agent-7',
      'gen_ai.conversation.id': 's-1',
    });
    assert.equal(chat.kind, SpanKind.CLIENT);
    assert.deepEqual(chat.attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.conversation.id': 's-1',
      'gen_ai.agent.name': 'triage',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-123',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 400,
      'gen_ai.usage.cache_creation.input_tokens': 0,
      'vigil.cost_usd': sink.rows[0]!.cost_usd!,
      'vigil.task_type': 'chat',
      'vigil.invocation.id': sink.rows[0]!.id,
    });
    assert.equal(tool.kind, SpanKind.INTERNAL);
    assert.deepEqual(tool.attributes, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_docs',
      'gen_ai.tool.call.id': 'call-1',
      'gen_ai.tool.type': 'function',
      'gen_ai.conversation.id': 's-1',
    });
    for (const span of spans) assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  test('a failed call sets error.type and an ERROR status on its span and the turn', async () => {
    const { exporter, provider } = memoryTracing();
    const { recorder } = testRecorder({ tracing: { tracerProvider: provider } });
    await assert.rejects(
      recorder.agent.turn({}, () =>
        recorder.llm.call({ model: 'claude-sonnet-4-5', provider: 'anthropic' }, () => {
          throw new FakeRateLimitError('Rate limit reached');
        }),
      ),
      FakeRateLimitError,
    );
    const spans = exporter.getFinishedSpans();
    for (const name of ['chat claude-sonnet-4-5', 'invoke_agent triage']) {
      const span = byName(spans, name);
      assert.equal(span.attributes['error.type'], 'rate_limited');
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.events[0]?.name, 'exception');
    }
  });

  test('the chat span is active inside the call, so a provider client span would be its child', async () => {
    const { exporter, provider } = memoryTracing();
    const { recorder } = testRecorder({ tracing: { tracerProvider: provider } });
    let inner: string | undefined;
    await recorder.llm.call({ model: 'gpt-4o' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      inner = trace.getActiveSpan()?.spanContext().spanId;
      return OPENAI_RESULT;
    });
    assert.equal(inner, byName(exporter.getFinishedSpans(), 'chat gpt-4o').spanContext().spanId);
  });

  test('llm.record makes a span that starts when the call started and lasts its duration', () => {
    const { exporter, provider } = memoryTracing();
    const { recorder, clock } = testRecorder({ tracing: { tracerProvider: provider } });
    recorder.llm.record({
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      durationMs: 1250,
      rawUsage: ANTHROPIC_RESULT.usage,
    });
    const span = byName(exporter.getFinishedSpans(), 'chat claude-sonnet-4-5');
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    assert.equal(ms(span.startTime), clock.now() - 1250);
    assert.equal(Math.round(ms(span.duration)), 1250);
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], 1300);
  });
});

describe('without configured spans', () => {
  test('tracing: false makes no spans and records everything else', async () => {
    const { exporter } = memoryTracing();
    const { recorder, sink } = testRecorder({ tracing: false });
    assert.equal(recorder.tracing, false);
    await recorder.agent.turn({}, () => recorder.llm.call({ model: 'gpt-4o' }, () => OPENAI_RESULT));
    assert.equal(exporter.getFinishedSpans().length, 0);
    assert.equal(sink.rows.length, 1);
  });

  test('with no global provider registered, the API hands out non-recording spans and nothing breaks', async () => {
    const tracer = new GenAiTracer();
    assert.equal(tracer.enabled, true, '@opentelemetry/api is installed here');
    const span = tracer.start('chat x', 'client', { a: 1 });
    assert.equal(span?.isRecording(), false);
    const { recorder, sink } = testRecorder({ tracing: undefined });
    const out = await recorder.llm.call({ model: 'gpt-4o' }, () => OPENAI_RESULT);
    assert.equal(out, OPENAI_RESULT);
    assert.equal(sink.rows.length, 1);
    assert.deepEqual(recorder.stats().errors, {});
  });

  test('without @opentelemetry/api the tracer is off and runs functions as they are', async () => {
    const tracer = new GenAiTracer(undefined, null);
    assert.equal(tracer.enabled, false);
    assert.equal(tracer.start('chat x', 'client', {}), null);
    assert.equal(await tracer.run(null, async () => 5), 5);
  });

  test('the compiled SDK never imports @opentelemetry statically (it is an optional peer)', async () => {
    const dir = new URL('../src/', import.meta.url);
    for (const file of await readdir(dir, { recursive: true })) {
      if (!file.endsWith('.js')) continue;
      const code = await readFile(new URL(file, dir), 'utf8');
      assert.doesNotMatch(code, /(?:from|import\()\s*['"]@opentelemetry/, file);
    }
  });

  test('a tracer provider that throws is counted, never thrown', async () => {
    const { recorder, sink } = testRecorder({
      tracing: {
        tracerProvider: {
          getTracer: () => ({
            startSpan: () => {
              throw new Error('tracer bug');
            },
          }),
        },
      },
    });
    assert.equal(await recorder.llm.call({ model: 'gpt-4o' }, () => 7), 7);
    assert.equal(await recorder.tool.call('t', () => 8), 8);
    assert.equal(await recorder.agent.turn({}, () => 9), 9);
    assert.equal(sink.rows.length, 1);
    assert.deepEqual(recorder.stats().errors, { llm: 1, tool: 1, turn: 1 });
  });
});
