import { readChunkHeader } from '../chunks/serialize.js';
import { type ChunkLimits, XorChunk } from '../chunks/xor-chunk.js';
import type { LabelSet } from '../series/labels.js';
import type { BackfillResult, BackfillSeries, TsdbAppendResult } from './stats.js';

/** The part of a Tsdb that backfilling works on. */
export interface BackfillTarget {
  readonly limits: ChunkLimits;
  lookup(labels: LabelSet): number | undefined;
  series(labels: LabelSet): number;
  /** A series' chunks not yet in the chunks table, oldest first: cut but unflushed, then the head. */
  inMemory(id: number): XorChunk[];
  /** The oldest stored chunk's blob. */
  firstStored(id: number): Uint8Array | undefined;
  /** The newest stored chunk's maxt. */
  lastStored(id: number): number | undefined;
  headMaxTime(id: number): number | undefined;
  restoreHead(id: number, chunk: XorChunk): void;
  storeClosed(id: number, chunk: XorChunk): void;
  append(id: number, t: number, v: number): TsdbAppendResult;
}

/**
 * Stores one series' sorted samples: a series without data takes them all (full chunks stored, the last one
 * becomes its head); one with data takes those before its first sample (as closed chunks) and after its last
 * (appended), and counts those in between as overlapping. Samples before `cutoff` count as too old.
 */
export function backfillSeries(store: BackfillTarget, s: BackfillSeries, cutoff: number, result: BackfillResult) {
  const n = s.t.length;
  let from = 0;
  while (from < n && s.t[from]! < cutoff) from++;
  result.tooOld += from;
  if (from === n) return;
  const known = store.lookup(s.labels);
  const memory = known === undefined ? [] : store.inMemory(known);
  const stored = known === undefined ? undefined : store.firstStored(known);
  const id = store.series(s.labels);
  if (memory.length === 0 && stored === undefined) {
    if (known === undefined) result.newSeries++;
    const last = encodeRun(store, id, s, from, n, result);
    if (last !== undefined) store.restoreHead(id, last);
    return;
  }
  let first = stored === undefined ? Number.POSITIVE_INFINITY : readChunkHeader(stored).minTime;
  if (memory.length > 0) first = Math.min(first, memory[0]!.minTime);
  const lastT = store.headMaxTime(id) ?? store.lastStored(id) ?? Number.NEGATIVE_INFINITY;
  let before = from;
  while (before < n && s.t[before]! < first) before++;
  const tail = encodeRun(store, id, s, from, before, result);
  if (tail !== undefined) store.storeClosed(id, tail);
  for (let i = before; i < n; i++) {
    const t = s.t[i]!;
    if (t <= lastT) result.overlapping++;
    else if (store.append(id, t, s.v[i]!) === 'ok') result.imported++;
    else result.badTimestamps++;
  }
}

// Encodes samples [from, to) into chunks, storing every full one; returns the last, unstored chunk.
function encodeRun(
  store: BackfillTarget,
  id: number,
  s: BackfillSeries,
  from: number,
  to: number,
  result: BackfillResult,
) {
  let chunk: XorChunk | undefined;
  for (let i = from; i < to; i++) {
    chunk ??= new XorChunk(store.limits);
    let r = chunk.append(s.t[i]!, s.v[i]!);
    if (r === 'full') {
      store.storeClosed(id, chunk);
      chunk = new XorChunk(store.limits);
      r = chunk.append(s.t[i]!, s.v[i]!);
    }
    if (r === 'ok') result.imported++;
    else result.badTimestamps++;
  }
  return chunk !== undefined && chunk.count > 0 ? chunk : undefined;
}
