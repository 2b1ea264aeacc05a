import type { Label } from '@vigil/tsdb';
import type { FamilyInfo, SampleSink } from '../../src/scrape/target.js';

/** A sample as the recording sink keeps it. */
export interface Stored {
  series: string;
  t: number;
  v: number;
}

/**
 * A SampleSink that keeps every append in order and refuses out-of-order and duplicate
 * timestamps per series as a TSDB does; the scrape tests read what the loop wrote.
 */
export class RecordingSink implements SampleSink {
  readonly samples: Stored[] = [];
  readonly metadata = new Map<string, FamilyInfo>();
  private readonly keys: string[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly last: number[] = [];

  ref(labels: readonly Label[]): number {
    const key = seriesText(labels);
    let ref = this.byKey.get(key);
    if (ref === undefined) {
      ref = this.keys.length;
      this.keys.push(key);
      this.byKey.set(key, ref);
      this.last.push(Number.NEGATIVE_INFINITY);
    }
    return ref;
  }

  append(ref: number, t: number, v: number): string {
    const last = this.last[ref]!;
    if (t < last) return 'out_of_order';
    if (t === last) return 'duplicate';
    this.last[ref] = t;
    this.samples.push({ series: this.keys[ref]!, t, v });
    return 'ok';
  }

  setMetadata(metric: string, info: FamilyInfo): void {
    this.metadata.set(metric, info);
  }

  /** Samples of series whose text is `series`, e.g. `up{instance="a",job="j"}`. */
  of(series: string): Stored[] {
    return this.samples.filter((s) => s.series === series);
  }

  /** Distinct series texts that have samples at time t. */
  seriesAt(t: number): string[] {
    return [...new Set(this.samples.filter((s) => s.t === t).map((s) => s.series))].sort();
  }
}

/** `name{a="1",b="2"}` from sorted labels. */
export function seriesText(labels: readonly Label[]): string {
  const name = labels.find((l) => l.name === '__name__')?.value ?? '';
  const rest = labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}="${l.value}"`);
  return `${name}{${rest.join(',')}}`;
}
