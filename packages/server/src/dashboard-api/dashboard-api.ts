import type { AuditStore } from '@vigil/store';
import type { FastifyInstance } from 'fastify';
import type { ScrapeTarget } from '../scrape/target.js';
import { auditRoutes } from './audit-routes.js';
import { healthRoute } from './health-route.js';
import { sessionsRoute } from './sessions-route.js';

/** Options of `dashboardApi`. */
export interface DashboardApiOptions {
  /** The targets being scraped now: the only hosts the health and session routes ask. */
  targets: () => readonly ScrapeTarget[];
  /** The audit log; without one the audit routes are not served (the dashboard says what it needs). */
  audit?: AuditStore;
  /** How long a target gets to answer /health or /admin/sessions (default 5 s). */
  targetTimeoutMs?: number;
}

/**
 * The routes the dashboard reads besides the Prometheus API and the record queries: a target's
 * component health (`/api/vigil/health`), the agents' sessions (`/api/vigil/sessions`) and the
 * audit log (`/api/vigil/audit`, `/api/vigil/audit/verify`). Register it inside the admin-auth scope:
 * the caller's Authorization is what the targets are asked with.
 */
export async function dashboardApi(app: FastifyInstance, options: DashboardApiOptions): Promise<void> {
  const timeoutMs = options.targetTimeoutMs ?? 5000;
  await app.register(healthRoute, { targets: options.targets, timeoutMs });
  await app.register(sessionsRoute, { targets: options.targets, timeoutMs });
  if (options.audit) await app.register(auditRoutes, { audit: options.audit });
}
