// Target discovery and relabeling, as an explicit list.

export type { DiscoveryTimers } from './file-sd.js';
export { relabel, relabeler } from './relabel.js';
export {
  compileRelabelRule,
  RELABEL_ACTIONS,
  type RelabelAction,
  type RelabelRule,
  RelabelRuleError,
  type RelabelRuleInput,
} from './relabel-rule.js';
export { type Target, targetsFromGroup } from './target.js';
export {
  type DroppedTarget,
  type TargetChange,
  TargetDiscovery,
  type TargetDiscoveryOptions,
} from './target-discovery.js';
export { parseTargetFile } from './target-file.js';
