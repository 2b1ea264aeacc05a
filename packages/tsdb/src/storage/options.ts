import { TsdbError } from '../errors.js';

/** How `Tsdb.open` sets up a store. Every duration is in milliseconds. */
export interface TsdbOptions {
  /** The SQLite file; undefined keeps everything in memory (nothing survives the process). */
  path?: string;
  /**
   * How often the open head chunks are written to the file (default 5000). A `kill -9` loses at most the
   * samples appended since the last flush. 0 turns the timer off: call `flush()` yourself.
   */
  flushIntervalMs?: number;
  /** Samples older than this (by the newest sample of their chunk) are dropped (default 15 days). */
  retentionMs?: number;
  /** When set, the oldest persisted chunks are dropped until the file's live pages fit in this many bytes. */
  retentionBytes?: number;
  /** How often retention runs (default 60000); 0 turns the timer off: call `applyRetention()` yourself. */
  retentionIntervalMs?: number;
  /** Samples per chunk before it is cut and persisted (default 240; Prometheus uses 120). */
  samplesPerChunk?: number;
  /** The clock retention reads (ms since the epoch); default Date.now. */
  now?: () => number;
  /** Receives errors of the background flush and retention (which never throw); default: a process warning. */
  onError?: (error: Error) => void;
}

/** The options with every default filled in and checked. */
export interface ResolvedOptions {
  path: string | undefined;
  flushIntervalMs: number;
  retentionMs: number;
  retentionBytes: number | undefined;
  retentionIntervalMs: number;
  samplesPerChunk: number;
  now: () => number;
  onError: (error: Error) => void;
}

/** Prometheus's default retention. */
export const DEFAULT_RETENTION_MS = 15 * 24 * 3600 * 1000;
/** Flush interval, and so the most a crash can lose. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5000;
/** Retention check interval. */
export const DEFAULT_RETENTION_INTERVAL_MS = 60_000;
/**
 * Samples per persisted chunk. Twice Prometheus's 120: each SQLite row costs ~60 bytes of keys and index
 * entries, which 240 samples amortize to ~0.25 B/sample, while the open chunk stays ~0.5 KB per series.
 */
export const DEFAULT_SAMPLES_PER_CHUNK = 240;

/** Checks `options` and fills in defaults; throws TsdbError VIGIL_TSDB_BAD_OPTION naming the bad option. */
export function resolveOptions(options: TsdbOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw badOption('options', options, 'an object');
  const path = options.path;
  if (path !== undefined && (typeof path !== 'string' || path === '' || path === ':memory:')) {
    throw badOption('path', path, 'a file path (leave it undefined for an in-memory store)');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw badOption('now', now, 'a function returning ms since the epoch');
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  if (typeof onError !== 'function') throw badOption('onError', onError, 'a function');
  const samplesPerChunk = integer('samplesPerChunk', options.samplesPerChunk, DEFAULT_SAMPLES_PER_CHUNK, 2);
  if (samplesPerChunk > 10_000) throw badOption('samplesPerChunk', samplesPerChunk, 'an integer from 2 to 10000');
  return {
    path,
    flushIntervalMs: integer('flushIntervalMs', options.flushIntervalMs, DEFAULT_FLUSH_INTERVAL_MS, 0),
    retentionMs: integer('retentionMs', options.retentionMs, DEFAULT_RETENTION_MS, 1),
    retentionBytes:
      options.retentionBytes === undefined ? undefined : integer('retentionBytes', options.retentionBytes, 0, 1),
    retentionIntervalMs: integer('retentionIntervalMs', options.retentionIntervalMs, DEFAULT_RETENTION_INTERVAL_MS, 0),
    samplesPerChunk,
    now,
    onError,
  };
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw badOption(name, value, min === 0 ? 'an integer ≥ 0' : `an integer ≥ ${min}`);
  }
  return value;
}

function badOption(name: string, value: unknown, expected: string): TsdbError {
  const shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return new TsdbError('VIGIL_TSDB_BAD_OPTION', `option ${name} must be ${expected}; got ${shown}`);
}
