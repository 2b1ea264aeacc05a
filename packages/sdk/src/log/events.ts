import type { LevelName } from './levels.js';

/**
 * The event catalog: the hierarchical event types of the seed's logging convention
 * (task, api, agent, scheduler, notification, preference, system, cost, sync) plus Vigil's
 * own (http, llm, tool, session, audit, alert).
 */
export const EVENT_TYPES = [
  'task.created',
  'task.state_changed',
  'task.dedup_detected',
  'task.overdue',
  'task.escalation_triggered',
  'api.call.started',
  'api.call.completed',
  'api.call.failed',
  'api.call.retried',
  'api.circuit_breaker.opened',
  'api.circuit_breaker.closed',
  'api.degraded_mode.activated',
  'agent.dispatched',
  'agent.progress',
  'agent.completed',
  'agent.failed',
  'agent.timeout',
  'agent.interrogation.sent',
  'agent.interrogation.response_received',
  'scheduler.weekly_plan',
  'scheduler.daily_recalc',
  'scheduler.slot_assigned',
  'scheduler.conflict_detected',
  'scheduler.calendar_sync.completed',
  'scheduler.calendar_sync.user_modification',
  'notification.sent',
  'notification.failed',
  'notification.escalated',
  'notification.acknowledged',
  'notification.blackout_blocked',
  'preference.correction_logged',
  'preference.rule_extracted',
  'preference.rule_applied',
  'preference.rule_disabled',
  'system.startup',
  'system.shutdown',
  'system.health_check',
  'system.backup.completed',
  'system.backup.failed',
  'system.migration.applied',
  'cost.daily_threshold',
  'cost.monthly_warning',
  'cost.agent_paused',
  'cost.budget_increase',
  'sync.supabase.push',
  'sync.supabase.failed',
  'sync.keepalive.sent',
  'http.request.completed',
  'http.request.failed',
  'http.request_id.rejected',
  'llm.call.started',
  'llm.call.completed',
  'llm.call.failed',
  'llm.call.retried',
  'llm.rate_limited',
  'tool.call.started',
  'tool.call.completed',
  'tool.call.failed',
  'session.started',
  'session.closed',
  'audit.appended',
  'audit.chain.verified',
  'audit.chain.broken',
  'alert.firing',
  'alert.resolved',
  'alert.notification.sent',
  'alert.notification.failed',
] as const;

/**
 * Add your own event types by declaration merging, and register them at run time with
 * `registerEventTypes()`: `declare module '@vigil/sdk' { interface CustomEventTypes { 'billing.invoice.sent': true } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by users through declaration merging
export interface CustomEventTypes {}

/** An event type known to the catalog; anything else is a compile error. */
export type EventType = (typeof EVENT_TYPES)[number] | Extract<keyof CustomEventTypes, string>;

/** The level a final segment implies; segments not listed log at info. */
const SUFFIX_LEVELS: Record<string, LevelName> = {
  failed: 'error',
  timeout: 'error',
  broken: 'critical',
  retried: 'warning',
  rate_limited: 'warning',
  rejected: 'warning',
  overdue: 'warning',
  escalated: 'warning',
  escalation_triggered: 'warning',
  conflict_detected: 'warning',
  blackout_blocked: 'warning',
  daily_threshold: 'warning',
  monthly_warning: 'warning',
  agent_paused: 'warning',
  firing: 'warning',
  started: 'debug',
  health_check: 'debug',
  keepalive: 'debug',
};

/** Two-segment endings that outrank the final segment alone. */
const PAIR_LEVELS: Record<string, LevelName> = {
  // A call to a dependency (an API, a model, a tool) that went well is detail: the seed's INFO
  // is for what the system did (a task created, a reminder sent), and each LLM call is kept in
  // full by the invocation log, the metrics and its span. Failures and retries still log.
  'call.completed': 'debug',
  'circuit_breaker.opened': 'critical',
  'degraded_mode.activated': 'warning',
  'keepalive.sent': 'debug',
};

const known = new Set<string>(EVENT_TYPES);

/** Adds event types at run time (pair with a `CustomEventTypes` declaration for the types). */
export function registerEventTypes(types: Iterable<string>): void {
  for (const type of types) known.add(type);
}

/** True when the catalog (built-in or registered) has this event type. */
export function isKnownEventType(type: string): boolean {
  return known.has(type);
}

/**
 * The level an event's name implies: `*.failed` is error, `*.retried` warning,
 * `*.circuit_breaker.opened` critical, `*.started` and `*.call.completed` debug, and info otherwise.
 */
export function levelOfEvent(type: string): LevelName {
  const last = type.lastIndexOf('.');
  const second = type.lastIndexOf('.', last - 1);
  const pair = last > 0 ? PAIR_LEVELS[type.slice(second + 1)] : undefined;
  return pair ?? SUFFIX_LEVELS[type.slice(last + 1)] ?? 'info';
}
