import { statSync } from 'node:fs';
import { HeadArena } from '../chunks/head-arena.js';
import { encodeClosedChunk, encodeClosedPayload, encodePayloadInto, readChunkHeader } from '../chunks/serialize.js';
import { type ChunkLimits, DEFAULT_MAX_BYTES, DEFAULT_MAX_SAMPLES, type XorChunk } from '../chunks/xor-chunk.js';
import { TsdbError } from '../errors.js';
import type { Label } from '../exposition/types.js';
import type { LabelSet } from '../series/labels.js';
import type { Matcher } from '../series/matcher.js';
import { SeriesIndex } from '../series/series-index.js';
import { type BackfillTarget, backfillSeries } from './backfill.js';
import { type MetadataInput, type MetricMetadata, normalizeMetadata } from './metadata.js';
import { type ResolvedOptions, resolveOptions, type TsdbOptions } from './options.js';
import { reload } from './reload.js';
import { SeriesSamples } from './series-samples.js';
import { SqliteFile } from './sqlite-file.js';
import type { BackfillResult, BackfillSeries, RetentionResult, TsdbAppendResult, TsdbStats } from './stats.js';
import { StoredBatches } from './stored-batches.js';

/** One series a select found: the shape of @vigil/promql's SelectedSeries. */
export interface StoredSeries {
  /** Sorted by name, `__name__` included. */
  readonly labels: readonly Label[];
  /** A fresh iterator over the series' samples in the select's [mint, maxt], in time order. */
  samples(): SeriesSamples;
}

// Rows deleted per step of size retention, between measurements of the file.
const SIZE_RETENTION_BATCH = 256;

/**
 * The embedded time-series store: a series index and one open (head) chunk per series in memory, closed
 * chunks in an SQLite file (WAL). Every `flushIntervalMs` the new series, closed chunks and changed head
 * chunks are written in one transaction, so a crash loses at most that interval. It answers the
 * PromQL engine's Querier interface (select, labelNames, labelValues, metadata).
 */
export class Tsdb {
  private readonly options: ResolvedOptions;
  private readonly file: SqliteFile;
  private readonly index = new SeriesIndex();
  private readonly head: HeadArena;
  private readonly limits: ChunkLimits;
  private readonly meta = new Map<string, MetricMetadata>();
  private readonly dirtyMeta = new Set<string>();
  // Written at the next flush: new series (the chunks cut since are `head.sealed`).
  private newSeries: number[] = [];
  // The head chunk's maxTime at its last write, by series: a head is rewritten only when it changed.
  private flushedMaxT = new Float64Array(1024).fill(Number.NaN);
  private nextId = 0;
  // Series made since the last retention run (ids from this one on: ids only grow) are kept before their first sample.
  private bornFrom = 0;
  private storedChunks: number;
  // Heads are encoded into this one buffer (SQLite copies a bound blob), so a flush allocates nothing per head.
  private readonly scratch: Buffer;
  private closed = false;
  // Bumped whenever the chunks table changes (flush, retention, backfill): batches of stored chunks read before are stale.
  private fileVersion = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly backfillTarget: BackfillTarget;
  private readonly counts = {
    samplesAppended: 0,
    outOfOrder: 0,
    duplicates: 0,
    badTimestamps: 0,
    unknownSeries: 0,
    flushes: 0,
    errors: 0,
    retentionRuns: 0,
    chunksDropped: 0,
    seriesDropped: 0,
  };
  private lastFlushAt: number | undefined;
  private lastFlushDurationMs = 0;
  private lastRetentionAt: number | undefined;

  /**
   * Opens (or creates) a store. Throws TsdbError VIGIL_TSDB_BAD_OPTION naming a bad option,
   * VIGIL_TSDB_CORRUPT_DB naming a file that is not a readable TSDB, VIGIL_TSDB_LOCKED when another process has it.
   */
  static open(options: TsdbOptions = {}): Tsdb {
    return new Tsdb(resolveOptions(options));
  }

