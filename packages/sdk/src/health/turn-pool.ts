import { VigilError } from '../errors.js';

/** Counters of a turn pool, as the detailed health shows them. */
export interface TurnPoolStats {
  active: number;
  max_workers: number;
  queued: number;
  max_queue: number;
  completed: number;
  rejected: number;
}

/** Options of a turn pool. */
export interface TurnPoolOptions {
  /** Turns that may run at once (default 8). */
  maxWorkers?: number;
  /** Turns that may wait for a worker (default 100); more are rejected at once. */
  maxQueue?: number;
}

/** A bounded pool for agent turns: at most `maxWorkers` run at once, a bounded queue waits. */
export class TurnPool {
  readonly maxWorkers: number;
  readonly maxQueue: number;
  #active = 0;
  #completed = 0;
  #rejected = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: TurnPoolOptions = {}) {
    this.maxWorkers = positive(options.maxWorkers ?? 8, 'maxWorkers');
    this.maxQueue = positive(options.maxQueue ?? 100, 'maxQueue', true);
  }

  /** Runs `turn` when a worker is free; rejects with VIGIL_TURN_POOL_FULL (answer 503) when the queue is full. */
  async run<T>(turn: () => Promise<T> | T): Promise<T> {
    if (this.#active >= this.maxWorkers) {
      if (this.#waiting.length >= this.maxQueue) {
        this.#rejected++;
        const { active, queued } = this.stats();
        throw new VigilError(
          'VIGIL_TURN_POOL_FULL',
          `turn pool full: ${active}/${this.maxWorkers} running and ${queued}/${this.maxQueue} queued`,
        );
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await turn();
    } finally {
      this.#completed++;
      const next = this.#waiting.shift();
      if (next === undefined) this.#active--;
      else next(); // the worker passes straight to the next turn
    }
  }

  /** True when every worker is busy. */
  get saturated(): boolean {
    return this.#active >= this.maxWorkers;
  }

  /** The pool's counters. */
  stats(): TurnPoolStats {
    return {
      active: this.#active,
      max_workers: this.maxWorkers,
      queued: this.#waiting.length,
      max_queue: this.maxQueue,
      completed: this.#completed,
      rejected: this.#rejected,
    };
  }
}

function positive(value: number, name: string, zeroOk = false): number {
  if (!Number.isInteger(value) || value < (zeroOk ? 0 : 1)) {
    throw new VigilError('VIGIL_BAD_OPTION', `TurnPool: ${name} must be an integer ≥ ${zeroOk ? 0 : 1}, got ${value}`);
  }
  return value;
}
