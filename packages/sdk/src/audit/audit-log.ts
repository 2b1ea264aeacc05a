import { randomUUID } from 'node:crypto';
import { currentScope } from '../context/context.js';
import { VigilError } from '../errors.js';
import { BatchingSink } from '../invocations/batching-sink.js';
import type { InvocationRow } from '../invocations/row.js';
import { getLogger, type Logger } from '../log/logger.js';
import { getMetrics, type Metrics } from '../metrics/metrics.js';
import { type AuditDropReason, type AuditFamilies, auditFamilies } from './audit-metrics.js';
import { type AuditEventInput, type AuditRecord, BadAuditEvent, toRecord } from './event.js';
import { type AuditWriter, type ClosableAuditWriter, createSqliteAuditWriter } from './writer.js';

/** Options of `createAuditLog`. */
export interface AuditLogOptions {
  /** Where events go: an `AuditStore` of `@vigil/store`, `createHttpAuditWriter(...)`, or any object with `appendBatch` (default: the SQLite file at `$VIGIL_DATA_DIR/vigil.db`, else `./.vigil-data/vigil.db`). */
  writer?: AuditWriter;
  /** Where refused events, drops and write failures are logged, and `audit.appended` (debug) per event (default: the SDK's logger). */
  logger?: Logger;
  /** Where `vigil_audit_events_*_total` are counted (default: the SDK's default metrics); false for none. */
  metrics?: Metrics | false;
  /** Clock in epoch ms: each event's `ts`, and the failure-log throttle. */
  now?: () => number;
  /** Makes each event's id (default a random UUID). */
  newId?: () => string;
  /** Most events waiting at once; events appended beyond are dropped, counted and logged once (default 10,000). */
  maxQueue?: number;
  /** Most events per write (default 500). */
  maxBatch?: number;
  /** How often queued events are written (default 1000 ms; the timer is unref'd). */
  flushIntervalMs?: number;
  /** Environment for the default SQLite writer's `VIGIL_DATA_DIR` (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** What an audit log did so far. */
export interface AuditLogStats {
  /** Events accepted by `append` and not yet written. */
  queued: number;
  /** Events the writer accepted. */
  written: number;
  /** Events dropped, by reason. */
  dropped: Record<AuditDropReason, number>;
}

const FAILURE_LOG_EVERY_MS = 60_000;
const MAX_FIELDS_WARNED = 64;

/**
 * The agent's side of the audit log: `append` checks an event, stamps it and queues it, and
 * never throws; batches go to the writer off the agent's path, and the writer chains them.
 */
export class AuditLog {
  readonly #writer: AuditWriter;
  readonly #ownsWriter: boolean;
  readonly #queue: BatchingSink;
  readonly #maxQueue: number;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #logger: Logger | undefined;
  readonly #metrics: Metrics | false | undefined;
  readonly #dropped: Record<AuditDropReason, number> = { invalid: 0, overflow: 0, failed: 0, refused: 0, closed: 0 };
  readonly #warnedFields = new Set<string>();
  #written = 0;
  #families: AuditFamilies | undefined;
  #log: Logger | undefined;
  #closing: Promise<void> | undefined;
  #overflowLogged = false;
  #lastFailureLog = Number.NEGATIVE_INFINITY;

