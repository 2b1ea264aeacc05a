import { randomUUID } from 'node:crypto';
import { VigilError } from '../errors.js';

/** How batches are POSTed to the Vigil service: shared by the invocation sink and the audit writer. */
export interface HttpDeliveryOptions {
  /** Where batches are POSTed, e.g. `http://localhost:8015/api/vigil/ingest/invocations`. */
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

/** What the batches are, for the body and for messages. */
export interface BatchKind {
  /** The body is `{"<bodyKey>": [item, ...]}`. */
  bodyKey: string;
  /** Who is speaking in option errors, e.g. `http sink`. */
  owner: string;
  /** What a refused batch is called, e.g. `the audit batch`. */
  noun: string;
}

const RETRY_STATUS = new Set([408, 425, 429]);

/** An answer that retrying cannot change (a 4xx other than 408/425/429). */
class BatchRefused extends Error {
  override name = 'BatchRefused';
}

/**
 * A function that POSTs one batch as JSON, retrying network errors, timeouts, 408/425/429 and
 * 5xx with exponential backoff and full jitter (honouring `Retry-After`). A retry resends the
 * same body under the same `Idempotency-Key`, and every item carries its id, so the receiver
 * stores each item once. Other 4xx answers reject at once; giving up rejects too.
 */
export function batchPoster<T>(options: HttpDeliveryOptions, kind: BatchKind): (items: readonly T[]) => Promise<void> {
  const bad = (message: string) => new VigilError('VIGIL_BAD_OPTION', `${kind.owner}: ${message}`);
  let url: URL;
  try {
    url = new URL(options?.url);
  } catch {
    throw bad(`option "url" must be an absolute URL, got ${String(options?.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw bad(`option "url" must be http: or https:, got ${url.protocol}`);
  }
  const whole = (value: number | undefined, fallback: number, option: string, min = 1): number => {
    if (value === undefined) return fallback;
    if (Number.isInteger(value) && value >= min) return value;
    throw bad(`option "${option}" must be a whole number >= ${min}, got ${value}`);
  };
  const maxAttempts = whole(options.maxAttempts, 5, 'maxAttempts');
  const baseDelay = whole(options.baseDelayMs, 250, 'baseDelayMs', 0);
  const maxDelay = whole(options.maxDelayMs, 30_000, 'maxDelayMs', 0);
  const timeoutMs = whole(options.timeoutMs, 10_000, 'timeoutMs');
  const doFetch = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? unrefSleep;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const where = `${url.origin}${url.pathname}`;

  return async (items) => {
    const body = JSON.stringify({ [kind.bodyKey]: items });
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
          throw new BatchRefused(`${where} refused ${kind.noun}: ${failure}`);
        }
        retryAfterMs = retryAfter(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof BatchRefused) throw error;
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (attempt >= maxAttempts) throw new Error(`${where}: gave up after ${attempt} tries (last: ${failure})`);
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

function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
