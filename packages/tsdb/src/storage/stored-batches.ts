import type { ChunkRow, SeriesChunkRow } from './sqlite-file.js';

/** Where the stored chunks of many series come from at once. */
export interface StoredChunksOf {
  chunksOf(seriesIds: readonly number[], from: number, to: number): SeriesChunkRow[];
}

// Rows one read aims at: a batch covers as many series as the last batch's rows per series allow, so a short range
// over thousands of series takes a few statements, and a long range still holds only a few thousand blobs at once.
const ROWS_PER_BATCH = 4096;
const MAX_SERIES_PER_BATCH = 1024;
const FIRST_BATCH = 64;
const NONE: readonly ChunkRow[] = [];

/**
 * The stored chunks of a select's series with maxt in [mint, maxt], read for a batch of series per statement in
 * the order the select yields them: a dashboard query over thousands of series would otherwise pay one statement
 * (or two) per series, which costs more than reading its rows. A batch is read again when the file changed since
 * (`version`, bumped by every flush, retention run and backfill), so rows never disagree with the chunks in memory.
 */
export class StoredBatches {
  private readonly file: StoredChunksOf;
  private readonly ids: readonly number[];
  private readonly mint: number;
  private readonly maxt: number;
  private readonly version: () => number;
  private readVersion = -1;
  private start = 0;
  private end = 0;
  private size = FIRST_BATCH;
  private rows = new Map<number, ChunkRow[]>();

  constructor(file: StoredChunksOf, ids: readonly number[], mint: number, maxt: number, version: () => number) {
    this.file = file;
    this.ids = ids;
    this.mint = mint;
    this.maxt = maxt;
    this.version = version;
  }

  /** The stored chunks with maxt in [mint, maxt] of `ids[at]`, oldest first. */
  rowsAt(at: number): readonly ChunkRow[] {
    if (at < this.start || at >= this.end || this.readVersion !== this.version()) this.read(at);
    return this.rows.get(this.ids[at]!) ?? NONE;
  }

  private read(at: number): void {
    this.start = at;
    this.end = Math.min(this.ids.length, at + this.size);
    this.readVersion = this.version();
    const rows = this.file.chunksOf(this.ids.slice(this.start, this.end), this.mint, this.maxt);
    this.rows = new Map();
    let list: ChunkRow[] | undefined;
    let listId = -1;
    for (const [id, maxt, data] of rows) {
      if (id !== listId) {
        list = [];
        listId = id;
        this.rows.set(id, list);
      }
      list!.push([maxt, data]);
    }
    const perSeries = rows.length / (this.end - this.start);
    this.size = Math.max(1, Math.min(MAX_SERIES_PER_BATCH, Math.floor(ROWS_PER_BATCH / Math.max(1, perSeries))));
  }
}
