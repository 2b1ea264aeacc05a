import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ServerError } from '../errors.js';
import { lineDelivery } from './deliver.js';

/** What `vigil tail` was asked. */
export interface TailArgs {
  /** Files to read in order, to their end; none (or `-`) reads stdin. */
  files: string[];
  /** The service (default $VIGIL_URL, else http://localhost:$VIGIL_PORT, port 8015). */
  url?: string;
  /** Admin token (default $VIGIL_ADMIN_TOKEN). */
  token?: string;
  /** The service name of lines that do not carry one (plain text lines, for instance). */
  service?: string;
  /** Lines per POST (default 500). */
  batchSize?: number;
  /** Longest a line waits before its batch is sent (default 1000 ms). */
  flushIntervalMs?: number;
  /** Lines held while the service is slow or down; past this the oldest are dropped and counted (default 100,000). */
  maxQueued?: number;
  /** Copy every line to stdout as it is read (default true). */
  echo?: boolean;
}

/** What `runTail` reads from and writes to; injected so tests run it in-process. */
export interface TailIo {
  env: Record<string, string | undefined>;
  stdin: Readable;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `vigil tail [files...]`: reads log lines (the SDK's pino JSON, or any text) from stdin or
 * files, echoes each to stdout at once, and POSTs them in batches to the service's
 * /api/vigil/ingest/logs. Resolves to 0 when every line was stored, 1 when some could not be
 * (the reasons on stderr), 3 on a bad argument.
 */
export async function runTail(args: TailArgs, io: TailIo): Promise<number> {
  const batchSize = positive(args.batchSize, 500, '--batch-size');
  const interval = positive(args.flushIntervalMs, 1000, '--flush-interval');
  const maxQueued = positive(args.maxQueued, 100_000, '--max-queued');
  const base = args.url ?? io.env.VIGIL_URL ?? `http://localhost:${io.env.VIGIL_PORT || 8015}`;
  let url: string;
  try {
    url = new URL('/api/vigil/ingest/logs', base).toString();
  } catch {
    throw new ServerError('VIGIL_BAD_ARGUMENT', `--url must be an http(s) URL, got "${base}"`);
  }
  const token = args.token ?? io.env.VIGIL_ADMIN_TOKEN;
  const deliver = lineDelivery({
    url,
    ...(token ? { token } : {}),
    ...(args.service ? { service: args.service } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
  const echo = args.echo ?? true;

  const queue: string[] = [];
  let dropped = 0;
  let failed = 0;
  let sending: Promise<void> | null = null;
  const send = (): Promise<void> => {
    sending ??= (async () => {
      while (queue.length > 0) {
        const batch = queue.splice(0, batchSize);
        try {
          await deliver(batch);
        } catch (err) {
          failed += batch.length;
          io.stderr(`vigil tail: ${(err as Error).message}\n`);
        }
      }
    })().finally(() => {
      sending = null;
    });
    return sending;
  };
  const timer = setInterval(() => {
    if (queue.length > 0) void send();
  }, interval);
  timer.unref();

  try {
    const sources = args.files.length === 0 ? ['-'] : args.files;
    for (const source of sources) {
      const input = source === '-' ? io.stdin : createReadStream(source);
      const opened = new Promise<void>((resolve, reject) => {
        if (source === '-') resolve();
        else input.once('open', () => resolve()).once('error', reject);
      });
      try {
        await opened;
      } catch (err) {
        throw new ServerError('VIGIL_BAD_ARGUMENT', `cannot read ${source}: ${(err as Error).message}`);
      }
      for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        if (echo) io.stdout(`${line}\n`);
        if (line.trim() === '') continue;
        queue.push(line);
        if (queue.length > maxQueued) {
          queue.shift();
          dropped++;
        }
        if (queue.length >= batchSize) void send();
      }
    }
    while (queue.length > 0 || sending !== null) await (sending ?? send());
  } finally {
    clearInterval(timer);
  }
  if (dropped > 0) io.stderr(`vigil tail: dropped ${dropped} lines while the service was not taking them\n`);
  if (failed > 0) io.stderr(`vigil tail: ${failed} lines were not stored\n`);
  return dropped + failed > 0 ? 1 : 0;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new ServerError('VIGIL_BAD_ARGUMENT', `${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}
