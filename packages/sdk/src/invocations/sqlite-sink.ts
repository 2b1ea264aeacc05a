import { VigilError } from '../errors.js';
import type { BatchingSink, BatchOptions } from './batching-sink.js';
import { createStoreSink, type InvocationWriter } from './store-sink.js';

/** Options of `createSqliteSink`. */
export interface SqliteSinkOptions extends BatchOptions {
  /** The database file (default `$VIGIL_DATA_DIR/vigil.db`, else `./.vigil-data/vigil.db`, as the service reads it). */
  path?: string;
  /** Environment to read `VIGIL_DATA_DIR` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

interface SqliteDatabase {
  invocations: InvocationWriter;
  close(): Promise<void>;
}

interface SqliteModule {
  openSqliteStore(path: string): Promise<SqliteDatabase>;
  defaultDatabasePath(env?: Record<string, string | undefined>): string;
}

// A variable, so TypeScript does not resolve it: the store is an optional peer of the SDK.
const STORE_ENTRY: string = '@vigil/store/sqlite';

/**
 * A batching sink into the embedded SQLite file through `@vigil/store` (an optional peer,
 * loaded only here); `close()` also closes the database. Rejects with VIGIL_MISSING_PEER when
 * the store is not installed.
 */
export async function createSqliteSink(options: SqliteSinkOptions = {}): Promise<BatchingSink> {
  const store = await loadSqliteStore();
  const db = await store.openSqliteStore(options.path ?? store.defaultDatabasePath(options.env ?? process.env));
  return createStoreSink({ ...options, store: db.invocations, onClose: chain(options.onClose, () => db.close()) });
}

/**
 * The same sink, returned at once: the store is loaded and the file opened on the first
 * delivery (so a recorder can default to it synchronously). If the store is missing, each
 * delivery fails, is counted and logged.
 */
export function lazySqliteSink(options: SqliteSinkOptions = {}): BatchingSink {
  let opened: Promise<SqliteDatabase> | undefined;
  const open = () => {
    opened ??= loadSqliteStore().then((store) =>
      store.openSqliteStore(options.path ?? store.defaultDatabasePath(options.env ?? process.env)),
    );
    return opened;
  };
  return createStoreSink({
    ...options,
    store: { insertBatch: async (rows) => (await open()).invocations.insertBatch(rows) },
    onClose: chain(options.onClose, async () => {
      const db = await opened?.catch(() => undefined);
      await db?.close();
    }),
  });
}

async function loadSqliteStore(): Promise<SqliteModule> {
  try {
    return (await import(STORE_ENTRY)) as SqliteModule;
  } catch (cause) {
    throw new VigilError(
      'VIGIL_MISSING_PEER',
      'the SQLite invocation sink needs the @vigil/store package: npm install @vigil/store',
      { cause },
    );
  }
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
