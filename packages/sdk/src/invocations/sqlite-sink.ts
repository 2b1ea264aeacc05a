import { type EmbeddedStoreOptions, lazyEmbeddedDatabase } from '../delivery/embedded-store.js';
import type { BatchingSink, BatchOptions } from './batching-sink.js';
import { createStoreSink, type InvocationWriter } from './store-sink.js';

/**
 * Rows per transaction into the local file when more are waiting (the HTTP sink sends 500). A
 * commit is an fsync, so bigger batches write more rows per second: 2,000 rows take ~15 ms of the
 * event loop, and only under a backlog; otherwise the timer delivers what the last second queued.
 */
export const SQLITE_MAX_BATCH = 2_000;

/** Options of `createSqliteSink`. */
export interface SqliteSinkOptions extends BatchOptions, EmbeddedStoreOptions {}

/**
 * A batching sink into the embedded SQLite file through `@vigil/store` (an optional peer,
 * loaded only here); `close()` also closes the database. Rejects with VIGIL_MISSING_PEER when
 * the store is not installed.
 */
export async function createSqliteSink(options: SqliteSinkOptions = {}): Promise<BatchingSink> {
  const db = lazyEmbeddedDatabase(options, 'the SQLite invocation sink');
  const opened = await db.open();
  return createStoreSink({
    ...options,
    maxBatch: options.maxBatch ?? SQLITE_MAX_BATCH,
    store: opened.invocations as InvocationWriter,
    onClose: chain(options.onClose, () => db.close()),
  });
}

/**
 * The same sink, returned at once: the store is loaded and the file opened on the first
 * delivery (so a recorder can default to it synchronously). If the store is missing, each
 * delivery fails, is counted and logged.
 */
export function lazySqliteSink(options: SqliteSinkOptions = {}): BatchingSink {
  const db = lazyEmbeddedDatabase(options, 'the SQLite invocation sink');
  return createStoreSink({
    ...options,
    maxBatch: options.maxBatch ?? SQLITE_MAX_BATCH,
    store: { insertBatch: async (rows) => (await db.open()).invocations.insertBatch(rows as never) },
    onClose: chain(options.onClose, () => db.close()),
  });
}

function chain(first: (() => Promise<void> | void) | undefined, then: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await first?.();
    } finally {
      await then();
    }
  };
}
