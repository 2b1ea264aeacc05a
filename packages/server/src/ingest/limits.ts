import { ServerError } from '../errors.js';

/** What ingest accepts before it refuses; every limit has a default and can be set by the service. */
export interface IngestLimits {
  /** Largest request body on the wire, compressed or not (default 8 MiB): larger is 413. */
  maxBodyBytes: number;
  /** Largest body after gzip is undone (default 32 MiB): larger is 413. */
  maxDecodedBytes: number;
  /** Spans, log records, data points, invocation rows, audit events or NDJSON lines per request (default 10,000): more is 413. */
  maxRecordsPerRequest: number;
  /** Attributes kept per record; the rest are dropped and counted in `vigil.dropped_attributes_count` (default 128). */
  maxAttributes: number;
  /** Characters kept of a string attribute value or a log body; longer ones are truncated (default 16,384). */
  maxStringLength: number;
  /** Nesting of array and map values; deeper refuses the record (default 8). */
  maxDepth: number;
  /** Ingest requests being read, decoded or written at once; one more is 429 with Retry-After (default 16). */
  maxInFlight: number;
  /** Bytes of request bodies held at once (by Content-Length); one more is 429 (default 64 MiB). */
  maxBufferedBytes: number;
  /** The Retry-After of a 429 or 503, in seconds (default 1). */
  retryAfterSeconds: number;
}

/** The defaults of every ingest limit. */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = {
  maxBodyBytes: 8 << 20,
  maxDecodedBytes: 32 << 20,
  maxRecordsPerRequest: 10_000,
  maxAttributes: 128,
  maxStringLength: 16_384,
  maxDepth: 8,
  maxInFlight: 16,
  maxBufferedBytes: 64 << 20,
  retryAfterSeconds: 1,
};

/** The limits with defaults filled in; a ServerError (VIGIL_BAD_CONFIG) names a bad one. */
export function ingestLimits(given: Partial<IngestLimits> = {}): IngestLimits {
  const out = { ...DEFAULT_INGEST_LIMITS };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in DEFAULT_INGEST_LIMITS))
      throw new ServerError('VIGIL_BAD_CONFIG', `ingest limits: unknown limit "${key}"`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new ServerError(
        'VIGIL_BAD_CONFIG',
        `ingest limits: ${key} must be a whole number ≥ 1, got ${String(value)}`,
      );
    }
    out[key as keyof IngestLimits] = value;
  }
  return out;
}
