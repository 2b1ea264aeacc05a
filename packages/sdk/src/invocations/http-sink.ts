import { randomUUID } from 'node:crypto';
import { VigilError } from '../errors.js';
import { BatchingSink, type BatchOptions } from './batching-sink.js';
import type { InvocationRow } from './row.js';

/** Options of `createHttpSink`. */
export interface HttpSinkOptions extends BatchOptions {
  /** Where batches are POSTed, e.g. `http://localhost:8015/api/vigil/invocations`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` (never logged). */
  token?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Tries per batch, the first included (default 5). */
  maxAttempts?: number;
  /** First retry delay before jitter; doubles each retry (default 250 ms). */
  baseDelayMs?: number;
  /** Longest delay between tries, `Retry-After` included (default 30 s). */
  maxDelayMs?: number;
  /** Longest one try may take (default 10 s). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
  /** Randomness of the jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** How to wait between tries (default an unref'd timer). */
  sleep?: (ms: number) => Promise<void>;
}

/** What one POST carries: `{"invocations": [row, ...]}`. Rows are idempotent by `id`; the batch by `Idempotency-Key`. */
export interface InvocationBatchBody {
  invocations: InvocationRow[];
}

const RETRY_STATUS = new Set([408, 425, 429]);

/** An answer that retrying cannot change (a 4xx other than 408/425/429). */
class BatchRefused extends Error {
  override name = 'BatchRefused';
}

/**
 * A batching sink that POSTs rows as JSON to the Vigil service, retrying network errors,
 * timeouts, 408/425/429 and 5xx with exponential backoff and full jitter (honouring
 * `Retry-After`). A retry resends the same rows under the same `Idempotency-Key`, and every row
 * carries its id, so the receiver stores each row once. Other 4xx answers drop the batch.
 */
export function createHttpSink(options: HttpSinkOptions): BatchingSink {
  const post = httpPoster(options);
  return new BatchingSink({ ...options, name: 'http', send: post });
}

/** The function that delivers one batch, with its retries (exported for tests of its own). */
export function httpPoster(options: HttpSinkOptions): (rows: InvocationRow[]) => Promise<undefined> {
  let url: URL;
  try {
    url = new URL(options?.url);
  } catch {
    throw new VigilError(
      'VIGIL_BAD_OPTION',
      `http sink: option "url" must be an absolute URL, got ${String(options?.url)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VigilError('VIGIL_BAD_OPTION', `http sink: option "url" must be http: or https:, got ${url.protocol}`);
  }
  const maxAttempts = whole(options.maxAttempts, 5, 'maxAttempts');
  const baseDelay = whole(options.baseDelayMs, 250, 'baseDelayMs', 0);
  const maxDelay = whole(options.maxDelayMs, 30_000, 'maxDelayMs', 0);
  const timeoutMs = whole(options.timeoutMs, 10_000, 'timeoutMs');
  const doFetch = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? unrefSleep;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  return async (rows) => {
    const body = JSON.stringify({ invocations: rows } satisfies InvocationBatchBody);
    const requestHeaders = { ...headers, 'idempotency-key': randomUUID() };
    let failure = '';
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs = 0;
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: requestHeaders,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined); // frees the connection
        if (response.ok) return;
        failure = `HTTP ${response.status}`;
        if (!(RETRY_STATUS.has(response.status) || response.status >= 500)) {
          throw new BatchRefused(`${url.origin}${url.pathname} refused the batch: ${failure}`);
        }
        retryAfterMs = retryAfter(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof BatchRefused) throw error;
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (attempt >= maxAttempts) {
        throw new Error(`${url.origin}${url.pathname}: gave up after ${attempt} tries (last: ${failure})`);
      }
      const backoff = random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      await sleep(Math.min(maxDelay, Math.max(backoff, retryAfterMs)));
    }
  };
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); 0 when absent or unreadable. */
function retryAfter(value: string | null): number {
  if (value === null) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
}

function whole(value: number | undefined, fallback: number, option: string, min = 1): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= min) return value;
  throw new VigilError(
    'VIGIL_BAD_OPTION',
    `http sink: option "${option}" must be a whole number >= ${min}, got ${value}`,
  );
}

function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
