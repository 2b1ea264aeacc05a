import type { InvocationRow } from './row.js';

/**
 * Where invocation rows go. `write` is on the agent's path: it must return at once and never
 * throw (batch and send later). `flush` sends what is queued; `close` flushes and stops, for a
 * Shutdown hook: `shutdown.onClose('invocations', () => sink.close())`.
 */
export interface InvocationSink {
  write(row: InvocationRow): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A sink that keeps nothing: the default when none is configured. */
export const noopSink: InvocationSink = Object.freeze({
  write(): void {},
  async flush(): Promise<void> {},
  async close(): Promise<void> {},
});
