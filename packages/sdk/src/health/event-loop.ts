import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

/** Event-loop delay over the last complete window, in milliseconds. */
export interface EventLoopLag {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  window_seconds: number;
  /** Times the loop stood still longer than the stall threshold since start. */
  stalls: number;
  /** Longest stall seen, in milliseconds (0 when none). */
  longest_stall_ms: number;
  /** When the last stall ended (ISO), if any. */
  last_stall_at: string | null;
}

/** Options of the event-loop monitor. */
export interface EventLoopOptions {
  /** Length of a measuring window (default 10 s): the mean hides stalls, so p99 and max are kept per window. */
  windowMs?: number;
  /** A tick later than this counts as a stall (default 1 s). */
  stallMs?: number;
  /** Called once per stall, after the loop moves again. */
  onStall?: (stalledMs: number) => void;
  now?: () => number;
}

/**
 * Measures event-loop delay with perf_hooks (p50/p99/max per window) and runs a watchdog tick
 * that notices when the loop stood still. Both timers are unref'd.
 */
export class EventLoopMonitor {
  readonly #histogram: IntervalHistogram;
  readonly #windowMs: number;
  readonly #stallMs: number;
  readonly #now: () => number;
  readonly #onStall: ((ms: number) => void) | undefined;
  #last: Omit<EventLoopLag, 'stalls' | 'longest_stall_ms' | 'last_stall_at'> = {
    p50_ms: 0,
    p99_ms: 0,
    max_ms: 0,
    window_seconds: 0,
  };
  #stalls = 0;
  #longestStall = 0;
  #lastStallAt: number | undefined;
  #window: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastTick = 0;

  constructor(options: EventLoopOptions = {}) {
    this.#windowMs = options.windowMs ?? 10_000;
    this.#stallMs = options.stallMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#onStall = options.onStall;
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  }

  /** Starts measuring. */
  start(): this {
    if (this.#window !== undefined) return this;
    this.#histogram.enable();
    const windowStart = this.#now();
    let started = windowStart;
    this.#window = setInterval(() => {
      const end = this.#now();
      this.#last = this.#read((end - started) / 1000);
      started = end;
      this.#histogram.reset();
    }, this.#windowMs).unref();
    const tick = Math.max(50, Math.floor(this.#stallMs / 4));
    this.#lastTick = this.#now();
    this.#watchdog = setInterval(() => this.#checkTick(tick), tick).unref();
    return this;
  }

  /** Stops both timers. */
  stop(): void {
    clearInterval(this.#window);
    clearInterval(this.#watchdog);
    this.#window = undefined;
    this.#histogram.disable();
  }

  /** The last complete window, or the current one when no window has completed yet. */
  lag(): EventLoopLag {
    const window = this.#last.window_seconds > 0 ? this.#last : this.#read(0);
    return {
      ...window,
      stalls: this.#stalls,
      longest_stall_ms: this.#longestStall,
      last_stall_at: this.#lastStallAt === undefined ? null : new Date(this.#lastStallAt).toISOString(),
    };
  }

  /** Records a tick of the watchdog; a late one is a stall (exposed for tests with a fake clock). */
  #checkTick(interval: number): void {
    const now = this.#now();
    const late = now - this.#lastTick - interval;
    this.#lastTick = now;
    if (late > this.#stallMs) this.recordStall(late);
  }

  /** Counts a stall of `ms` milliseconds. */
  recordStall(ms: number): void {
    this.#stalls++;
    this.#longestStall = Math.max(this.#longestStall, Math.round(ms));
    this.#lastStallAt = this.#now();
    this.#onStall?.(ms);
  }

  #read(windowSeconds: number) {
    const h = this.#histogram;
    // The histogram records the whole sampling interval; the delay is what exceeds it.
    const ms = (ns: number) =>
      Number.isFinite(ns) ? Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100) : 0;
    return {
      p50_ms: ms(h.percentile(50)),
      p99_ms: ms(h.percentile(99)),
      max_ms: ms(h.max),
      window_seconds: windowSeconds,
    };
  }
}
