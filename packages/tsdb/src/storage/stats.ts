import type { LabelSet } from '../series/labels.js';

/** What an append did: 'ok', or why the sample was refused (and counted). */
export type TsdbAppendResult = 'ok' | 'out_of_order' | 'duplicate' | 'bad_timestamp' | 'unknown_series';

/** Counters and sizes of a Tsdb, for its own /metrics and the admin view. */
export interface TsdbStats {
  /** Series in the index. */
  series: number;
  /** Series with an open head chunk. */
  headChunks: number;
  /** Samples accepted since open. */
  samplesAppended: number;
  /** Samples refused since open because an older timestamp came after a newer one. */
  outOfOrder: number;
  /** Samples refused since open because their timestamp was the series' last one. */
  duplicates: number;
  /** Samples refused since open because the timestamp was not an integer within ±2^52 ms. */
  badTimestamps: number;
  /** Appends to a ref that retention has dropped (resolve the labels again with `series()`). */
  unknownSeries: number;
  /** Closed chunks in the file. */
  chunks: number;
  /** Closed chunks still waiting for the next flush. */
  unflushedChunks: number;
  /** The file and its WAL, in bytes (for an in-memory store: the pages in use). */
  bytesOnDisk: number;
  /** When the last flush finished (the clock's ms), undefined before the first. */
  lastFlushAt: number | undefined;
  /** How long the last flush took, in ms. */
  lastFlushDurationMs: number;
  flushes: number;
  /** Background flushes or retention runs that failed (each went to `onError`). */
  errors: number;
  retentionRuns: number;
  lastRetentionAt: number | undefined;
  /** Chunks dropped by retention (time or size) since open. */
  chunksDropped: number;
  /** Series dropped by retention since open, their data all past retention. */
  seriesDropped: number;
}

/** What one retention run dropped. */
export interface RetentionResult {
  chunksDropped: number;
  seriesDropped: number;
}

/** One series' samples for `Tsdb.backfill`: sorted by time, each timestamp once. */
export interface BackfillSeries {
  labels: LabelSet;
  t: ArrayLike<number>;
  /** Values; a Float64Array keeps NaN payloads (stale markers) exact. */
  v: ArrayLike<number>;
}

/** What a backfill did with the samples it was given. */
export interface BackfillResult {
  /** Samples stored (in new chunks, or appended after the series' last sample). */
  imported: number;
  /** Series the store did not know before. */
  newSeries: number;
  /** Samples refused because their series already has data from their time on (between its first and last sample). */
  overlapping: number;
  /** Samples refused because they are older than the retention period. */
  tooOld: number;
  /** Samples refused because of their timestamp (not an integer within ±2^52 ms). */
  badTimestamps: number;
}
