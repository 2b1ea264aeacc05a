// Reads rule files in Prometheus's format (groups → rules) into checked definitions. Every problem names the
// file, the line, the group and the rule, and one file's problems are all collected (as promtool lists them).

import { parseExpr } from '@vigil/promql';
import { type Field, YamlSource } from '../config/yaml-field.js';
import { ServerError } from '../errors.js';
import { RuleTemplate } from './template.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const GROUP_KEYS = ['name', 'interval', 'limit', 'query_offset', 'labels', 'rules'];
const RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

/** What every rule has. */
interface RuleBase {
  /** The alert or record name. */
  name: string;
  expr: string;
  /** Label templates (the group's labels, then the rule's), expanded per series. */
  labels: ReadonlyMap<string, RuleTemplate>;
  file: string;
  group: string;
  line: number;
}

/** An alerting rule as written. */
export interface AlertingRuleDefinition extends RuleBase {
  kind: 'alerting';
  forMs: number;
  keepFiringForMs: number;
  annotations: ReadonlyMap<string, RuleTemplate>;
}

/** A recording rule as written. */
export interface RecordingRuleDefinition extends RuleBase {
  kind: 'recording';
}

/** One rule of a group. */
export type RuleDefinition = AlertingRuleDefinition | RecordingRuleDefinition;

/** One group: rules evaluated in order every `intervalMs`. */
export interface RuleGroupDefinition {
  name: string;
  file: string;
  line: number;
  intervalMs: number;
  /** Most alerts/series a rule may produce, 0 = no limit (a rule over it fails that evaluation). */
  limit: number;
  queryOffsetMs: number;
  rules: RuleDefinition[];
}

/** What reading one file gives: the groups it could read, and every problem (empty when the file is good). */
export interface RuleFileResult {
  groups: RuleGroupDefinition[];
  problems: ServerError[];
}

/** Reads rule file text. `defaultIntervalMs` is `global.evaluation_interval`. Never throws. */
export function readRuleFile(text: string, fileName: string, defaultIntervalMs: number): RuleFileResult {
  const problems: ServerError[] = [];
  const groups: RuleGroupDefinition[] = [];
  let root: Field;
  try {
    root = new YamlSource(text, fileName).root();
  } catch (error) {
    return { groups, problems: [asRuleError(error, '')] };
  }
  let groupFields: Field[];
  try {
    groupFields = root.map(['groups']).get('groups').list();
  } catch (error) {
    return { groups, problems: [asRuleError(error, '')] };
  }
  const seen = new Set<string>();
  for (const groupField of groupFields) {
    let group: RuleGroupDefinition;
    let ruleFields: Field[];
    try {
      const map = groupField.map(GROUP_KEYS);
      const name = map.get('name').requiredString();
      if (seen.has(name)) throw map.get('name').bad(`group name ${JSON.stringify(name)} is repeated in the same file`);
      seen.add(name);
      const intervalMs = map.get('interval').duration(defaultIntervalMs);
      if (intervalMs === 0) throw map.get('interval').bad('must be greater than 0');
      group = {
        name,
        file: fileName,
        line: groupField.line,
        intervalMs,
        limit: map.get('limit').uint(),
        queryOffsetMs: map.get('query_offset').duration(0),
        rules: [],
      };
      ruleFields = map.get('rules').list();
      const groupLabels = readLabelTemplates(map.get('labels'));
      for (const ruleField of ruleFields) {
        try {
          group.rules.push(readRule(ruleField, group, groupLabels));
        } catch (error) {
          problems.push(asRuleError(error, ruleLabel(ruleField, name)));
        }
      }
    } catch (error) {
      problems.push(asRuleError(error, groupLabel(groupField)));
      continue;
    }
    groups.push(group);
  }
  return { groups, problems };
}

