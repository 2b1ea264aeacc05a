import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OTLPLogExporter as HttpLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as HttpTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startIngestApp } from './support/ingest-app.js';
import { exportWith, sampleLogRecords, sampleMetrics, sampleSpans } from './support/ingest-otel.js';

const encodings = [
  { name: 'protobuf', traces: ProtoTraceExporter, logs: ProtoLogExporter },
  { name: 'http/json', traces: HttpTraceExporter, logs: HttpLogExporter },
] as const;

for (const encoding of encodings) {
  for (const compression of ['none', 'gzip'] as const) {
    describe(`OTLP/HTTP ${encoding.name}, compression ${compression}, from the OpenTelemetry JS exporters`, () => {
      test('spans are stored with service, kind, status, parent, attributes, events and correlation id; a retry stores nothing twice', async () => {
        const { base, store } = await startIngestApp();
        const exporter = new encoding.traces({ url: `${base}/v1/traces`, compression: compression as never });
        const spans = await sampleSpans();
        assert.equal((await exportWith(exporter, spans)).code, 0);
        assert.equal((await exportWith(exporter, spans)).code, 0);
        const { records } = await store.spans.query();
        assert.equal(records.length, 2);
        const root = records.find((s) => s.parent_span_id === null);
        const child = records.find((s) => s.parent_span_id !== null);
        assert.ok(root && child);
        assert.equal(root.name, 'POST /v1/sessions/:id/messages');
        assert.equal(root.kind, 'server');
        assert.equal(root.service, 'planner');
        assert.equal(root.correlation_id, 'req-42');
        assert.equal(root.scope, 'vigil-test');
        assert.deepEqual(root.resource, {
          'service.instance.id': 'planner-1',
          'host.name': 'box',
          ...pick(root.resource, /^telemetry\./),
        });
        assert.equal(child.trace_id, root.trace_id);
        assert.equal(child.parent_span_id, root.span_id);
        assert.equal(child.kind, 'client');
        assert.equal(child.status, 'error');
        assert.equal(child.status_message, 'provider answered 529');
        assert.equal(child.attributes['gen_ai.usage.input_tokens'], 120);
        assert.deepEqual(child.attributes.flags, [1, 2]);
        assert.equal(child.events[0]?.name, 'retry');
        assert.deepEqual(child.events[0]?.attributes, { attempt: 2 });
        const original = spans.find((s) => s.name === 'chat claude-haiku')!;
        assert.equal(child.span_id, original.spanContext().spanId);
        const startMs = original.startTime[0] * 1000 + original.startTime[1] / 1e6;
        assert.ok(Math.abs(child.ts - startMs) < 0.002, `${child.ts} vs ${startMs}`);
        await exporter.shutdown();
      });

      test('log records are stored with severity, body, trace context, exception text, event and component', async () => {
        const { base, store } = await startIngestApp();
        const exporter = new encoding.logs({ url: `${base}/v1/logs`, compression: compression as never });
        assert.equal((await exportWith(exporter, await sampleLogRecords())).code, 0);
        const { records } = await store.logs.query({ order: 'asc' });
        assert.equal(records.length, 2);
        const [info, error] = records;
        assert.ok(info && error);
        assert.deepEqual(
          {
            level: info.level,
            message: info.message,
            service: info.service,
            event: info.event,
            correlation_id: info.correlation_id,
            component: info.component,
          },
          {
            level: 'info',
            message: 'turn started',
            service: 'planner',
            event: 'agent.dispatched',
            correlation_id: 'req-42',
            component: 'planner.llm',
          },
        );
        assert.equal(error.level, 'error');
        assert.equal(error.severity, 17);
        assert.equal(error.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
        assert.equal(error.span_id, '00f067aa0ba902b7');
        assert.equal(error.component, 'llm');
        assert.equal(error.error, 'ProviderError: overloaded\n    at call (llm.ts:12:3)');
        assert.equal(error.attributes.attempt, 2);
        assert.equal((await store.logs.query({ text: 'ProviderError' })).records.length, 1);
        await exporter.shutdown();
      });
    });
  }
}

describe('OTLP/HTTP metrics from the OpenTelemetry JS protobuf exporter', () => {
  test('counters, up-down counters, gauges and histograms become Prometheus samples with job and instance', async () => {
    const { base, sink } = await startIngestApp();
    const exporter = new ProtoMetricExporter({ url: `${base}/v1/metrics`, compression: 'gzip' as never });
    assert.equal((await exportWith(exporter, await sampleMetrics())).code, 0);
    const series = [...new Set(sink.samples.map((s) => s.series))].filter((s) => !s.startsWith('target_info')).sort();
    const info = sink.samples.filter((s) => s.series.startsWith('target_info'));
    assert.equal(info.length, 1, 'one target_info sample for the resource');
    assert.match(info[0]!.series, /^target_info\{.*host_name="box",instance="planner-1",job="planner".*\}$/);
    assert.equal(info[0]!.v, 1);
    assert.equal(sink.metadata.get('target_info')?.type, 'gauge');
    const target = 'instance="planner-1",job="planner"';
    assert.deepEqual(
      series,
      [
        `http_server_request_duration_seconds_bucket{http_route="/chat",${target},le="+Inf"}`,
        `http_server_request_duration_seconds_bucket{http_route="/chat",${target},le="0.1"}`,
        `http_server_request_duration_seconds_bucket{http_route="/chat",${target},le="1"}`,
        `http_server_request_duration_seconds_count{http_route="/chat",${target}}`,
        `http_server_request_duration_seconds_sum{http_route="/chat",${target}}`,
        `http_server_requests_total{http_route="/chat",${target}}`,
        `process_memory_usage_bytes{${target}}`,
        `queue_depth{${target}}`,
      ]
        .map((s) => s.replace(/\{([^}]*)\}/, (_m, inner: string) => `{${inner.split(',').sort().join(',')}}`))
        .sort(),
    );
    const value = (text: string) => sink.samples.find((s) => s.series.startsWith(text))?.v;
    assert.equal(value('http_server_requests_total'), 3);
    assert.equal(value('queue_depth'), 5);
    assert.equal(value('process_memory_usage_bytes'), 1024);
    assert.equal(
      value(
        'http_server_request_duration_seconds_bucket{http_route="/chat",instance="planner-1",job="planner",le="0.1"}',
      ),
      1,
    );
    assert.equal(
      value(
        'http_server_request_duration_seconds_bucket{http_route="/chat",instance="planner-1",job="planner",le="1"}',
      ),
      2,
    );
    assert.equal(
      value(
        'http_server_request_duration_seconds_bucket{http_route="/chat",instance="planner-1",job="planner",le="+Inf"}',
      ),
      3,
    );
    assert.equal(value('http_server_request_duration_seconds_sum'), 3.55);
    assert.equal(value('http_server_request_duration_seconds_count'), 3);
    assert.equal(sink.metadata.get('http_server_requests_total')?.type, 'counter');
    assert.equal(sink.metadata.get('http_server_requests_total')?.help, 'requests served');
    assert.equal(sink.metadata.get('http_server_request_duration_seconds')?.type, 'histogram');
    // The same collection again is a duplicate of every sample: accepted, nothing stored twice.
    const before = sink.samples.length;
    assert.equal((await exportWith(exporter, await sampleMetrics())).code, 0);
    assert.ok(sink.samples.length >= before);
    await exporter.shutdown();
  });
});

function pick(obj: Record<string, unknown>, pattern: RegExp): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => pattern.test(k)));
}
