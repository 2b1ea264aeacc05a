import { join } from 'node:path';
import { SqliteAlertHistory } from '../alerts/sqlite-alert-history.js';
import { SqliteAuditStore } from '../audit/sqlite-audit-store.js';
import { StoreError } from '../errors.js';
import { SqliteInvocationStore } from '../invocations/sqlite-invocation-store.js';
import { SqliteLogStore } from '../logs/sqlite-log-store.js';
import { SqliteSpanStore } from '../spans/sqlite-span-store.js';
import { SqliteConnection, type SqliteConnectionOptions } from './connection.js';
import { assertKnownSchema, MIGRATIONS, type Migration, migrate, schemaVersion } from './migrations.js';

/** The file name of Vigil's record database inside the data directory. */
export const DATABASE_FILE = 'vigil.db';

/** `${VIGIL_DATA_DIR ?? './.vigil-data'}/vigil.db`: where the service and `vigil audit verify` look by default. */
export function defaultDatabasePath(env: Record<string, string | undefined> = process.env): string {
  return join(env.VIGIL_DATA_DIR || './.vigil-data', DATABASE_FILE);
}

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions extends SqliteConnectionOptions {
  /** The clock for records given without `ts` (default Date.now). */
  now?: () => number;
  /** Schema changes to apply; tests pass their own. Default: MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** The record stores of one SQLite file, sharing one connection. */
export class SqliteStore {
  /** The file (or `:memory:`). */
  readonly path: string;
  /** The invocation log. */
  readonly invocations: SqliteInvocationStore;
  /** The hash-chained audit log. */
  readonly audit: SqliteAuditStore;
  /** Log lines, full-text searchable. */
  readonly logs: SqliteLogStore;
  /** Spans of traces. */
  readonly spans: SqliteSpanStore;
  /** Alert state changes (pending, firing, resolved). */
  readonly alerts: SqliteAlertHistory;
  readonly #conn: SqliteConnection;

  /** Use `openSqliteStore`, which also migrates. */
  constructor(conn: SqliteConnection, now: () => number) {
    this.path = conn.path;
    this.#conn = conn;
    this.invocations = new SqliteInvocationStore(conn, now);
    this.audit = new SqliteAuditStore(conn, now);
    this.logs = new SqliteLogStore(conn, now);
    this.spans = new SqliteSpanStore(conn);
    this.alerts = new SqliteAlertHistory(conn);
  }

  /** The schema version of the file. */
  schemaVersion(): number {
    return schemaVersion(this.#conn.db());
  }

  /** Closes the connection; later calls reject with VIGIL_STORE_CLOSED. Closing twice is harmless. */
  async close(): Promise<void> {
    this.#conn.close();
  }
}

/**
 * Opens (creating the file and its directory when needed) a SQLite record database in WAL mode,
 * `synchronous=FULL`, `busy_timeout=5000`, and applies pending migrations. With `readonly`, the
 * file must exist and be a Vigil database; nothing is changed.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const conn = new SqliteConnection(path, options);
  const migrations = options.migrations ?? MIGRATIONS;
  try {
    const db = conn.db();
    if (conn.readonly) {
      const known = migrations[migrations.length - 1]?.version ?? 0;
      if (assertKnownSchema(db, path, known) === 0) {
        throw new StoreError('VIGIL_STORE_OPEN', `${path}: not a Vigil database (it has no schema_migrations table)`);
      }
    } else {
      migrate(db, path, migrations, options.now);
    }
  } catch (err) {
    conn.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('VIGIL_STORE_OPEN', `${path}: cannot open: ${(err as Error).message}`, { cause: err });
  }
  return new SqliteStore(conn, options.now ?? Date.now);
}
