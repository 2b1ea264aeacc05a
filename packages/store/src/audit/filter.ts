import { StoreError } from '../errors.js';
import { order, page, show, timeRange } from '../validate.js';
import type { AuditRow } from './prepare.js';
import type { AuditQuery } from './types.js';

/** An audit query validated, with defaults filled in. */
export interface AuditFilter {
  eventTypes: string[] | null;
  actorUserId: string | null;
  targetUserId: string | null;
  targetAppId: string | null;
  since: number | null;
  until: number | null;
  successOnly: boolean;
  limit: number;
  offset: number;
  order: 'asc' | 'desc';
}

/** Validates a query; a StoreError (VIGIL_STORE_BAD_QUERY) names the bad filter. */
export function auditFilter(query: AuditQuery = {}): AuditFilter {
  const types = query.event_type;
  let eventTypes: string[] | null = null;
  if (types !== undefined) {
    eventTypes = typeof types === 'string' ? [types] : Array.isArray(types) ? [...types] : [];
    if (eventTypes.length === 0 || eventTypes.some((t) => typeof t !== 'string' || t === '')) {
      throw new StoreError(
        'VIGIL_STORE_BAD_QUERY',
        `event_type must be a non-empty string or list of them, got ${show(types)}`,
      );
    }
  }
  if (query.success_only !== undefined && typeof query.success_only !== 'boolean') {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `success_only must be true or false, got ${show(query.success_only)}`,
    );
  }
  return {
    eventTypes,
    actorUserId: id(query.actor_user_id, 'actor_user_id'),
    targetUserId: id(query.target_user_id, 'target_user_id'),
    targetAppId: id(query.target_app_id, 'target_app_id'),
    ...timeRange(query.since, query.until),
    successOnly: query.success_only ?? false,
    ...page(query.limit, query.offset),
    order: order(query.order),
  };
}

/** True when `row` passes every filter (limit and offset aside). */
export function matchesAudit(row: AuditRow, f: AuditFilter): boolean {
  return (
    (f.eventTypes === null || f.eventTypes.includes(row.event_type)) &&
    (f.actorUserId === null || row.actor_user_id === f.actorUserId) &&
    (f.targetUserId === null || row.target_user_id === f.targetUserId) &&
    (f.targetAppId === null || row.target_app_id === f.targetAppId) &&
    (f.since === null || row.ts >= f.since) &&
    (f.until === null || row.ts < f.until) &&
    (!f.successOnly || row.success)
  );
}

function id(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `${field} must be a non-empty string, got ${show(value)}`);
  }
  return value;
}
