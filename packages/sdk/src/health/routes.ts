import { ADMIN_CHALLENGE, type AdminAuth } from '../auth/admin-auth.js';
import { type MetricsSource, metricsJsonResponse, metricsResponse } from '../metrics/exposition/respond.js';
import type { Health } from './health.js';

/** A request as the probe routes see it, whatever the framework. */
export interface ProbeRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A response for the framework adapter to send. */
export interface ProbeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of the probe routes. */
export interface ProbeRoutesOptions {
  health: Health;
  /** Admin auth for `/health`, the metrics JSON view and, when asked, `/readyz` and `/metrics`. */
  auth: AdminAuth;
  /** Serve `/metrics` from Vigil's metrics or any prom-client registry (absent: no `/metrics` route). */
  metrics?: MetricsSource;
  /** Require admin auth on `/readyz` (default false). */
  readyzRequiresAuth?: boolean;
  /** Require admin auth on `/metrics` (default false). */
  metricsRequiresAuth?: boolean;
}

/** The paths the probe routes answer. */
export const PROBE_PATHS = ['/healthz', '/readyz', '/health', '/metrics'] as const;

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * Answers `/healthz`, `/readyz`, `/health` and `/metrics`; undefined for any other request, so
 * the adapter passes it on. `/healthz` is never authenticated and checks nothing.
 */
export function probeRoutes(options: ProbeRoutesOptions): (req: ProbeRequest) => Promise<ProbeResponse | undefined> {
  const { health, auth, metrics } = options;
  const admin = (req: ProbeRequest) => auth.authorize(req.headers.authorization);
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    switch (req.path) {
      case '/healthz':
        return json(200, { status: 'alive' });
      case '/readyz': {
        if (options.readyzRequiresAuth && !(await admin(req))) return unauthorized();
        const readiness = await health.readiness();
        return json(readiness.status === 'ready' ? 200 : 503, readiness);
      }
      case '/health': {
        if (!(await admin(req))) return unauthorized();
        const detailed = await health.detailed();
        return json(detailed.status === 'down' ? 503 : 200, detailed);
      }
      case '/metrics': {
        if (metrics === undefined) return undefined;
        const accept = first(req.headers.accept);
        const wantsJson = accept !== undefined && /^application\/json\b/i.test(accept.trim());
        if ((wantsJson || options.metricsRequiresAuth) && !(await admin(req))) return unauthorized();
        const response = wantsJson ? await metricsJsonResponse(metrics) : await metricsResponse(metrics, accept);
        return { ...response, headers: { ...response.headers, ...NO_STORE } };
      }
      default:
        return undefined;
    }
  };
}

function json(status: number, body: unknown): ProbeResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...NO_STORE }, body: JSON.stringify(body) };
}

/** The 401 of every admin route: a challenge, and no word on why. */
export function unauthorized(): ProbeResponse {
  return {
    status: 401,
    headers: { 'content-type': JSON_TYPE, 'www-authenticate': ADMIN_CHALLENGE },
    body: '{"error":"unauthorized"}',
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
