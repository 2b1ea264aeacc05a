// Child: the node:http hello world with Vigil's correlation and RED metrics middleware, as
// a user wires them. `--no-request-log` turns the per-request log line off.
import { createLogger } from '@vigil/sdk';
import { httpMetrics, withCorrelation } from '@vigil/sdk/http';
import { createMetrics } from '@vigil/sdk/metrics';
import { hello, serve } from './serve.js';

const logRequests = !process.argv.includes('--no-request-log');

let lines = 0;
// The sink discards: the cost measured is the SDK's, not stdout's.
const destination = {
  write(): void {
    lines++;
  },
};
const logger = createLogger({ service: 'bench', destination, env: {} });
const metrics = createMetrics({ defaultMetrics: false });
const measure = httpMetrics({ metrics, routes: ['/hello'] });

serve(
  withCorrelation((req, res) => measure(req, res, () => hello(req, res)), { logger, logRequests }),
  async () => ({ logLines: lines, requestsCounted: await counted() }),
);

async function counted(): Promise<number> {
  const total = await metrics.registry.getSingleMetric('http_requests_total')?.get();
  return total?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
}
