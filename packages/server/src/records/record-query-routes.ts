import {
  type InvocationStatus,
  type InvocationStore,
  LEVEL_SEVERITY,
  type LogLevel,
  type LogStore,
  type SpanStatus,
  type SpanStore,
  StoreError,
  type SummaryKey,
  summarizeInvocations,
} from '@vigil/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { correlationView } from './correlation.js';
import { BadParam, defined, QueryParams } from './params.js';
import { spendReport } from './spend.js';
import { spendRequest } from './spend-params.js';

/** Options of `recordQueryRoutes`. */
export interface RecordQueryOptions {
  store: { logs: LogStore; spans: SpanStore; invocations: InvocationStore };
  /** The clock for default time ranges. */
  now?: () => number;
}

const LEVELS = Object.keys(LEVEL_SEVERITY) as LogLevel[];
const SPAN_STATUSES: SpanStatus[] = ['unset', 'ok', 'error'];
const INVOCATION_STATUSES: InvocationStatus[] = ['ok', 'error', 'cancelled', 'timeout', 'budget_exhausted'];
const SUMMARY_KEYS: SummaryKey[] = ['task_type', 'model', 'task_type_and_model'];
/** Rows a summary reads at most; a wider range is refused rather than read for minutes. */
const MAX_SUMMARY_ROWS = 200_000;

/**
 * Read-only queries of the record stores under /api/vigil: logs (filters, full text, cursor
 * pages), the error timeline, spans and traces, invocations, their summary and spend, and the
 * correlation view of one request. Bad parameters are 400 naming the parameter.
 */
export async function recordQueryRoutes(app: FastifyInstance, options: RecordQueryOptions): Promise<void> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const route = (path: string, handler: (p: QueryParams, req: FastifyRequest) => Promise<unknown>) => {
    app.get(path, async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        return reply.send(await handler(new QueryParams(req.query), req));
      } catch (err) {
        if (err instanceof BadParam) return reply.code(400).send({ error: err.message });
        if (err instanceof StoreError && err.code === 'VIGIL_STORE_BAD_QUERY') {
          return reply.code(400).send({ error: err.message, code: err.code });
        }
        if (err instanceof StoreError && (err.code === 'VIGIL_STORE_IO' || err.code === 'VIGIL_STORE_CLOSED')) {
          return reply.code(503).send({ error: `the record store is unavailable: ${err.message}` });
        }
        req.log?.error?.({ err }, 'record query failed');
        return reply.code(500).send({ error: 'internal error' });
      }
    });
  };

  route('/api/vigil/logs', async (p) => {
    const levels = p.list('level');
    for (const level of levels ?? []) {
      if (!LEVELS.includes(level as LogLevel))
        throw new BadParam(`parameter "level" must be one of ${LEVELS.join(', ')}, got "${level}"`);
    }
    return store.logs.query(
      defined({
        service: p.text('service', 256),
        level: levels as LogLevel[] | undefined,
        min_level: p.oneOf('min_level', LEVELS),
        event: p.text('event', 256),
        component: p.text('component', 256),
        correlation_id: p.text('correlation_id', 256),
        trace_id: p.text('trace_id', 64),
        text: p.text('text', 1000),
        since: p.time('since'),
        until: p.time('until'),
        limit: p.int('limit', 1, 10_000),
        cursor: p.text('cursor', 64),
        order: p.oneOf('order', ['asc', 'desc'] as const),
      }),
    );
  });

  route('/api/vigil/logs/errors', async (p) => {
    const until = p.time('until') ?? now();
    const since = p.time('since') ?? until - 3_600_000;
    const step = p.duration('step') ?? Math.max(1000, Math.ceil((until - since) / 60));
    const buckets = await store.logs.errorTimeline(
      defined({
        since,
        until,
        step_ms: step,
        service: p.text('service', 256),
        min_level: p.oneOf('min_level', LEVELS),
      }),
    );
    return { since, until, step_ms: step, buckets };
  });

  route('/api/vigil/spans', async (p) =>
    store.spans.query(
      defined({
        trace_id: p.text('trace_id', 64),
        correlation_id: p.text('correlation_id', 256),
        service: p.text('service', 256),
        name: p.text('name', 1024),
        status: p.oneOf('status', SPAN_STATUSES),
        min_duration_ms: p.number('min_duration_ms'),
        since: p.time('since'),
        until: p.time('until'),
        limit: p.int('limit', 1, 10_000),
        cursor: p.text('cursor', 64),
        order: p.oneOf('order', ['asc', 'desc'] as const),
      }),
    ),
  );

  route('/api/vigil/traces/:traceId', async (_p, req) => {
    const traceId = (req.params as { traceId: string }).traceId;
    if (!/^[0-9a-fA-F]{32}$/.test(traceId))
      throw new BadParam(`trace id must be 32 hex digits, got "${traceId.slice(0, 64)}"`);
    const { records, next_cursor } = await store.spans.query({ trace_id: traceId, limit: 10_000 });
    return { trace_id: traceId.toLowerCase(), spans: records, truncated: next_cursor !== null };
  });

  const invocationQuery = (p: QueryParams) =>
    defined({
      since: p.time('since'),
      until: p.time('until'),
      model: p.text('model', 256),
      task_type: p.text('task_type', 128),
      user_id: p.text('user_id', 256),
      app_id: p.text('app_id', 256),
      session_id: p.text('session_id', 256),
      correlation_id: p.text('correlation_id', 256),
      status: p.oneOf('status', INVOCATION_STATUSES),
    });

  route('/api/vigil/invocations', async (p) => {
    const filter = invocationQuery(p);
    const records = await store.invocations.query(
      defined({
        ...filter,
        limit: p.int('limit', 1, 10_000),
        offset: p.int('offset', 0, Number.MAX_SAFE_INTEGER),
        order: p.oneOf('order', ['asc', 'desc'] as const),
      }),
    );
    return { records, total: await store.invocations.count(filter) };
  });

  route('/api/vigil/invocations/summary', async (p) => {
    const by = p.oneOf('by', SUMMARY_KEYS) ?? 'task_type_and_model';
    const filter = invocationQuery(p);
    const total = await store.invocations.count(filter);
    if (total > MAX_SUMMARY_ROWS) {
      throw new BadParam(
        `the filters match ${total} invocations, more than ${MAX_SUMMARY_ROWS} a summary reads: narrow since/until`,
      );
    }
    const rows = [];
    for (let offset = 0; offset < total; offset += 10_000)
      rows.push(...(await store.invocations.query({ ...filter, limit: 10_000, offset })));
    return { by, calls: rows.length, groups: summarizeInvocations(rows, by) };
  });

  // Summed per UTC day by the store, so a month of millions of calls costs a few dozen rows here.
  route('/api/vigil/invocations/spend', async (p) =>
    spendReport(store.invocations, spendRequest(p, invocationQuery(p), now)),
  );

  route('/api/vigil/correlation/:id', async (_p, req) => {
    const id = (req.params as { id: string }).id;
    if (id === '' || id.length > 256) throw new BadParam('the id must be 1..256 characters');
    return correlationView(store, id);
  });
}