  private constructor(options: ResolvedOptions) {
    this.options = options;
    const n = options.samplesPerChunk;
    this.limits = { maxSamples: n, maxBytes: Math.ceil((DEFAULT_MAX_BYTES * Math.max(n, DEFAULT_MAX_SAMPLES)) / 120) };
    this.head = new HeadArena(this.limits);
    this.backfillTarget = {
      limits: this.limits,
      lookup: (labels) => this.index.get(labels),
      series: (labels) => this.series(labels),
      inMemory: (id) => this.inMemory(id),
      firstStored: (id) => this.file.firstChunk(id),
      lastStored: (id) => this.file.lastMaxt(id),
      headMaxTime: (id) => (this.head.count(id) > 0 ? this.head.maxTime(id) : undefined),
      restoreHead: (id, chunk) => this.head.restore(id, chunk),
      storeClosed: (id, chunk) => {
        this.file.insertChunk(id, chunk.maxTime, encodeClosedChunk(chunk));
        this.storedChunks++;
      },
      append: (id, t, v) => this.append(id, t, v),
    };
    this.scratch = Buffer.allocUnsafeSlow((this.limits.maxBytes ?? DEFAULT_MAX_BYTES) + 256);
    this.file = new SqliteFile(options.path);
    try {
      const into = { index: this.index, head: this.head, meta: this.meta, limits: this.limits };
      const restored = reload(this.file, into, (id, chunk) => this.setFlushed(id, chunk.maxTime));
      this.nextId = restored.nextId;
      this.bornFrom = restored.nextId;
      this.storedChunks = restored.chunks;
    } catch (error) {
      this.file.close();
      throw error;
    }
    if (options.flushIntervalMs > 0) this.every(options.flushIntervalMs, () => this.flush());
    if (options.retentionIntervalMs > 0) this.every(options.retentionIntervalMs, () => this.applyRetention());
  }

  /** The id (ref) of a series, adding it when new; pass it to `append`. Throws VIGIL_TSDB_BAD_LABELS on bad labels. */
  series(labels: LabelSet): number {
    this.check();
    const id = this.index.add(labels);
    if (id >= this.nextId) {
      this.nextId = id + 1;
      this.newSeries.push(id);
    }
    return id;
  }

  /** The ref of a known series, or undefined. */
  lookup(labels: LabelSet): number | undefined {
    return this.index.get(labels);
  }

  /**
   * Appends one sample (ms timestamp, float64 value; STALE_NAN marks staleness). Refusals are returned and
   * counted, never thrown: 'unknown_series' means retention dropped the ref, so resolve it again with `series()`.
   */
  append(ref: number, t: number, v: number): TsdbAppendResult {
    if (this.closed) throw closedError();
    if (!this.head.has(ref) && this.index.key(ref) === undefined) {
      this.counts.unknownSeries++;
      return 'unknown_series';
    }
    const result = this.head.append(ref, t, v);
    if (result === 'ok') this.counts.samplesAppended++;
    else if (result === 'out_of_order') this.counts.outOfOrder++;
    else if (result === 'duplicate') this.counts.duplicates++;
    else this.counts.badTimestamps++;
    return result;
  }

  /** Records a metric's metadata (`untyped` reads as `unknown`); written at the next flush when it changed. */
  setMetadata(metric: string, metadata: MetadataInput): void {
    this.check();
    const next = normalizeMetadata(metric, metadata);
    const known = this.meta.get(metric);
    if (known !== undefined && known.type === next.type && known.help === next.help && known.unit === next.unit) return;
    this.meta.set(metric, next);
    this.dirtyMeta.add(metric);
  }

  /** Writes new series, closed chunks, changed head chunks and metadata in one transaction. */
  flush(): void {
    this.check();
    const start = performance.now();
    const heads = this.file.transaction(() => this.writePending());
    this.committed(heads);
    this.counts.flushes++;
    this.lastFlushAt = this.options.now();
    this.lastFlushDurationMs = performance.now() - start;
  }

