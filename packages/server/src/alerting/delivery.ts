// Delivery of notifications: a bounded queue, attempts with exponential backoff, every failure counted and logged.
// Nothing leaves the queue without a `success` or `failed`/`overflow` count and a log line. Driven by `tick(now)`.

import type { Logger } from '@vigil/sdk';
import type { ScrapeTls } from '../scrape/fetch-exposition.js';
import type { AlertingMetrics } from './alerting-metrics.js';
import { postJson } from './post-json.js';

/** One HTTP POST to make. */
export interface DeliveryJob {
  /** The receiver (or `alertmanager`) for metrics: a bounded, configured name. */
  receiver: string;
  /** What to say in logs: receiver and integration, never the URL (it may hold a token). */
  target: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Timeout of one attempt (default: the queue's). */
  timeoutMs?: number;
  /** TLS settings for an https URL (an Alertmanager's tls_config). */
  tls?: ScrapeTls;
  /** Runs once the receiver accepted it. */
  onSuccess?: () => void;
}

/** Retry and queue settings. */
export interface DeliveryOptions {
  /** Jobs waiting at most; one more is refused, counted and logged (default 1000). */
  capacity?: number;
  /** Attempts per job before it is given up (default 6: about a minute of retries). */
  maxAttempts?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Timeout of one attempt (default 10 s). */
  timeoutMs?: number;
}

interface Pending extends DeliveryJob {
  attempts: number;
  nextAttemptAt: number;
  busy: boolean;
}

/** The notification queue. */
export class DeliveryQueue {
  readonly #jobs: Pending[] = [];
  readonly #options: Required<DeliveryOptions>;
  readonly #log: Logger;
  readonly #metrics: AlertingMetrics;
  readonly #now: () => number;
  /** When a notification was last given up (0: never), for the health check. */
  lastGivenUpAt = 0;

  constructor(options: DeliveryOptions, deps: { log: Logger; metrics: AlertingMetrics; now: () => number }) {
    this.#options = {
      capacity: options.capacity ?? 1000,
      maxAttempts: options.maxAttempts ?? 6,
      minBackoffMs: options.minBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#now = deps.now;
  }

  /** Jobs waiting or in flight. */
  get length(): number {
    return this.#jobs.length;
  }

  /** Queues a job for the next tick; false (counted as overflow, logged) when the queue is full. */
  enqueue(job: DeliveryJob): boolean {
    if (this.#jobs.length >= this.#options.capacity) {
      this.lastGivenUpAt = this.#now();
      this.#metrics.notifications.inc({ receiver: job.receiver, result: 'overflow' });
      this.#log.event(
        'alert.notification.failed',
        { receiver: job.receiver, target: job.target, capacity: this.#options.capacity },
        `notification to ${job.target} not queued: the queue holds ${this.#options.capacity} notifications already`,
      );
      return false;
    }
    this.#jobs.push({ ...job, attempts: 0, nextAttemptAt: this.#now(), busy: false });
    this.#metrics.queueLength.set({}, this.#jobs.length);
    return true;
  }

  /** Attempts every due job; resolves when those attempts ended. */
  async tick(now = this.#now()): Promise<void> {
    const due = this.#jobs.filter((j) => !j.busy && j.nextAttemptAt <= now);
    await Promise.all(due.map((job) => this.#attempt(job)));
    this.#metrics.queueLength.set({}, this.#jobs.length);
  }

  async #attempt(job: Pending): Promise<void> {
    job.busy = true;
    job.attempts++;
    let problem: string | undefined;
    let retryable = true;
    const timeoutMs = job.timeoutMs ?? this.#options.timeoutMs;
    try {
      const status = await postJson(job.url, job.body, {
        headers: { 'content-type': 'application/json', 'user-agent': 'vigil', ...job.headers },
        timeoutMs,
        ...(job.tls ? { tls: job.tls } : {}),
      });
      if (status < 200 || status > 299) {
        problem = `HTTP ${status}`;
        // As Alertmanager: a 4xx other than 429 will not get better by sending the same body again.
        retryable = status === 429 || status >= 500;
      }
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      problem =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `no answer within ${timeoutMs} ms`
          : (e.code ?? e.message);
    }
    job.busy = false;
    if (problem === undefined) {
      this.#remove(job);
      this.#metrics.notifications.inc({ receiver: job.receiver, result: 'success' });
      this.#log.event(
        'alert.notification.sent',
        { receiver: job.receiver, target: job.target, attempts: job.attempts },
        job.attempts > 1
          ? `notification to ${job.target} delivered after ${job.attempts} attempts`
          : `notification to ${job.target} delivered`,
      );
      try {
        job.onSuccess?.();
      } catch (error) {
        this.#log.error({ err: error }, 'notification bookkeeping failed');
      }
      return;
    }
    this.#metrics.failures.inc({ receiver: job.receiver });
    if (retryable && job.attempts < this.#options.maxAttempts) {
      const backoff = Math.min(this.#options.maxBackoffMs, this.#options.minBackoffMs * 2 ** (job.attempts - 1));
      job.nextAttemptAt = this.#now() + backoff;
      this.#log.warning(
        { receiver: job.receiver, target: job.target, attempt: job.attempts, retry_in_ms: backoff, problem },
        `notification to ${job.target} failed (${problem}), attempt ${job.attempts} of ${this.#options.maxAttempts}; retrying in ${backoff} ms`,
      );
      return;
    }
    this.#remove(job);
    this.lastGivenUpAt = this.#now();
    this.#metrics.notifications.inc({ receiver: job.receiver, result: 'failed' });
    this.#log.event(
      'alert.notification.failed',
      { receiver: job.receiver, target: job.target, attempts: job.attempts, problem },
      `notification to ${job.target} failed after ${job.attempts} attempt(s) (${problem}): given up; the alert group is notified again at its next group_interval`,
    );
  }

  #remove(job: Pending): void {
    const i = this.#jobs.indexOf(job);
    if (i >= 0) this.#jobs.splice(i, 1);
  }
}
