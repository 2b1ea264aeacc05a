import type { AppendResult, ChunkLimits } from './xor-chunk.js';
import { XorChunk } from './xor-chunk.js';

/** What a head append did: as XorChunk's, except that a full chunk is cut and the sample lands in a new one. */
export type HeadAppendResult = Exclude<AppendResult, 'full'>;

/** How the head cuts and hands over chunks. */
export interface HeadChunksOptions {
  limits?: ChunkLimits;
  /** Receives each chunk the head closed because it was full; persist it (encodeChunk) here. */
  onCut?: (seriesId: number, chunk: XorChunk) => void;
}

/**
 * The open (head) chunk of every series, by series id. Ids are small dense integers (SeriesIndex
 * hands them out), so an array indexes them. Ordering holds across cuts: a new chunk only starts
 * with a sample after the full chunk's last one.
 */
export class HeadChunks {
  private readonly open: (XorChunk | undefined)[] = [];
  private readonly limits: ChunkLimits | undefined;
  private readonly onCut: ((seriesId: number, chunk: XorChunk) => void) | undefined;
  private live = 0;

  constructor(options: HeadChunksOptions = {}) {
    this.limits = options.limits;
    this.onCut = options.onCut;
  }

  /** Series with an open chunk. */
  get size(): number {
    return this.live;
  }

  /** Appends a sample to series `seriesId`; rejections are returned, not thrown, for the caller to count. */
  append(seriesId: number, t: number, v: number): HeadAppendResult {
    let chunk = this.open[seriesId];
    if (chunk === undefined) {
      chunk = new XorChunk(this.limits);
      this.open[seriesId] = chunk;
      this.live++;
    }
    const result = chunk.append(t, v);
    if (result !== 'full') return result;
    this.onCut?.(seriesId, chunk);
    // Series change slowly, so the last chunk's size is a good first guess for the next one's buffer.
    const next = new XorChunk(this.limits, chunk.byteLength + (chunk.byteLength >>> 3) + 8);
    this.open[seriesId] = next;
    return next.append(t, v) as HeadAppendResult;
  }

  /** The open chunk of a series, if it has one. */
  chunk(seriesId: number): XorChunk | undefined {
    return this.open[seriesId];
  }

  /** Makes `chunk` the open chunk of a series (reloading a store); appends continue after its last sample. */
  restore(seriesId: number, chunk: XorChunk): void {
    if (this.open[seriesId] === undefined) this.live++;
    this.open[seriesId] = chunk;
  }

  /** Closes and returns the open chunk of a series (on shutdown, or when retention drops the series). */
  take(seriesId: number): XorChunk | undefined {
    const chunk = this.open[seriesId];
    if (chunk !== undefined) {
      this.open[seriesId] = undefined;
      this.live--;
    }
    return chunk;
  }

  /** Every open chunk with its series id, in id order. */
  *entries(): IterableIterator<[seriesId: number, chunk: XorChunk]> {
    for (let id = 0; id < this.open.length; id++) {
      const chunk = this.open[id];
      if (chunk !== undefined) yield [id, chunk];
    }
  }
}
