import Database from 'better-sqlite3';
import { TsdbError } from '../errors.js';

/** The file format this code writes; a file with a newer one is refused rather than misread. */
const FORMAT = 'vigil-tsdb';
const VERSION = 1;
/** Larger pages than SQLite's 4 KiB: fewer page headers, and a chunk blob never needs an overflow page. */
const PAGE_SIZE = 8192;

// Closed chunks are only ever appended (rowid order is close to time order, so pages fill up), and deleted
// oldest first. The open head chunk of each series is rewritten every flush: it lives in its own small
// table so that churn never fragments the big one. A chunk blob is encodeChunk's output; its header holds
// count and minTime, so only maxt needs a column (range queries and retention).
const SCHEMA = `
CREATE TABLE vigil_tsdb (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE series (id INTEGER PRIMARY KEY, labels TEXT NOT NULL);
CREATE TABLE chunks (id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, maxt INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX chunks_by_series ON chunks (series_id, maxt);
CREATE INDEX chunks_by_maxt ON chunks (maxt);
CREATE TABLE head (series_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE metadata (metric TEXT PRIMARY KEY, type TEXT NOT NULL, help TEXT NOT NULL, unit TEXT NOT NULL) WITHOUT ROWID;
`;

/** A stored chunk as a range read returns it. */
export type ChunkRow = [maxt: number, data: Buffer];

/** A stored chunk as a read of several series returns it. */
export type SeriesChunkRow = [seriesId: number, maxt: number, data: Buffer];

/** The SQLite side of a Tsdb: one connection, prepared statements, and errors that name the file. */
export class SqliteFile {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof prepare>;

  /** Opens (creating when missing) the file at `path`, or an in-memory database when undefined. */
  constructor(path: string | undefined) {
    this.path = path ?? ':memory:';
    let db: Database.Database | undefined;
    try {
      db = new Database(this.path);
      db.pragma('busy_timeout = 200');
      // Set before the first table exists; no-ops on an existing file.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('auto_vacuum = INCREMENTAL');
      // One writer per file, held for the connection's life: a second process fails at open, not later.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses nothing on a process crash; only an OS crash or power loss can undo
      // the last commits.
      db.pragma('synchronous = NORMAL');
      // After a checkpoint the WAL is cut back to this size, so one large flush does not keep its size on disk.
      db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
      db.exec('BEGIN IMMEDIATE; COMMIT');
      checkFormat(db, this.path);
      this.db = db;
      this.s = prepare(db);
    } catch (error) {
      db?.close();
      throw fileError(error, this.path, 'open');
    }
  }

  /** Runs `fn` in one transaction (nested calls join it). */
  transaction<T>(fn: () => T): T {
    return this.guard('write', () => this.db.transaction(fn)());
  }

  /** Every stored series, in id order. */
  series(): [id: number, key: string][] {
    return this.guard('read', () => this.s.allSeries.all() as [number, string][]);
  }

  /** Every stored head chunk. */
  heads(): [seriesId: number, data: Buffer][] {
    return this.guard('read', () => this.s.allHeads.all() as [number, Buffer][]);
  }

  /** Stored metadata rows. */
  metadata(): [metric: string, type: string, help: string, unit: string][] {
    return this.guard('read', () => this.s.allMetadata.all() as [string, string, string, string][]);
  }

  /** Stores a new series under its id. */
  insertSeries(id: number, key: string): void {
    this.s.insertSeries.run(id, key);
  }

  /** Deletes a series with its chunks and head. */
  deleteSeries(id: number): void {
    this.s.deleteSeries.run(id);
    this.s.deleteSeriesChunks.run(id);
    this.s.deleteHead.run(id);
  }

  /** Stores a closed chunk. */
  insertChunk(seriesId: number, maxt: number, data: Uint8Array): void {
    this.s.insertChunk.run(seriesId, maxt, data);
  }

  /** Stores (or replaces) a series' open chunk. */
  writeHead(seriesId: number, data: Uint8Array): void {
    this.s.upsertHead.run(seriesId, data);
  }

  /** Stores (or replaces) a metric's metadata. */
  writeMetadata(metric: string, type: string, help: string, unit: string): void {
    this.s.upsertMetadata.run(metric, type, help, unit);
  }

  /** Up to `limit` chunks of a series with maxt ≥ `from`, oldest first. */
  chunks(seriesId: number, from: number, limit: number): ChunkRow[] {
    return this.guard('read', () => this.s.chunkPage.all(seriesId, from, limit) as ChunkRow[]);
  }

  /** The chunks of every series in `seriesIds` with maxt in [from, to], by series id then time, in one statement. */
  chunksOf(seriesIds: readonly number[], from: number, to: number): SeriesChunkRow[] {
    return this.guard('read', () => this.s.chunksOf.all(JSON.stringify(seriesIds), from, to) as SeriesChunkRow[]);
  }

  /** The oldest stored chunk of a series, if any. */
  firstChunk(seriesId: number): Buffer | undefined {
    return this.guard('read', () => this.s.firstChunk.get(seriesId) as Buffer | undefined);
  }

  /** The newest stored chunk's maxt of a series, if any. */
  lastMaxt(seriesId: number): number | undefined {
    return this.guard('read', () => (this.s.lastMaxt.get(seriesId) as number | null) ?? undefined);
  }

  /** Whether a series has stored chunks. */
  hasChunks(seriesId: number): boolean {
    return this.guard('read', () => this.s.hasChunks.get(seriesId) !== undefined);
  }

