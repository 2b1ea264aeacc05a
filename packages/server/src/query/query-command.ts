import { ServerError } from '../errors.js';

/** Options of `vigil query`. */
export interface QueryCommandOptions {
  url: string;
  token?: string | undefined;
  time?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  step?: string | undefined;
  timeoutMs: number;
  now: number;
}

/** The API answer of a query, as the service sends it. */
export interface QueryAnswer {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: unknown;
}

const RELATIVE = /^(now)?-(\d+(?:ms|s|m|h|d|w))$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time of the command line in ms: `now`, a relative `-1h` (or `now-1h`), Unix seconds or RFC 3339.
 * Throws VIGIL_BAD_ARGUMENT naming the flag.
 */
export function cliTime(text: string, flag: string, now: number): number {
  if (text === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) return now - durationMs(relative[2]!);
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms)) return ms;
  throw new ServerError(
    'VIGIL_BAD_ARGUMENT',
    `${flag} "${text}": expected now, a relative time such as -1h, Unix seconds or RFC 3339 (2026-01-02T15:04:05Z)`,
  );
}

function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text)!;
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Runs an instant query (no --start) or a range query against the service's API. */
export async function runQuery(expr: string, options: QueryCommandOptions): Promise<QueryAnswer> {
  const params = new URLSearchParams({ query: expr });
  let path = '/api/v1/query';
  if (options.start !== undefined || options.end !== undefined || options.step !== undefined) {
    const end = options.end === undefined ? options.now : cliTime(options.end, '--end', options.now);
    const start = options.start === undefined ? end - 3_600_000 : cliTime(options.start, '--start', options.now);
    if (end < start) throw new ServerError('VIGIL_BAD_ARGUMENT', '--end must not be before --start');
    let step = Math.max(1000, Math.round((end - start) / 250 / 1000) * 1000);
    if (options.step !== undefined) {
      if (!/^\d+(ms|s|m|h|d|w)$/.test(options.step) && !/^\d+(\.\d+)?$/.test(options.step)) {
        throw new ServerError(
          'VIGIL_BAD_ARGUMENT',
          `--step "${options.step}": expected seconds or a duration such as 15s`,
        );
      }
      step = /^\d+(\.\d+)?$/.test(options.step) ? Number(options.step) * 1000 : durationMs(options.step);
    }
    path = '/api/v1/query_range';
    params.set('start', String(start / 1000));
    params.set('end', String(end / 1000));
    params.set('step', String(step / 1000));
  } else if (options.time !== undefined) {
    params.set('time', String(cliTime(options.time, '--time', options.now) / 1000));
  }
  const url = new URL(path, options.url);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: params.toString(),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (cause) {
    const why =
      cause instanceof Error && cause.name === 'TimeoutError'
        ? `no answer within ${options.timeoutMs} ms`
        : unreachable(cause);
    throw new ServerError('VIGIL_UNREACHABLE', `${url.origin}: ${why}`, { cause });
  }
  if (res.status === 401 || res.status === 403) {
    throw new ServerError(
      'VIGIL_UNAUTHORIZED',
      `${url.origin}: ${res.status} — pass an admin token with --token or VIGIL_ADMIN_TOKEN`,
    );
  }
  let body: { status?: string; data?: QueryAnswer; errorType?: string; error?: string };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ServerError('VIGIL_BAD_RESPONSE', `${url.href}: answered ${res.status} with a body that is not JSON`);
  }
  if (body.status === 'error') {
    throw new ServerError('VIGIL_QUERY_REJECTED', `${body.errorType ?? 'error'}: ${body.error ?? '(no message)'}`);
  }
  if (body.status !== 'success' || body.data === undefined) {
    throw new ServerError('VIGIL_BAD_RESPONSE', `${url.href}: answered ${res.status} without a query result`);
  }
  return body.data;
}

function unreachable(cause: unknown): string {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is `vigil serve` running? --url sets where)';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
