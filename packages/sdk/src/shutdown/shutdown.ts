import type { Server, ServerResponse } from 'node:http';
import type { Health } from '../health/health.js';
import { getLogger, type Logger } from '../log/logger.js';

/** Options of graceful shutdown. */
export interface ShutdownOptions {
  /** Marked draining the moment shutdown begins, so `/readyz` answers 503. */
  health?: Health;
  /** How long readiness fails before the servers stop accepting, so load balancers notice
   * (default 5 s under Kubernetes, where a probe period must pass; 0 elsewhere). */
  drainDelayMs?: number;
  /** How long in-flight requests get to finish before connections are cut (default 10 s). */
  graceMs?: number;
  /** Longest a close hook may run before it is given up on, logged, and the next one runs (default 5 s). */
  hookTimeoutMs?: number;
  /** Signals that start shutdown (default SIGTERM and SIGINT); a second one forces exit. */
  signals?: NodeJS.Signals[];
  logger?: Logger;
  /** How to end the process (default `process.exit`). */
  exit?: (code: number) => void;
  env?: Record<string, string | undefined>;
}

type Hook = { name: string; fn: () => unknown };

/**
 * Graceful shutdown: readiness fails at once, servers stop accepting after the drain delay,
 * in-flight requests get a grace period, close hooks run (flush logs and sinks), then exit 0.
 * A second signal exits at once with 1.
 */
export class Shutdown {
  readonly #options: ShutdownOptions;
  readonly #servers = new Set<Server>();
  readonly #hooks: Hook[] = [];
  readonly #drainHooks: Hook[] = [];
  readonly #open = new Map<Server, Set<ServerResponse>>();
  readonly #logger: Logger;
  #state: 'running' | 'draining' | 'done' = 'running';
  #done: Promise<void> | undefined;
  #listeners: Array<[NodeJS.Signals, () => void]> = [];

  constructor(options: ShutdownOptions = {}) {
    this.#options = options;
    this.#logger = (options.logger ?? getLogger()).module('shutdown');
  }

  /** Where shutdown stands. */
  get state(): 'running' | 'draining' | 'done' {
    return this.#state;
  }

  /** Adds a server to drain; its in-flight responses are tracked from now on. */
  addServer(server: Server): this {
    this.#servers.add(server);
    const open = new Set<ServerResponse>();
    this.#open.set(server, open);
    server.on('request', (_req, res: ServerResponse) => {
      if (this.#state !== 'running') res.shouldKeepAlive = false;
      open.add(res);
      res.once('close', () => open.delete(res));
    });
    return this;
  }

  /** Adds a hook that runs after the servers closed, in the reverse order of adding. */
  onClose(name: string, fn: () => unknown): this {
    this.#hooks.push({ name, fn });
    return this;
  }

  /**
   * Adds a hook that runs the moment draining begins, before the servers close: end what would
   * otherwise hold a connection open for the whole grace period (event streams, websockets).
   */
  onDrain(name: string, fn: () => unknown): this {
    this.#drainHooks.push({ name, fn });
    return this;
  }

  /** Listens for the signals. */
  install(): this {
    for (const signal of this.#options.signals ?? ['SIGTERM', 'SIGINT']) {
      const listener = () => this.#onSignal(signal);
      process.on(signal, listener);
      this.#listeners.push([signal, listener]);
    }
    return this;
  }

  /** Stops listening for the signals. */
  uninstall(): void {
    for (const [signal, listener] of this.#listeners) process.off(signal, listener);
    this.#listeners = [];
  }

  /** Begins shutdown (once; later calls return the same promise) and exits when done. */
  begin(reason = 'requested'): Promise<void> {
    this.#done ??= this.#run(reason);
    return this.#done;
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#state === 'running') {
      void this.begin(signal);
      return;
    }
    this.#logger.event('system.shutdown', { signal, phase: 'forced' }, `second ${signal}: exiting now`);
    this.#exit(1);
  }

  async #run(reason: string): Promise<void> {
    const env = this.#options.env ?? process.env;
    const drainDelayMs = this.#options.drainDelayMs ?? (env.KUBERNETES_SERVICE_HOST ? 5_000 : 0);
    const graceMs = this.#options.graceMs ?? 10_000;
    this.#state = 'draining';
    this.#options.health?.startDraining();
    this.#logger.event('system.shutdown', {
      reason,
      phase: 'draining',
      drain_delay_ms: drainDelayMs,
      grace_ms: graceMs,
    });
    for (const hook of this.#drainHooks) {
      try {
        await hook.fn();
      } catch (err) {
        this.#logger.error({ err, hook: hook.name }, `drain hook ${hook.name} failed`);
      }
    }
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    for (const open of this.#open.values()) for (const res of open) res.shouldKeepAlive = false;
    const forced = await Promise.all([...this.#servers].map((server) => this.#closeServer(server, graceMs)));
    const cut = forced.reduce((sum, n) => sum + n, 0);
    if (cut > 0) this.#logger.warning({ connections: cut }, `grace period over: cut ${cut} connection(s)`);
    let failed = false;
    const hookTimeoutMs = this.#options.hookTimeoutMs ?? 5_000;
    for (const hook of [...this.#hooks].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(hook.fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${hookTimeoutMs} ms`)), hookTimeoutMs);
          }),
        ]);
      } catch (err) {
        failed = true;
        this.#logger.error({ err, hook: hook.name }, `close hook ${hook.name} failed`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.#options.health?.close();
    this.#state = 'done';
    this.#logger.event('system.shutdown', { reason, phase: 'done', hooks_failed: failed });
    await new Promise<void>((resolve) => this.#logger.flush(() => resolve()));
    this.#exit(0);
  }

  /** Closes one server; returns how many connections had to be cut after the grace period. */
  #closeServer(server: Server, graceMs: number): Promise<number> {
    return new Promise((resolve) => {
      if (!server.listening) return resolve(0);
      const timer = setTimeout(() => {
        const open = this.#open.get(server)?.size ?? 0;
        server.closeAllConnections();
        resolve(open);
      }, graceMs);
      server.close(() => {
        clearTimeout(timer);
        resolve(0);
      });
      server.closeIdleConnections();
    });
  }

  #exit(code: number): void {
    (this.#options.exit ?? process.exit)(code);
  }
}

/** Creates graceful shutdown for this process; call `install()` to listen for signals. */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  return new Shutdown(options);
}
