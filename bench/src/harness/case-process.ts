import { type ChildProcess, fork } from 'node:child_process';
import type { CaseRunner } from './rounds.js';

/** What a case process sends back for each run. */
type RunReply = { ms: number; report: Record<string, number> } | { error: string };

/**
 * A case running alone in its own node process, driven over IPC. Each case then builds its
 * own JIT state, as it would in an application, instead of sharing pino's code (and its
 * type feedback) with every other logger of the benchmark.
 */
export class CaseProcess implements CaseRunner {
  readonly id: string;
  /** What the case reported after its last run, such as bytes per line. */
  report: Record<string, number> = {};
  readonly #child: ChildProcess;
  #pending: { resolve: (reply: RunReply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;

  /** Starts `script` with `id` as its argument; node flags given to this process (such as --cpu-prof) pass on. */
  constructor(script: URL, id: string) {
    this.id = id;
    const execArgv = [...process.execArgv, '--expose-gc'];
    if (execArgv.includes('--cpu-prof')) execArgv.push(`--cpu-prof-name=${id}.cpuprofile`);
    this.#child = fork(script, [id], { execArgv, stdio: 'inherit' });
    this.#child.on('message', (reply: RunReply) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.reject(error);
    };
    this.#child.on('error', (error) => fail(new Error(`case ${id}: ${error.message}`)));
    this.#child.on('exit', (code, signal) => fail(new Error(`case ${id}: process exited (${code ?? signal})`)));
  }

  async run(n: number): Promise<number> {
    const reply = await new Promise<RunReply>((resolve, reject) => {
      if (this.#failure !== undefined) return reject(this.#failure);
      this.#pending = { resolve, reject };
      this.#child.send({ n });
    });
    if ('error' in reply) throw new Error(`case ${this.id}: ${reply.error}`);
    this.report = reply.report;
    return reply.ms;
  }

  /** Ends the process; it exits once its IPC channel closes. */
  close(): void {
    if (this.#child.connected) this.#child.disconnect();
  }
}

/** A case as its own process runs it. */
export interface ServedCase {
  /** Performs n operations; the time until it settles is the time of those n operations. */
  run(n: number): void | Promise<void>;
  /** Numbers to send back after each run, such as bytes per line. */
  report?(): Record<string, number>;
}

/** The body of a case process: times each run the parent asks for, with a clean heap before it. */
export function serveCase(benchCase: ServedCase): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined || process.send === undefined) {
    throw new Error('a case process must be started by CaseProcess (IPC, --expose-gc)');
  }
  const send = process.send.bind(process);
  process.on('message', async ({ n }: { n: number }) => {
    try {
      gc();
      const start = process.hrtime.bigint();
      await benchCase.run(n);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      send({ ms, report: benchCase.report?.() ?? {} } satisfies RunReply);
    } catch (error) {
      send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RunReply);
    }
  });
}
