import { VigilError } from '../errors.js';
import { getLogger, type Logger } from '../log/logger.js';
import { getMetrics, type Metrics } from '../metrics/metrics.js';
import type { InvocationRow } from './row.js';
import type { InvocationSink } from './sink.js';
import { type SinkFamilies, sinkFamilies } from './sink-metrics.js';

/** Options every batching sink takes. */
export interface BatchOptions {
  /** Most rows waiting at once; rows written beyond are dropped, counted and logged once (default 10,000). */
  maxQueue?: number;
  /** Most rows per delivery; reaching it starts a delivery at once (default 500). */
  maxBatch?: number;
  /** How often queued rows are delivered (default 1000 ms; the timer is unref'd). */
  flushIntervalMs?: number;
  /** Where drops and delivery failures are logged (default: the SDK's logger, resolved when first needed). */
  logger?: Logger;
  /** Where `vigil_invocation_rows_*_total` are counted (default: the SDK's default metrics); false for none. */
  metrics?: Metrics | false;
  /** Clock in epoch ms, for the failure-log throttle. */
  now?: () => number;
  /** Runs once after the last delivery of `close()`, e.g. to close a database; its errors are logged. */
  onClose?: () => Promise<void> | void;
}

/** What `send` returns when it delivered only part of a batch. */
export interface PartialDelivery {
  /** How many rows were refused (each one on its own, e.g. an invalid field). */
  rejected: number;
  /** Why the first one was refused. */
  error: unknown;
}

/** Options of a `BatchingSink`: the batch settings plus what delivers a batch. */
export interface BatchingSinkOptions extends BatchOptions {
  /** The `sink` label of the metrics and the name in log lines, e.g. `http`, `store`. */
  name: string;
  /**
   * Delivers one batch; a rejection drops it (counted as `failed`). Retries belong inside. It may
   * deliver part of a batch and say which rows it gave up on (counted as `invalid`).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a plain `async (rows) => { ... }` send returns Promise<void>
  send(rows: InvocationRow[]): Promise<void | PartialDelivery>;
}

const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * The queue under every sink that does I/O (after opentelemetry-js's BatchSpanProcessorBase):
 * `write` only pushes onto a bounded array; deliveries run one at a time, off the caller's
 * path, on a full batch or an unref'd timer; `flush` waits for what is queued; `close` runs
 * once. Nothing here throws into the agent.
 */
export class BatchingSink implements InvocationSink {
  readonly name: string;
  readonly #send: BatchingSinkOptions['send'];
  readonly #onClose: BatchingSinkOptions['onClose'];
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #metrics: Metrics | false | undefined;
  #families: SinkFamilies | undefined;
  #log: Logger | undefined;
  #queue: InvocationRow[] = [];
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #overflowLogged = false;
  #lastFailureLog = Number.NEGATIVE_INFINITY;

  constructor(options: BatchingSinkOptions) {
    this.name = options.name;
    this.#send = options.send;
    this.#onClose = options.onClose;
    this.#maxQueue = positive(options.maxQueue, 10_000, 'maxQueue', this.name);
    this.#maxBatch = positive(options.maxBatch, 500, 'maxBatch', this.name);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#timer = setInterval(
      () => this.#kick(),
      positive(options.flushIntervalMs, 1000, 'flushIntervalMs', this.name),
    ).unref();
  }

  /** Rows waiting for delivery. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a row; drops (and counts) it when the queue is full or the sink closed. */
  write(row: InvocationRow): void {
    if (this.#closing !== undefined) this.#drop('closed', 1);
    else if (this.#queue.length >= this.#maxQueue) this.#overflow();
    else if (this.#queue.push(row) >= this.#maxBatch) this.#kick();
  }

  /** Delivers every queued row (including rows written while it runs); never rejects. */
  flush(): Promise<void> {
    this.#chain = this.#chain.then(() => {
      this.#scheduled = false;
      return this.#drain();
    });
    return this.#chain;
  }

  /** Stops the timer and delivers what is queued; later writes are dropped. Runs once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      this.#timer = undefined;
      await this.flush();
      try {
        await this.#onClose?.();
      } catch (error) {
        this.#logOf().error({ sink: this.name, err: error }, `invocation sink "${this.name}" failed to close`);
      }
    })();
    return this.#closing;
  }

  #kick(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    void this.flush();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
      this.#queue = batch === this.#queue ? [] : this.#queue.slice(batch.length);
      try {
        const partial = await this.#send(batch);
        const rejected = partial ? Math.min(batch.length, partial.rejected) : 0;
        if (rejected > 0) {
          this.#drop('invalid', rejected);
          this.#failed(partial?.error, rejected);
        }
        if (batch.length > rejected) this.#counters()?.written.inc({ sink: this.name }, batch.length - rejected);
      } catch (error) {
        this.#drop('failed', batch.length);
        this.#failed(error, batch.length);
      }
    }
  }

  #overflow(): void {
    this.#drop('overflow', 1);
    if (this.#overflowLogged) return;
    this.#overflowLogged = true;
    this.#logOf().warning(
      { sink: this.name, max_queue: this.#maxQueue },
      `invocation sink "${this.name}" queue is full (${this.#maxQueue} rows): new rows are dropped and counted in vigil_invocation_rows_dropped_total{reason="overflow"}`,
    );
  }

  #failed(error: unknown, rows: number): void {
    const now = this.#now();
    if (now - this.#lastFailureLog < FAILURE_LOG_EVERY_MS) return;
    this.#lastFailureLog = now;
    this.#logOf().error(
      { sink: this.name, rows, err: error },
      `invocation sink "${this.name}" could not deliver ${rows} rows; they are dropped (counted in vigil_invocation_rows_dropped_total)`,
    );
  }

  #drop(reason: 'overflow' | 'failed' | 'invalid' | 'closed', rows: number): void {
    try {
      this.#counters()?.dropped.inc({ sink: this.name, reason }, rows);
    } catch {
      // Counting must not throw into write(); the metric itself reports its own problems.
    }
  }

  #counters(): SinkFamilies | undefined {
    if (this.#metrics === false) return undefined;
    this.#families ??= sinkFamilies(this.#metrics ?? getMetrics());
    return this.#families;
  }

  #logOf(): Logger {
    this.#log ??= (this.#logger ?? getLogger()).module('invocations');
    return this.#log;
  }
}

function positive(value: number | undefined, fallback: number, option: string, sink: string): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= 1) return value;
  throw new VigilError(
    'VIGIL_BAD_OPTION',
    `${sink} sink: option "${option}" must be a whole number >= 1, got ${value}`,
  );
}