  /** Deletes chunks whose newest sample is older than `cutoff`; returns how many. */
  deleteChunksBefore(cutoff: number): number {
    return this.guard('write', () => this.s.deleteBefore.run(cutoff).changes);
  }

  /** Deletes the `n` chunks with the oldest newest-sample; returns how many. */
  deleteOldestChunks(n: number): number {
    return this.guard('write', () => this.s.deleteOldest.run(n).changes);
  }

  /** Closed chunks stored. */
  chunkCount(): number {
    return this.guard('read', () => this.s.countChunks.get() as number);
  }

  /** Bytes of the pages in use (the file minus its free pages): what `retentionBytes` limits. */
  liveBytes(): number {
    return this.guard('read', () => {
      const pages = this.db.pragma('page_count', { simple: true }) as number;
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      return (pages - free) * PAGE_SIZE;
    });
  }

  /** Gives free pages back to the file system. */
  shrink(): void {
    this.guard('write', () => this.db.pragma('incremental_vacuum'));
  }

  /** Closes the connection; the WAL is checkpointed into the file. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  // SQLite errors become TsdbErrors that name the file; anything else passes through.
  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw fileError(error, this.path, what);
    }
  }
}

function prepare(db: Database.Database) {
  const raw = (sql: string) => db.prepare(sql).raw(true);
  return {
    allSeries: raw('SELECT id, labels FROM series ORDER BY id'),
    allHeads: raw('SELECT series_id, data FROM head'),
    allMetadata: raw('SELECT metric, type, help, unit FROM metadata'),
    insertSeries: db.prepare('INSERT INTO series (id, labels) VALUES (?, ?)'),
    deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
    deleteSeriesChunks: db.prepare('DELETE FROM chunks WHERE series_id = ?'),
    insertChunk: db.prepare('INSERT INTO chunks (series_id, maxt, data) VALUES (?, ?, ?)'),
    upsertHead: db.prepare(
      'INSERT INTO head (series_id, data) VALUES (?, ?) ON CONFLICT (series_id) DO UPDATE SET data = excluded.data',
    ),
    deleteHead: db.prepare('DELETE FROM head WHERE series_id = ?'),
    upsertMetadata: db.prepare('INSERT OR REPLACE INTO metadata (metric, type, help, unit) VALUES (?, ?, ?, ?)'),
    chunkPage: raw('SELECT maxt, data FROM chunks WHERE series_id = ? AND maxt >= ? ORDER BY maxt LIMIT ?'),
    // The id list is one JSON array parameter, so one prepared statement serves any number of series.
    chunksOf: raw(
      'SELECT series_id, maxt, data FROM chunks WHERE series_id IN (SELECT value FROM json_each(?)) AND maxt BETWEEN ? AND ? ORDER BY series_id, maxt',
    ),
    firstChunk: db.prepare('SELECT data FROM chunks WHERE series_id = ? ORDER BY maxt LIMIT 1').pluck(),
    hasChunks: db.prepare('SELECT 1 FROM chunks WHERE series_id = ? LIMIT 1').pluck(),
    lastMaxt: db.prepare('SELECT max(maxt) FROM chunks WHERE series_id = ?').pluck(),
    deleteBefore: db.prepare('DELETE FROM chunks WHERE maxt < ?'),
    deleteOldest: db.prepare('DELETE FROM chunks WHERE id IN (SELECT id FROM chunks ORDER BY maxt LIMIT ?)'),
    countChunks: db.prepare('SELECT count(*) FROM chunks').pluck(),
  };
}

// A new file gets the schema; an existing one must be a Vigil TSDB of a format this code reads.
function checkFormat(db: Database.Database, path: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) {
    db.transaction(() => {
      db.exec(SCHEMA);
      const put = db.prepare('INSERT INTO vigil_tsdb (key, value) VALUES (?, ?)');
      put.run('format', FORMAT);
      put.run('version', String(VERSION));
    })();
    return;
  }
  const read = (key: string) =>
    tables.includes('vigil_tsdb')
      ? (db.prepare('SELECT value FROM vigil_tsdb WHERE key = ?').pluck().get(key) as string | undefined)
      : undefined;
  if (read('format') !== FORMAT) {
    throw new TsdbError('VIGIL_TSDB_CORRUPT_DB', `${path} is an SQLite database but not a Vigil TSDB`);
  }
  const version = Number(read('version'));
  if (version !== VERSION) {
    throw new TsdbError(
      'VIGIL_TSDB_CORRUPT_DB',
      `${path} has TSDB format version ${read('version')}; this Vigil reads version ${VERSION}`,
    );
  }
}

function fileError(error: unknown, path: string, what: string): unknown {
  if (error instanceof TsdbError) return error;
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new TsdbError('VIGIL_TSDB_LOCKED', `${path} is in use by another process (one writer per TSDB file)`, {
      cause: error,
    });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      return new TsdbError('VIGIL_TSDB_CORRUPT_DB', `${path} is not a readable TSDB file (${what}): ${error.message}`, {
        cause: error,
      });
    }
    return new TsdbError('VIGIL_TSDB_IO', `${path}: ${what} failed: ${error.message} [${code}]`, { cause: error });
  }
  // better-sqlite3's own checks at open (a missing directory, say) throw plain errors.
  if (what === 'open')
    return new TsdbError('VIGIL_TSDB_IO', `${path}: cannot open: ${error.message}`, { cause: error });
  return error;
}
