import { type ChunkSamples, chunkSamples, readChunkHeader } from '../chunks/serialize.js';
import type { XorChunk } from '../chunks/xor-chunk.js';
import type { ChunkRow } from './sqlite-file.js';

/** Where a series' stored chunks come from: pages of (maxt, blob), oldest first. */
export interface StoredChunks {
  chunks(seriesId: number, from: number, limit: number): ChunkRow[];
}

// Stored chunks are read a few at a time: no cursor stays open between next() calls (a flush may run
// between them), and a long range never sits decoded in memory.
const PAGE = 8;

/**
 * One series' samples in [mint, maxt], in time order: stored chunks from the file first, then the chunks still
 * in memory (cut but not yet flushed, and the open head chunk) as they were when the iterator was made. Chunks
 * are decoded one at a time; read `t` and `v` after `next()` returned true.
 */
export class SeriesSamples {
  /** Timestamp (ms) of the current sample. */
  t = 0;
  /** Value of the current sample (a stale marker keeps its NaN bits). */
  v = 0;
  private readonly file: StoredChunks;
  private readonly seriesId: number;
  private readonly mint: number;
  private readonly maxt: number;
  private readonly memory: ChunkSamples[] = [];
  // Stored chunks end before the first in-memory chunk starts; anything at or after is a newer copy in memory.
  private readonly boundary: number;
  private it: ChunkSamples | undefined;
  private rows: readonly ChunkRow[] = [];
  private rowAt = 0;
  private from: number;
  // Rows to read per page, and whether the file may hold more after `rows`.
  private page = PAGE;
  private more = true;
  private stored = true;
  private memAt = 0;
  private done = false;

  /**
   * `inMemory`: the series' unflushed closed chunks then its head chunk, oldest first. `stored`, when the caller
   * read them already: the stored chunks with maxt in [mint, maxt], as of the same moment as `inMemory`.
   */
  constructor(
    file: StoredChunks,
    seriesId: number,
    mint: number,
    maxt: number,
    inMemory: readonly XorChunk[],
    stored?: readonly ChunkRow[],
  ) {
    this.file = file;
    this.seriesId = seriesId;
    this.mint = mint;
    this.maxt = maxt;
    this.from = mint;
    this.boundary = inMemory.length > 0 ? inMemory[0]!.minTime : Number.POSITIVE_INFINITY;
    for (const chunk of inMemory) {
      if (chunk.count > 0 && chunk.maxTime >= mint && chunk.minTime <= maxt) this.memory.push(chunk.iterator());
    }
    if (stored !== undefined) {
      this.rows = stored;
      // Only the first chunk ending after maxt can still hold samples in range, and none when the chunks in
      // memory start by then (a stored chunk ending at or after the boundary is an older copy of one of them).
      this.from = maxt + 1;
      this.page = 1;
      this.more = this.boundary > maxt;
    }
  }

  /** Moves to the next sample in range; false at the end. */
  next(): boolean {
    if (this.done) return false;
    for (;;) {
      const it = this.it;
      if (it !== undefined) {
        while (it.next()) {
          const t = it.t;
          if (t > this.maxt) return this.finish();
          if (t >= this.mint) {
            this.t = t;
            this.v = it.v;
            return true;
          }
        }
      }
      const next = this.nextChunk();
      if (next === undefined) return this.finish();
      this.it = next;
    }
  }

  private nextChunk(): ChunkSamples | undefined {
    while (this.stored) {
      if (this.rowAt >= this.rows.length) {
        if (!this.more) break;
        this.rows = this.file.chunks(this.seriesId, this.from, this.page);
        this.rowAt = 0;
        // A short page is the last: rows a flush adds later end at or after the boundary.
        this.more = this.rows.length === this.page;
        if (this.rows.length === 0) break;
        this.from = this.rows[this.rows.length - 1]![0] + 1;
      }
      const [maxt, data] = this.rows[this.rowAt++]!;
      const h = readChunkHeader(data);
      if (maxt >= this.boundary || h.minTime > this.maxt) break;
      return chunkSamples(data, h);
    }
    this.stored = false;
    this.rows = [];
    return this.memory[this.memAt++];
  }

  private finish(): false {
    this.done = true;
    this.it = undefined;
    this.rows = [];
    return false;
  }
}
