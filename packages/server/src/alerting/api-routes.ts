// The HTTP API of alerting: /api/v1/rules and /api/v1/alerts in Prometheus's shapes; silences, alert history and
// rule reloads under /api/vigil. Mounted by the service behind the admin auth.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERROR_STATUS, ApiError, failure, success } from '../api/envelope.js';
import { ApiParams } from '../api/params.js';
import { ServerError } from '../errors.js';
import { AlertingRule, type RuleAlert } from '../rules/alerting-rule.js';
import { goE } from '../rules/go-format.js';
import type { RuleManager } from '../rules/rule-manager.js';
import type { AlertHistoryEvent, AlertHistoryStore } from './history.js';
import type { Silences } from './silences.js';

/** What the routes read and do. */
export interface AlertingApi {
  rules: () => RuleManager;
  silences: Silences;
  history: AlertHistoryStore;
  /** Re-reads the rule files (and the config when the service gave a loader); throws VIGIL_BAD_RULES. */
  reload: () => Promise<void>;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : ZERO_TIME);

/** Registers the alerting routes on `app`. */
export async function alertingRoutes(app: FastifyInstance, api: AlertingApi): Promise<void> {
  const handle =
    (handler: (p: ApiParams, req: FastifyRequest, reply: FastifyReply) => unknown) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      try {
        return reply.send(success(await handler(new ApiParams(query), req, reply)));
      } catch (error) {
        const apiError =
          error instanceof ApiError
            ? error
            : error instanceof ServerError && (error.code === 'VIGIL_BAD_SILENCE' || error.code === 'VIGIL_BAD_RULES')
              ? new ApiError('bad_data', `${error.message} [${error.code}]`)
              : new ApiError('internal', (error as Error).message);
        if (apiError.errorType === 'internal') req.log?.error?.({ err: error }, 'alerting API request failed');
        return reply.code(API_ERROR_STATUS[apiError.errorType]).send(failure(apiError));
      }
    };

  app.get(
    '/api/v1/rules',
    handle((p) => {
      const type = p.get('type');
      if (type !== undefined && type !== 'alert' && type !== 'record')
        throw new ApiError('bad_data', `invalid parameter "type": expected alert or record, got "${type}"`);
      const names = new Set(p.all('rule_name[]'));
      const groups = new Set(p.all('rule_group[]'));
      const files = new Set(p.all('file[]'));
      return {
        groups: api
          .rules()
          .groups.filter(
            (g) =>
              (groups.size === 0 || groups.has(g.definition.name)) &&
              (files.size === 0 || files.has(g.definition.file)),
          )
          .map((g) => ({
            name: g.definition.name,
            file: g.definition.file,
            interval: g.definition.intervalMs / 1000,
            limit: g.definition.limit,
            evaluationTime: g.evaluationTimeMs / 1000,
            lastEvaluation: iso(g.lastEvaluation),
            rules: g.rules
              .filter(
                (r) =>
                  (names.size === 0 || names.has(r.name)) &&
                  (type === undefined || (type === 'alert') === r instanceof AlertingRule),
              )
              .map((r) => {
                const status = g.status.get(r)!;
                const common = {
                  name: r.name,
                  query: r.definition.expr,
                  labels: Object.fromEntries([...r.definition.labels].map(([k, t]) => [k, t.source])),
                  health: status.health,
                  ...(status.lastError ? { lastError: status.lastError } : {}),
                  evaluationTime: status.evaluationTimeMs / 1000,
                  lastEvaluation: iso(status.lastEvaluation),
                };
                if (!(r instanceof AlertingRule)) return { ...common, type: 'recording' };
                const alerts = [...r.active.values()].filter((a) => a.state !== 'inactive');
                return {
                  state: r.state(),
                  ...common,
                  duration: r.definition.forMs / 1000,
                  keepFiringFor: r.definition.keepFiringForMs / 1000,
                  annotations: Object.fromEntries([...r.definition.annotations].map(([k, t]) => [k, t.source])),
                  alerts: alerts.map(alertJson),
                  type: 'alerting',
                };
              }),
          })),
      };
    }),
  );

  app.get(
    '/api/v1/alerts',
    handle(() => ({ alerts: api.rules().activeAlerts().map(alertJson) })),
  );

  app.get(
    '/api/vigil/silences',
    handle(() => api.silences.list()),
  );
  app.get(
    '/api/vigil/silences/:id',
    handle((_p, req) => {
      const silence = api.silences.get((req.params as { id: string }).id);
      if (!silence) throw new ApiError('not_found', 'no silence with this id');
      return silence;
    }),
  );
  app.post(
    '/api/vigil/silences',
    handle((_p, req) => ({ silenceID: api.silences.upsert(req.body ?? undefined).id })),
  );
  app.delete(
    '/api/vigil/silences/:id',
    handle((_p, req) => {
      const id = (req.params as { id: string }).id;
      if (!api.silences.expire(id)) throw new ApiError('not_found', 'no silence with this id');
      return api.silences.get(id);
    }),
  );

  app.get(
    '/api/vigil/alerts/history',
    handle(async (p) => {
      const state = p.get('state');
      if (state !== undefined && !['pending', 'firing', 'resolved', 'inactive'].includes(state))
        throw new ApiError(
          'bad_data',
          `invalid parameter "state": expected pending, firing, resolved or inactive, got "${state}"`,
        );
      const since = p.get('since') === undefined ? undefined : p.time('since', 0);
      const until = p.get('until') === undefined ? undefined : p.time('until', 0);
      const limit = p.limit('limit');
      const events = await api.history.query({
        ...(p.get('alertname') ? { alertname: p.get('alertname')! } : {}),
        ...(p.get('fingerprint') ? { fingerprint: p.get('fingerprint')! } : {}),
        ...(state ? { state: state as AlertHistoryEvent['state'] } : {}),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(limit ? { limit: Math.min(limit, 10_000) } : {}),
      });
      return events.map((e) => ({ ...e, ts: new Date(e.ts).toISOString() }));
    }),
  );

  app.post(
    '/api/vigil/rules/reload',
    handle(async () => {
      await api.reload();
      const groups = api.rules().groups;
      return { groups: groups.length, rules: groups.reduce((n, g) => n + g.rules.length, 0) };
    }),
  );
}

function alertJson(a: RuleAlert) {
  return {
    labels: a.labels,
    annotations: a.annotations,
    state: a.state,
    activeAt: iso(a.activeAt),
    ...(a.keepFiringSince ? { keepFiringSince: iso(a.keepFiringSince) } : {}),
    value: goE(a.value),
  };
}
