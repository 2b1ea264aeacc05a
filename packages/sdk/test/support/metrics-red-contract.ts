import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createMetrics,
  HTTP_DURATION_BUCKETS,
  type HttpMetricsOptions,
  type Metrics,
} from '../../src/metrics/index.js';
import { eventually, samples, sampleValue } from './metrics-read.js';

/** A test app listening on loopback. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Holds a request open until the test lets it go. */
export class Gate {
  readonly entered: Promise<void>;
  readonly #released: Promise<void>;
  #enter!: () => void;
  #release!: () => void;

  constructor() {
    this.entered = new Promise((resolve) => {
      this.#enter = resolve;
    });
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Called by the handler: signals it is in, then waits. */
  wait(): Promise<void> {
    this.#enter();
    return this.#released;
  }

  release(): void {
    this.#release();
  }
}

/**
 * Starts one framework's app with its HTTP metrics middleware (given `options`) and these
 * routes: `GET /items/:id` → 200, `POST /items` → 201, `GET /boom` throws (→ 500),
 * `GET /slow` waits for `gate` → 200, `GET /healthz`, `/readyz`, `/health`, `/metrics` → 200;
 * anything else is the framework's own 404.
 */
export type StartApp = (options: HttpMetricsOptions, gate: Gate) => Promise<ServedApp>;

/** What differs between adapters. */
export interface ContractTraits {
  /**
   * The adapter sees the client leave (node-based: the response's 'close'), recording 499 at
   * once; otherwise (Hono) the request is recorded when its handler returns.
   */
  seesClientLeave: boolean;
}

/** A controllable clock in milliseconds. */
class Clock {
  ms = 0;
  readonly now = () => this.ms;
}

/** The HTTP RED behaviour every framework adapter must have. */
export function redContract(name: string, start: StartApp, traits: ContractTraits): void {
  describe(`${name} HTTP metrics`, () => {
    async function withApp(
      fn: (ctx: { app: ServedApp; metrics: Metrics; gate: Gate; clock: Clock }) => Promise<void>,
      options: HttpMetricsOptions = {},
    ): Promise<void> {
      const metrics = createMetrics({ defaultMetrics: false });
      const gate = new Gate();
      const clock = new Clock();
      const app = await start({ metrics, now: clock.now, ...options }, gate);
      try {
        await fn({ app, metrics, gate, clock });
      } finally {
        gate.release();
        await app.close();
      }
    }

    const settled = (metrics: Metrics, total: number) =>
      eventually(
        async () => (await samples(metrics.http.requests)).reduce((sum, s) => sum + s.value, 0) === total,
        `${total} recorded requests`,
      );

    test('counts requests by method, route template and status, never by raw path', () =>
      withApp(async ({ app, metrics }) => {
        for (const path of ['/items/42', '/items/7?q=1', '/items/42']) {
          const res = await fetch(`${app.url}${path}`);
          assert.equal(res.status, 200);
          await res.arrayBuffer();
        }
        const created = await fetch(`${app.url}/items`, { method: 'POST' });
        assert.equal(created.status, 201);
        await created.arrayBuffer();
        await settled(metrics, 4);
        const requests = metrics.http.requests;
        assert.equal(await sampleValue(requests, { method: 'GET', route: '/items/:id', status: '200' }), 3);
        assert.equal(await sampleValue(requests, { method: 'POST', route: '/items', status: '201' }), 1);
        const routes = new Set((await samples(requests)).map((s) => s.labels.route));
        assert.deepEqual([...routes].sort(), ['/items', '/items/:id']);
        assert.equal(
          await sampleValue(
            metrics.http.duration,
            { method: 'GET', route: '/items/:id', status: '200' },
            'http_request_duration_seconds_count',
          ),
          3,
        );
        assert.deepEqual(await samples(metrics.http.errors), [], 'no errors counted');
      }));

    test('a request no route matches counts as __unmatched__', () =>
      withApp(async ({ app, metrics }) => {
        for (const path of ['/nope/1', '/nope/2', '/wp-admin.php']) {
          const res = await fetch(`${app.url}${path}`);
          assert.equal(res.status, 404);
          await res.arrayBuffer();
        }
        await settled(metrics, 3);
        assert.deepEqual(await samples(metrics.http.requests), [
          { name: 'http_requests_total', labels: { method: 'GET', route: '__unmatched__', status: '404' }, value: 3 },
        ]);
      }));

    test('5xx responses count as errors by method and route', () =>
      withApp(async ({ app, metrics }) => {
        for (const path of ['/boom', '/boom', '/items/1']) await (await fetch(`${app.url}${path}`)).arrayBuffer();
        await settled(metrics, 3);
        assert.equal(await sampleValue(metrics.http.requests, { method: 'GET', route: '/boom', status: '500' }), 2);
        assert.deepEqual(await samples(metrics.http.errors), [
          { name: 'http_request_errors_total', labels: { method: 'GET', route: '/boom' }, value: 2 },
        ]);
      }));

    test('in flight rises during a slow request and falls back to 0; its duration lands in the right buckets', () =>
      withApp(async ({ app, metrics, gate, clock }) => {
        const inFlight = () => sampleValue(metrics.http.inFlight, {});
        assert.equal(await inFlight(), 0);
        clock.ms = 1_000;
        const pending = fetch(`${app.url}/slow`);
        await gate.entered;
        assert.equal(await inFlight(), 1);
        clock.ms = 2_500; // the request took 1.5 s by the injected clock
        gate.release();
        const res = await pending;
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        await settled(metrics, 1);
        assert.equal(await inFlight(), 0);

        const series = (await samples(metrics.http.duration)).filter((s) => s.labels.route === '/slow');
        const buckets = series.filter((s) => s.name === 'http_request_duration_seconds_bucket');
        assert.deepEqual(
          buckets.map((s) => s.labels.le),
          [...HTTP_DURATION_BUCKETS, '+Inf'],
        );
        for (const bucket of buckets) {
          const expected = bucket.labels.le === '+Inf' || Number(bucket.labels.le) >= 1.5 ? 1 : 0;
          assert.equal(bucket.value, expected, `bucket le=${bucket.labels.le}`);
        }
        assert.equal(series.find((s) => s.name === 'http_request_duration_seconds_sum')?.value, 1.5);
      }));

    test('a client that leaves mid-request is taken out of flight', () =>
      withApp(async ({ app, metrics, gate }) => {
        const inFlight = () => sampleValue(metrics.http.inFlight, {});
        const abort = new AbortController();
        const pending = fetch(`${app.url}/slow`, { signal: abort.signal }).catch(() => 'aborted');
        await gate.entered;
        assert.equal(await inFlight(), 1);
        abort.abort();
        assert.equal(await pending, 'aborted');
        if (traits.seesClientLeave) await eventually(async () => (await inFlight()) === 0, 'in flight back to 0');
        gate.release();
        await settled(metrics, 1);
        assert.equal(await inFlight(), 0);
        const status = traits.seesClientLeave ? '499' : '200';
        assert.equal(
          await sampleValue(metrics.http.requests, { method: 'GET', route: '/slow', status }),
          1,
          JSON.stringify(await samples(metrics.http.requests)),
        );
      }));

    test('probes and /metrics are not measured by default', () =>
      withApp(async ({ app, metrics }) => {
        for (const path of ['/healthz', '/readyz', '/health', '/metrics', '/metrics?x=1']) {
          const res = await fetch(`${app.url}${path}`);
          assert.equal(res.status, 200, path);
          await res.arrayBuffer();
        }
        await (await fetch(`${app.url}/items/1`)).arrayBuffer();
        await settled(metrics, 1);
        assert.deepEqual(
          (await samples(metrics.http.requests)).map((s) => s.labels.route),
          ['/items/:id'],
        );
      }));

    test('excludePaths replaces the default list', () =>
      withApp(
        async ({ app, metrics }) => {
          for (const path of ['/healthz', '/items/1']) await (await fetch(`${app.url}${path}`)).arrayBuffer();
          await settled(metrics, 1);
          assert.deepEqual(
            (await samples(metrics.http.requests)).map((s) => s.labels.route),
            ['/healthz'],
          );
        },
        { excludePaths: ['/items/1'] },
      ));

    test('methods outside the standard set count as OTHER', () =>
      withApp(async ({ app, metrics }) => {
        await (await fetch(`${app.url}/items/1`, { method: 'PROPFIND' })).arrayBuffer();
        await settled(metrics, 1);
        const [sample] = await samples(metrics.http.requests);
        assert.equal(sample?.labels.method, 'OTHER');
      }));
  });
}
