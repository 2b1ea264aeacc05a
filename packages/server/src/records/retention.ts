import type { LogStore, SpanStore } from '@vigil/store';

/** Maximum age per kind of record, in milliseconds; a kind left out is kept for ever. */
export interface RetentionPolicy {
  logs?: number;
  spans?: number;
}

/** Records deleted per kind by one pass. */
export interface RetentionResult {
  logs: number;
  spans: number;
}

/**
 * Deletes log lines and spans older than their kind's maximum age. Invocation rows and audit
 * events are permanent by design (cost accounting, and a hash chain that must not have holes),
 * so they have no retention here.
 */
export async function applyRetention(
  store: { logs: LogStore; spans: SpanStore },
  policy: RetentionPolicy,
  now: number = Date.now(),
): Promise<RetentionResult> {
  const out: RetentionResult = { logs: 0, spans: 0 };
  if (policy.logs !== undefined) out.logs = await store.logs.deleteBefore(Math.floor(now - check(policy.logs, 'logs')));
  if (policy.spans !== undefined)
    out.spans = await store.spans.deleteBefore(Math.floor(now - check(policy.spans, 'spans')));
  return out;
}

/**
 * Runs `applyRetention` every `intervalMs` (default 10 minutes) on an unref'd timer; errors go to
 * `onError`, never thrown. Returns a function that stops it.
 */
export function startRetention(
  store: { logs: LogStore; spans: SpanStore },
  policy: RetentionPolicy,
  options: {
    intervalMs?: number;
    now?: () => number;
    onError?: (error: unknown) => void;
    onPass?: (result: RetentionResult) => void;
  } = {},
): () => void {
  const now = options.now ?? Date.now;
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      options.onPass?.(await applyRetention(store, policy, now()));
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), options.intervalMs ?? 600_000);
  timer.unref();
  return () => clearInterval(timer);
}

function check(ms: number, kind: string): number {
  if (!Number.isFinite(ms) || ms <= 0)
    throw new RangeError(`retention for ${kind} must be a positive number of milliseconds, got ${ms}`);
  return ms;
}
