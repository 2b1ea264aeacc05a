// Values the evaluator passes between nodes. Instant vectors are evaluated for every step of the query at once:
// one StepSeries per label set holds a value per step (and whether it has one), in typed arrays.
import { evalError } from '../errors.js';
import type { Label } from '../storage/querier.js';
import { labelsKey } from './labels.js';

/** An instant-vector series over the query's steps. */
export interface StepSeries {
  labels: Label[];
  values: Float64Array;
  /** 1 where the series has a value at that step. */
  present: Uint8Array;
  /** The metric name is to be dropped at the end of the query (Prometheus 3's delayed name removal). */
  dropName: boolean;
  /** Sample timestamps (ms) per step, set only by selectors (read by timestamp()). */
  times?: Float64Array;
}

/** A series of raw samples: a range vector's content (stale markers removed). */
export interface RangeSeries {
  labels: Label[];
  ts: Float64Array;
  vs: Float64Array;
  len: number;
  dropName: boolean;
}

/** What an expression evaluates to. */
export type Value =
  | { kind: 'scalar'; values: Float64Array }
  | { kind: 'string'; value: string }
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'matrix'; series: RangeSeries[] };

/** A new empty series over n steps. */
export function newSeries(labels: Label[], n: number, dropName: boolean): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n), dropName };
}

/** Collects output series by label set; two values for one label set at one step are an error. */
export class SeriesCollector {
  private readonly byKey = new Map<string, StepSeries>();
  readonly series: StepSeries[] = [];

  constructor(private readonly steps: number) {}

  /** The series for a label set, created on first use. */
  get(labels: Label[], dropName: boolean): StepSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = newSeries(labels, this.steps, dropName);
      this.byKey.set(key, s);
      this.series.push(s);
    }
    return s;
  }

  /** Sets a value, refusing a second one for the same label set and step. */
  static set(s: StepSeries, i: number, v: number): void {
    if (s.present[i] === 1) throw evalError('vector cannot contain metrics with the same labelset');
    s.present[i] = 1;
    s.values[i] = v;
  }
}

const staleBuf = new Float64Array(1);
const staleWords = new Uint32Array(staleBuf.buffer);

/** Prometheus's stale marker: the NaN with bit pattern 0x7ff0000000000002. */
export const STALE_NAN: number = (() => {
  staleWords[0] = 2;
  staleWords[1] = 0x7ff00000;
  return staleBuf[0]!;
})();

/** Whether a value is the stale marker (bit-exact). */
export function isStale(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  staleBuf[0] = v;
  return staleWords[0] === 2 && staleWords[1] === 0x7ff00000;
}
