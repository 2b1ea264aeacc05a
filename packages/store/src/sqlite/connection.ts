import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';

/** How to open a SQLite file. */
export interface SqliteConnectionOptions {
  /** Open an existing file read-only and change nothing (no migrations): `vigil audit verify`. */
  readonly?: boolean;
  /**
   * `FULL` (default) fsyncs the WAL at every commit, so a committed row survives a power cut, not
   * only a crash of the process: invocation and audit rows are permanent. Writes come in batches,
   * so that costs one fsync per batch. `NORMAL` trades the last commits on power loss for speed.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process's lock before failing with VIGIL_STORE_IO (default 5000). */
  busyTimeoutMs?: number;
}

/** An open better-sqlite3 connection and the file it is on; `db()` refuses once closed. */
export class SqliteConnection {
  readonly path: string;
  readonly readonly: boolean;
  readonly #db: Database;

  constructor(path: string, options: SqliteConnectionOptions = {}) {
    this.path = path;
    this.readonly = options.readonly ?? false;
    try {
      if (!this.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.#db = new BetterSqlite3(path, { readonly: this.readonly, fileMustExist: this.readonly });
    } catch (err) {
      throw new StoreError('VIGIL_STORE_OPEN', `${path}: cannot open: ${(err as Error).message}`, { cause: err });
    }
    try {
      this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      if (!this.readonly) {
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      }
      // Reads the header: a file that is not a SQLite database fails here rather than at first use.
      this.#db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    } catch (err) {
      this.#db.close();
      throw new StoreError('VIGIL_STORE_OPEN', `${path}: cannot open: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The connection; a StoreError (VIGIL_STORE_CLOSED) once `close()` ran. */
  db(): Database {
    if (!this.#db.open) throw new StoreError('VIGIL_STORE_CLOSED', `${this.path}: the store is closed`);
    return this.#db;
  }

  /** True until `close()`. */
  get open(): boolean {
    return this.#db.open;
  }

  /** Closes the connection; closing twice is harmless. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Runs `work`, turning any SQLite failure into a StoreError (VIGIL_STORE_IO) that says what was being done. */
  run<T>(doing: string, work: (db: Database) => T): T {
    const db = this.db();
    try {
      return work(db);
    } catch (err) {
      throw ioError(this.path, doing, err);
    }
  }
}

/** `err` as a StoreError: itself when it is one, else VIGIL_STORE_IO saying what was being done. */
export function ioError(path: string, doing: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError('VIGIL_STORE_IO', `${path}: ${doing} failed: ${(err as Error).message}`, { cause: err });
}
