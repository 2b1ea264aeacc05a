import type { AdminAuth } from '../auth/admin-auth.js';
import { type ProbeRequest, type ProbeResponse, unauthorized } from '../health/routes.js';
import type { SessionRegistry } from './registry.js';
import type { SessionSnapshot, SessionStatus } from './session-metrics.js';
import { textProblem } from './validate.js';

/** A request as the session routes see it: a probe request plus its query string, if any. */
export interface SessionRequest extends ProbeRequest {
  /** The query string, with or without its `?` (e.g. `app_id=support&status=all`). */
  query?: string;
}

/** Options of the session routes. */
export interface SessionRoutesOptions {
  registry: SessionRegistry;
  /** Every session route requires admin auth. */
  auth: AdminAuth;
}

/** The paths the session routes answer; `:id` and `:app_id` are URL-encoded. */
export const SESSION_PATHS = Object.freeze({
  /** Open sessions (`?status=active|idle|closed|open|all`, `?app_id=`, `?limit=`), latest activity first. */
  list: '/admin/sessions',
  /** `{ global, apps: [...] }`: the global rollup and one per app. */
  rollup: '/admin/sessions/rollup',
  /** One app's rollup; 404 when it has no tracked session. */
  appRollup: '/admin/sessions/rollup/:app_id',
  /** The live `metrics:*` event stream (served by SessionStream, not by these routes). */
  stream: '/admin/sessions/stream',
  /**
   * One session: of `?app_id=` when given, else as `registry.get(id)` reads an id alone (409 naming
   * the apps when that is ambiguous); 404 when unknown. Ids `rollup` and `stream` are shadowed above.
   */
  session: '/admin/sessions/:id',
});

const PREFIX = '/admin/sessions';
const JSON_TYPE = 'application/json; charset=utf-8';
const STATUSES = new Set(['active', 'idle', 'closed', 'open', 'all']);
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/**
 * The JSON session routes: answers GET/HEAD under `/admin/sessions` (admin auth on all of
 * them), undefined for any other request and for the stream path, so the adapter passes it on.
 */
export function sessionRoutes(
  options: SessionRoutesOptions,
): (req: SessionRequest) => Promise<ProbeResponse | undefined> {
  const { registry, auth } = options;
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (req.path !== PREFIX && !req.path.startsWith(`${PREFIX}/`)) return undefined;
    const parts = req.path.slice(PREFIX.length + 1).split('/');
    if (parts.length > 2 || parts[0] === 'stream' || (parts.length === 2 && parts[0] !== 'rollup')) return undefined;
    if (!(await auth.authorize(req.headers.authorization))) return unauthorized();
    if (req.path === PREFIX) return list(registry, new URLSearchParams(req.query ?? ''));
    if (parts[0] === 'rollup' && parts.length === 1) {
      return json(200, registry.rollup());
    }
    const id = decode(parts[parts.length - 1]!);
    const problem = id === undefined ? 'is not valid URL encoding' : textProblem(id, 'the id');
    if (problem !== undefined) return json(400, { error: `bad path segment: ${problem}` });
    if (parts.length === 2) {
      const summary = registry.appSummary(id!);
      return summary.sessions === 0 ? json(404, { error: 'unknown app', app_id: id }) : json(200, summary);
    }
    return one(registry, id!, new URLSearchParams(req.query ?? ''));
  };
}

/** One session: of `?app_id=` when given, else as the registry reads an id alone (409 when that is ambiguous). */
function one(registry: SessionRegistry, sessionId: string, query: URLSearchParams): ProbeResponse {
  const appId = query.get('app_id') ?? undefined;
  if (appId !== undefined) {
    const problem = textProblem(appId, 'app_id');
    if (problem !== undefined) return json(400, { error: problem });
    const session = registry.get({ appId, sessionId });
    return session === undefined
      ? json(404, { error: 'unknown session', app_id: appId, session_id: sessionId })
      : json(200, session.snapshot());
  }
  // As the registry reads an id alone: its own app's session, else the only one of that id.
  const session = registry.get(sessionId);
  if (session !== undefined) return json(200, session.snapshot());
  const apps = registry
    .list({ status: 'all' })
    .filter((s) => s.session_id === sessionId)
    .map((s) => s.app_id);
  if (apps.length === 0) return json(404, { error: 'unknown session', session_id: sessionId });
  return json(409, {
    error: 'several apps have a session with this id: add ?app_id=',
    session_id: sessionId,
    app_ids: apps.sort(),
  });
}

function list(registry: SessionRegistry, query: URLSearchParams): ProbeResponse {
  const status = query.get('status') ?? 'open';
  if (!STATUSES.has(status)) return json(400, { error: 'status must be one of active, idle, closed, open, all' });
  const appId = query.get('app_id') ?? undefined;
  if (appId !== undefined && textProblem(appId, 'app_id') !== undefined) {
    return json(400, { error: textProblem(appId, 'app_id') });
  }
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '0') || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return json(400, { error: `limit must be a whole number from 1 to ${MAX_LIMIT}` });
  }
  const all = registry.list({ appId, status: status as SessionStatus | 'open' | 'all' });
  all.sort(byLatestActivity);
  return json(200, { count: all.length, truncated: all.length > limit, sessions: all.slice(0, limit) });
}

function byLatestActivity(a: SessionSnapshot, b: SessionSnapshot): number {
  return b.last_active_at - a.last_active_at;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function json(status: number, body: unknown): ProbeResponse {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}
