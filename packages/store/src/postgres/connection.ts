import pg from 'pg';
import { StoreError } from '../errors.js';

/** How to reach PostgreSQL: a `postgres://` URL or node-postgres pool settings. */
export type PostgresTarget = string | pg.PoolConfig;

/** A query runner: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

// int8 (COUNT, bigint ids and epoch milliseconds) as a JS number: every value the stores keep
// fits in 2^53, and the records' types are numbers.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

// PostgreSQL error codes (SQLSTATE) and Node socket codes that mean "never connected".
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);
const AUTH = new Set(['28000', '28P01']);
const NO_DATABASE = '3D000';
// node-postgres's own messages for a connect that timed out and a connection the server dropped.
const LOST = /^(timeout exceeded when trying to connect|Connection terminated)/;

/** A pool of connections to one database, with a label that names it without the password. */
export class PostgresConnection {
  /** `postgres://user@host:port/database`: what error messages name; never the password. */
  readonly where: string;
  readonly #pool: pg.Pool;
  #closed = false;

  constructor(target: PostgresTarget, options: { schema?: string; poolSize?: number } = {}) {
    const config: pg.PoolConfig = typeof target === 'string' ? { connectionString: target } : { ...target };
    config.types = types;
    if (options.poolSize !== undefined) config.max = options.poolSize;
    config.connectionTimeoutMillis ??= 10_000;
    if (options.schema !== undefined) {
      // A startup parameter, so every pooled connection has it before its first query.
      config.options = `${config.options ?? ''} -c search_path=${options.schema}`.trim();
    }
    this.where = describe(config);
    this.#pool = new pg.Pool(config);
    // An idle client whose server went away emits here; the next query reports it.
    this.#pool.on('error', () => {});
  }

  /** True until `close()`. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Connects once to check the server, the database and the credentials; a StoreError says which failed. */
  async check(): Promise<void> {
    const client = await this.#connect();
    client.release();
  }

  /** Runs one statement on a pooled connection; failures become StoreErrors saying what was being done. */
  async query<R extends pg.QueryResultRow>(doing: string, sql: string, params: unknown[] = []): Promise<R[]> {
    this.#assertOpen();
    try {
      return (await this.#pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw this.error(doing, err);
    }
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(doing: string, work: (client: Queryable) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.#connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw this.error(doing, err);
    } finally {
      client.release();
    }
  }

  /** Ends every connection; closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** `err` as a StoreError: itself when it is one, else a code for what failed, naming the database. */
  error(doing: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    const code = (err as { code?: string }).code ?? '';
    const message = (err as Error).message;
    if (UNREACHABLE.has(code) || LOST.test(message)) {
      return new StoreError('VIGIL_STORE_CONNECT', `${this.where}: cannot reach the server: ${message}`, {
        cause: err,
      });
    }
    if (AUTH.has(code)) {
      return new StoreError('VIGIL_STORE_AUTH', `${this.where}: the server refused the login: ${message}`, {
        cause: err,
      });
    }
    if (code === NO_DATABASE) {
      return new StoreError('VIGIL_STORE_OPEN', `${this.where}: ${message}: create it first (createdb)`, {
        cause: err,
      });
    }
    return new StoreError('VIGIL_STORE_IO', `${this.where}: ${doing} failed: ${message}`, { cause: err });
  }

  async #connect(): Promise<pg.PoolClient> {
    this.#assertOpen();
    try {
      return await this.#pool.connect();
    } catch (err) {
      throw this.error('connecting', err);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('VIGIL_STORE_CLOSED', `${this.where}: the store is closed`);
  }
}

/**
 * `postgres://user@host:port/database` from pool settings, resolved as node-postgres does (the URL's parts over the
 * settings over PG* variables); never the password.
 */
function describe(config: pg.PoolConfig): string {
  let url: URL | null = null;
  if (config.connectionString !== undefined) {
    try {
      url = new URL(config.connectionString);
    } catch {
      throw new StoreError('VIGIL_STORE_OPEN', 'the PostgreSQL URL is not a URL (postgres://user@host:port/database)');
    }
  }
  const env = process.env;
  const pick = (...values: (string | number | null | undefined)[]) =>
    values.find((v) => v !== undefined && v !== null && v !== '');
  const host = pick(url?.hostname, url?.searchParams.get('host'), config.host, env.PGHOST, 'localhost') as string;
  const port = pick(url?.port, config.port, env.PGPORT, 5432);
  const user = pick(url && decodeURIComponent(url.username), config.user, env.PGUSER, '');
  const path = url && decodeURIComponent(url.pathname.slice(1));
  const database = pick(path, config.database, env.PGDATABASE, user);
  return `postgres://${user ? `${user}@` : ''}${host.includes(':') ? `[${host}]` : host}:${port}/${database}`;
}
