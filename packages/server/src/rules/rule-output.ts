// Shared pieces of rule evaluation: a result sample, an output series, template expansion of labels.

import { createHash } from 'node:crypto';
import type { RuleTemplate, TemplateData } from './template.js';

/** One series of an expression's result at the evaluation time. */
export interface RuleSample {
  metric: Record<string, string>;
  value: number;
}

/** One series a rule writes (labels with `__name__`). */
export interface OutputSample {
  labels: Record<string, string>;
  value: number;
}

/** What templates of every rule read besides the series. */
export interface RuleContext {
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
}

/** An evaluation failed (shown as the rule's lastError). */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/** A stable key of a label set: `a="1",b="2"` sorted by name (also an alert's fingerprint). */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/** The rule's labels expanded over one series; a template that fails keeps its error text as the value. */
export function expandLabels(templates: ReadonlyMap<string, RuleTemplate>, data: TemplateData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of templates) {
    if (template.isStatic) {
      out[name] = template.source;
      continue;
    }
    try {
      out[name] = template.execute(data);
    } catch (error) {
      out[name] = `<error expanding template: ${(error as Error).message}>`;
    }
  }
  return out;
}

/** An alert's fingerprint: 16 hex digits of a hash of its sorted labels (stable across restarts). */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(labelKey(labels)).digest('hex').slice(0, 16);
}
