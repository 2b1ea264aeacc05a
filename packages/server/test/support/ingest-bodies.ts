/** A hand-written OTLP/JSON span (hex ids, enum ints, string int64s), with overrides. */
export function jsonSpan(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: `00f067aa0ba902${String(i).padStart(2, '0')}`,
    name: `step ${i}`,
    kind: 1,
    startTimeUnixNano: '1795435200000000000',
    endTimeUnixNano: '1795435200250000000',
    attributes: [{ key: 'i', value: { intValue: String(i) } }],
    ...overrides,
  };
}

/** An ExportTraceServiceRequest in OTLP/JSON holding `spans` for service `planner`. */
export function traceRequest(spans: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'planner' } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  });
}

/** An ExportLogsServiceRequest in OTLP/JSON holding `records`. */
export function logsRequest(records: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'planner' } }] },
        scopeLogs: [{ scope: { name: 'test' }, logRecords: records }],
      },
    ],
  });
}

/** An ExportMetricsServiceRequest in OTLP/JSON holding `metrics`. */
export function metricsRequest(metrics: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'planner' } }] },
        scopeMetrics: [{ metrics }],
      },
    ],
  });
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
export const PROTO_HEADERS = { 'content-type': 'application/x-protobuf' };
