import type { HeadArena } from '../chunks/head-arena.js';
import { decodeChunk } from '../chunks/serialize.js';
import type { ChunkLimits, XorChunk } from '../chunks/xor-chunk.js';
import { TsdbError } from '../errors.js';
import type { SeriesIndex } from '../series/series-index.js';
import { type MetricMetadata, normalizeMetadata } from './metadata.js';
import type { SqliteFile } from './sqlite-file.js';

/** What reopening a file restored. */
export interface Reloaded {
  /** One past the largest stored series id: where new ids continue. */
  nextId: number;
  /** Closed chunks in the file. */
  chunks: number;
}

/**
 * Rebuilds the series index (same ids), the head chunks (appends continue after each series' last sample;
 * `onHead` hears each one) and the metadata from a file. Throws VIGIL_TSDB_CORRUPT_DB naming the path and the
 * series when a row cannot be read back.
 */
export function reload(
  file: SqliteFile,
  into: { index: SeriesIndex; head: HeadArena; meta: Map<string, MetricMetadata>; limits: ChunkLimits },
  onHead: (id: number, chunk: XorChunk) => void,
): Reloaded {
  const path = file.path;
  let nextId = 0;
  for (const [id, key] of file.series()) {
    if (!into.index.restore(id, key)) {
      throw new TsdbError(
        'VIGIL_TSDB_CORRUPT_DB',
        `${path}: series ${id} has labels ${JSON.stringify(key)} that are not canonical or repeated`,
      );
    }
    nextId = id + 1;
  }
  for (const [id, data] of file.heads()) {
    const key = into.index.key(id);
    if (key === undefined) {
      throw new TsdbError('VIGIL_TSDB_CORRUPT_DB', `${path}: a head chunk belongs to unknown series ${id}`);
    }
    let chunk: XorChunk;
    try {
      chunk = decodeChunk(data, into.limits);
    } catch (error) {
      throw new TsdbError('VIGIL_TSDB_CORRUPT_DB', `${path}: head chunk of ${key}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    into.head.restore(id, chunk);
    onHead(id, chunk);
  }
  for (const [metric, type, help, unit] of file.metadata()) {
    into.meta.set(metric, normalizeMetadata(metric, { type, help, unit }));
  }
  return { nextId, chunks: file.chunkCount() };
}
