// Alerting as one part of the service: rules evaluated on their intervals, alerts posted to Alertmanagers and
// routed to direct receivers, silences, history, the HTTP routes and a health check.

import { join } from 'node:path';
import type { Querier, QueryResult } from '@vigil/promql';
import type { Logger } from '@vigil/sdk';
import type { Metrics } from '@vigil/sdk/metrics';
import type { FastifyPluginAsync } from 'fastify';
import type { QueryEngine } from '../api/query-engine.js';
import type { VigilConfig } from '../config/types.js';
import { relabel, sortedLabels } from '../discovery/relabel.js';
import { ServerError } from '../errors.js';
import type { AlertTransition } from '../rules/alerting-rule.js';
import { loadRuleFiles } from '../rules/load-rules.js';
import { type OutgoingAlert, RuleManager } from '../rules/rule-manager.js';
import { fingerprint, RuleError, type RuleSample } from '../rules/rule-output.js';
import type { SampleSink } from '../scrape/target.js';
import type { UpstreamPrometheus } from '../upstream/upstream-prometheus.js';
import { type AlertingMetrics, alertingMetrics } from './alerting-metrics.js';
import { alertmanagerTargets } from './alertmanagers.js';
import { alertingRoutes } from './api-routes.js';
import { type DeliveryOptions, DeliveryQueue } from './delivery.js';
import { Dispatcher } from './dispatcher.js';
import { type AlertHistoryStore, MemoryAlertHistory } from './history.js';
import { type Alert, alertmanagerPayload } from './payloads.js';
import { Silences } from './silences.js';

/** What `createAlerting` needs from the service. */
export interface AlertingOptions {
  config: VigilConfig;
  /** The service's PromQL engine over its store. */
  engine: QueryEngine;
  /** Reads ALERTS_FOR_STATE to restore alert state after a restart; without it alerts start fresh. */
  querier?: () => Querier;
  /** Where ALERTS, ALERTS_FOR_STATE and recording rule series are written. */
  sink: SampleSink;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  /** Alert history store (default: in memory, the last 10,000 changes). */
  historyStore?: AlertHistoryStore;
  /** Where silences are kept (default `<data_dir>/silences.json`; false: memory only). */
  silencesFile?: string | false;
  /** Re-reads the configuration for POST /api/vigil/rules/reload (default: the current one; the rule files are re-read). */
  loadConfig?: () => Promise<VigilConfig>;
  delivery?: DeliveryOptions;
  /** How often due work runs (default 1000 ms). */
  tickMs?: number;
  /** Rules query this Prometheus instead of the engine (`vigil.upstream_prometheus`). */
  upstream?: UpstreamPrometheus;
  /** Prometheus's rule manager flags (defaults 10m, 1h, 1m). */
  forGracePeriodMs?: number;
  outageToleranceMs?: number;
  resendDelayMs?: number;
}

/** The alerting part of the service. */
export interface Alerting {
  /** Reads the rule files (throws VIGIL_BAD_RULES listing every problem) and starts the timer. */
  start(): Promise<void>;
  /** Stops the timer; undelivered notifications are logged. */
  stop(): Promise<void>;
  /** Applies a new configuration (SIGHUP): new rule files are read first, and a bad one keeps the old rules (throws). */
  reload(config: VigilConfig): Promise<void>;
  /** Runs what is due now: rule evaluations, group flushes, deliveries. Tests call it after moving the clock. */
  tick(): Promise<void>;
  /** The HTTP routes (register behind the admin auth). */
  routes: FastifyPluginAsync;
  /** For /health: degraded while a rule fails or notifications are failing. */
  check(): { status: 'ok' | 'degraded'; detail: string };
  readonly rules: RuleManager;
  readonly silences: Silences;
  readonly history: AlertHistoryStore;
}

