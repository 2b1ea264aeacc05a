// All rule groups: scheduling on each group's interval (driven by `tick(now)`), reloads that keep the alert state
// of unchanged rules, the restore of `for` state after a restart, and the alerts handed on to notification.

import type { Querier } from '@vigil/promql';
import { isStale } from '@vigil/promql';
import type { SampleSink } from '../scrape/target.js';
import { AlertingRule, type AlertTransition, type RuleAlert } from './alerting-rule.js';
import type { RuleGroupDefinition } from './rule-file.js';
import { RuleGroup } from './rule-group.js';
import type { RuleContext, RuleSample } from './rule-output.js';

/** An alert as it leaves the rules for Alertmanagers and receivers (Alertmanager API v2 fields, times in ms). */
export interface OutgoingAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  generatorURL: string;
}

/** What the rule manager needs. */
export interface RuleManagerOptions {
  query: (expr: string, ts: number) => RuleSample[];
  sink: SampleSink;
  /** Reads ALERTS_FOR_STATE when restoring after a start; without it alerts start fresh. */
  querier?: () => Querier;
  ctx: RuleContext;
  /** Wall clock for durations (default Date.now). */
  clock?: () => number;
  /** Prometheus's --rules.alert.for-grace-period (10m). */
  forGracePeriodMs?: number;
  /** Prometheus's --rules.alert.for-outage-tolerance (1h). */
  outageToleranceMs?: number;
  /** Prometheus's --rules.alert.resend-delay (1m). */
  resendDelayMs?: number;
  onTransitions?: (transitions: AlertTransition[]) => void;
  onAlerts?: (alerts: OutgoingAlert[]) => void;
  onFailures?: (group: RuleGroup, failures: { rule: string; error: string }[]) => void;
}

/** Every loaded rule group. */
export class RuleManager {
  groups: RuleGroup[] = [];
  readonly #options: RuleManagerOptions;
  #loadedOnce = false;
  readonly #toRestore = new Set<RuleGroup>();

  constructor(options: RuleManagerOptions) {
    this.#options = options;
  }

