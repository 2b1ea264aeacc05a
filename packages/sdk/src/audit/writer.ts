import { type EmbeddedStoreOptions, lazyEmbeddedDatabase } from '../delivery/embedded-store.js';
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
export type SqliteAuditWriterOptions = EmbeddedStoreOptions;

/**
 * The audit table of the embedded SQLite file, through `@vigil/store` (an optional peer, loaded
 * on the first write, so this returns at once). If the store is missing, each write fails with
 * VIGIL_MISSING_PEER, which the audit log counts and logs.
 */
export function createSqliteAuditWriter(options: SqliteAuditWriterOptions = {}): ClosableAuditWriter {
  const db = lazyEmbeddedDatabase(options, 'the SQLite audit writer');
  return {
    appendBatch: async (events) => (await db.open()).audit.appendBatch(events as never),
    close: () => db.close(),
  };
}
