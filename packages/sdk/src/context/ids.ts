import { randomFillSync, randomUUID } from 'node:crypto';
import type { TraceContext } from './context.js';

/** Longest incoming X-Request-ID that is kept as it is. */
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._~:@+=/-]+$/;

/** Why an incoming request id was refused, or undefined when it is fine to keep. */
export function requestIdProblem(value: string, maxLength = MAX_REQUEST_ID_LENGTH): string | undefined {
  if (value.length === 0) return 'empty';
  if (value.length > maxLength) return `longer than ${maxLength} characters (${value.length})`;
  if (!SAFE_REQUEST_ID.test(value)) return 'contains characters other than letters, digits and ._~:@+=/-';
  return undefined;
}

/** A new request id (a random UUID). */
export function newRequestId(): string {
  return randomUUID();
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Reads a W3C `traceparent`. Returns the caller's trace with a new span id for this service,
 * or undefined when the header is absent or invalid (the spec says: start a new trace).
 */
export function parseTraceparent(header: string | undefined, tracestate?: string): TraceContext | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || traceId === ZERO_TRACE || parentSpanId === ZERO_SPAN) return undefined;
  if (version === '00' && rest !== undefined) return undefined;
  const trace: TraceContext = { traceId, spanId: newSpanId(), parentSpanId, flags };
  if (tracestate !== undefined && tracestate !== '') trace.state = tracestate;
  return trace;
}

/** A new root trace, sampled. */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: newSpanId(), flags: '01' };
}

/** The `traceparent` header that a call made from this trace position sends. */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

function newSpanId(): string {
  return randomHex(8);
}

// One randomFillSync per 4 KiB instead of one randomBytes per id: ids are made on every request
// and every recorded call. Each id is converted on its own: a substring of one long hex string
// would be a slice that keeps the whole 8 KiB string alive for as long as the id lives.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes as lowercase hex, never all zeros (W3C ids must not be), from a pooled buffer. */
export function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (hex !== ZERO_TRACE.slice(0, bytes * 2)) return hex;
  }
}
