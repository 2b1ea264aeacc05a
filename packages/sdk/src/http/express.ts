import type { IncomingMessage } from 'node:http';
import { type NodeCorrelationOptions, type NodeMiddleware, correlation as nodeCorrelation } from './node.js';

export type { NodeCorrelationOptions as ExpressCorrelationOptions } from './node.js';

interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The route template Express matched (`/v1/sessions/:sessionId/messages`), known once the request finished. */
function expressRoute(req: IncomingMessage): string | undefined {
  const { baseUrl, route } = req as ExpressRequest;
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : undefined;
}

/** Correlation middleware for Express: `app.use(correlation())` before the routes. */
export function correlation(options: NodeCorrelationOptions = {}): NodeMiddleware {
  return nodeCorrelation({ route: expressRoute, ...options });
}

export { type ExpressHttpMetricsOptions, expressMetrics } from '../metrics/red/express.js';
export { probes } from './probes.js';
