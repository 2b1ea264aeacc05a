import { type EmbeddedStoreOptions, lazyEmbeddedDatabase } from '../delivery/embedded-store.js';
import type { BatchingSink, BatchOptions } from './batching-sink.js';
import { createStoreSink, type InvocationWriter } from './store-sink.js';

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
