import { currentScope } from '../context/context.js';
import type { Budgets } from '../cost/budgets.js';
import { type CostMeter, createCostMeter } from '../cost/cost-meter.js';
import { storeInstalled } from '../delivery/embedded-store.js';
import { VigilError } from '../errors.js';
import { deliverBeforeExit } from '../invocations/exit-flush.js';
import { createHttpSink } from '../invocations/http-sink.js';
import type { InvocationRow } from '../invocations/row.js';
import { type InvocationSink, noopSink } from '../invocations/sink.js';
import { lazySqliteSink } from '../invocations/sqlite-sink.js';
import { getLogger, type Logger } from '../log/logger.js';
import { Redactor } from '../log/redact.js';
import type { BoundedCounter } from '../metrics/bounded.js';
import { getMetrics, type Metrics } from '../metrics/metrics.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { GenAiTracer } from '../tracing/gen-ai.js';
import type { RecorderOptions } from './options.js';

const MAX_ERROR_LENGTH = 500;
/** The data directory when VIGIL_DATA_DIR is not set, as `@vigil/store` and `vigil serve` default it. */
const DEFAULT_DATA_DIR = './.vigil-data';
const errorCounters = new WeakMap<Metrics, BoundedCounter<'stage'>>();

/** Counts of what went wrong inside recording (never thrown into the agent). */
export interface RecorderStats {
  /** Recording failures by stage: `llm`, `tool`, `turn`, `sink`, `on_record`, `read_response`, `usage` (an unreadable usage when costs are off; the row is kept). */
  errors: Record<string, number>;
}

/** The dependencies and the safety net shared by the llm, tool and agent recorders. */
export class RecorderCore {
  readonly app: string;
  readonly agent: string;
  readonly provider: string;
  readonly metrics: Metrics | undefined;
  readonly sessions: SessionRegistry | undefined;
  readonly costs: CostMeter | undefined;
  readonly budgets: Budgets | undefined;
  readonly sink: InvocationSink;
  readonly tracer: GenAiTracer;
  readonly redactor: Redactor;
  readonly onRecord: ((row: InvocationRow) => void) | undefined;
  readonly now: () => number;
  /** Milliseconds on a monotonic clock (the injected clock when one is given). */
  readonly clock: () => number;
  readonly errors: Record<string, number> = {};
  readonly #logger: Logger | undefined;
  readonly #sinkGiven: boolean;
  readonly #dataDir: string | undefined;
  readonly #dataDirSet: boolean;
  readonly #stopExitDelivery: (() => void) | undefined;
  readonly #serviceUrl: string | undefined;
  #log: Logger | undefined;
  #errorCounter: BoundedCounter<'stage'> | undefined;
  readonly #warned = new Set<string>();

  constructor(options: RecorderOptions = {}) {
    const env = options.env ?? process.env;
    // The session registry's app when one is given, so its sessions and these rows agree.
    this.app = options.app ?? options.sessions?.appId ?? (env.VIGIL_SERVICE || 'app');
    this.agent = options.agent ?? this.app;
    this.provider = options.provider ?? 'unknown';
    this.#logger = options.logger;
    this.metrics = options.metrics === false ? undefined : (options.metrics ?? getMetrics());
    this.sessions = options.sessions;
    this.costs = options.costs === false ? undefined : (options.costs ?? createCostMeter({ logger: options.logger }));
    this.budgets = options.budgets;
    // Without a sink: the Vigil service at VIGIL_URL (the one writer of its record store), else the SQLite file in
    // VIGIL_DATA_DIR when set (failing loudly, counted and logged, if @vigil/store cannot be loaded), else in
    // ./.vigil-data (where `vigil serve` and `vigil audit verify` look too) when @vigil/store is installed, else
    // nowhere.
    this.#serviceUrl = options.sink === undefined ? env.VIGIL_URL || undefined : undefined;
    const implicit = options.sink === undefined && this.#serviceUrl === undefined;
    this.#dataDirSet = implicit && Boolean(env.VIGIL_DATA_DIR);
    this.#dataDir =
      this.#dataDirSet || (implicit && (options.storeInstalled ?? storeInstalled)())
        ? env.VIGIL_DATA_DIR || DEFAULT_DATA_DIR
        : undefined;
    this.#sinkGiven = options.sink !== undefined;
    this.sink = options.sink ?? this.#defaultSink(env, options);
    // A sink of our own making delivers its last rows when the process runs out of work.
    this.#stopExitDelivery = this.#sinkGiven || this.sink === noopSink ? undefined : deliverBeforeExit(this.sink);
    this.tracer = new GenAiTracer(options.tracing);
    this.redactor = options.redactor ?? new Redactor();
    this.onRecord = options.onRecord;
    this.now = options.now ?? Date.now;
    this.clock = options.now ?? (() => performance.now());
  }

