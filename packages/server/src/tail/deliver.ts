import { randomUUID } from 'node:crypto';

/** How batches of lines are POSTed to the service. */
export interface DeliveryOptions {
  /** `http://host:port/api/vigil/ingest/logs` */
  url: string;
  token?: string;
  /** The service of lines that do not name one (sent as X-Vigil-Service). */
  service?: string;
  /** Tries per batch, the first included (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles each retry up to 30 s (default 250 ms). */
  baseDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Why a batch was not stored: the service refused it (4xx) or could not be reached in time. */
export class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
}

const RETRY = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * A function that POSTs one batch of NDJSON lines and resolves once the service answered 2xx
 * (the lines are committed). Retries reuse one Idempotency-Key, so the service stores each line
 * once; 429 and 5xx are retried with backoff and full jitter (Retry-After honoured).
 */
export function lineDelivery(options: DeliveryOptions): (lines: readonly string[]) => Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 250;
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.service !== undefined) headers['x-vigil-service'] = options.service;
  return async (lines) => {
    const body = `${lines.join('\n')}\n`;
    const requestHeaders = { ...headers, 'idempotency-key': randomUUID() };
    let last = '';
    for (let attempt = 1; ; attempt++) {
      let wait = 0;
      try {
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: requestHeaders,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text().catch(() => '');
        if (response.ok) return;
        last = `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
        if (!RETRY.has(response.status))
          throw new DeliveryFailed(`${options.url} refused ${lines.length} lines: ${last}`);
        const after = Number(response.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = after * 1000;
      } catch (err) {
        if (err instanceof DeliveryFailed) throw err;
        last = err instanceof Error ? err.message : String(err);
      }
      if (attempt >= maxAttempts)
        throw new DeliveryFailed(
          `${options.url}: gave up on ${lines.length} lines after ${attempt} tries (last: ${last})`,
        );
      await sleep(Math.min(30_000, Math.max(wait, random() * base * 2 ** (attempt - 1))));
    }
  };
}
