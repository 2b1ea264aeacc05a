import type { QueryResult } from '@vigil/promql';
import { ServerError } from '../errors.js';

/** The paths of the Prometheus API that the upstream answers in Vigil's place. */
export const UPSTREAM_PATHS = [
  '/api/v1/query',
  '/api/v1/query_range',
  '/api/v1/series',
  '/api/v1/labels',
  '/api/v1/metadata',
] as const;

/** What the upstream answered, to relay as it is. */
export interface UpstreamAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * A Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics) that Vigil's
 * query API and rules read instead of the embedded store (`vigil.upstream_prometheus`).
 */
export class UpstreamPrometheus {
  readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(url: string, options: { token?: string | undefined; timeoutMs?: number } = {}) {
    this.url = new URL(url.endsWith('/') ? url : `${url}/`);
    this.headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Relays one API request (`path` with its query string, a form body for POST). */
  async relay(method: 'GET' | 'POST', pathAndQuery: string, body?: string): Promise<UpstreamAnswer> {
    const res = await this.fetch(pathAndQuery, {
      method,
      headers: {
        ...this.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/json',
      body: Buffer.from(await res.arrayBuffer()),
    };
  }

  /** An instant query at `timeMs`, as the engine's result shape (values as numbers). */
  async instant(expr: string, timeMs: number): Promise<QueryResult> {
    const form = new URLSearchParams({ query: expr, time: String(timeMs / 1000) }).toString();
    const res = await this.fetch('api/v1/query', {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const answer = (await res.json().catch(() => undefined)) as
      | { status?: string; data?: { resultType: string; result: unknown }; error?: string; errorType?: string }
      | undefined;
    if (answer?.status !== 'success' || answer.data === undefined) {
      const why = answer?.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : `HTTP ${res.status}`;
      throw new ServerError('VIGIL_UPSTREAM', `upstream ${this.url.origin} refused the query: ${why}`);
    }
    return toResult(answer.data);
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    const target = new URL(path.replace(/^\//, ''), this.url);
    try {
      return await fetch(target, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      const why =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (code ?? (error as Error).message);
      throw new ServerError('VIGIL_UPSTREAM', `upstream ${this.url.origin} cannot be reached: ${why}`, {
        cause: error,
      });
    }
  }
}

function num(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

type Point = [number, string];

function toResult(data: { resultType: string; result: unknown }): QueryResult {
  switch (data.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: (data.result as { metric: Record<string, string>; value: Point }[]).map((s) => ({
          metric: s.metric,
          value: [s.value[0], num(s.value[1])],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: (data.result as { metric: Record<string, string>; values: Point[] }[]).map((s) => ({
          metric: s.metric,
          values: s.values.map(([t, v]) => [t, num(v)] as [number, number]),
        })),
      };
    case 'scalar': {
      const [t, v] = data.result as Point;
      return { resultType: 'scalar', result: [t, num(v)] };
    }
    default: {
      const [t, v] = data.result as Point;
      return { resultType: 'string', result: [t, v] };
    }
  }
}
