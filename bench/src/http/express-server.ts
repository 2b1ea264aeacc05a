// Child: the Express 5 hello world, bare or with express-prom-bundle (`--prom-bundle`).
import express from 'express';
import promBundle from 'express-prom-bundle';
import { register } from 'prom-client';
import { countAnswered, serve } from './serve.js';

const withBundle = process.argv.includes('--prom-bundle');

const app = express();
if (withBundle) app.use(promBundle({ includeMethod: true, includePath: true }));
app.get('/hello', (_req, res) => {
  countAnswered();
  res.type('text/plain').send('hello');
});

serve(app, async (): Promise<Record<string, number>> => (withBundle ? { requestsCounted: await counted() } : {}));

async function counted(): Promise<number> {
  const histogram = await register.getSingleMetric('http_request_duration_seconds')?.get();
  let count = 0;
  for (const sample of histogram?.values ?? []) {
    // A histogram's samples are its buckets, sum and count, told apart by metricName.
    if ((sample as { metricName?: string }).metricName === 'http_request_duration_seconds_count') count += sample.value;
  }
  return count;
}