  #defaultSink(env: Record<string, string | undefined>, options: RecorderOptions): InvocationSink {
    const shared = {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    };
    if (this.#serviceUrl !== undefined) {
      return createHttpSink({
        url: new URL('/api/vigil/ingest/invocations', this.#serviceUrl).href,
        ...(env.VIGIL_ADMIN_TOKEN ? { token: env.VIGIL_ADMIN_TOKEN.split(',')[0]!.trim() } : {}),
        ...shared,
      });
    }
    if (this.#dataDir !== undefined) return lazySqliteSink({ env, logger: options.logger, metrics: options.metrics });
    return noopSink;
  }

  /** Closes the sink (flushing it) and stops its delivery at exit. */
  close(): Promise<void> {
    this.#stopExitDelivery?.();
    return this.sink.close();
  }

  /** The module logger `recording`. */
  log(): Logger {
    if (this.#log === undefined) {
      this.#log = (this.#logger ?? getLogger()).module('recording');
      if (this.#serviceUrl !== undefined) {
        this.#log.info({ url: this.#serviceUrl }, 'invocation rows go to the Vigil service at VIGIL_URL');
      } else if (this.#dataDir !== undefined) {
        this.#log.info(
          { data_dir: this.#dataDir },
          `invocation rows go to the SQLite file ${this.#dataDir}/vigil.db (${this.#dataDirSet ? 'VIGIL_DATA_DIR' : 'the default: VIGIL_DATA_DIR is not set'}); call the recorder's close() at shutdown so the last rows are written`,
        );
      } else if (!this.#sinkGiven) {
        this.#log.info(
          'invocation rows are not kept: install @vigil/store (a SQLite file in VIGIL_DATA_DIR, default ./.vigil-data), set VIGIL_URL (a Vigil service), or pass a sink to createRecorder (createSqliteSink, createHttpSink, createStoreSink)',
        );
      }
    }
    return this.#log;
  }

  /** The current context's fields (read, never copied). */
  scope(): Readonly<Record<string, unknown>> {
    return currentScope().fields;
  }

  /** Writes a row to the sink, then gives it to `onRecord`; neither may throw into the agent. */
  emit(row: InvocationRow): void {
    try {
      this.sink.write(row);
    } catch (error) {
      this.failed('sink', error);
    }
    if (this.onRecord !== undefined) {
      try {
        this.onRecord(row);
      } catch (error) {
        this.failed('on_record', error);
      }
    }
  }

  /** Counts a recording failure and logs the first one of each stage. Never throws. */
  failed(stage: string, error: unknown): void {
    try {
      this.errors[stage] = (this.errors[stage] ?? 0) + 1;
      if (this.metrics !== undefined) this.#errors(this.metrics).inc({ stage });
      if (this.#warned.has(stage)) return;
      this.#warned.add(stage);
      this.log().error(
        { stage, err: error },
        `recording failed at "${stage}" (the agent was not affected); further failures are counted in vigil_recording_errors_total`,
      );
    } catch {
      // The last resort: a broken logger or registry must not reach the agent either.
    }
  }

  /** A short, redacted summary of an error for rows and logs (never the stack). */
  summary(error: unknown): string {
    const text =
      error instanceof Error
        ? `${error.name}: ${error.message}`
        : typeof error === 'string'
          ? error
          : 'failed (no error given)';
    const safe = this.redactor.redactString(text);
    return safe.length <= MAX_ERROR_LENGTH ? safe : `${safe.slice(0, MAX_ERROR_LENGTH - 1)}…`;
  }

  #errors(metrics: Metrics): BoundedCounter<'stage'> {
    if (this.#errorCounter !== undefined) return this.#errorCounter;
    let counter = errorCounters.get(metrics);
    if (counter === undefined) {
      counter = metrics.counter({
        name: 'vigil_recording_errors_total',
        help: 'Failures inside LLM/tool/turn recording (a throwing sink or callback, an unreadable response), by stage; the agent is never affected.',
        labelNames: ['stage'],
      });
      errorCounters.set(metrics, counter);
    }
    this.#errorCounter = counter;
    return counter;
  }
}

/** `value` when it is a non-empty string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** True for a duration a record may carry: a finite number of milliseconds >= 0. */
export function validDuration(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;
}

/** The error counted (never thrown) when a record's duration is unusable. */
export function badDuration(method: string, ms: unknown): VigilError {
  return new VigilError('VIGIL_BAD_OPTION', `${method}: durationMs must be a finite number >= 0, got ${String(ms)}`);
}