  constructor(options: AuditLogOptions = {}) {
    const writer = options.writer ?? createSqliteAuditWriter(options.env === undefined ? {} : { env: options.env });
    if (typeof writer?.appendBatch !== 'function') {
      throw new VigilError('VIGIL_BAD_OPTION', 'audit log: option "writer" must have an appendBatch(events) method');
    }
    this.#writer = writer;
    this.#ownsWriter = options.writer === undefined;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? randomUUID;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#maxQueue = options.maxQueue ?? 10_000;
    // The invocation log's queue, with its own counting and logging turned off: the audit log
    // counts overflow before it reaches the queue, and `#deliver` never rejects.
    this.#queue = new BatchingSink({
      name: 'audit',
      maxQueue: this.#maxQueue,
      maxBatch: options.maxBatch,
      flushIntervalMs: options.flushIntervalMs,
      metrics: false,
      logger: options.logger,
      send: (rows) => this.#deliver(rows as unknown as AuditRecord[]),
    });
  }

  /**
   * Queues one event, stamped with a UUID and the time, its actor taken from the request
   * context when absent. Returns the event's id, or undefined when it was refused or dropped
   * (counted in `vigil_audit_events_dropped_total`, logged once per field or reason). Never throws.
   */
  append(event: AuditEventInput): string | undefined {
    try {
      if (this.#closing !== undefined) return this.#drop('closed', 1);
      if (this.#queue.queued >= this.#maxQueue) return this.#overflow();
      const record = toRecord(event, this.#newId(), this.#now(), currentScope().fields.user_id);
      this.#queue.write(record as unknown as InvocationRow);
      const log = this.#logOf();
      if (log.isLevelEnabled('debug')) {
        log.debug(
          {
            event: 'audit.appended',
            audit_id: record.id,
            audit_event_type: record.event_type,
            actor_user_id: record.actor_user_id,
            target_user_id: record.target_user_id,
            target_app_id: record.target_app_id,
            success: record.success,
          },
          `audit event ${record.event_type} appended`,
        );
      }
      return record.id;
    } catch (error) {
      const refused =
        error instanceof BadAuditEvent ? error : new BadAuditEvent('event', `the event could not be read: ${error}`);
      return this.#refuse(refused);
    }
  }

  /** Writes every queued event (including events appended while it runs); never rejects. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Writes what is queued and stops (later appends are dropped as `closed`); closes the default writer. Runs once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#queue.close();
      if (!this.#ownsWriter) return;
      try {
        await (this.#writer as ClosableAuditWriter).close();
      } catch (error) {
        this.#logOf().error({ err: error }, 'the audit log writer failed to close');
      }
    })();
    return this.#closing;
  }

  /** Counts so far, for tests and health checks. */
  stats(): AuditLogStats {
    return { queued: this.#queue.queued, written: this.#written, dropped: { ...this.#dropped } };
  }

  /** Writes one batch; a refused batch is retried event by event, so one bad event costs only itself. */
  async #deliver(events: AuditRecord[]): Promise<undefined> {
    try {
      await this.#writer.appendBatch(events);
      this.#wrote(events.length);
      return;
    } catch (error) {
      if (events.length === 1) return void this.#failed('failed', 1, error);
    }
    let stored = 0;
    let firstFailed = false;
    let firstError: unknown;
    for (let i = 0; i < events.length; i++) {
      try {
        await this.#writer.appendBatch([events[i]!]);
        this.#wrote(1);
        stored++;
      } catch (error) {
        if (stored > 0) this.#failed('refused', 1, error);
        else if (i === 0) [firstFailed, firstError] = [true, error];
        // The first two failing alone as well means the writer is down, not these events.
        else return void this.#failed('failed', events.length - stored, error);
      }
    }
    if (firstFailed) this.#failed('refused', 1, firstError);
  }

  #wrote(count: number): void {
    this.#written += count;
    try {
      this.#counters()?.written.inc(count);
    } catch {
      // Counting must not fail a write; the metric reports its own problems.
    }
  }

  #refuse(error: BadAuditEvent): undefined {
    this.#drop('invalid', 1);
    if (!this.#warnedFields.has(error.field) && this.#warnedFields.size < MAX_FIELDS_WARNED) {
      this.#warnedFields.add(error.field);
      this.#logOf().warning(
        { field: error.field },
        `audit event refused: ${error.message} (further events refused for "${error.field}" are only counted in vigil_audit_events_dropped_total{reason="invalid"})`,
      );
    }
    return undefined;
  }

  #overflow(): undefined {
    this.#drop('overflow', 1);
    if (this.#overflowLogged) return undefined;
    this.#overflowLogged = true;
    this.#logOf().warning(
      { max_queue: this.#maxQueue },
      `audit log queue is full (${this.#maxQueue} events): new events are dropped and counted in vigil_audit_events_dropped_total{reason="overflow"}`,
    );
    return undefined;
  }

  #failed(reason: 'failed' | 'refused', count: number, error: unknown): void {
    this.#drop(reason, count);
    const now = this.#now();
    if (now - this.#lastFailureLog < FAILURE_LOG_EVERY_MS) return;
    this.#lastFailureLog = now;
    this.#logOf().error(
      { events: count, reason, err: error },
      `audit log could not write ${count} events; they are dropped (counted in vigil_audit_events_dropped_total{reason="${reason}"})`,
    );
  }

  #drop(reason: AuditDropReason, count: number): undefined {
    this.#dropped[reason] += count;
    try {
      this.#counters()?.dropped.inc({ reason }, count);
    } catch {
      // Counting must not throw into append().
    }
    return undefined;
  }

  #counters(): AuditFamilies | undefined {
    if (this.#metrics === false) return undefined;
    this.#families ??= auditFamilies(this.#metrics ?? getMetrics());
    return this.#families;
  }

  #logOf(): Logger {
    this.#log ??= (this.#logger ?? getLogger()).module('audit');
    return this.#log;
  }
}

/** Creates an `AuditLog`; close it on shutdown: `shutdown.onClose('audit', () => audit.close())`. */
export function createAuditLog(options: AuditLogOptions = {}): AuditLog {
  return new AuditLog(options);
}
