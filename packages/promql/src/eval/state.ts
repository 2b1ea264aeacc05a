// What one query shares across its evaluators: the store, the clock and the limits it must stay within.
import { PromqlError } from '../errors.js';
import type { Querier } from '../storage/querier.js';
import type { Annotations } from './annotations.js';

/** Per-query settings and counters. */
export class QueryState {
  samples = 0;
  private ticks = 0;

  constructor(
    readonly querier: Querier,
    readonly lookbackMs: number,
    readonly defaultSubqueryStepMs: number,
    readonly maxSamples: number,
    private readonly deadline: number,
    private readonly timeoutMs: number,
    private readonly now: () => number,
    /** The query's own start and end (what `@ start()` and `@ end()` mean). */
    readonly queryStart: number,
    readonly queryEnd: number,
    /** The query's step (0 for an instant query). */
    readonly queryStep: number,
    /** Warnings and infos for the API response. */
    readonly annotations: Annotations,
  ) {}

  /** Counts samples held by the query; throws once there are more than maxSamples. */
  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.maxSamples) {
      throw new PromqlError(
        'VIGIL_PROMQL_TOO_MANY_SAMPLES',
        `query processing would load too many samples into memory in query execution (more than maxSamples=${this.maxSamples})`,
      );
    }
  }

  /** Throws when the query has run past its timeout; cheap enough to call in loops. */
  tick(): void {
    if ((++this.ticks & 63) === 0) this.checkTimeout();
  }

  /** Throws when the query has run past its timeout. */
  checkTimeout(): void {
    if (this.now() > this.deadline) {
      throw new PromqlError(
        'VIGIL_PROMQL_TIMEOUT',
        `query timed out in query execution (timeout ${this.timeoutMs} ms)`,
      );
    }
  }
}
