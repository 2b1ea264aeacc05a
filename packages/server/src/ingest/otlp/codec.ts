import type protobuf from 'protobufjs';
import { Refused } from '../body.js';
import { OTLP } from './schema.js';
import { BadPayload } from './values.js';

/** The two OTLP/HTTP encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The three OTLP signals. */
export type Signal = 'traces' | 'logs' | 'metrics';

const REQUEST: Record<Signal, protobuf.Type> = {
  traces: OTLP.traceRequest,
  logs: OTLP.logsRequest,
  metrics: OTLP.metricsRequest,
};
const RESPONSE: Record<Signal, protobuf.Type> = {
  traces: OTLP.traceResponse,
  logs: OTLP.logsResponse,
  metrics: OTLP.metricsResponse,
};
const REJECTED: Record<Signal, string> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

/** The encoding a Content-Type names; 415 for anything else. */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new Refused(415, `Content-Type must be application/x-protobuf or application/json, got "${type || '(none)'}"`);
}

/** The Export*ServiceRequest in `body`, as an object whose fields the converters read; BadPayload when unreadable. */
export function decodeRequest(signal: Signal, encoding: OtlpEncoding, body: Buffer): Record<string, unknown> {
  if (encoding === 'protobuf') {
    try {
      return REQUEST[signal].decode(body) as unknown as Record<string, unknown>;
    } catch (err) {
      throw new BadPayload(`the protobuf body is not an OTLP ${signal} request: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadPayload(`the JSON body does not parse: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadPayload(`the JSON body must be an OTLP ${signal} request object`);
  }
  return parsed as Record<string, unknown>;
}

/** The Export*ServiceResponse: empty on full success, `partial_success` when records were refused. */
export function encodeResponse(
  signal: Signal,
  encoding: OtlpEncoding,
  rejected: number,
  message: string,
): Buffer | string {
  const partial =
    rejected > 0 || message !== '' ? { partialSuccess: { [REJECTED[signal]]: rejected, errorMessage: message } } : {};
  if (encoding === 'json') return JSON.stringify(partial);
  const type = RESPONSE[signal];
  return Buffer.from(type.encode(type.fromObject(partial)).finish());
}

const GRPC_CODE: Record<number, number> = { 400: 3, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

/** A google.rpc.Status body for an error answer, in the request's encoding (JSON when it was unknown). */
export function encodeStatus(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer | string {
  const status = { code: GRPC_CODE[httpStatus] ?? 2, message };
  if (encoding === 'json') return JSON.stringify(status);
  return Buffer.from(OTLP.status.encode(OTLP.status.fromObject(status)).finish());
}

/** The Content-Type of an answer in `encoding`. */
export function contentTypeOf(encoding: OtlpEncoding): string {
  return encoding === 'json' ? 'application/json' : 'application/x-protobuf';
}
