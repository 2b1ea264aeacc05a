import protobuf from 'protobufjs';

// The OTLP messages Vigil reads and writes, written here from the field numbers of the OTLP
// specification (opentelemetry-proto v1: common, resource, trace, logs, metrics, collector
// services) and google.rpc.Status. Only the fields Vigil uses are declared: the decoder skips
// the others (exemplars, entity refs), as protobuf decoders must. Field names are the OTLP/JSON
// (lowerCamelCase) names, so a decoded protobuf message and a parsed JSON body are read by the
// same code.

type FieldSpec = [type: string, id: number, rule?: 'repeated'];

function message(fields: Record<string, FieldSpec>, oneofs?: Record<string, string[]>): protobuf.INamespace {
  const out: Record<string, protobuf.IField & { rule?: string }> = {};
  for (const [name, [type, id, rule]] of Object.entries(fields)) out[name] = rule ? { type, id, rule } : { type, id };
  return oneofs === undefined
    ? ({ fields: out } as protobuf.INamespace)
    : ({
        fields: out,
        oneofs: Object.fromEntries(Object.entries(oneofs).map(([k, v]) => [k, { oneof: v }])),
      } as protobuf.INamespace);
}

const KV = (id: number): FieldSpec => ['KeyValue', id, 'repeated'];

