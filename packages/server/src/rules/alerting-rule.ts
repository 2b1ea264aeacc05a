// One alerting rule's alerts and their states, as Prometheus keeps them: inactive → pending → firing → resolved
// (kept 15 minutes so receivers hear about the resolution), with `for` and `keep_firing_for`.

import type { AlertingRuleDefinition } from './rule-file.js';
import {
  expandLabels,
  fingerprint,
  type OutputSample,
  type RuleContext,
  RuleError,
  type RuleSample,
} from './rule-output.js';

/** Prometheus's alert states; `inactive` with a `resolvedAt` is a resolved alert. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** One alert of a rule (one series of its expression's result). */
export interface RuleAlert {
  fingerprint: string;
  /** The series' labels (no `__name__`), the rule's labels and `alertname`, sorted by name. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  lastSentAt?: number;
  keepFiringSince?: number;
}

/** A state change, for the alert history and the logs. */
export interface AlertTransition {
  alert: RuleAlert;
  rule: string;
  group: string;
  from: AlertState | 'new';
  to: 'pending' | 'firing' | 'resolved' | 'inactive';
  at: number;
}

/** How long a resolved alert stays to be sent as resolved (Prometheus's resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** An alerting rule with its active alerts. */
export class AlertingRule {
  readonly kind = 'alerting' as const;
  readonly definition: AlertingRuleDefinition;
  /** Active alerts by fingerprint. */
  active = new Map<string, RuleAlert>();
  /** Until restored after a start, the rule writes no ALERTS series and sends nothing (as Prometheus). */
  restored = false;

  constructor(definition: AlertingRuleDefinition) {
    this.definition = definition;
  }

  get name(): string {
    return this.definition.name;
  }

  /** The highest state among the rule's alerts. */
  state(): AlertState {
    let state: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') state = 'pending';
    }
    return state;
  }

  /**
   * Applies one evaluation's result at `ts`: new alerts become pending, pending ones fire after `for`, vanished
   * ones resolve (unless `keep_firing_for` holds them). Returns the ALERTS/ALERTS_FOR_STATE samples and transitions.
   */
  evaluate(
    samples: readonly RuleSample[],
    ts: number,
    ctx: RuleContext,
    limit: number,
  ): {
    output: OutputSample[];
    transitions: AlertTransition[];
  } {
    const def = this.definition;
    const transitions: AlertTransition[] = [];
    const seen = new Set<string>();
    const fresh = new Map<
      string,
      { labels: Record<string, string>; annotations: Record<string, string>; value: number }
    >();
    for (const sample of samples) {
      const data = {
        labels: sample.metric,
        value: sample.value,
        externalLabels: ctx.externalLabels,
        externalURL: ctx.externalURL,
      };
      const labels: Record<string, string> = { ...sample.metric };
      delete labels.__name__;
      Object.assign(labels, expandLabels(def.labels, data));
      labels.alertname = def.name;
      for (const [k, v] of Object.entries(labels)) if (v === '') delete labels[k];
      const annotations: Record<string, string> = {};
      for (const [k, t] of def.annotations) {
        try {
          annotations[k] = t.execute(data);
        } catch (error) {
          annotations[k] = `<error expanding template: ${(error as Error).message}>`;
        }
      }
      const fp = fingerprint(labels);
      if (fresh.has(fp))
        throw new RuleError('vector contains metrics with the same labelset after applying alert labels');
      fresh.set(fp, { labels: sortRecord(labels), annotations, value: sample.value });
    }
    for (const [fp, next] of fresh) {
      seen.add(fp);
      const alert = this.active.get(fp);
      if (alert && alert.state !== 'inactive') {
        alert.value = next.value;
        alert.annotations = next.annotations;
        continue;
      }
      const created: RuleAlert = { fingerprint: fp, ...next, state: 'pending', activeAt: ts };
      this.active.set(fp, created);
      transitions.push(this.#transition(created, 'new', 'pending', ts));
    }
    const output: OutputSample[] = [];
    let live = 0;
    for (const [fp, alert] of this.active) {
      if (!seen.has(fp)) {
        let keepFiring = false;
        if (alert.state === 'firing' && def.keepFiringForMs > 0) {
          alert.keepFiringSince ??= ts;
          if (ts - alert.keepFiringSince < def.keepFiringForMs) keepFiring = true;
        }
        if (
          alert.state === 'pending' ||
          (alert.resolvedAt !== undefined && ts - alert.resolvedAt > RESOLVED_RETENTION_MS)
        ) {
          this.active.delete(fp);
        }
        if (alert.state !== 'inactive' && !keepFiring) {
          const from = alert.state;
          alert.state = 'inactive';
          alert.resolvedAt = ts;
          transitions.push(this.#transition(alert, from, from === 'firing' ? 'resolved' : 'inactive', ts));
        }
        if (!keepFiring) continue;
      } else {
        delete alert.keepFiringSince;
      }
      live++;
      if (alert.state === 'pending' && ts - alert.activeAt >= def.forMs) {
        alert.state = 'firing';
        alert.firedAt = ts;
        transitions.push(this.#transition(alert, 'pending', 'firing', ts));
      }
      if (this.restored) {
        output.push({ labels: { ...alert.labels, __name__: 'ALERTS', alertstate: alert.state }, value: 1 });
        output.push({
          labels: { ...alert.labels, __name__: 'ALERTS_FOR_STATE' },
          value: Math.floor(alert.activeAt / 1000),
        });
      }
    }
    if (limit > 0 && live > limit) {
      this.active.clear();
      throw new RuleError(`exceeded limit of ${limit} with ${live} alerts`);
    }
    return { output, transitions };
  }

  /** Alerts to send at `ts`: firing ones every `resendDelayMs`, resolved ones until they are dropped. */
  alertsToSend(ts: number, resendDelayMs: number): RuleAlert[] {
    if (!this.restored) return [];
    const out: RuleAlert[] = [];
    for (const alert of this.active.values()) {
      if (alert.state === 'pending') continue;
      const resolvedUnsent =
        alert.resolvedAt !== undefined && (alert.lastSentAt === undefined || alert.resolvedAt > alert.lastSentAt);
      if (resolvedUnsent || alert.lastSentAt === undefined || alert.lastSentAt + resendDelayMs <= ts) {
        alert.lastSentAt = ts;
        out.push(alert);
      }
    }
    return out;
  }

  #transition(alert: RuleAlert, from: AlertTransition['from'], to: AlertTransition['to'], at: number): AlertTransition {
    return { alert: { ...alert }, rule: this.definition.name, group: this.definition.group, from, to, at };
  }
}

function sortRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
