// A recording rule: its expression's result written back as a new series under the rule's name.

import type { RecordingRuleDefinition } from './rule-file.js';
import {
  expandLabels,
  labelKey,
  type OutputSample,
  type RuleContext,
  RuleError,
  type RuleSample,
} from './rule-output.js';

/** A recording rule. */
export class RecordingRule {
  readonly kind = 'recording' as const;
  readonly definition: RecordingRuleDefinition;

  constructor(definition: RecordingRuleDefinition) {
    this.definition = definition;
  }

  get name(): string {
    return this.definition.name;
  }

  /** The series to write for one evaluation's result. */
  evaluate(samples: readonly RuleSample[], ctx: RuleContext, limit: number): OutputSample[] {
    const out: OutputSample[] = [];
    const keys = new Set<string>();
    for (const sample of samples) {
      const data = {
        labels: sample.metric,
        value: sample.value,
        externalLabels: ctx.externalLabels,
        externalURL: ctx.externalURL,
      };
      const labels: Record<string, string> = { ...sample.metric, ...expandLabels(this.definition.labels, data) };
      labels.__name__ = this.definition.name;
      for (const [k, v] of Object.entries(labels)) if (v === '') delete labels[k];
      const key = labelKey(labels);
      if (keys.has(key))
        throw new RuleError('vector contains metrics with the same labelset after applying rule labels');
      keys.add(key);
      out.push({ labels, value: sample.value });
    }
    if (limit > 0 && out.length > limit) throw new RuleError(`exceeded limit of ${limit} with ${out.length} series`);
    return out;
  }
}
