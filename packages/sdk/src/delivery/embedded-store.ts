import { createRequire } from 'node:module';
import { VigilError } from '../errors.js';

/** Where the embedded SQLite file is (`$VIGIL_DATA_DIR/vigil.db` by default, as the service reads it). */
export interface EmbeddedStoreOptions {
  /** The database file (default `$VIGIL_DATA_DIR/vigil.db`, else `./.vigil-data/vigil.db`). */
  path?: string;
  /** Environment to read `VIGIL_DATA_DIR` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** What the SDK uses of `@vigil/store/sqlite`'s database, structurally (no import of the store). */
export interface EmbeddedDatabase {
  invocations: { insertBatch(rows: readonly never[]): Promise<unknown> };
  audit: { appendBatch(events: readonly never[]): Promise<unknown> };
  close(): Promise<void>;
}

interface SqliteModule {
  openSqliteStore(path: string): Promise<EmbeddedDatabase>;
  defaultDatabasePath(env?: Record<string, string | undefined>): string;
}

// A variable, so TypeScript does not resolve it: the store is an optional companion of the SDK, not a
// dependency; declared as a peer, it broke a clean `tsc -b` of this repository, which resolves a
// package's peers and cached the store as missing before building it.
const STORE_ENTRY: string = '@vigil/store/sqlite';

/**
 * True when `@vigil/store` can be loaded from here (resolved, not loaded): a recorder then
 * defaults to the SQLite file. `resolve` is for tests.
 */
export function storeInstalled(resolve: (specifier: string) => string = resolver()): boolean {
  try {
    resolve(STORE_ENTRY);
    return true;
  } catch {
    return false;
  }
}

// import.meta.resolve where the runtime has it, else require.resolve from this file (both read the
// package's "exports"); a bundle that has neither finds nothing.
function resolver(): (specifier: string) => string {
  if (typeof import.meta.resolve === 'function') return (specifier) => import.meta.resolve(specifier);
  return (specifier) => createRequire(import.meta.url).resolve(specifier);
}

/** The embedded database, opened on first use; `close()` closes it if it was ever opened. */
export interface LazyDatabase {
  open(): Promise<EmbeddedDatabase>;
  close(): Promise<void>;
}

/**
 * Opens the embedded SQLite file through `@vigil/store` (an optional peer, loaded only here) on
 * the first `open()`. Without the store every `open()` rejects with VIGIL_MISSING_PEER naming
 * `who` needs it.
 */
export function lazyEmbeddedDatabase(options: EmbeddedStoreOptions, who: string): LazyDatabase {
  let opened: Promise<EmbeddedDatabase> | undefined;
  return {
    open() {
      // A failed open is forgotten, so the next delivery tries again (a directory made writable later).
      opened ??= loadStore(who)
        .then((store) => store.openSqliteStore(options.path ?? store.defaultDatabasePath(options.env ?? process.env)))
        .catch((error: unknown) => {
          opened = undefined;
          throw error;
        });
      return opened;
    },
    async close() {
      const db = await opened?.catch(() => undefined);
      await db?.close();
    },
  };
}

async function loadStore(who: string): Promise<SqliteModule> {
  try {
    return (await import(STORE_ENTRY)) as SqliteModule;
  } catch (cause) {
    throw new VigilError('VIGIL_MISSING_PEER', `${who} needs the @vigil/store package: npm install @vigil/store`, {
      cause,
    });
  }
}