const NESTED: Record<string, protobuf.INamespace> = {
  AnyValue: message(
    {
      stringValue: ['string', 1],
      boolValue: ['bool', 2],
      intValue: ['int64', 3],
      doubleValue: ['double', 4],
      arrayValue: ['ArrayValue', 5],
      kvlistValue: ['KeyValueList', 6],
      bytesValue: ['bytes', 7],
    },
    { value: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] },
  ),
  ArrayValue: message({ values: ['AnyValue', 1, 'repeated'] }),
  KeyValueList: message({ values: KV(1) }),
  KeyValue: message({ key: ['string', 1], value: ['AnyValue', 2] }),
  InstrumentationScope: message({ name: ['string', 1], version: ['string', 2], attributes: KV(3) }),
  Resource: message({ attributes: KV(1), droppedAttributesCount: ['uint32', 2] }),

  ResourceSpans: message({ resource: ['Resource', 1], scopeSpans: ['ScopeSpans', 2, 'repeated'] }),
  ScopeSpans: message({ scope: ['InstrumentationScope', 1], spans: ['Span', 2, 'repeated'] }),
  Span: message({
    traceId: ['bytes', 1],
    spanId: ['bytes', 2],
    traceState: ['string', 3],
    parentSpanId: ['bytes', 4],
    name: ['string', 5],
    kind: ['int32', 6],
    startTimeUnixNano: ['fixed64', 7],
    endTimeUnixNano: ['fixed64', 8],
    attributes: KV(9),
    droppedAttributesCount: ['uint32', 10],
    events: ['SpanEvent', 11, 'repeated'],
    links: ['SpanLink', 13, 'repeated'],
    status: ['SpanStatus', 15],
    flags: ['fixed32', 16],
  }),
  SpanEvent: message({ timeUnixNano: ['fixed64', 1], name: ['string', 2], attributes: KV(3) }),
  SpanLink: message({ traceId: ['bytes', 1], spanId: ['bytes', 2], attributes: KV(4) }),
  SpanStatus: message({ message: ['string', 2], code: ['int32', 3] }),

  ResourceLogs: message({ resource: ['Resource', 1], scopeLogs: ['ScopeLogs', 2, 'repeated'] }),
  ScopeLogs: message({ scope: ['InstrumentationScope', 1], logRecords: ['LogRecord', 2, 'repeated'] }),
  LogRecord: message({
    timeUnixNano: ['fixed64', 1],
    severityNumber: ['int32', 2],
    severityText: ['string', 3],
    body: ['AnyValue', 5],
    attributes: KV(6),
    droppedAttributesCount: ['uint32', 7],
    flags: ['fixed32', 8],
    traceId: ['bytes', 9],
    spanId: ['bytes', 10],
    observedTimeUnixNano: ['fixed64', 11],
    eventName: ['string', 12],
  }),

  ResourceMetrics: message({ resource: ['Resource', 1], scopeMetrics: ['ScopeMetrics', 2, 'repeated'] }),
  ScopeMetrics: message({ scope: ['InstrumentationScope', 1], metrics: ['Metric', 2, 'repeated'] }),
  Metric: message(
    {
      name: ['string', 1],
      description: ['string', 2],
      unit: ['string', 3],
      gauge: ['Gauge', 5],
      sum: ['Sum', 7],
      histogram: ['Histogram', 9],
      exponentialHistogram: ['ExponentialHistogram', 10],
      summary: ['Summary', 11],
    },
    { data: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] },
  ),
  Gauge: message({ dataPoints: ['NumberDataPoint', 1, 'repeated'] }),
  Sum: message({
    dataPoints: ['NumberDataPoint', 1, 'repeated'],
    aggregationTemporality: ['int32', 2],
    isMonotonic: ['bool', 3],
  }),
  Histogram: message({ dataPoints: ['HistogramDataPoint', 1, 'repeated'], aggregationTemporality: ['int32', 2] }),
  // Not converted (no classic-bucket equivalent without loss): read only to count what is refused.
  ExponentialHistogram: message({ dataPoints: ['CountedPoint', 1, 'repeated'], aggregationTemporality: ['int32', 2] }),
  CountedPoint: message({ attributes: KV(1) }),
  Summary: message({ dataPoints: ['SummaryDataPoint', 1, 'repeated'] }),
  NumberDataPoint: message(
    {
      startTimeUnixNano: ['fixed64', 2],
      timeUnixNano: ['fixed64', 3],
      asDouble: ['double', 4],
      asInt: ['sfixed64', 6],
      attributes: KV(7),
      flags: ['uint32', 8],
    },
    { value: ['asDouble', 'asInt'] },
  ),
  HistogramDataPoint: message({
    startTimeUnixNano: ['fixed64', 2],
    timeUnixNano: ['fixed64', 3],
    count: ['fixed64', 4],
    sum: ['double', 5],
    bucketCounts: ['fixed64', 6, 'repeated'],
    explicitBounds: ['double', 7, 'repeated'],
    attributes: KV(9),
    flags: ['uint32', 10],
  }),
  SummaryDataPoint: message({
    startTimeUnixNano: ['fixed64', 2],
    timeUnixNano: ['fixed64', 3],
    count: ['fixed64', 4],
    sum: ['double', 5],
    quantileValues: ['ValueAtQuantile', 6, 'repeated'],
    attributes: KV(7),
    flags: ['uint32', 8],
  }),
  ValueAtQuantile: message({ quantile: ['double', 1], value: ['double', 2] }),

  ExportTraceServiceRequest: message({ resourceSpans: ['ResourceSpans', 1, 'repeated'] }),
  ExportLogsServiceRequest: message({ resourceLogs: ['ResourceLogs', 1, 'repeated'] }),
  ExportMetricsServiceRequest: message({ resourceMetrics: ['ResourceMetrics', 1, 'repeated'] }),
  ExportTraceServiceResponse: message({ partialSuccess: ['ExportTracePartialSuccess', 1] }),
  ExportTracePartialSuccess: message({ rejectedSpans: ['int64', 1], errorMessage: ['string', 2] }),
  ExportLogsServiceResponse: message({ partialSuccess: ['ExportLogsPartialSuccess', 1] }),
  ExportLogsPartialSuccess: message({ rejectedLogRecords: ['int64', 1], errorMessage: ['string', 2] }),
  ExportMetricsServiceResponse: message({ partialSuccess: ['ExportMetricsPartialSuccess', 1] }),
  ExportMetricsPartialSuccess: message({ rejectedDataPoints: ['int64', 1], errorMessage: ['string', 2] }),
  // google.rpc.Status, the body of an OTLP/HTTP error answer (details left empty).
  Status: message({ code: ['int32', 1], message: ['string', 2] }),
};

const root = protobuf.Root.fromJSON({ nested: { otlp: { nested: NESTED } } });

/** The OTLP message types, resolved once. */
export const OTLP = {
  traceRequest: root.lookupType('otlp.ExportTraceServiceRequest'),
  logsRequest: root.lookupType('otlp.ExportLogsServiceRequest'),
  metricsRequest: root.lookupType('otlp.ExportMetricsServiceRequest'),
  traceResponse: root.lookupType('otlp.ExportTraceServiceResponse'),
  logsResponse: root.lookupType('otlp.ExportLogsServiceResponse'),
  metricsResponse: root.lookupType('otlp.ExportMetricsServiceResponse'),
  status: root.lookupType('otlp.Status'),
};
