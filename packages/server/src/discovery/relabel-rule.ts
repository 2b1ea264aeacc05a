import { compileRe2 } from '@vigil/re2';

/** The relabel actions of Prometheus. */
export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

/** One relabel action. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A relabel rule as written, every field optional (Prometheus's defaults fill the rest). */
export interface RelabelRuleInput {
  action?: string;
  sourceLabels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  targetLabel?: string;
  replacement?: string;
}

/** A validated relabel rule with its regex compiled (fully anchored). */
export interface RelabelRule {
  action: RelabelAction;
  sourceLabels: string[];
  separator: string;
  /** The regex as written (default `(.*)`). */
  regexSource: string;
  regex: RegExp;
  modulus: number;
  targetLabel: string;
  replacement: string;
}

/** Why a rule is invalid, and which of its fields is at fault (so a config message can point at its line). */
export class RelabelRuleError extends Error {
  readonly field: keyof RelabelRuleInput;

  constructor(field: keyof RelabelRuleInput, message: string) {
    super(message);
    this.name = 'RelabelRuleError';
    this.field = field;
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A target_label holding `$1`/`${name}` references (Prometheus's relabelTarget pattern).
const TEMPLATED_LABEL = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;
const DEFAULTS = { separator: ';', regex: '(.*)', replacement: '$1' };

/** Whether `name` is a label name Vigil accepts (`[a-zA-Z_][a-zA-Z0-9_]*`, as Prometheus 2). */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** Validates a rule as Prometheus does and compiles its regex; throws RelabelRuleError. */
export function compileRelabelRule(input: RelabelRuleInput): RelabelRule {
  const action = (input.action ?? 'replace').toLowerCase() as RelabelAction;
  if (!RELABEL_ACTIONS.includes(action)) {
    throw new RelabelRuleError(
      'action',
      `unknown relabel action ${JSON.stringify(input.action)} (expected one of ${RELABEL_ACTIONS.join(', ')})`,
    );
  }
  const rule: Omit<RelabelRule, 'regex'> = {
    action,
    sourceLabels: input.sourceLabels ?? [],
    separator: input.separator ?? DEFAULTS.separator,
    regexSource: input.regex ?? DEFAULTS.regex,
    modulus: input.modulus ?? 0,
    targetLabel: input.targetLabel ?? '',
    replacement: input.replacement ?? DEFAULTS.replacement,
  };
  for (const name of rule.sourceLabels) {
    if (!isLabelName(name))
      throw new RelabelRuleError('sourceLabels', `${JSON.stringify(name)} is not a valid label name`);
  }
  let regex: RegExp;
  try {
    regex = compileRe2(rule.regexSource);
  } catch (err) {
    throw new RelabelRuleError('regex', `invalid regex: ${(err as Error).message}`);
  }
  validate(rule, input);
  return { ...rule, regex };
}

function validate(rule: Omit<RelabelRule, 'regex'>, input: RelabelRuleInput): void {
  const { action, targetLabel } = rule;
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (action === 'hashmod' && rule.modulus === 0) {
    throw new RelabelRuleError('modulus', 'the hashmod action requires a modulus greater than 0');
  }
  if (needsTarget && targetLabel === '') {
    throw new RelabelRuleError('targetLabel', `the ${action} action requires target_label`);
  }
  const templated = action === 'replace' && targetLabel.includes('$');
  if (needsTarget && !(templated ? TEMPLATED_LABEL.test(targetLabel) : isLabelName(targetLabel))) {
    throw new RelabelRuleError(
      'targetLabel',
      `${JSON.stringify(targetLabel)} is not a valid target_label for ${action}`,
    );
  }
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && rule.replacement !== '$1') {
    throw new RelabelRuleError('replacement', `replacement cannot be set for the ${action} action`);
  }
  if (action === 'labelmap' && !TEMPLATED_LABEL.test(rule.replacement)) {
    throw new RelabelRuleError(
      'replacement',
      `${JSON.stringify(rule.replacement)} is not a valid replacement for labelmap`,
    );
  }
  if (
    (action === 'keepequal' || action === 'dropequal') &&
    (rule.regexSource !== DEFAULTS.regex || rule.modulus !== 0 || rule.separator !== DEFAULTS.separator)
  ) {
    const field = rule.regexSource !== DEFAULTS.regex ? 'regex' : rule.modulus !== 0 ? 'modulus' : 'separator';
    throw new RelabelRuleError(field, `the ${action} action takes only source_labels and target_label`);
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const extra: (keyof RelabelRuleInput)[] = [];
    if (input.sourceLabels !== undefined) extra.push('sourceLabels');
    if (targetLabel !== '') extra.push('targetLabel');
    if (rule.modulus !== 0) extra.push('modulus');
    if (rule.separator !== DEFAULTS.separator) extra.push('separator');
    if (rule.replacement !== DEFAULTS.replacement) extra.push('replacement');
    if (extra.length > 0) throw new RelabelRuleError(extra[0]!, `the ${action} action takes only regex`);
  }
}
