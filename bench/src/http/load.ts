// The load generator: autocannon's programmatic API, run in the benchmark's own process, so
// that it never shares an event loop with the server it measures.
import autocannon from 'autocannon';

/** How hard and how long to drive a server. */
export interface LoadOptions {
  connections: number;
  durationSeconds: number;
}

/** What one drive measured. */
export interface LoadResult {
  /** Mean over autocannon's one-second samples. */
  requestsPerSecond: number;
  p99Ms: number;
  requests: number;
}

/** Drives `GET url` with keep-alive connections; fails on any error, timeout or non-2xx answer. */
export async function drive(url: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds });
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total} requests`,
    );
  }
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, requests: result.requests.total };
}
