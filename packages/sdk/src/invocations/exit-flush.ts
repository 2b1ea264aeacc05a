import type { InvocationSink } from './sink.js';

/** A sink that says how many rows wait (BatchingSink does). */
type QueuedSink = InvocationSink & { readonly queued?: number };

const waiting = new Set<QueuedSink>();
let listening = false;

/**
 * Delivers `sink`'s queued rows when the process runs out of work, so a script that never calls
 * `close()` still keeps its last rows: the batch timer is unref'd and would not hold the process
 * open. Node emits `beforeExit` again after the delivery, and exits once nothing waits. Not on
 * `process.exit()` or a signal: a shutdown hook calls `close()` for those. Returns the function
 * that stops it (`close()` of the recorder calls it).
 */
export function deliverBeforeExit(sink: QueuedSink): () => void {
  waiting.add(sink);
  if (!listening) {
    listening = true;
    process.on('beforeExit', deliverWaiting);
  }
  return () => {
    waiting.delete(sink);
  };
}

function deliverWaiting(): void {
  for (const sink of waiting) if ((sink.queued ?? 0) > 0) void sink.flush();
}
