import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Resolves to what an exporter's `export` reported. */
export function exportWith<T>(
  exporter: { export(items: T, done: (result: ExportResult) => void): void },
  items: T,
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

const resource = resourceFromAttributes({
  'service.name': 'planner',
  'service.instance.id': 'planner-1',
  'host.name': 'box',
});

/** Finished spans of one small trace: a server span with a failing client child carrying a correlation id. */
export async function sampleSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('vigil-test', '1.0.0');
  const root = tracer.startSpan('POST /v1/sessions/:id/messages', {
    kind: 1,
    attributes: { 'http.request.method': 'POST', correlation_id: 'req-42' },
  });
  const { trace, context } = await import('@opentelemetry/api');
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'chat claude-haiku',
    { kind: 2, attributes: { 'gen_ai.usage.input_tokens': 120, flags: [1, 2], nested: 'x'.repeat(40) } },
    ctx,
  );
  child.addEvent('retry', { attempt: 2 });
  child.setStatus({ code: 2, message: 'provider answered 529' });
  child.end();
  root.end();
  await provider.forceFlush();
  return memory.getFinishedSpans();
}

/** Finished log records: an info line and an error line inside a span context, with exception attributes. */
export async function sampleLogRecords() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('planner.llm');
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'turn started',
    attributes: { correlation_id: 'req-42', event: 'agent.dispatched' },
  });
  const { trace, context } = await import('@opentelemetry/api');
  const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'provider answered 529 overloaded',
    attributes: {
      'exception.type': 'ProviderError',
      'exception.message': 'overloaded',
      'exception.stacktrace': 'ProviderError: overloaded\n    at call (llm.ts:12:3)',
      component: 'llm',
      attempt: 2,
    },
    context: trace.setSpanContext(context.active(), spanContext),
  });
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One collection of a counter, an up-down counter, a gauge and a histogram. */
export async function sampleMetrics() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('vigil-test');
  meter
    .createCounter('http.server.requests', { unit: '{request}', description: 'requests served' })
    .add(3, { 'http.route': '/chat' });
  meter.createUpDownCounter('queue.depth').add(5);
  meter.createObservableGauge('process.memory.usage', { unit: 'By' }).addCallback((r) => r.observe(1024));
  const histogram = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 1] },
  });
  histogram.record(0.05, { 'http.route': '/chat' });
  histogram.record(0.5, { 'http.route': '/chat' });
  histogram.record(3, { 'http.route': '/chat' });
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}
