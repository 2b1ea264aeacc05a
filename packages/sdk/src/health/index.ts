export { ADMIN_CHALLENGE, AdminAuth, type AdminAuthOptions } from '../auth/admin-auth.js';
export { createShutdown, Shutdown, type ShutdownOptions } from '../shutdown/shutdown.js';
export type { CheckFn, CheckOptions, CheckOutcome, ComponentKind, ComponentReport, ComponentStatus } from './check.js';
export { type EventLoopLag, EventLoopMonitor, type EventLoopOptions } from './event-loop.js';
export { createHealth, type DetailedHealth, Health, type HealthOptions, type Readiness } from './health.js';
export {
  PROBE_PATHS,
  type ProbeRequest,
  type ProbeResponse,
  type ProbeRoutesOptions,
  probeRoutes,
  unauthorized,
} from './routes.js';
export type { DiskReport, SystemReport } from './system.js';
export { TurnPool, type TurnPoolOptions, type TurnPoolStats } from './turn-pool.js';
