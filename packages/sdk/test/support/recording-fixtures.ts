import { context as otelContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createCostMeter } from '../../src/cost/index.js';
import { createMetrics } from '../../src/metrics/index.js';
import { createMemorySink, createRecorder, type RecorderOptions } from '../../src/recording/index.js';
import { SessionRegistry } from '../../src/sessions/index.js';
import { captureLogger } from './capture.js';
import { fakeClock } from './sessions-clock.js';

/** A chat completion as the OpenAI SDK returns it: 1000 prompt tokens (400 cached), 200 completion tokens. */
export const OPENAI_RESULT = Object.freeze({
  id: 'chatcmpl-123',
  object: 'chat.completion',
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: {
    prompt_tokens: 1000,
    completion_tokens: 200,
    total_tokens: 1200,
    prompt_tokens_details: { cached_tokens: 400 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
});

/** A message as the Anthropic SDK returns it: 100 uncached input tokens, 1000 cache reads, 200 cache writes, 50 output. */
export const ANTHROPIC_RESULT = Object.freeze({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'hello' }],
  stop_reason: 'end_turn',
  usage: {
    input_tokens: 100,
    cache_read_input_tokens: 1000,
    cache_creation_input_tokens: 200,
    output_tokens: 50,
  },
});

/** An error shaped like the OpenAI SDK's RateLimitError. */
export class FakeRateLimitError extends Error {
  override name = 'RateLimitError';
  readonly status = 429;
  readonly error = { message: 'Rate limit reached for gpt-4o', type: 'requests', code: 'rate_limit_exceeded' };
}

/** A recorder with everything captured: logs, its own metrics registry, sessions on a fake clock, a memory sink. */
export function testRecorder(options: Partial<RecorderOptions> = {}) {
  const clock = fakeClock();
  const { log, out } = captureLogger({ level: 'debug', now: clock.now });
  const metrics = createMetrics({ defaultMetrics: false, logger: log });
  const sessions = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0, logger: log });
  const sink = createMemorySink();
  const costs = createCostMeter({ logger: log, now: clock.now });
  const recorder = createRecorder({
    app: 'support',
    agent: 'triage',
    logger: log,
    metrics,
    sessions,
    costs,
    sink,
    tracing: false,
    now: clock.now,
    env: {},
    ...options,
  });
  return { recorder, clock, log, out, metrics, sessions, sink, costs };
}

let contextManagerSet = false;

/** A tracer provider exporting into memory, with OpenTelemetry's AsyncLocalStorage context manager installed once. */
export function memoryTracing() {
  if (!contextManagerSet) {
    otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}
