import { StoreError } from '../errors.js';
import type { Migration } from '../sqlite/migrations.js';
import { PostgresAlertHistory } from './alert-history.js';
import { PostgresAuditStore } from './audit-store.js';
import { PostgresConnection, type PostgresTarget } from './connection.js';
import { PostgresInvocationStore } from './invocation-store.js';
import { PostgresLogStore } from './log-store.js';
import { createPostgresSchema, migratePostgres, POSTGRES_MIGRATIONS, postgresSchemaVersion } from './migrations.js';
import { PostgresSpanStore } from './span-store.js';

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** The clock for records given without `ts` (default Date.now). */
  now?: () => number;
  /** Schema changes to apply; tests pass their own. Default: POSTGRES_MIGRATIONS. */
  migrations?: readonly Migration[];
  /**
   * The PostgreSQL schema (namespace) that holds the tables, created when missing (default: the connection's
   * search_path, normally `public`). Lets several Vigil stores share one database.
   */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** The record stores of one PostgreSQL database, sharing one connection pool. */
export class PostgresStore {
  /** `postgres://user@host:port/database` (never the password). */
  readonly where: string;
  /** The invocation log. */
  readonly invocations: PostgresInvocationStore;
  /** The hash-chained audit log. */
  readonly audit: PostgresAuditStore;
  /** Log lines, full-text searchable. */
  readonly logs: PostgresLogStore;
  /** Spans of traces. */
  readonly spans: PostgresSpanStore;
  /** Alert state changes (pending, firing, resolved). */
  readonly alerts: PostgresAlertHistory;
  readonly #conn: PostgresConnection;

  /** Use `openPostgresStore`, which also connects and migrates. */
  constructor(conn: PostgresConnection, now: () => number) {
    this.where = conn.where;
    this.#conn = conn;
    this.invocations = new PostgresInvocationStore(conn, now);
    this.audit = new PostgresAuditStore(conn, now);
    this.logs = new PostgresLogStore(conn, now);
    this.spans = new PostgresSpanStore(conn);
    this.alerts = new PostgresAlertHistory(conn);
  }

  /** The schema version of the database. */
  async schemaVersion(): Promise<number> {
    return this.#conn.transaction('reading the schema version', postgresSchemaVersion);
  }

  /** Ends the pool's connections; later calls reject with VIGIL_STORE_CLOSED. Closing twice is harmless. */
  async close(): Promise<void> {
    await this.#conn.close();
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Connects to PostgreSQL (a `postgres://` URL or node-postgres pool settings), checks the server, database and
 * login (VIGIL_STORE_CONNECT, VIGIL_STORE_AUTH, VIGIL_STORE_OPEN, naming user@host:port/database but never the
 * password) and applies pending migrations (VIGIL_STORE_SCHEMA_TOO_NEW for a database from a newer Vigil).
 */
export async function openPostgresStore(
  target: PostgresTarget,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('VIGIL_STORE_OPEN', `schema must be a lowercase SQL name ([a-z_][a-z0-9_]*), got "${schema}"`);
  }
  const conn = new PostgresConnection(target, { schema, poolSize: options.poolSize });
  try {
    await conn.check();
    if (schema !== undefined) await createPostgresSchema(conn, schema);
    await migratePostgres(conn, options.migrations ?? POSTGRES_MIGRATIONS, options.now);
  } catch (err) {
    await conn.close();
    throw err;
  }
  return new PostgresStore(conn, options.now ?? Date.now);
}
