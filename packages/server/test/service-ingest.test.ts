import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { runCli } from '../src/index.js';
import { type RunningService, startService } from '../src/service/serve.js';
import { JSON_HEADERS, jsonSpan, metricsRequest, traceRequest } from './support/ingest-bodies.js';

const TOKEN = 'ingest-service-token';

// The ingest routes and record queries as the real service serves them: behind admin auth,
// into the data directory's record store and TSDB, through `vigil tail`.
describe('vigil serve: ingest and record queries', () => {
  let dir = '';
  let running: RunningService;
  const auth = { authorization: `Bearer ${TOKEN}` };
  // biome-ignore lint/suspicious/noExplicitAny: API bodies are checked field by field by the assertions.
  const get = async (path: string) => (await fetch(`${running.url}${path}`, { headers: auth })).json() as Promise<any>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-service-ingest-'));
    running = await startService({
      env: { VIGIL_PORT: '0', VIGIL_DATA_DIR: join(dir, 'data'), VIGIL_ADMIN_TOKEN: TOKEN },
      logger: createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } }),
    });
  });
  after(async () => {
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('`vigil tail` lines land in the store and are found by correlation id and full text', async () => {
    const lines = [
      {
        level: 'info',
        time: '2026-11-23T10:00:00.000Z',
        service: 'agent',
        correlation_id: 'req-7',
        msg: 'turn started',
      },
      {
        level: 'error',
        time: '2026-11-23T10:00:01.000Z',
        service: 'agent',
        correlation_id: 'req-7',
        msg: 'tool quokka failed',
      },
    ].map((l) => `${JSON.stringify(l)}\n`);
    let stdout = '';
    let stderr = '';
    const code = await runCli(['tail', '--url', running.url, '--token', TOKEN], {
      env: {},
      stdin: Readable.from(lines),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      colour: false,
    });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, lines.join(''), 'tail echoes every line');
    const byId = await get('/api/vigil/logs?correlation_id=req-7&since=2026-11-23T00:00:00Z');
    assert.deepEqual(byId.records.map((r: { message: string }) => r.message).sort(), [
      'tool quokka failed',
      'turn started',
    ]);
    const text = await get('/api/vigil/logs?text=quokka&since=2026-11-23T00:00:00Z');
    assert.equal(text.records.length, 1);
    assert.equal(text.records[0].level, 'error');
  });

  test('OTLP spans and metrics: a trace is stored, metric points become queryable series', async () => {
    const spans = await fetch(`${running.url}/v1/traces`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...auth },
      body: traceRequest([jsonSpan(1)]),
    });
    assert.equal(spans.status, 200, await spans.clone().text());
    const listed = await get('/api/vigil/spans?since=1970-01-01T00:00:00Z');
    assert.equal(listed.records.length, 1, JSON.stringify(listed));
    const trace = await get(`/api/vigil/traces/${listed.records[0].trace_id}`);
    assert.equal(trace.spans.length, 1);

    const now = String(Date.now() * 1e6);
    const gauge = { name: 'queue.depth', unit: '1', gauge: { dataPoints: [{ timeUnixNano: now, asDouble: 12 }] } };
    const metrics = await fetch(`${running.url}/v1/metrics`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...auth },
      body: metricsRequest([gauge]),
    });
    assert.equal(metrics.status, 200, await metrics.clone().text());
    // OTel → Prometheus naming: dots become underscores; unit 1 on a gauge is a ratio.
    const query = await get('/api/v1/query?query=queue_depth_ratio');
    assert.equal(query.data.result.length, 1);
    assert.equal(query.data.result[0].value[1], '12');
  });

  test('ingest needs the admin token like the rest of the API; /health lists the record store', async () => {
    const refused = await fetch(`${running.url}/v1/traces`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: traceRequest([jsonSpan(2)]),
    });
    assert.equal(refused.status, 401);
    const health = await get('/health');
    const store = health.components.find((c: { name: string }) => c.name === 'record-store');
    assert.equal(store?.status, 'ok');
  });
});