function readRule(field: Field, group: RuleGroupDefinition, groupLabels: Map<string, RuleTemplate>): RuleDefinition {
  const map = field.map(RULE_KEYS);
  const record = map.get('record').string();
  const alert = map.get('alert').string();
  if (record && alert) throw field.bad("only one of 'record' and 'alert' may be set");
  if (!record && !alert) throw field.bad("one of 'record' or 'alert' must be set");
  const exprField = map.get('expr');
  const expr = exprField.string()?.trim() ?? '';
  if (expr === '') throw exprField.bad("field 'expr' must be set in rule");
  try {
    parseExpr(expr);
  } catch (error) {
    throw exprField.bad(`could not parse expression: ${(error as Error).message}`);
  }
  const labels = new Map(groupLabels);
  for (const [name, template] of readLabelTemplates(map.get('labels'))) labels.set(name, template);
  const base = { expr, labels, file: group.file, group: group.name, line: field.line };
  if (record) {
    for (const key of ['for', 'keep_firing_for', 'annotations'])
      if (map.has(key)) throw map.get(key).bad(`invalid field '${key}' in recording rule`);
    if (!METRIC_NAME.test(record)) throw map.get('record').bad(`invalid recording rule name ${JSON.stringify(record)}`);
    if (labels.has('__name__')) throw map.get('labels').bad('a recording rule cannot set __name__ through labels');
    return { ...base, kind: 'recording', name: record };
  }
  const name = alert!;
  if (!METRIC_NAME.test(name))
    throw map
      .get('alert')
      .bad(`invalid alert name ${JSON.stringify(name)} (letters, digits, _ and :, not first a digit)`);
  const annotations = new Map<string, RuleTemplate>();
  for (const [key, value] of map.get('annotations').stringMap()) {
    if (!LABEL_NAME.test(key)) throw value.bad(`invalid annotation name ${JSON.stringify(key)}`);
    annotations.set(key, template(value));
  }
  return {
    ...base,
    kind: 'alerting',
    name,
    forMs: map.get('for').duration(0),
    keepFiringForMs: map.get('keep_firing_for').duration(0),
    annotations,
  };
}

function readLabelTemplates(field: Field): Map<string, RuleTemplate> {
  const out = new Map<string, RuleTemplate>();
  for (const [key, value] of field.stringMap()) {
    if (!LABEL_NAME.test(key)) throw value.bad(`invalid label name ${JSON.stringify(key)}`);
    out.set(key, template(value));
  }
  return out;
}

function template(field: Field): RuleTemplate {
  const text = field.string() ?? '';
  try {
    return new RuleTemplate(text);
  } catch (error) {
    throw field.bad(`template: ${(error as Error).message}`);
  }
}

function groupLabel(field: Field): string {
  const name = field.node === undefined ? undefined : safeString(() => field.map(GROUP_KEYS).get('name').string());
  return name ? `group ${JSON.stringify(name)}` : '';
}

function ruleLabel(field: Field, group: string): string {
  const name = safeString(() => {
    const keys = field.stringMap();
    const alert = keys.get('alert')?.string();
    if (alert) return `alert ${JSON.stringify(alert)}`;
    const record = keys.get('record')?.string();
    return record ? `record ${JSON.stringify(record)}` : undefined;
  });
  return `group ${JSON.stringify(group)}${name ? `, ${name}` : ''}`;
}

function safeString(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

// A config-shaped error (`file line N: path: why`) as a rule error naming the group and rule after the line.
function asRuleError(error: unknown, label: string): ServerError {
  const message = error instanceof Error ? error.message : String(error);
  const m = /^(.*? line \d+): (.*)$/s.exec(message);
  const text = m && label ? `${m[1]}: ${label}: ${m[2]}` : message;
  return new ServerError(
    'VIGIL_BAD_RULES',
    text.replace(/ is not supported by Vigil \(keys Vigil reads here: /, ' is not a rule file key (keys: '),
    {
      cause: error,
    },
  );
}
