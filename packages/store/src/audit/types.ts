import type { TimeInput } from '../validate.js';
import type { JsonValue } from './canonical.js';

/** An audit event as a caller appends it; `id` defaults to a random UUID and `ts` to the store's clock. */
export interface AuditEventInput {
  /** Unique id; appending an id again with the same content is a no-op, with other content a conflict. */
  id?: string;
  /** When it happened. */
  ts?: TimeInput;
  /** What happened, e.g. `auth.login`, `token.revoked`, `gate.denied`. */
  event_type: string;
  /** Who did it. */
  actor_user_id?: string | null;
  /** Whom it was done to. */
  target_user_id?: string | null;
  /** Which app it was done to. */
  target_app_id?: string | null;
  /** Whether it succeeded (default true); a denied gate decision is `false`. */
  success?: boolean;
  /** Anything else, as a plain JSON object (default `{}`); never secrets. */
  details?: Record<string, unknown>;
}

/** An audit event as stored: its position in the chain, the previous event's hash and its own. */
export interface AuditEvent {
  /** Position in the chain, from 1. */
  seq: number;
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  event_type: string;
  actor_user_id: string | null;
  target_user_id: string | null;
  target_app_id: string | null;
  success: boolean;
  details: { [key: string]: JsonValue };
  /** Hash of the event before it (GENESIS_HASH for the first). */
  prev_hash: string;
  /** SHA-256 of this event's canonical encoding (see `auditHash`). */
  hash: string;
}

/** Filters of an audit query; all given filters must hold. Results are ordered by ts, then seq. */
export interface AuditQuery {
  /** One event type or any of several. */
  event_type?: string | readonly string[];
  actor_user_id?: string;
  target_user_id?: string;
  target_app_id?: string;
  /** Events at or after this time. */
  since?: TimeInput;
  /** Events strictly before this time. */
  until?: TimeInput;
  /** Only events that succeeded. */
  success_only?: boolean;
  /** 1..10000, default 100. */
  limit?: number;
  /** Events to skip, default 0. */
  offset?: number;
  /** 'asc' (oldest first, default) or 'desc'. */
  order?: 'asc' | 'desc';
}

/** How a chain is broken at the first bad event. */
export type AuditBreakKind =
  /** The event's content no longer matches its hash: it was modified (or forged). */
  | 'modified'
  /** The event's prev_hash is not the hash of the event stored before it: an event was deleted, inserted or reordered. */
  | 'unlinked'
  /** Events were removed from the end: the chain head records more than is stored. */
  | 'truncated';

/** The first bad event of a broken chain. */
export interface AuditBreak {
  kind: AuditBreakKind;
  /** The bad event's position and id; null when the break is missing events at the end. */
  seq: number | null;
  id: string | null;
  /** What is wrong, in words, naming the events on either side. */
  message: string;
}

/** What `verify()` found. */
export interface AuditVerifyResult {
  /** True when every event links to the one before it, every hash matches, and nothing is missing at the end. */
  ok: boolean;
  /** Events checked and found good (all of them when ok). */
  checked: number;
  /** Hash of the last good event (GENESIS_HASH when none). */
  lastHash: string;
  /** The first break; null when ok. */
  broken: AuditBreak | null;
}

/** The append-only, hash-chained audit log. Implementations serialize appends so one writer computes the chain. */
export interface AuditStore {
  /** Validates, chains and stores one event; rejects with StoreError (nothing stored) when it is invalid. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  /** Appends several events in one transaction: all of them, or (on a bad one) none. */
  appendBatch(events: readonly AuditEventInput[]): Promise<AuditEvent[]>;
  /** Events matching the filters, one page of them. */
  query(filter?: AuditQuery): Promise<AuditEvent[]>;
  /** How many events match the filters (limit and offset ignored). */
  count(filter?: AuditQuery): Promise<number>;
  /** Walks the chain from the first event and reports the first broken one. */
  verify(): Promise<AuditVerifyResult>;
}