  /**
   * Drops chunks whose newest sample is older than `retentionMs`, series left without data, and then, with
   * `retentionBytes`, the oldest closed chunks until the file's live pages fit (head chunks are never dropped
   * for size). Runs on its timer; call it to run now.
   */
  applyRetention(): RetentionResult {
    this.check();
    const cutoff = this.options.now() - this.options.retentionMs;
    let chunks = 0;
    const drop: number[] = [];
    this.file.transaction(() => {
      chunks += this.file.deleteChunksBefore(cutoff);
      const sealed = this.head.sealed;
      chunks += sealed.filter((i) => sealed.maxT[i]! >= cutoff);
      const head = this.head;
      for (let id = 0; id < head.idLimit; id++) if (head.has(id) && head.maxTime(id) < cutoff) drop.push(id);
      for (let id = 0; id < this.nextId; id++) {
        if (head.has(id) || id >= this.bornFrom || this.index.key(id) === undefined) continue;
        if (sealed.last(id) === -1 && !this.file.hasChunks(id)) drop.push(id);
      }
      for (const id of drop) {
        this.head.take(id);
        this.file.deleteSeries(id);
      }
    });
    this.index.delete(drop);
    this.bornFrom = this.nextId;
    const limit = this.options.retentionBytes;
    if (limit !== undefined) {
      while (this.file.liveBytes() > limit) {
        const n = this.file.transaction(() => this.file.deleteOldestChunks(SIZE_RETENTION_BATCH));
        if (n === 0) break;
        chunks += n;
      }
    }
    if (chunks > 0 || drop.length > 0) {
      this.fileVersion++;
      this.file.shrink();
    }
    this.storedChunks = this.file.chunkCount();
    this.counts.retentionRuns++;
    this.counts.chunksDropped += chunks;
    this.counts.seriesDropped += drop.length;
    this.lastRetentionAt = this.options.now();
    return { chunksDropped: chunks, seriesDropped: drop.length };
  }

  /**
   * Series matching every matcher (Prometheus semantics, see SeriesIndex.select) that have samples in
   * [mint, maxt]. Throws VIGIL_BAD_MATCHER at once for bad matchers; series are checked lazily.
   */
  select(matchers: readonly Matcher[], mint: number, maxt: number): Iterable<StoredSeries> {
    this.check();
    const ids = this.index.select(matchers);
    return this.selected(ids, mint, maxt);
  }

  /** Label names of the series matching `matchers` (all series when empty), sorted. */
  labelNames(matchers?: readonly Matcher[]): string[] {
    return this.index.labelNames(matchers);
  }

  /** Values of label `name` among the series matching `matchers`, sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return this.index.labelValues(name, matchers);
  }

  /** Metadata by metric name, one entry per metric (the last one set); all metrics when `metric` is omitted. */
  metadata(metric?: string): Map<string, MetricMetadata[]> {
    const out = new Map<string, MetricMetadata[]>();
    if (metric !== undefined) {
      const m = this.meta.get(metric);
      if (m !== undefined) out.set(metric, [{ ...m }]);
      return out;
    }
    for (const [name, m] of [...this.meta].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      out.set(name, [{ ...m }]);
    }
    return out;
  }

  /**
   * Stores samples that may be older than the head (the import path; see importOpenMetrics). A series the store
   * does not know gets all of them; for a known series, samples before its first sample become chunks of their
   * own, samples after its last one are appended, and those in between are refused as overlapping.
   */
  backfill(batch: readonly BackfillSeries[]): BackfillResult {
    this.check();
    const cutoff = this.options.now() - this.options.retentionMs;
    const result: BackfillResult = { imported: 0, newSeries: 0, overlapping: 0, tooOld: 0, badTimestamps: 0 };
    const heads = this.file.transaction(() => {
      for (const s of batch) backfillSeries(this.backfillTarget, s, cutoff, result);
      return this.writePending();
    });
    this.committed(heads);
    return result;
  }

  /** Counters and sizes. */
  stats(): TsdbStats {
    const path = this.options.path;
    let bytesOnDisk = 0;
    if (path === undefined) {
      if (!this.closed) bytesOnDisk = this.file.liveBytes();
    } else {
      for (const file of [path, `${path}-wal`]) bytesOnDisk += statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    }
    return {
      ...this.counts,
      series: this.index.size,
      headChunks: this.head.size,
      chunks: this.storedChunks,
      unflushedChunks: this.head.sealed.length,
      bytesOnDisk,
      lastFlushAt: this.lastFlushAt,
      lastFlushDurationMs: this.lastFlushDurationMs,
      lastRetentionAt: this.lastRetentionAt,
    };
  }

