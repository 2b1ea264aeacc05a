import { Readable } from 'node:stream';
import { formatSampleValue, type Querier, type QueryResult } from '@vigil/promql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ScrapeLoop } from '../scrape/scrape-loop.js';
import { UPSTREAM_PATHS, type UpstreamPrometheus } from '../upstream/upstream-prometheus.js';
import { Annotated, API_ERROR_STATUS, ApiError, failure, success } from './envelope.js';
import { matrixJson } from './matrix-json.js';
import { ApiParams, MAX_TIME_MS, MIN_TIME_MS } from './params.js';
import type { QueryEngine } from './query-engine.js';
import { type DroppedTarget, targetsData } from './targets.js';

/** What the Prometheus-compatible API reads. */
export interface PrometheusApiOptions {
  querier: () => Querier;
  engine: QueryEngine;
  targets: () => { active: readonly ScrapeLoop[]; dropped: readonly DroppedTarget[] };
  version: string;
  now?: () => number;
  /** When set, query, query_range, series, labels, label values and metadata are answered by it. */
  upstream?: UpstreamPrometheus;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Engine errors that are the request's fault; the other engine errors are `execution`, as in Prometheus.
const BAD_DATA = new Set([
  'VIGIL_PROMQL_PARSE',
  'VIGIL_PROMQL_BAD_REGEX',
  'VIGIL_PROMQL_BAD_OPTION',
  'VIGIL_PROMQL_TOO_MANY_POINTS',
]);

/**
 * Prometheus HTTP API v1 under /api/v1: query, query_range, series, labels, label values,
 * metadata, targets, status/buildinfo. GET and POST (form bodies) alike; answers and errors in
 * Prometheus's JSON shapes, so Grafana's Prometheus data source works against it.
 */
export async function prometheusApi(app: FastifyInstance, options: PrometheusApiOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const { engine } = options;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  const upstream = options.upstream;
  const route = (path: string, handler: (p: ApiParams, req: FastifyRequest) => unknown) => {
    // With an upstream Prometheus, the data routes are its answers, relayed as they are.
    const relayed = upstream !== undefined && (upstreamPath(path) || path.startsWith('/api/v1/label/'));
    const serve = async (req: FastifyRequest, reply: FastifyReply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      if (relayed) {
        try {
          const body = typeof req.body === 'string' ? req.body : undefined;
          const answer = await upstream.relay(req.method === 'POST' ? 'POST' : 'GET', req.url, body);
          return reply.code(answer.status).type(answer.contentType).send(answer.body);
        } catch (error) {
          return reply.code(503).send(failure(new ApiError('unavailable', messageOf(error))));
        }
      }
      try {
        const params = new ApiParams(query, typeof req.body === 'string' ? req.body : undefined);
        const answer = await handler(params, req);
        if (answer instanceof JsonChunks) return reply.type('application/json; charset=utf-8').send(answer.body());
        return reply.send(success(answer));
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('internal', messageOf(error));
        if (apiError.errorType === 'internal') req.log?.error?.({ err: error }, 'API request failed');
        return reply.code(API_ERROR_STATUS[apiError.errorType]).send(failure(apiError));
      }
    };
    app.get(path, serve);
    app.post(path, serve);
  };

  const matchersOf = (p: ApiParams, required: boolean) => {
    const selectors = p.all('match[]');
    if (required && selectors.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
    return selectors.map((s) => {
      try {
        return engine.selector(s);
      } catch (error) {
        throw new ApiError('bad_data', `invalid parameter "match[]": ${messageOf(error)}`);
      }
    });
  };

  route('/api/v1/query', async (p) => {
    const expr = p.required('query');
    const time = p.time('time', now());
    return resultJson(evaluate(() => engine.instant(expr, time, p.duration('timeout'))));
  });

  route('/api/v1/query_range', async (p) => {
    const expr = p.required('query');
    const start = p.time('start', Number.NaN);
    const end = p.time('end', Number.NaN);
    if (Number.isNaN(start)) throw new ApiError('bad_data', 'parameter "start" is required');
    if (Number.isNaN(end)) throw new ApiError('bad_data', 'parameter "end" is required');
    if (end < start)
      throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
    const step = p.duration('step');
    if (step === undefined) throw new ApiError('bad_data', 'parameter "step" is required');
    if (step <= 0)
      throw new ApiError(
        'bad_data',
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if ((end - start) / step > 11_000) {
      throw new ApiError(
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    const result = evaluate(() => engine.range(expr, start, end, step, p.duration('timeout')));
    return new JsonChunks(matrixJson(result, { startMs: start, stepMs: step, endMs: end }));
  });

  route('/api/v1/series', (p) => {
    const sets = matchersOf(p, true);
    const [start, end] = [p.time('start', MIN_TIME_MS), p.time('end', MAX_TIME_MS)];
    const limit = p.limit('limit') ?? 0;
    const querier = options.querier();
    const seen = new Map<string, Record<string, string>>();
    for (const matchers of sets) {
      for (const series of querier.select(matchers, start, end)) {
        const metric = Object.fromEntries(series.labels.map((l) => [l.name, l.value]));
        seen.set(JSON.stringify(metric), metric);
      }
    }
    const all = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
    return limit > 0 ? all.slice(0, limit) : all;
  });

  route('/api/v1/labels', (p) => {
    const querier = options.querier();
    const sets = matchersOf(p, false);
    const names = new Set<string>();
    if (sets.length === 0) for (const n of querier.labelNames()) names.add(n);
    for (const matchers of sets) for (const n of querier.labelNames(matchers)) names.add(n);
    return limited([...names].sort(), p.limit('limit'));
  });

  route('/api/v1/label/:name/values', (p, req) => {
    const name = (req.params as { name: string }).name;
    if (!LABEL_NAME.test(name)) throw new ApiError('bad_data', `invalid label name: "${name}"`);
    const querier = options.querier();
    const sets = matchersOf(p, false);
    const values = new Set<string>();
    if (sets.length === 0) for (const v of querier.labelValues(name)) values.add(v);
    for (const matchers of sets) for (const v of querier.labelValues(name, matchers)) values.add(v);
    return limited([...values].sort(), p.limit('limit'));
  });

  route('/api/v1/metadata', (p) => {
    const metric = p.get('metric');
    const limit = p.limit('limit') ?? 0;
    const perMetric = p.limit('limit_per_metric') ?? 0;
    const out: Record<string, { type: string; help: string; unit: string }[]> = {};
    let count = 0;
    for (const [name, entries] of options.querier().metadata(metric || undefined)) {
      if (limit > 0 && count >= limit) break;
      out[name] = perMetric > 0 ? entries.slice(0, perMetric) : entries;
      count++;
    }
    return out;
  });

  route('/api/v1/targets', (p) => {
    const { active, dropped } = options.targets();
    return targetsData(active, dropped, { state: p.get('state'), scrapePool: p.get('scrapePool') });
  });

  route('/api/v1/status/buildinfo', () => ({
    version: options.version,
    revision: '',
    branch: '',
    buildUser: '',
    buildDate: '',
    goVersion: `node ${process.version}`,
  }));
}

function evaluate<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'VIGIL_PROMQL_TIMEOUT') throw new ApiError('timeout', messageOf(error));
    if (BAD_DATA.has(code)) throw new ApiError('bad_data', messageOf(error));
    if (code.startsWith('VIGIL_PROMQL_')) throw new ApiError('execution', messageOf(error));
    throw error;
  }
}

/** The engine's result with values as Prometheus writes them (strings), and its warnings and infos. */
function resultJson(result: QueryResult) {
  return new Annotated(resultData(result), result.warnings, result.infos);
}

function resultData(result: QueryResult) {
  switch (result.resultType) {
    case 'scalar':
      return { resultType: 'scalar', result: point(result.result) };
    case 'string':
      return { resultType: 'string', result: result.result };
    case 'vector':
      return { resultType: 'vector', result: result.result.map((s) => ({ metric: s.metric, value: point(s.value) })) };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: result.result.map((s) => ({ metric: s.metric, values: s.values.map(point) })),
      };
  }
}

/** A whole success envelope already written as JSON, made chunk by chunk. */
class JsonChunks {
  constructor(private readonly chunks: Generator<Buffer, void>) {}

  /** One chunk as it is (one write, with a Content-Length); more are streamed as they are made. */
  body(): Buffer | Readable {
    const first = this.chunks.next();
    if (first.done) return Buffer.alloc(0);
    const second = this.chunks.next();
    if (second.done) return first.value;
    return Readable.from(chained([first.value, second.value], this.chunks), { objectMode: false });
  }
}

function* chained(head: readonly Buffer[], rest: Iterable<Buffer>): Generator<Buffer> {
  yield* head;
  yield* rest;
}

function point(p: readonly [number, number]): [number, string] {
  return [p[0], formatSampleValue(p[1])];
}

function limited(list: string[], limit: number | undefined): string[] {
  return limit !== undefined && limit > 0 ? list.slice(0, limit) : list;
}

function upstreamPath(path: string): boolean {
  return (UPSTREAM_PATHS as readonly string[]).includes(path);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
