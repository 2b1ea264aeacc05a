import { Redactor } from '../log/redact.js';

/** What a component is, as the detailed health groups it. */
export type ComponentKind = 'module' | 'mcp_server' | 'channel' | 'vault' | 'database' | 'dependency';

/** A component's state. */
export type ComponentStatus = 'ok' | 'degraded' | 'down';

/** What a check may return: nothing (ok), a status, or a status with a detail. Throwing means down. */
// biome-ignore lint/suspicious/noConfusingVoidType: a check that returns nothing is ok
export type CheckOutcome = void | boolean | ComponentStatus | { status: ComponentStatus; detail?: string };

/** A health check function. */
export type CheckFn = () => CheckOutcome | Promise<CheckOutcome>;

/** Options of one registered check. */
export interface CheckOptions {
  kind?: ComponentKind;
  /** A critical component that is down makes the whole service `down` (default false). */
  critical?: boolean;
  /** Whether `/readyz` waits on this check (default true). */
  readiness?: boolean;
  /** Longest a check may take before it counts as down (default 2 s). */
  timeoutMs?: number;
}

/** One component in the detailed health. */
export interface ComponentReport {
  name: string;
  kind: ComponentKind;
  critical: boolean;
  status: ComponentStatus;
  latency_ms: number;
  detail: string | null;
  last_error: string | null;
  checked_at: string | null;
}

const redactor = new Redactor();

/**
 * A registered check: runs with a timeout, shares one run between concurrent callers and
 * caches the result briefly, so a storm of probes does not hammer a database.
 */
export class Check {
  readonly name: string;
  readonly kind: ComponentKind;
  readonly critical: boolean;
  readonly readiness: boolean;
  readonly #fn: CheckFn;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  readonly #now: () => number;
  #last: ComponentReport;
  #lastAt = Number.NEGATIVE_INFINITY;
  #lastError: string | null = null;
  #running: Promise<ComponentReport> | undefined;

  constructor(name: string, fn: CheckFn, options: CheckOptions, cacheMs: number, now: () => number) {
    this.name = name;
    this.kind = options.kind ?? 'dependency';
    this.critical = options.critical ?? false;
    this.readiness = options.readiness ?? true;
    this.#fn = fn;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#cacheMs = cacheMs;
    this.#now = now;
    this.#last = { ...this.#base(), status: 'down', latency_ms: 0, detail: 'not checked yet', checked_at: null };
  }

  /** The latest report, re-checking when the cached one is older than the cache time. */
  run(): Promise<ComponentReport> {
    if (this.#now() - this.#lastAt < this.#cacheMs) return Promise.resolve(this.#last);
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(): Promise<ComponentReport> {
    const started = performance.now();
    let status: ComponentStatus;
    let detail: string | null = null;
    try {
      const outcome = await withTimeout(Promise.resolve().then(this.#fn), this.#timeoutMs);
      ({ status, detail } = read(outcome));
      if (status !== 'ok') this.#lastError = detail ?? status;
    } catch (err) {
      status = 'down';
      this.#lastError = redactor.redactString(err instanceof Error ? err.message : String(err));
      detail = this.#lastError;
    }
    this.#lastAt = this.#now();
    this.#last = {
      ...this.#base(),
      status,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
      detail,
      checked_at: new Date(this.#lastAt).toISOString(),
    };
    return this.#last;
  }

  #base() {
    return { name: this.name, kind: this.kind, critical: this.critical, last_error: this.#lastError };
  }
}

function read(outcome: CheckOutcome): { status: ComponentStatus; detail: string | null } {
  if (outcome === undefined || outcome === true) return { status: 'ok', detail: null };
  if (outcome === false) return { status: 'down', detail: 'check returned false' };
  if (typeof outcome === 'string') return { status: outcome, detail: null };
  return { status: outcome.status, detail: outcome.detail ?? null };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
