import {
  compileRelabelRule,
  type RelabelRule,
  RelabelRuleError,
  type RelabelRuleInput,
} from '../discovery/relabel-rule.js';
import type { Field } from './yaml-field.js';

const KEY_OF: Record<keyof RelabelRuleInput, string> = {
  action: 'action',
  sourceLabels: 'source_labels',
  separator: 'separator',
  regex: 'regex',
  modulus: 'modulus',
  targetLabel: 'target_label',
  replacement: 'replacement',
};

/** Reads a list of relabel rules (relabel_configs, metric_relabel_configs, ...), validated as Prometheus does. */
export function readRelabelRules(list: Field): RelabelRule[] {
  return list.list().map((item) => {
    if (item.missing) throw item.bad('a relabel rule cannot be empty');
    const map = item.map(Object.values(KEY_OF));
    const input: RelabelRuleInput = {};
    const text = (key: string) => map.get(key).string();
    const action = text('action');
    if (action !== undefined) input.action = action;
    if (map.has('source_labels')) input.sourceLabels = map.get('source_labels').stringList();
    const separator = text('separator');
    if (separator !== undefined) input.separator = separator;
    const regex = text('regex');
    if (regex !== undefined) input.regex = regex;
    if (map.has('modulus')) input.modulus = map.get('modulus').uint();
    const targetLabel = text('target_label');
    if (targetLabel !== undefined) input.targetLabel = targetLabel;
    const replacement = text('replacement');
    if (replacement !== undefined) input.replacement = replacement;
    try {
      return compileRelabelRule(input);
    } catch (err) {
      if (!(err instanceof RelabelRuleError)) throw err;
      const field = map.has(KEY_OF[err.field]) ? map.get(KEY_OF[err.field]) : item;
      throw field.bad(err.message);
    }
  });
}
