import { randomUUID } from 'node:crypto';
import { StoreError } from '../errors.js';
import { count, flag, optionalString, requiredString, show, toMillis } from '../validate.js';
import type { InvocationInput, InvocationRecord, InvocationStatus } from './types.js';

const STATUSES: ReadonlySet<string> = new Set<InvocationStatus>([
  'ok',
  'error',
  'cancelled',
  'timeout',
  'budget_exhausted',
]);

/** Validates one record; the StoreError names the field, prefixed by `at` (e.g. `records[3].`). */
export function prepareInvocation(input: InvocationInput, now: () => number, at = ''): InvocationRecord {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at || 'record '}must be an object, got ${show(input)}`);
  }
  const status = input.status ?? 'ok';
  if (!STATUSES.has(status)) {
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${at}status must be one of ${[...STATUSES].join(', ')}, got ${show(status)}`,
    );
  }
  return {
    id: input.id === undefined ? randomUUID() : requiredString(input.id, `${at}id`),
    ts: input.ts === undefined ? now() : toMillis(input.ts, `${at}ts`, 'VIGIL_STORE_BAD_RECORD'),
    app_id: optionalString(input.app_id, `${at}app_id`),
    session_id: optionalString(input.session_id, `${at}session_id`),
    correlation_id: optionalString(input.correlation_id, `${at}correlation_id`),
    task_type: requiredString(input.task_type, `${at}task_type`, 128),
    model_alias: optionalString(input.model_alias, `${at}model_alias`),
    model_actual: optionalString(input.model_actual, `${at}model_actual`),
    provider: optionalString(input.provider, `${at}provider`),
    input_hash: optionalString(input.input_hash, `${at}input_hash`),
    latency_ms: count(input.latency_ms, `${at}latency_ms`, 0, false)!,
    tokens_in: count(input.tokens_in, `${at}tokens_in`, 0)!,
    tokens_out: count(input.tokens_out, `${at}tokens_out`, 0)!,
    cache_read_tokens_in: count(input.cache_read_tokens_in, `${at}cache_read_tokens_in`, 0)!,
    cache_creation_tokens_in: count(input.cache_creation_tokens_in, `${at}cache_creation_tokens_in`, 0)!,
    // null when the model has no known price: never a guessed 0.
    cost_usd: count(input.cost_usd, `${at}cost_usd`, null, false),
    user_id: optionalString(input.user_id, `${at}user_id`),
    task_id: optionalString(input.task_id, `${at}task_id`),
    is_shadow: flag(input.is_shadow, `${at}is_shadow`, false),
    skill_id: optionalString(input.skill_id, `${at}skill_id`),
    escalation_request_id: count(input.escalation_request_id, `${at}escalation_request_id`, null),
    chain_id: optionalString(input.chain_id, `${at}chain_id`),
    caller: optionalString(input.caller, `${at}caller`),
    queue_wait_ms: count(input.queue_wait_ms, `${at}queue_wait_ms`, null, false),
    overflow_escalated: flag(input.overflow_escalated, `${at}overflow_escalated`, false),
    status: status as InvocationStatus,
    error: optionalString(input.error, `${at}error`, 4096),
  };
}

/** Validates a whole batch before any of it is stored. */
export function prepareInvocations(inputs: readonly InvocationInput[], now: () => number): InvocationRecord[] {
  if (!Array.isArray(inputs)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `records must be an array, got ${show(inputs)}`);
  }
  const out = new Array<InvocationRecord>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = prepareInvocation(inputs[i]!, now, `records[${i}].`);
  return out;
}
