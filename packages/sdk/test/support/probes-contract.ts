import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { AdminAuth, createHealth, EventLoopMonitor, probeRoutes } from '../../src/health/index.js';
import type { ProbeRequest, ProbeResponse } from '../../src/health/routes.js';
import type { ServedApp } from './correlation-contract.js';

/** Starts one framework's app serving the probe routes, plus `GET /items/:id` answering `{ id }`. */
export type StartProbeApp = (handle: (req: ProbeRequest) => Promise<ProbeResponse | undefined>) => Promise<ServedApp>;

const TOKEN = 'probe-test-admin-token';
const metrics = new Registry();
new Counter({ name: 'probe_test_total', help: 'A counter for the probe tests.', registers: [metrics] }).inc(3);

/** The probe behaviour every framework adapter must have. */
export function probesContract(name: string, start: StartProbeApp): void {
  describe(`${name} probes`, () => {
    async function withApp(
      options: { readyzRequiresAuth?: boolean; metricsRequiresAuth?: boolean; dbUp?: () => boolean },
      fn: (url: string, drain: () => void) => Promise<void>,
    ): Promise<void> {
      const health = createHealth({ eventLoop: new EventLoopMonitor({ windowMs: 60_000 }) });
      health.check('db', options.dbUp ?? (() => true), { kind: 'database', critical: true });
      const auth = new AdminAuth({ tokens: [TOKEN] });
      const app = await start(probeRoutes({ health, auth, metrics, ...options }));
      try {
        await fn(app.url, () => health.startDraining());
      } finally {
        await app.close();
      }
    }
    const admin = { authorization: `Bearer ${TOKEN}` };

    test('/healthz answers alive without auth, whatever else is failing', () =>
      withApp({ dbUp: () => false, readyzRequiresAuth: true }, async (url) => {
        const res = await fetch(`${url}/healthz`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'alive' });
      }));

    test('/readyz: ready, then 503 not_ready naming the failing check, then 503 draining', async () => {
      let up = true;
      await withApp({ dbUp: () => up }, async (url, drain) => {
        let res = await fetch(`${url}/readyz`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ready' });
        up = false;
        await new Promise((resolve) => setTimeout(resolve, 1_050)); // past the 1 s result cache
        res = await fetch(`${url}/readyz`);
        assert.equal(res.status, 503);
        assert.deepEqual(await res.json(), { status: 'not_ready', failed: ['db'] });
        drain();
        res = await fetch(`${url}/readyz`);
        assert.equal(res.status, 503);
        assert.deepEqual(await res.json(), { status: 'draining' });
      });
    });

    test('/readyz can require admin auth', () =>
      withApp({ readyzRequiresAuth: true }, async (url) => {
        assert.equal((await fetch(`${url}/readyz`)).status, 401);
        assert.equal((await fetch(`${url}/readyz`, { headers: admin })).status, 200);
      }));

    test('/health needs admin auth: 401 with a challenge and no detail, then the detailed view', () =>
      withApp({}, async (url) => {
        for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic eDp5' }] as Array<
          Record<string, string>
        >) {
          const res = await fetch(`${url}/health`, { headers });
          assert.equal(res.status, 401);
          assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="vigil"');
          assert.deepEqual(await res.json(), { error: 'unauthorized' });
        }
        const res = await fetch(`${url}/health`, { headers: admin });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { status: string; components: Array<{ name: string }> };
        assert.equal(body.status, 'ok');
        assert.deepEqual(
          body.components.map((c) => c.name),
          ['db'],
        );
      }));

    test('/health answers 503 when a critical component is down', () =>
      withApp({ dbUp: () => false }, async (url) => {
        const res = await fetch(`${url}/health`, { headers: admin });
        assert.equal(res.status, 503);
        assert.equal(((await res.json()) as { status: string }).status, 'down');
      }));

    test('/metrics: text by default, OpenMetrics on Accept, JSON for admins only', () =>
      withApp({}, async (url) => {
        let res = await fetch(`${url}/metrics`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        assert.match(await res.text(), /^probe_test_total 3$/m);
        res = await fetch(`${url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
        assert.match(res.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
        const open = await res.text();
        assert.match(open, /^probe_test_total 3$/m);
        assert.match(open, /# EOF\n$/);
        assert.equal((await fetch(`${url}/metrics`, { headers: { accept: 'application/json' } })).status, 401);
        res = await fetch(`${url}/metrics`, { headers: { accept: 'application/json', ...admin } });
        assert.equal(res.status, 200);
        const view = (await res.json()) as Array<{ name: string; values: Array<{ value: number }> }>;
        assert.equal(view.find((m) => m.name === 'probe_test_total')?.values[0]?.value, 3);
      }));

    test('/metrics can require admin auth', () =>
      withApp({ metricsRequiresAuth: true }, async (url) => {
        assert.equal((await fetch(`${url}/metrics`)).status, 401);
        assert.equal((await fetch(`${url}/metrics`, { headers: admin })).status, 200);
      }));

    test('other routes reach the app', () =>
      withApp({}, async (url) => {
        const res = await fetch(`${url}/items/5`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { id: '5' });
      }));
  });
}