  /** Stops the timers, flushes and closes the file. Later calls do nothing; any other use throws VIGIL_TSDB_CLOSED. */
  close(): void {
    if (this.closed) return;
    for (const timer of this.timers) clearInterval(timer);
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.file.close();
    }
  }

  private *selected(ids: readonly number[], mint: number, maxt: number): IterableIterator<StoredSeries> {
    const stored = new StoredBatches(this.file, ids, mint, maxt, () => this.fileVersion);
    for (let at = 0; at < ids.length; at++) {
      const id = ids[at]!;
      if (this.closed) throw closedError();
      if (!this.hasData(id, mint, maxt)) continue;
      const labels = this.index.labels(id);
      if (labels === undefined) continue;
      yield {
        labels,
        samples: () => new SeriesSamples(this.file, id, mint, maxt, this.inMemory(id), stored.rowsAt(at)),
      };
    }
  }

  private hasData(id: number, mint: number, maxt: number): boolean {
    const head = this.head;
    const sealed = head.sealed;
    let boundary = Number.POSITIVE_INFINITY;
    if (head.count(id) > 0) {
      if (head.maxTime(id) >= mint && head.minTime(id) <= maxt) return true;
      boundary = head.minTime(id);
    }
    for (let i = sealed.last(id); i !== -1; i = sealed.previous(i)) {
      if (sealed.maxT[i]! >= mint && sealed.minT[i]! <= maxt) return true;
      boundary = sealed.minT[i]!;
    }
    const row = this.file.chunks(id, mint, 1)[0];
    return row !== undefined && row[0] < boundary && readChunkHeader(row[1]).minTime <= maxt;
  }

  // A series' chunks not yet in the chunks table, oldest first: cut but unflushed, then the head.
  private inMemory(id: number): XorChunk[] {
    const out: XorChunk[] = [];
    const sealed = this.head.sealed;
    for (let i = sealed.last(id); i !== -1; i = sealed.previous(i)) out.push(this.head.sealedSnapshot(i));
    out.reverse();
    const head = this.head.snapshot(id);
    if (head !== undefined) out.push(head);
    return out;
  }

  // Inside a transaction: everything a flush writes. Returns the heads written, as [id, maxTime] pairs.
  private writePending(): number[] {
    for (const id of this.newSeries) {
      const key = this.index.key(id);
      if (key !== undefined) this.file.insertSeries(id, key);
    }
    const sealed = this.head.sealed;
    for (let i = 0; i < sealed.length; i++) {
      const blob = encodeClosedPayload(sealed.count[i]!, sealed.minT[i]!, sealed.maxT[i]!, this.head.sealedPayload(i));
      this.file.insertChunk(sealed.series[i]!, sealed.maxT[i]!, blob);
    }
    const heads: number[] = [];
    const flushed = this.flushedMaxT;
    const head = this.head;
    for (let id = 0; id < head.idLimit; id++) {
      const count = head.count(id);
      if (count === 0) continue;
      const maxTime = head.maxTime(id);
      if (id < flushed.length && flushed[id] === maxTime) continue;
      this.file.writeHead(id, encodePayloadInto(count, head.minTime(id), maxTime, head.payload(id), this.scratch));
      heads.push(id, maxTime);
    }
    for (const metric of this.dirtyMeta) {
      const m = this.meta.get(metric)!;
      this.file.writeMetadata(metric, m.type, m.help, m.unit);
    }
    return heads;
  }

  // After the transaction of writePending committed: forget what is now in the file.
  private committed(heads: number[]): void {
    this.fileVersion++;
    this.storedChunks += this.head.sealed.length;
    this.newSeries = [];
    this.head.releaseSealed();
    this.dirtyMeta.clear();
    for (let i = 0; i < heads.length; i += 2) this.setFlushed(heads[i]!, heads[i + 1]!);
  }

  private setFlushed(id: number, maxT: number): void {
    if (id >= this.flushedMaxT.length) {
      const grown = new Float64Array(Math.max(id + 1, this.flushedMaxT.length * 2)).fill(Number.NaN);
      grown.set(this.flushedMaxT);
      this.flushedMaxT = grown;
    }
    this.flushedMaxT[id] = maxT;
  }

  // Background work never throws: errors go to onError and are counted.
  private every(ms: number, work: () => void): void {
    const timer = setInterval(() => {
      if (this.closed) return;
      try {
        work();
      } catch (error) {
        this.counts.errors++;
        try {
          this.options.onError(error instanceof Error ? error : new Error(String(error)));
        } catch {}
      }
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private check(): void {
    if (this.closed) throw closedError();
  }
}

function closedError(): TsdbError {
  return new TsdbError('VIGIL_TSDB_CLOSED', 'this Tsdb is closed');
}
