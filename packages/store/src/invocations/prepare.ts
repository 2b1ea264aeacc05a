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

/**
 * Validates one record; a StoreError names the field. Field names are plain constants here: the
 * batch adds the record's index to the message only when one fails, so a good record costs no
 * string building (this runs once per stored call).
 */
export function prepareInvocation(input: InvocationInput, now: () => number): InvocationRecord {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `record must be an object, got ${show(input)}`);
  }
  const status = input.status ?? 'ok';
  if (!STATUSES.has(status)) {
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `status must be one of ${[...STATUSES].join(', ')}, got ${show(status)}`,
    );
  }
  return {
    id: input.id === undefined ? randomUUID() : requiredString(input.id, 'id'),
    ts: input.ts === undefined ? now() : toMillis(input.ts, 'ts', 'VIGIL_STORE_BAD_RECORD'),
    app_id: optionalString(input.app_id, 'app_id'),
    session_id: optionalString(input.session_id, 'session_id'),
    correlation_id: optionalString(input.correlation_id, 'correlation_id'),
    task_type: requiredString(input.task_type, 'task_type', 128),
    model_alias: optionalString(input.model_alias, 'model_alias'),
    model_actual: optionalString(input.model_actual, 'model_actual'),
    provider: optionalString(input.provider, 'provider'),
    input_hash: optionalString(input.input_hash, 'input_hash'),
    latency_ms: count(input.latency_ms, 'latency_ms', 0, false)!,
    tokens_in: count(input.tokens_in, 'tokens_in', 0)!,
    tokens_out: count(input.tokens_out, 'tokens_out', 0)!,
    cache_read_tokens_in: count(input.cache_read_tokens_in, 'cache_read_tokens_in', 0)!,
    cache_creation_tokens_in: count(input.cache_creation_tokens_in, 'cache_creation_tokens_in', 0)!,
    // null when the model has no known price: never a guessed 0.
    cost_usd: count(input.cost_usd, 'cost_usd', null, false),
    user_id: optionalString(input.user_id, 'user_id'),
    task_id: optionalString(input.task_id, 'task_id'),
    is_shadow: flag(input.is_shadow, 'is_shadow', false),
    skill_id: optionalString(input.skill_id, 'skill_id'),
    escalation_request_id: count(input.escalation_request_id, 'escalation_request_id', null),
    chain_id: optionalString(input.chain_id, 'chain_id'),
    caller: optionalString(input.caller, 'caller'),
    queue_wait_ms: count(input.queue_wait_ms, 'queue_wait_ms', null, false),
    overflow_escalated: flag(input.overflow_escalated, 'overflow_escalated', false),
    status: status as InvocationStatus,
    error: optionalString(input.error, 'error', 4096),
  };
}

/** Validates a whole batch before any of it is stored. */
export function prepareInvocations(inputs: readonly InvocationInput[], now: () => number): InvocationRecord[] {
  if (!Array.isArray(inputs)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `records must be an array, got ${show(inputs)}`);
  }
  const out = new Array<InvocationRecord>(inputs.length);
  let i = 0;
  try {
    for (; i < inputs.length; i++) out[i] = prepareInvocation(inputs[i]!, now);
  } catch (err) {
    throw atRecord(err, i);
  }
  return out;
}

/** `err` with the record's place in the batch in front: `records[3].tokens_in must be …`. */
function atRecord(err: unknown, index: number): unknown {
  if (!(err instanceof StoreError)) return err;
  const message = err.message.startsWith('record ')
    ? `records[${index}] ${err.message.slice('record '.length)}`
    : `records[${index}].${err.message}`;
  return new StoreError(err.code, message, { cause: err.cause });
}