  /**
   * Replaces the groups. A group with the same file and name keeps the alert states of its rules that have the same
   * kind, name and labels (as Prometheus); series of removed rules are marked stale at `now`. Groups of the first
   * load are restored from ALERTS_FOR_STATE after their first evaluation.
   */
  update(definitions: readonly RuleGroupDefinition[], now: number): void {
    const old = new Map(this.groups.map((g) => [g.key, g]));
    const deps = {
      query: this.#options.query,
      sink: this.#options.sink,
      ctx: this.#options.ctx,
      clock: this.#options.clock ?? Date.now,
    };
    const next = definitions.map((d) => new RuleGroup(d, deps));
    for (const group of next) {
      const previous = old.get(group.key);
      if (previous) {
        group.copyState(previous);
        previous.markStale(now);
        old.delete(group.key);
      } else {
        group.nextEvalAt = now;
      }
      if (!this.#loadedOnce || (previous !== undefined && this.#toRestore.delete(previous))) this.#toRestore.add(group);
      else for (const rule of group.rules) if (rule instanceof AlertingRule) rule.restored = true;
    }
    for (const removed of old.values()) removed.markStale(now);
    this.groups = next;
    this.#loadedOnce = true;
  }

  /**
   * The groups due at `now` and the timestamp each evaluates at: a group late by more than an
   * interval evaluates once, at the latest slot (missed ones are skipped).
   */
  due(now: number): { group: RuleGroup; ts: number }[] {
    const out: { group: RuleGroup; ts: number }[] = [];
    for (const group of this.groups) {
      if (group.nextEvalAt > now) continue;
      const interval = group.definition.intervalMs;
      const missed = Math.floor((now - group.nextEvalAt) / interval);
      out.push({ group, ts: group.nextEvalAt + missed * interval });
    }
    return out;
  }

  /** Evaluates every group that is due at `now`. */
  tick(now: number): void {
    for (const { group, ts } of this.due(now)) {
      this.evaluateGroup(group, ts);
      group.nextEvalAt = ts + group.definition.intervalMs;
    }
  }

  /** Evaluates one group at `ts` now, restoring first-load state and handing alerts on. */
  evaluateGroup(group: RuleGroup, ts: number): void {
    const result = group.evaluate(ts);
    if (this.#toRestore.delete(group)) this.#restore(group, ts);
    if (result.transitions.length > 0) this.#options.onTransitions?.(result.transitions);
    if (result.failures.length > 0) this.#options.onFailures?.(group, result.failures);
    const resendDelay = this.#options.resendDelayMs ?? 60_000;
    const validFor = 4 * Math.max(resendDelay, group.definition.intervalMs);
    const outgoing: OutgoingAlert[] = [];
    for (const rule of group.rules) {
      if (!(rule instanceof AlertingRule)) continue;
      for (const alert of rule.alertsToSend(ts, resendDelay))
        outgoing.push(toOutgoing(alert, ts + validFor, this.#options.ctx.externalURL, rule.definition.expr));
    }
    if (outgoing.length > 0) this.#options.onAlerts?.(outgoing);
  }

  /** Active alerts of every alerting rule (pending and firing), for /api/v1/alerts. */
  activeAlerts(): RuleAlert[] {
    const out: RuleAlert[] = [];
    for (const group of this.groups)
      for (const rule of group.rules)
        if (rule instanceof AlertingRule) for (const a of rule.active.values()) if (a.state !== 'inactive') out.push(a);
    return out;
  }

  // Prometheus's RestoreForState: an alert that was pending or firing before the restart keeps its activeAt
  // (shifted by the downtime while it was still pending), read from the last ALERTS_FOR_STATE sample of the
  // outage tolerance window; an alert that would fire within the grace period gets the grace period.
  #restore(group: RuleGroup, ts: number): void {
    const querier = this.#options.querier?.();
    const grace = this.#options.forGracePeriodMs ?? 600_000;
    const tolerance = this.#options.outageToleranceMs ?? 3_600_000;
    const failures: { rule: string; error: string }[] = [];
    for (const rule of group.rules) {
      if (!(rule instanceof AlertingRule)) continue;
      const hold = rule.definition.forMs;
      try {
        if (querier && hold >= grace) {
          for (const alert of rule.active.values()) {
            const last = lastForState(querier, alert.labels, ts - tolerance, ts);
            if (!last) continue;
            let activeAt = last.v * 1000;
            const remaining = hold - (last.t - activeAt);
            if (remaining <= 0) {
              // It was firing when the service stopped: it fires again at the next evaluation if still true.
            } else if (remaining < grace) activeAt = ts + grace - hold;
            else activeAt += ts - last.t;
            alert.activeAt = activeAt;
          }
        }
      } catch (error) {
        failures.push({ rule: rule.name, error: `restoring alert state: ${(error as Error).message}` });
      } finally {
        // Restored or not, the rule writes and sends from now on: an alert that cannot be restored starts fresh.
        rule.restored = true;
      }
    }
    if (failures.length > 0) this.#options.onFailures?.(group, failures);
  }
}

function lastForState(querier: Querier, labels: Record<string, string>, mint: number, maxt: number) {
  const matchers = [
    { type: '=' as const, name: '__name__', value: 'ALERTS_FOR_STATE' },
    ...Object.entries(labels).map(([name, value]) => ({ type: '=' as const, name, value })),
  ];
  let last: { t: number; v: number } | undefined;
  for (const series of querier.select(matchers, mint, maxt)) {
    if (series.labels.length !== matchers.length) continue;
    const it = series.samples();
    while (it.next())
      if (it.t >= mint && it.t <= maxt && !isStale(it.v) && (!last || it.t >= last.t)) last = { t: it.t, v: it.v };
  }
  return last;
}

function toOutgoing(alert: RuleAlert, validUntil: number, externalURL: string, expr: string): OutgoingAlert {
  return {
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    startsAt: alert.firedAt ?? alert.activeAt,
    endsAt: alert.state === 'inactive' && alert.resolvedAt !== undefined ? alert.resolvedAt : validUntil,
    generatorURL: `${externalURL.replace(/\/$/, '')}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
  };
}
