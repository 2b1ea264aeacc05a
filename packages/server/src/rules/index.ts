// The public API of rules, as an explicit list.

export { AlertingRule, type AlertState, type RuleAlert } from './alerting-rule.js';
export { expandRuleFiles, loadRuleFiles } from './load-rules.js';
export { type RuleDefinition, type RuleGroupDefinition, readRuleFile } from './rule-file.js';
export { type OutgoingAlert, RuleManager } from './rule-manager.js';
export { type RulesCheckIo, runRulesCheck } from './rules-check.js';
export { expandTemplate, RuleTemplate, type TemplateData } from './template.js';
