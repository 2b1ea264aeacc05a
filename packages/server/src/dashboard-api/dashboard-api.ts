import type { AuditStore } from '@vigil/store';
import type { FastifyInstance } from 'fastify';
import type { ScrapeTarget, TargetHealth } from '../scrape/target.js';
import { auditRoutes } from './audit-routes.js';
import { eventsRoute } from './events-route.js';
import { healthRoute } from './health-route.js';
import { sessionsRoute } from './sessions-route.js';

/** A target being scraped (a `ScrapeLoop`): what it is and how its last scrape went. */
export interface ActiveTarget {
  readonly target: ScrapeTarget;
  readonly health: TargetHealth;
}

/** Options of `dashboardApi`. */
export interface DashboardApiOptions {
  /** The targets being scraped now (`manager.active`): the only hosts the health and session routes ask. */
  active: () => readonly ActiveTarget[];
  /** The audit log; without one the audit routes are not served (the dashboard says what it needs). */
  audit?: AuditStore;
  /** How long a target gets to answer /health or /admin/sessions (default 5 s). */
  targetTimeoutMs?: number;
  /** How often the event stream looks for finished scrapes (default 1 s). */
  eventsCheckMs?: number;
}

/**
 * The routes the dashboard reads besides the Prometheus API and the record queries: a target's
 * component health (`/api/vigil/health`), the agents' sessions (`/api/vigil/sessions`), the
 * audit log (`/api/vigil/audit`, `/api/vigil/audit/verify`) and change events (`/api/vigil/events`). Register it inside the admin-auth scope:
 * the caller's Authorization is what the targets are asked with.
 */
export async function dashboardApi(app: FastifyInstance, options: DashboardApiOptions): Promise<void> {
  const timeoutMs = options.targetTimeoutMs ?? 5000;
  const targets = () => options.active().map((a) => a.target);
  await app.register(healthRoute, { targets, timeoutMs });
  await app.register(sessionsRoute, { targets, timeoutMs });
  await app.register(eventsRoute, {
    active: options.active,
    ...(options.eventsCheckMs === undefined ? {} : { checkMs: options.eventsCheckMs }),
  });
  if (options.audit) await app.register(auditRoutes, { audit: options.audit });
}
