import { randomUUID } from 'node:crypto';
import { StoreError } from '../errors.js';
import { flag, optionalString, requiredString, show, toMillis } from '../validate.js';
import { auditHash, canonicalJson } from './canonical.js';
import type { AuditEvent, AuditEventInput } from './types.js';

/** An audit event validated and encoded, before it gets its place in the chain. */
export interface PreparedAuditEvent {
  id: string;
  ts: number;
  event_type: string;
  actor_user_id: string | null;
  target_user_id: string | null;
  target_app_id: string | null;
  success: boolean;
  /** Canonical JSON text. */
  details: string;
}

/** An audit event as a driver stores it: details as canonical JSON text. */
export type AuditRow = Omit<AuditEvent, 'details'> & { details: string };

/** Validates one input event; the StoreError names the bad field, prefixed by `at` (e.g. `events[2].`). */
export function prepareAuditEvent(input: AuditEventInput, now: () => number, at = ''): PreparedAuditEvent {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at || 'event '}must be an object, got ${show(input)}`);
  }
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at}details must be a JSON object, got ${show(details)}`);
  }
  return {
    id: input.id === undefined ? randomUUID() : requiredString(input.id, `${at}id`),
    ts: input.ts === undefined ? now() : toMillis(input.ts, `${at}ts`, 'VIGIL_STORE_BAD_RECORD'),
    event_type: requiredString(input.event_type, `${at}event_type`, 128),
    actor_user_id: optionalString(input.actor_user_id, `${at}actor_user_id`),
    target_user_id: optionalString(input.target_user_id, `${at}target_user_id`),
    target_app_id: optionalString(input.target_app_id, `${at}target_app_id`),
    success: flag(input.success, `${at}success`, true),
    details: canonicalJson(details, `${at}details`),
  };
}

/** Validates a batch: every event, before any is stored; duplicate ids inside the batch are refused. */
export function prepareAuditBatch(inputs: readonly AuditEventInput[], now: () => number): PreparedAuditEvent[] {
  if (!Array.isArray(inputs))
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `events must be an array, got ${show(inputs)}`);
  const prepared = inputs.map((input, i) => prepareAuditEvent(input, now, `events[${i}].`));
  const ids = new Set<string>();
  for (const [i, event] of prepared.entries()) {
    if (ids.has(event.id)) {
      throw new StoreError('VIGIL_STORE_BAD_RECORD', `events[${i}].id ${show(event.id)} appears twice in the batch`);
    }
    ids.add(event.id);
  }
  return prepared;
}

/** The row that chains `event` after the event at (`seq - 1`, `prevHash`). */
export function chainRow(event: PreparedAuditEvent, seq: number, prevHash: string): AuditRow {
  return { seq, ...event, prev_hash: prevHash, hash: auditHash({ ...event, prev_hash: prevHash }) };
}

/** True when a stored row holds the same event as `event` (a retried append). */
export function sameEvent(row: AuditRow, event: PreparedAuditEvent): boolean {
  return (
    row.ts === event.ts &&
    row.event_type === event.event_type &&
    row.actor_user_id === event.actor_user_id &&
    row.target_user_id === event.target_user_id &&
    row.target_app_id === event.target_app_id &&
    row.success === event.success &&
    row.details === event.details
  );
}

/** The StoreError for an id already stored with other content. */
export function conflict(id: string, seq: number): StoreError {
  return new StoreError(
    'VIGIL_STORE_CONFLICT',
    `audit event id ${show(id)} is already stored (event #${seq}) with different content; an audit event cannot be changed`,
  );
}

/** A stored row as the caller sees it: details parsed. */
export function toEvent(row: AuditRow): AuditEvent {
  return { ...row, details: JSON.parse(row.details) as AuditEvent['details'] };
}
