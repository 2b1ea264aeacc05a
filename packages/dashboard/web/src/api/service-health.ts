// Component health of one scraped service: its SDK `/health` document, fetched through the Vigil service.
import { type ApiClient, ApiError } from './client.js';

/**
 * The Vigil route that proxies a target's `/health` (admin) to the dashboard: `?target=<scrapeUrl>`.
 * The one place that names it.
 */
export const SERVICE_HEALTH_PATH = '/api/vigil/health';

/** `ok`, `degraded` or `down`, as the SDK reports it. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** One checked dependency of a service. */
export interface ComponentHealth {
  name: string;
  kind: string;
  critical?: boolean;
  status: HealthStatus;
  latency_ms: number | null;
  detail?: string | null;
  last_error: string | null;
  checked_at: string;
}

/** The SDK's detailed `/health` document (the fields the dashboard shows). */
export interface ServiceHealth {
  status: HealthStatus;
  reasons?: string[];
  service?: string;
  version?: string;
  draining?: boolean;
  uptime_seconds?: number;
  components: ComponentHealth[];
}

/** Reads the `/health` of the service behind `scrapeUrl`; a `down` service answers 503 with the same document. */
export async function fetchServiceHealth(
  client: ApiClient,
  scrapeUrl: string,
  signal?: AbortSignal,
): Promise<ServiceHealth> {
  const body = await client.getJson<unknown>(SERVICE_HEALTH_PATH, { target: scrapeUrl }, { signal, accept: [503] });
  if (!isServiceHealth(body)) throw new ApiError(502, 'the service answered /health with something else');
  return body;
}

function isServiceHealth(body: unknown): body is ServiceHealth {
  if (typeof body !== 'object' || body === null) return false;
  const { status, components } = body as Partial<ServiceHealth>;
  return (status === 'ok' || status === 'degraded' || status === 'down') && Array.isArray(components);
}
