import type { AddressInfo } from 'node:net';
import { AdminAuth } from '@vigil/sdk/health';
import { createMemorySink, type MemorySink } from '@vigil/sdk/recording';
import { type AppOptions, buildApp } from '../../src/app.js';

/** The admin token of every test agent. */
export const ADMIN_TOKEN = 'test-admin-token-0123';

/** Headers that pass the test agent's admin auth. */
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** One parsed log line. */
export type LogLine = Record<string, unknown>;

/** A log destination that keeps every line, parsed, and lets a test wait for one. */
export class LogCapture {
  readonly lines: LogLine[] = [];
  readonly #waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  write(text: string): void {
    for (const part of text.split('\n')) {
      if (part === '') continue;
      const line = JSON.parse(part) as LogLine;
      this.lines.push(line);
      for (const waiter of this.#waiters.filter((w) => w.match(line))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }

  /** Lines of one event type. */
  events(type: string): LogLine[] {
    return this.lines.filter((line) => line.event === type);
  }

  /** The first line (already written or still to come) that matches; fails after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs = 3000): Promise<LogLine> {
    const found = this.lines.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching log line was written')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }
}

/** A running agent on 127.0.0.1, its captured logs and invocation rows, and a way to stop it. */
export interface RunningAgent {
  url: string;
  logs: LogCapture;
  /** The invocation rows the recorder wrote (one per provider call). */
  invocations: MemorySink;
  close(): Promise<void>;
}

/**
 * Starts the agent on a free loopback port. By default every random draw is 0.5: no faults, and
 * exactly one tool call per turn. Logs are captured at debug level, whatever VIGIL_LOG says;
 * invocation rows go to a memory sink.
 */
export async function startAgent(options: AppOptions = {}): Promise<RunningAgent> {
  const logs = new LogCapture();
  const invocations = createMemorySink();
  const auth = new AdminAuth({ tokens: [ADMIN_TOKEN] });
  const app = await buildApp({
    env: {},
    logLevel: 'debug',
    destination: logs,
    random: () => 0.5,
    auth,
    sink: invocations,
    ...options,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const close = async () => {
    await app.close();
    await app.recorder.close();
  };
  return { url: `http://127.0.0.1:${port}`, logs, invocations, close };
}

/** Random numbers that follow `values`, then repeat the last one. */
export function sequence(...values: number[]): () => number {
  let next = 0;
  return () => values[Math.min(next++, values.length - 1)] ?? 0.5;
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** Sends one message; `body` is sent as given when it is a string. */
export async function postMessage(
  url: string,
  sessionId: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/v1/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
