// The parent side of a benchmark child: starts it, reads its port, asks for its stats and
// stops it. Every child started is killed when this process exits, whatever the reason.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { ReadyLine, StatsLine } from './serve.js';

const START_TIMEOUT_MS = 10_000;
const STATS_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/** One server child, listening on 127.0.0.1. */
export class ServerProcess {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcess, lines: AsyncIterator<string>, port: number) {
    this.#child = child;
    this.#lines = lines;
    this.port = port;
  }

  /** Starts `node [execArgv] entry [args]` and resolves once it listens. */
  static async start(entry: string, args: readonly string[], execArgv: readonly string[] = []): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...execArgv, entry, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const reader: Interface = createInterface({ input: child.stdout! });
    const lines = reader[Symbol.asyncIterator]();
    try {
      const ready = JSON.parse(await nextLine(lines, child, START_TIMEOUT_MS, `${entry} to listen`)) as ReadyLine;
      return new ServerProcess(child, lines, ready.port);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  /** The child's counters now. */
  async stats(): Promise<StatsLine> {
    this.#child.stdin!.write('stats\n');
    return JSON.parse(await nextLine(this.#lines, this.#child, STATS_TIMEOUT_MS, 'stats')) as StatsLine;
  }

  /** Closes the child's stdin, which makes it exit; kills it if it has not within a few seconds. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

async function nextLine(lines: AsyncIterator<string>, child: ChildProcess, timeoutMs: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    const next = await Promise.race([lines.next(), timeout]);
    if (next.done) throw new Error(`server child exited (code ${child.exitCode}) while waiting for ${what}`);
    return next.value;
  } finally {
    clearTimeout(timer);
  }
}
