/** Buckets per rolling window: spend is kept at 1/1000 of the window's resolution. */
const BUCKETS_PER_WINDOW = 1000;

/**
 * The spend of one budget for one spender: a sum reset per calendar period, or a rolling
 * window kept as time buckets of 1/1000 of the window (so it may slide up to that early).
 */
export class Tally {
  /** Start of the calendar period this spend belongs to (calendar budgets). */
  start = 0;
  /** Thresholds (percent) fired in this period, or still crossed in this window. */
  readonly fired = new Set<number>();
  #spent = 0;
  readonly #windowMs: number;
  readonly #resolution: number;
  #times: number[] = [];
  #amounts: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
    this.#resolution = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
  }

  /** USD spent in the period or window. */
  get spent(): number {
    return this.#spent;
  }

  get isEmpty(): boolean {
    return this.#spent === 0 && this.#head === this.#times.length;
  }

  /** Starts a new calendar period. */
  reset(start: number): void {
    this.start = start;
    this.#spent = 0;
    this.fired.clear();
  }

  add(now: number, usd: number): void {
    if (this.#windowMs > 0) {
      const last = this.#times.length - 1;
      if (last >= this.#head && now - this.#times[last]! < this.#resolution) {
        this.#amounts[last]! += usd;
      } else {
        this.#times.push(now);
        this.#amounts.push(usd);
      }
    }
    this.#spent += usd;
  }

  /** Drops what fell out of the rolling window ending at `now`. */
  slide(now: number): void {
    const cutoff = now - this.#windowMs;
    let head = this.#head;
    while (head < this.#times.length && this.#times[head]! <= cutoff) head++;
    if (head === this.#head) return;
    this.#head = head;
    if (head > 1024 && head * 2 > this.#times.length) {
      this.#times = this.#times.slice(head);
      this.#amounts = this.#amounts.slice(head);
      this.#head = 0;
    }
    // Summed afresh, so that subtracting floats never leaves a stray 1e-17 behind.
    let sum = 0;
    for (let i = this.#head; i < this.#amounts.length; i++) sum += this.#amounts[i]!;
    this.#spent = sum;
  }
}
