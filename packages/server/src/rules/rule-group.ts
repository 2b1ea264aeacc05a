// One rule group: its rules evaluated in order at one timestamp every interval, their series written to the
// store, series that disappear marked stale (as Prometheus does).

import { STALE_NAN } from '@vigil/promql';
import type { Label } from '@vigil/tsdb';
import type { SampleSink } from '../scrape/target.js';
import { AlertingRule, type AlertTransition } from './alerting-rule.js';
import { RecordingRule } from './recording-rule.js';
import type { RuleGroupDefinition } from './rule-file.js';
import { labelKey, type OutputSample, type RuleContext, type RuleSample } from './rule-output.js';

/** A rule of either kind. */
export type Rule = AlertingRule | RecordingRule;

/** How a rule's last evaluation went (as /api/v1/rules reports it). */
export interface RuleStatus {
  health: 'unknown' | 'ok' | 'err';
  lastError: string;
  /** ms since the epoch; 0 before the first. */
  lastEvaluation: number;
  evaluationTimeMs: number;
}

/** What a group needs to evaluate. */
export interface RuleGroupDeps {
  /** Runs an instant query; throws with the engine's message when it fails. */
  query: (expr: string, ts: number) => RuleSample[];
  sink: SampleSink;
  ctx: RuleContext;
  /** Wall clock for evaluation durations. */
  clock: () => number;
}

/** What one evaluation of a group did. */
export interface GroupEvaluation {
  transitions: AlertTransition[];
  failures: { rule: string; error: string }[];
}

/** A group of rules evaluated together. */
export class RuleGroup {
  readonly definition: RuleGroupDefinition;
  readonly rules: Rule[];
  readonly status = new Map<Rule, RuleStatus>();
  /** When the next evaluation is due (ms since the epoch). */
  nextEvalAt = 0;
  lastEvaluation = 0;
  evaluationTimeMs = 0;
  readonly #previous = new Map<Rule, Map<string, Record<string, string>>>();
  readonly #deps: RuleGroupDeps;

  constructor(definition: RuleGroupDefinition, deps: RuleGroupDeps) {
    this.definition = definition;
    this.#deps = deps;
    this.rules = definition.rules.map((r) => (r.kind === 'alerting' ? new AlertingRule(r) : new RecordingRule(r)));
    for (const rule of this.rules)
      this.status.set(rule, { health: 'unknown', lastError: '', lastEvaluation: 0, evaluationTimeMs: 0 });
  }

  /** `file;name`: a group's identity across reloads. */
  get key(): string {
    return `${this.definition.file};${this.definition.name}`;
  }

  /** Evaluates every rule at `ts` and writes their series. Never throws: a failing rule is reported and skipped. */
  evaluate(ts: number): GroupEvaluation {
    const started = this.#deps.clock();
    const result: GroupEvaluation = { transitions: [], failures: [] };
    const queryTs = ts - this.definition.queryOffsetMs;
    for (const rule of this.rules) {
      const status = this.status.get(rule)!;
      const ruleStarted = this.#deps.clock();
      try {
        const samples = this.#deps.query(rule.definition.expr, queryTs);
        let output: OutputSample[];
        if (rule instanceof AlertingRule) {
          const evaluated = rule.evaluate(samples, ts, this.#deps.ctx, this.definition.limit);
          output = evaluated.output;
          result.transitions.push(...evaluated.transitions);
        } else {
          output = rule.evaluate(samples, this.#deps.ctx, this.definition.limit);
        }
        this.#write(rule, output, ts);
        status.health = 'ok';
        status.lastError = '';
      } catch (error) {
        status.health = 'err';
        status.lastError = (error as Error).message;
        result.failures.push({ rule: rule.name, error: status.lastError });
      }
      status.lastEvaluation = ts;
      status.evaluationTimeMs = this.#deps.clock() - ruleStarted;
    }
    this.lastEvaluation = ts;
    this.evaluationTimeMs = this.#deps.clock() - started;
    return result;
  }

  /** Takes over the alert states and written series of `old` for rules with the same kind, name and labels. */
  copyState(old: RuleGroup): void {
    const byIdentity = new Map<string, Rule[]>();
    for (const rule of old.rules) {
      const id = identity(rule);
      byIdentity.set(id, [...(byIdentity.get(id) ?? []), rule]);
    }
    for (const rule of this.rules) {
      const match = byIdentity.get(identity(rule))?.shift();
      if (!match) continue;
      if (rule instanceof AlertingRule && match instanceof AlertingRule) {
        rule.active = match.active;
        rule.restored = match.restored;
      }
      this.status.set(rule, { ...old.status.get(match)! });
      const previous = old.#previous.get(match);
      if (previous) this.#previous.set(rule, previous);
      old.#previous.delete(match);
    }
    this.nextEvalAt = old.nextEvalAt;
    this.lastEvaluation = old.lastEvaluation;
  }

  /** Writes stale markers for every series the group's rules wrote last (a removed group or rule). */
  markStale(ts: number): void {
    for (const [rule, series] of this.#previous) {
      for (const labels of series.values()) this.#append(labels, ts, STALE_NAN);
      this.#previous.delete(rule);
    }
  }

  #write(rule: Rule, output: OutputSample[], ts: number): void {
    const current = new Map<string, Record<string, string>>();
    for (const sample of output) {
      current.set(labelKey(sample.labels), sample.labels);
      this.#append(sample.labels, ts, sample.value);
    }
    const previous = this.#previous.get(rule);
    if (previous) for (const [key, labels] of previous) if (!current.has(key)) this.#append(labels, ts, STALE_NAN);
    this.#previous.set(rule, current);
  }

  #append(labels: Record<string, string>, ts: number, value: number): void {
    const sorted: Label[] = Object.keys(labels)
      .sort()
      .filter((name) => labels[name] !== '')
      .map((name) => ({ name, value: labels[name]! }));
    const sink = this.#deps.sink;
    sink.append(sink.ref(sorted), ts, value);
  }
}

// Prometheus keeps the state of a rule across a reload when its name and labels are the same.
function identity(rule: Rule): string {
  const labels = [...rule.definition.labels].map(([k, t]) => `${k}=${t.source}`).sort();
  return `${rule.kind}\u0000${rule.name}\u0000${labels.join('\u0000')}`;
}
