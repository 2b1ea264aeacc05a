import { type JsonValue, NotJson, plainJson } from './json.js';

/** An audit event as the agent appends it: what happened, who did it, to whom, and whether it succeeded. */
export interface AuditEventInput {
  /** What happened, e.g. `auth.login`, `token.revoked`, `gate.denied` (1..128 characters). */
  event_type: string;
  /** Who did it (default: the request context's `user_id`, `system` outside any request). */
  actor_user_id?: string | null;
  /** Whom it was done to. */
  target_user_id?: string | null;
  /** Which app it was done to. */
  target_app_id?: string | null;
  /** Whether it succeeded; a denied gate decision is `false`. */
  success: boolean;
  /** Anything else, as a plain JSON object; never secrets. */
  details?: Record<string, unknown>;
}

/** An audit event as it is queued and written: complete, with its id and time. The chain is the store's. */
export interface AuditRecord {
  /** A UUID: the idempotency key, so a retried write stores the event once. */
  id: string;
  /** When it was appended, epoch milliseconds. */
  ts: number;
  event_type: string;
  actor_user_id: string | null;
  target_user_id: string | null;
  target_app_id: string | null;
  success: boolean;
  details: { [key: string]: JsonValue };
}

/** Why an input event was refused: the field it names and what is wrong with it. */
export class BadAuditEvent extends Error {
  override name = 'BadAuditEvent';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_EVENT_TYPE = 128;
const MAX_ID = 256;

/** Checks `input` as the store would, so a bad event is refused at `append` rather than failing a whole batch later. */
export function toRecord(input: AuditEventInput, id: string, ts: number, actor: string | undefined): AuditRecord {
  if (typeof input !== 'object' || input === null)
    throw new BadAuditEvent('event', `the event must be an object, got ${show(input)}`);
  const details = input.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new BadAuditEvent('details', `details must be a JSON object, got ${show(details)}`);
  }
  if (typeof input.success !== 'boolean') {
    throw new BadAuditEvent('success', `success is required: true or false, got ${show(input.success)}`);
  }
  let copied: JsonValue;
  try {
    copied = plainJson(details, 'details');
  } catch (error) {
    if (error instanceof NotJson) throw new BadAuditEvent('details', error.message);
    throw error;
  }
  return {
    id,
    ts,
    event_type: required(input.event_type, 'event_type', MAX_EVENT_TYPE),
    actor_user_id: optional(input.actor_user_id === undefined ? actor : input.actor_user_id, 'actor_user_id'),
    target_user_id: optional(input.target_user_id, 'target_user_id'),
    target_app_id: optional(input.target_app_id, 'target_app_id'),
    success: input.success,
    details: copied as { [key: string]: JsonValue },
  };
}

function required(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value === '') {
    throw new BadAuditEvent(field, `${field} is required: a non-empty string, got ${show(value)}`);
  }
  if (value.length > max) throw new BadAuditEvent(field, `${field} is longer than ${max} characters (${value.length})`);
  return value;
}

function optional(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string')
    throw new BadAuditEvent(field, `${field} must be a string or null, got ${show(value)}`);
  return required(value, field, MAX_ID);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
