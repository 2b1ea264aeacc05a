// Request bodies for the ingest benchmark: OTLP protobuf and JSON traces and logs, and NDJSON
// lines as the SDK's logger writes them. Every span and line is new (fresh ids), so each is a
// real insert, not an ignored duplicate.
import { gzipSync } from 'node:zlib';
import { loadSchema } from './server-module.js';

const { OTLP } = await loadSchema();
let next = 0;
const T0 = BigInt(Date.UTC(2026, 10, 23, 12)) * 1_000_000n;

const resource = {
  attributes: [
    { key: 'service.name', value: { stringValue: 'planner' } },
    { key: 'service.instance.id', value: { stringValue: 'planner-1' } },
  ],
};

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** A typical agent span: an LLM client call with GenAI attributes. */
function span(i: number, json: boolean) {
  const id = hex(i + 1, 16);
  const trace = hex(Math.floor(i / 8) + 1, 32);
  const start = T0 + BigInt(i) * 1000n;
  const attrs = [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'claude-haiku-4-5' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: json ? '1200' : 1200 } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: json ? '340' : 340 } },
    { key: 'correlation_id', value: { stringValue: `req-${Math.floor(i / 8)}` } },
  ];
  return {
    traceId: json ? trace : Buffer.from(trace, 'hex'),
    spanId: json ? id : Buffer.from(id, 'hex'),
    name: 'chat claude-haiku-4-5',
    kind: 3,
    startTimeUnixNano: json ? String(start) : start.toString(),
    endTimeUnixNano: json ? String(start + 812_000_000n) : (start + 812_000_000n).toString(),
    attributes: attrs,
    status: { code: 1 },
  };
}

/** A typical log record: an info line with a few attributes inside a trace. */
function logRecord(i: number, json: boolean) {
  const trace = hex(Math.floor(i / 8) + 1, 32);
  return {
    timeUnixNano: json ? String(T0 + BigInt(i) * 1000n) : (T0 + BigInt(i) * 1000n).toString(),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: `tool call completed: search_docs returned ${i % 17} documents` },
    attributes: [
      { key: 'event', value: { stringValue: 'tool.call.completed' } },
      { key: 'correlation_id', value: { stringValue: `req-${Math.floor(i / 8)}` } },
      { key: 'duration_ms', value: { doubleValue: 12.5 } },
    ],
    traceId: json ? trace : Buffer.from(trace, 'hex'),
  };
}

/** What one request carries, and how to send it. */
export interface Body {
  path: string;
  headers: Record<string, string>;
  bytes: Uint8Array | string;
  records: number;
}

/** Kinds of body the benchmark sends. */
export type BodyKind = 'traces-protobuf' | 'traces-protobuf-gzip' | 'traces-json' | 'logs-protobuf' | 'logs-ndjson';

/** One request body of `size` fresh records of `kind`. */
export function makeBody(kind: BodyKind, size: number): Body {
  const first = next;
  next += size;
  const ids = Array.from({ length: size }, (_, k) => first + k);
  switch (kind) {
    case 'traces-protobuf':
    case 'traces-protobuf-gzip': {
      const message = OTLP.traceRequest.fromObject({
        resourceSpans: [
          { resource, scopeSpans: [{ scope: { name: 'bench' }, spans: ids.map((i) => span(i, false)) }] },
        ],
      });
      const raw = OTLP.traceRequest.encode(message).finish();
      return kind === 'traces-protobuf'
        ? { path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, bytes: raw, records: size }
        : {
            path: '/v1/traces',
            headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
            bytes: gzipSync(raw),
            records: size,
          };
    }
    case 'traces-json':
      return {
        path: '/v1/traces',
        headers: { 'content-type': 'application/json' },
        bytes: JSON.stringify({
          resourceSpans: [
            { resource, scopeSpans: [{ scope: { name: 'bench' }, spans: ids.map((i) => span(i, true)) }] },
          ],
        }),
        records: size,
      };
    case 'logs-protobuf': {
      const message = OTLP.logsRequest.fromObject({
        resourceLogs: [
          { resource, scopeLogs: [{ scope: { name: 'bench' }, logRecords: ids.map((i) => logRecord(i, false)) }] },
        ],
      });
      return {
        path: '/v1/logs',
        headers: { 'content-type': 'application/x-protobuf' },
        bytes: OTLP.logsRequest.encode(message).finish(),
        records: size,
      };
    }
    case 'logs-ndjson': {
      const time = new Date(Date.UTC(2026, 10, 23, 12)).toISOString();
      const lines = ids.map(
        (i) =>
          `{"level":"info","time":"${time}","service":"planner","module":"tools","correlation_id":"req-${Math.floor(i / 8)}","user_id":"u7","event":"tool.call.completed","tool":"search_docs","duration_ms":12.5,"msg":"tool call completed"}`,
      );
      return {
        path: '/api/vigil/ingest/logs',
        headers: { 'content-type': 'application/x-ndjson' },
        bytes: `${lines.join('\n')}\n`,
        records: size,
      };
    }
  }
}
