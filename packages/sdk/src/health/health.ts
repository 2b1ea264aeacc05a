import { Check, type CheckFn, type CheckOptions, type ComponentReport, type ComponentStatus } from './check.js';
import { type EventLoopLag, EventLoopMonitor, type EventLoopOptions } from './event-loop.js';
import { type SystemReport, SystemSampler } from './system.js';
import type { TurnPool, TurnPoolStats } from './turn-pool.js';

/** Options of `createHealth`. */
export interface HealthOptions {
  service?: string;
  version?: string;
  /** Directory whose disk use is reported (the service's data dir). */
  dataDir?: string;
  /** Event-loop p99 above this makes the service `degraded` (default 500 ms). */
  lagThresholdMs?: number;
  /** The bounded turn pool whose saturation makes the service `degraded`. */
  pool?: TurnPool;
  /** How long a check result is reused (default 1 s). */
  cacheMs?: number;
  /** Event-loop monitor options, or a monitor of your own. */
  eventLoop?: EventLoopOptions | EventLoopMonitor;
  now?: () => number;
}

/** The body of `GET /readyz`. */
export type Readiness = { status: 'ready' } | { status: 'not_ready'; failed: string[] } | { status: 'draining' };

/** The body of `GET /health`. */
export interface DetailedHealth {
  status: ComponentStatus;
  /** Why the status is not ok, in words. */
  reasons: string[];
  service: string | null;
  version: string | null;
  draining: boolean;
  started_at: string;
  uptime_seconds: number;
  system: SystemReport;
  event_loop: EventLoopLag;
  workers: TurnPoolStats | null;
  components: ComponentReport[];
}

/** Liveness, readiness and the detailed health of one process. */
export class Health {
  readonly #options: HealthOptions;
  readonly #checks = new Map<string, Check>();
  readonly #loop: EventLoopMonitor;
  readonly #system: SystemSampler;
  readonly #now: () => number;
  readonly #startedAt: number;
  #draining = false;

  constructor(options: HealthOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#loop =
      options.eventLoop instanceof EventLoopMonitor
        ? options.eventLoop
        : new EventLoopMonitor(options.eventLoop).start();
    this.#system = new SystemSampler(options.dataDir);
  }

  /** Registers a check: a module, MCP server, channel, vault or database the service depends on. */
  check(name: string, fn: CheckFn, options: CheckOptions = {}): this {
    this.#checks.set(name, new Check(name, fn, options, this.#options.cacheMs ?? 1_000, this.#now));
    return this;
  }

  /** Turns readiness off for good: `/readyz` answers 503 draining from now on. */
  startDraining(): void {
    this.#draining = true;
  }

  /** True once shutdown began. */
  get draining(): boolean {
    return this.#draining;
  }

  /** The body of `/readyz`: draining first, then the readiness checks. */
  async readiness(): Promise<Readiness> {
    if (this.#draining) return { status: 'draining' };
    const checks = [...this.#checks.values()].filter((check) => check.readiness);
    const reports = await Promise.all(checks.map((check) => check.run()));
    const failed = reports.filter((report) => report.status === 'down').map((report) => report.name);
    if (this.#draining) return { status: 'draining' };
    return failed.length === 0 ? { status: 'ready' } : { status: 'not_ready', failed };
  }

  /** The body of `/health`. */
  async detailed(): Promise<DetailedHealth> {
    const components = await Promise.all([...this.#checks.values()].map((check) => check.run()));
    const eventLoop = this.#loop.lag();
    const workers = this.#options.pool?.stats() ?? null;
    const { status, reasons } = this.#judge(components, eventLoop, workers);
    return {
      status,
      reasons,
      service: this.#options.service ?? null,
      version: this.#options.version ?? null,
      draining: this.#draining,
      started_at: new Date(this.#startedAt).toISOString(),
      uptime_seconds: Math.round((this.#now() - this.#startedAt) / 10) / 100,
      system: this.#system.sample(),
      event_loop: eventLoop,
      workers,
      components,
    };
  }

  /** Stops the event-loop monitor. */
  close(): void {
    this.#loop.stop();
  }

  #judge(components: ComponentReport[], lag: EventLoopLag, workers: TurnPoolStats | null) {
    const down: string[] = [];
    const degraded: string[] = [];
    for (const c of components) {
      if (c.status === 'down' && c.critical) down.push(`critical component ${c.name} is down`);
      else if (c.status !== 'ok') degraded.push(`component ${c.name} is ${c.status}`);
    }
    const threshold = this.#options.lagThresholdMs ?? 500;
    if (lag.p99_ms > threshold) degraded.push(`event loop p99 ${lag.p99_ms} ms > ${threshold} ms`);
    if (workers !== null && workers.active >= workers.max_workers) {
      degraded.push(`all ${workers.max_workers} workers busy`);
    }
    if (this.#draining) degraded.push('draining');
    const status: ComponentStatus = down.length > 0 ? 'down' : degraded.length > 0 ? 'degraded' : 'ok';
    return { status, reasons: [...down, ...degraded] };
  }
}

/** Creates the health of this process. */
export function createHealth(options: HealthOptions = {}): Health {
  return new Health(options);
}
