import { VigilError } from '../errors.js';
import type { AuditRecord } from './event.js';

/**
 * Where audit events are written, one batch at a time: `@vigil/store`'s `AuditStore` (SQLite or
 * PostgreSQL) satisfies it as it is, so the SDK needs no import of the store. The writer
 * computes the hash chain; `appendBatch` must be idempotent by `id` (same id and content: no-op).
 */
export interface AuditWriter {
  appendBatch(events: readonly AuditRecord[]): Promise<unknown>;
}

/** An AuditWriter that owns what it writes to (a database it opened): the audit log closes it. */
export interface ClosableAuditWriter extends AuditWriter {
  close(): Promise<void>;
}

/** Options of `createSqliteAuditWriter`. */
export interface SqliteAuditWriterOptions {
  /** The database file (default `$VIGIL_DATA_DIR/vigil.db`, else `./.vigil-data/vigil.db`, as the service reads it). */
  path?: string;
  /** Environment to read `VIGIL_DATA_DIR` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

interface SqliteDatabase {
  audit: AuditWriter;
  close(): Promise<void>;
}

interface SqliteModule {
  openSqliteStore(path: string): Promise<SqliteDatabase>;
  defaultDatabasePath(env?: Record<string, string | undefined>): string;
}

// A variable, so TypeScript does not resolve it: the store is an optional peer of the SDK.
const STORE_ENTRY: string = '@vigil/store/sqlite';

/**
 * The audit table of the embedded SQLite file, through `@vigil/store` (an optional peer, loaded
 * on the first write, so this returns at once). If the store is missing, each write fails with
 * VIGIL_MISSING_PEER, which the audit log counts and logs.
 */
export function createSqliteAuditWriter(options: SqliteAuditWriterOptions = {}): ClosableAuditWriter {
  let opened: Promise<SqliteDatabase> | undefined;
  const open = () => {
    opened ??= loadSqliteStore().then((store) =>
      store.openSqliteStore(options.path ?? store.defaultDatabasePath(options.env ?? process.env)),
    );
    return opened;
  };
  return {
    appendBatch: async (events) => (await open()).audit.appendBatch(events),
    close: async () => {
      const db = await opened?.catch(() => undefined);
      await db?.close();
    },
  };
}

async function loadSqliteStore(): Promise<SqliteModule> {
  try {
    return (await import(STORE_ENTRY)) as SqliteModule;
  } catch (cause) {
    throw new VigilError(
      'VIGIL_MISSING_PEER',
      'the SQLite audit writer needs the @vigil/store package: npm install @vigil/store',
      { cause },
    );
  }
}