/** Builds alerting from the configuration; nothing runs until `start()`. */
export function createAlerting(options: AlertingOptions): Alerting {
  const now = options.now ?? Date.now;
  const log = options.logger.module('alerting');
  const metrics: AlertingMetrics = alertingMetrics(options.metrics);
  let config = options.config;
  const externalURL = () => config.notifications.externalUrl ?? `http://localhost:${config.vigil.port}`;
  const history = options.historyStore ?? new MemoryAlertHistory();
  const silencesFile =
    options.silencesFile === undefined
      ? join(config.vigil.dataDir, 'silences.json')
      : options.silencesFile || undefined;
  const silences = new Silences({ now, ...(silencesFile ? { file: silencesFile } : {}) });
  const delivery = new DeliveryQueue(options.delivery ?? {}, { log, metrics, now });
  let dispatcher: Dispatcher | undefined;
  let alertmanagers = alertmanagerTargets(config.alerting.alertmanagers);
  let notificationsKey = '';
  let failingRules = new Map<string, string>();

  const buildDispatcher = () => {
    const key = JSON.stringify(config.notifications);
    if (key === notificationsKey) return;
    notificationsKey = key;
    const route = config.notifications.route;
    dispatcher = route
      ? new Dispatcher(
          { ...config.notifications, route },
          { silences, enqueue: (job) => delivery.enqueue(job), externalURL: externalURL() },
        )
      : undefined;
  };

  // With an upstream, each due group's results are fetched before the (synchronous) evaluation reads them.
  const fetched = new Map<string, QueryResult | Error>();
  const prefetch = async (t: number) => {
    fetched.clear();
    const upstream = options.upstream!;
    const asks: Promise<void>[] = [];
    for (const { group, ts } of rules.due(t)) {
      const queryTs = ts - group.definition.queryOffsetMs;
      for (const rule of group.rules) {
        const key = `${queryTs}\u0000${rule.definition.expr}`;
        if (fetched.has(key)) continue;
        fetched.set(key, new Error('not fetched'));
        asks.push(
          upstream.instant(rule.definition.expr, queryTs).then(
            (result) => void fetched.set(key, result),
            (error: Error) => void fetched.set(key, error),
          ),
        );
      }
    }
    await Promise.all(asks);
  };
  const evaluate = (expr: string, ts: number): QueryResult => {
    if (!options.upstream) return options.engine.instant(expr, ts, undefined);
    const answer = fetched.get(`${ts}\u0000${expr}`);
    if (answer === undefined) throw new RuleError('the upstream Prometheus was not asked for this evaluation');
    if (answer instanceof Error) throw answer;
    return answer;
  };

  const query = (expr: string, ts: number): RuleSample[] => {
    const result = evaluate(expr, ts);
    if (result.resultType === 'vector') return result.result.map((s) => ({ metric: s.metric, value: s.value[1] }));
    if (result.resultType === 'scalar') return [{ metric: {}, value: result.result[1] }];
    throw new RuleError(`rule result is a ${result.resultType}, not an instant vector or a scalar`);
  };

  const onAlerts = (outgoing: OutgoingAlert[]) => {
    const alerts: Alert[] = [];
    for (const a of outgoing) {
      const set = new Map(Object.entries(a.labels));
      for (const [k, v] of Object.entries(config.global.externalLabels)) if (!set.has(k)) set.set(k, v);
      const relabeled = relabel(sortedLabels(set), config.alerting.alertRelabelConfigs);
      if (!relabeled) continue;
      const labels = Object.fromEntries(relabeled.map((l) => [l.name, l.value]));
      alerts.push({ ...a, labels, fingerprint: fingerprint(labels) });
    }
    if (alerts.length === 0) return;
    for (const am of alertmanagers) {
      for (let i = 0; i < alerts.length; i += 256) {
        metrics.alertsSent.inc({ destination: 'alertmanager' }, Math.min(256, alerts.length - i));
        delivery.enqueue({
          receiver: 'alertmanager',
          target: am.name,
          url: am.url,
          headers: am.headers,
          timeoutMs: am.timeoutMs,
          ...(am.tls ? { tls: am.tls } : {}),
          body: JSON.stringify(alertmanagerPayload(alerts.slice(i, i + 256))),
        });
      }
    }
    if (dispatcher) {
      metrics.alertsSent.inc({ destination: 'receivers' }, alerts.length);
      dispatcher.receive(alerts, now());
    }
  };

  const onTransitions = (transitions: AlertTransition[]) => {
    for (const t of transitions) {
      if (t.to === 'firing' || t.to === 'resolved')
        log.event(
          t.to === 'firing' ? 'alert.firing' : 'alert.resolved',
          { alertname: t.rule, rule_group: t.group, fingerprint: t.alert.fingerprint, labels: t.alert.labels },
          `alert ${t.rule} ${t.to}`,
        );
    }
    const events = transitions.map((t) => ({
      ts: t.at,
      alertname: t.rule,
      fingerprint: t.alert.fingerprint,
      state: t.to,
      labels: t.alert.labels,
      annotations: t.alert.annotations,
      value: t.alert.value,
      group: t.group,
    }));
    Promise.resolve()
      .then(() => history.append(events))
      .catch((error: unknown) =>
        log.error({ err: error, events: events.length }, `alert history not written: ${(error as Error).message}`),
      );
  };

  const ctx = { externalLabels: config.global.externalLabels, externalURL: externalURL() };
  const rules = new RuleManager({
    query,
    sink: options.sink,
    ...(options.querier ? { querier: options.querier } : {}),
    ctx,
    ...(options.forGracePeriodMs === undefined ? {} : { forGracePeriodMs: options.forGracePeriodMs }),
    ...(options.outageToleranceMs === undefined ? {} : { outageToleranceMs: options.outageToleranceMs }),
    ...(options.resendDelayMs === undefined ? {} : { resendDelayMs: options.resendDelayMs }),
    onAlerts,
    onTransitions,
    onFailures: (group, failures) => {
      metrics.evaluationFailures.inc({ rule_group: group.definition.name }, failures.length);
      for (const f of failures) {
        const key = `${group.key};${f.rule}`;
        if (failingRules.get(key) !== f.error)
          log.warning(
            { rule_group: group.definition.name, rule: f.rule, error: f.error },
            `rule ${f.rule} failed: ${f.error}`,
          );
        failingRules.set(key, f.error);
      }
    },
  });

  const loadRules = async (next: VigilConfig) => {
    const loaded = await loadRuleFiles(next.ruleFiles, next.global.evaluationInterval);
    if (loaded.problems.length > 0)
      throw new ServerError('VIGIL_BAD_RULES', loaded.problems.map((p) => p.message).join('\n'));
    config = next;
    ctx.externalLabels = next.global.externalLabels;
    ctx.externalURL = externalURL();
    alertmanagers = alertmanagerTargets(next.alerting.alertmanagers);
    buildDispatcher();
    failingRules = new Map();
    rules.update(loaded.groups, now());
    log.info(
      { files: loaded.files.length, groups: loaded.groups.length },
      `rules loaded: ${loaded.groups.length} groups from ${loaded.files.length} files`,
    );
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    const t = now();
    for (const group of rules.groups)
      if (group.nextEvalAt <= t) metrics.evaluations.inc({ rule_group: group.definition.name });
    if (options.upstream) await prefetch(t);
    rules.tick(t);
    dispatcher?.tick(t);
    await delivery.tick(now());
  };

  return {
    rules,
    silences,
    history,
    async start() {
      await loadRules(config);
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((error: unknown) => log.error({ err: error }, 'alerting tick failed'))
          .finally(() => {
            running = undefined;
          });
      }, options.tickMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      if (delivery.length > 0)
        log.warning(
          { notifications: delivery.length },
          `${delivery.length} notifications were not delivered before the stop`,
        );
    },
    reload: loadRules,
    tick,
    routes: async (app) =>
      alertingRoutes(app, {
        rules: () => rules,
        silences,
        history,
        reload: async () => loadRules(options.loadConfig ? await options.loadConfig() : config),
      }),
    check() {
      const failing = rules.groups.flatMap((g) =>
        g.rules.filter((r) => g.status.get(r)?.health === 'err').map((r) => r.name),
      );
      if (failing.length > 0)
        return {
          status: 'degraded',
          detail: `rules failing: ${failing.slice(0, 5).join(', ')}${failing.length > 5 ? ', ...' : ''}`,
        };
      if (delivery.lastGivenUpAt > 0 && now() - delivery.lastGivenUpAt < 15 * 60_000)
        return {
          status: 'degraded',
          detail: 'a notification could not be delivered in the last 15 minutes (see the log)',
        };
      const count = rules.groups.reduce((n, g) => n + g.rules.length, 0);
      return {
        status: 'ok',
        detail: `${count} rules in ${rules.groups.length} groups, ${delivery.length} notifications queued`,
      };
    },
  };
}
