import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createMetrics } from '../src/metrics/index.js';
import { honoMetrics } from '../src/metrics/red/hono.js';
import { onLoopback } from './support/loopback.js';
import { samples } from './support/metrics-read.js';
import { redContract } from './support/metrics-red-contract.js';

redContract(
  'Hono',
  async (options, gate) => {
    const app = new Hono();
    app.use(honoMetrics(options));
    for (const probe of ['/healthz', '/readyz', '/health', '/metrics']) app.get(probe, (c) => c.text('ok'));
    app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
    app.post('/items', (c) => c.json({}, 201));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/slow', async (c) => {
      await gate.wait();
      return c.text('done');
    });
    app.onError((_err, c) => c.text('failed', 500));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    return onLoopback(server as Server);
  },
  // Hono only sees the Response its handler returns, not the socket.
  { seesClientLeave: false },
);

describe('Hono route templates', () => {
  test('404s behind later middleware are unmatched; a handler’s own 404 and a middleware’s answer keep their pattern', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = new Hono();
    app.use(honoMetrics({ metrics }));
    app.use(async (_c, next) => {
      await next();
    });
    app.use('/admin/*', async (c, next) => (c.req.header('authorization') ? next() : c.text('no', 401)));
    app.get('/admin/stats', (c) => c.text('ok'));
    app.get('/items/:id', (c) => c.notFound());
    const api = new Hono();
    api.get('/things/:id', (c) => c.text('thing'));
    app.route('/api', api);

    for (const path of ['/nope', '/admin/stats', '/items/9', '/api/things/3']) await app.request(path);
    const routes = (await samples(metrics.http.requests)).map((s) => `${s.labels.route} ${s.labels.status}`);
    assert.deepEqual(routes.sort(), ['/admin/* 401', '/api/things/:id 200', '/items/:id 404', '__unmatched__ 404']);
  });
});
