// The `/api/vigil/...` record routes the dashboard reads, answered as the real service answers them (see
// packages/server/src/records and dashboard-api), over the store's own in-memory implementations.

import { SessionRegistry } from '@vigil/sdk/sessions';
import {
  MemoryAuditStore,
  MemoryInvocationStore,
  MemoryLogStore,
  type SummaryKey,
  summarizeInvocations,
} from '@vigil/store';
import { XSS_VALUE } from './demo-workload.js';

/** A JSON answer. */
export interface RecordsAnswer {
  status: number;
  body: unknown;
}

/** The stores with six hours of demo records, and the routes over them. */
export class RecordsApi {
  readonly logs = new MemoryLogStore();
  readonly audit = new MemoryAuditStore();
  readonly invocations = new MemoryInvocationStore();
  /** Seeding runs on a simulated clock; afterwards the registry reads the real one. */
  #clock: number | undefined;
  readonly sessions = new SessionRegistry({
    appId: 'support',
    idleAfterMs: 3_600_000,
    closedTtlMs: 86_400_000,
    now: () => this.#clock ?? Date.now(),
  });

  /** Fills the stores with demo records up to `nowMs`. */
  async seed(nowMs: number): Promise<void> {
    const services = ['support-agent', 'triage-agent'];
    const logs = [];
    for (let i = 0; i < 240; i++) {
      const ts = nowMs - (240 - i) * 90_000;
      const service = services[i % 2]!;
      const correlation = `req-${Math.floor(i / 3)
        .toString(16)
        .padStart(4, '0')}`;
      const failing = i % 7 === 0;
      logs.push({
        ts,
        service,
        level: failing ? ('error' as const) : i % 5 === 0 ? ('warning' as const) : ('info' as const),
        event: failing ? 'llm.call.failed' : i % 5 === 0 ? 'api.call.retried' : 'task.state_changed',
        component: failing ? 'llm' : 'orchestrator',
        message:
          i === 238 ? `tool returned ${XSS_VALUE}` : failing ? 'LLM call failed after 3 retries' : 'task moved on',
        error: failing
          ? `RateLimitError: 429 Too Many Requests\n    at callModel (llm/client.ts:88:11)\n    at runTurn (agent/turn.ts:41:5)`
          : null,
        correlation_id: correlation,
      });
    }
    await this.logs.insertBatch(logs);
    await this.audit.appendBatch(
      Array.from({ length: 30 }, (_, i) => ({
        ts: nowMs - (30 - i) * 600_000,
        event_type: ['auth.login', 'token.revoked', 'gate.denied'][i % 3]!,
        actor_user_id: `user-${i % 4}`,
        target_app_id: 'support',
        success: i % 3 !== 2,
        details: { ip: '10.0.0.7', note: i === 27 ? XSS_VALUE : 'ok' },
      })),
    );
    this.#seedSessions(nowMs);
    const tasks = ['parse_task', 'triage', 'summarize'];
    const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4'];
    await this.invocations.insertBatch(
      Array.from({ length: 300 }, (_, i) => ({
        ts: nowMs - (300 - i) * 60_000,
        task_type: tasks[i % 3]!,
        model_alias: models[(i >> 1) % 3]!,
        provider: 'openai',
        latency_ms: 300 + ((i * 37) % 2000),
        tokens_in: 800 + ((i * 53) % 900),
        tokens_out: 60 + ((i * 17) % 300),
        cost_usd: 0.001 * (1 + (i % 9)),
        status: i % 25 === 0 ? ('error' as const) : ('ok' as const),
        correlation_id: `req-${i}`,
      })),
    );
  }

  #seedSessions(nowMs: number): void {
    for (let s = 0; s < 6; s++) {
      const id = `s-${100 + s}`;
      this.#clock = nowMs - (40 - s * 5) * 60_000;
      this.sessions.start(id, {
        agentId: s % 2 ? 'triage' : 'support',
        userId: `u-${s}`,
        model: 'gpt-4o',
        provider: 'openai',
      });
      for (let turn = 0; turn < 2 + s; turn++) {
        this.#clock += 45_000;
        this.sessions.recordLlmCall(id, { promptTokens: 900 + turn * 50, completionTokens: 80, durationMs: 1200 });
        this.sessions.recordToolCall(id, { tool: s === 3 ? XSS_VALUE : 'search_docs', ok: turn !== 1, durationMs: 40 });
        this.sessions.completeTurn(id);
      }
      if (s < 2) this.sessions.end(id);
    }
    this.#clock = undefined;
  }

  /** Answers a GET of `path` with `params`, or undefined for a route it does not have. */
  async answer(path: string, params: URLSearchParams): Promise<RecordsAnswer | undefined> {
    const query = queryObject(params);
    try {
      switch (path) {
        case '/api/vigil/logs':
          return { status: 200, body: await this.logs.query(query) };
        case '/api/vigil/logs/errors': {
          const { step, ...rest } = query;
          const timeline = { ...rest, step_ms: Number(step) };
          return { status: 200, body: { ...timeline, buckets: await this.logs.errorTimeline(timeline as never) } };
        }
        case '/api/vigil/audit':
          return {
            status: 200,
            body: { records: await this.audit.query(query), total: await this.audit.count(query) },
          };
        case '/api/vigil/sessions': {
          const status = params.get('status') ?? 'open';
          const sessions = this.sessions.list({ status: status as 'open' });
          return { status: 200, body: { count: sessions.length, truncated: false, sessions } };
        }
        case '/api/vigil/audit/verify':
          return { status: 200, body: await this.audit.verify() };
        case '/api/vigil/invocations/summary': {
          const { by = 'task_type', ...filter } = query;
          const rows = await this.invocations.query({ ...filter, limit: 10_000 });
          return {
            status: 200,
            body: { by, calls: rows.length, groups: summarizeInvocations(rows, by as SummaryKey) },
          };
        }
        default:
          return undefined;
      }
    } catch (error) {
      return { status: 400, body: { status: 'error', errorType: 'bad_data', error: (error as Error).message } };
    }
  }
}

/** Parameters as a store query: whole numbers as numbers (times in epoch ms, limits), the rest as text. */
function queryObject(params: URLSearchParams): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of params) out[key] = /^\d+$/.test(value) ? Number(value) : value;
  return out;
}
