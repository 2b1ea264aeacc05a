import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { createMetrics } from '../src/metrics/index.js';
import { fastifyMetrics } from '../src/metrics/red/fastify.js';
import { eventually, samples } from './support/metrics-read.js';
import { redContract } from './support/metrics-red-contract.js';

redContract(
  'Fastify',
  async (options, gate) => {
    const app = Fastify();
    await app.register(fastifyMetrics, options);
    for (const probe of ['/healthz', '/readyz', '/health', '/metrics']) app.get(probe, async () => 'ok');
    app.get<{ Params: { id: string } }>('/items/:id', async (req) => ({ id: req.params.id }));
    app.post('/items', async (_req, reply) => reply.code(201).send({}));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    app.get('/slow', async () => {
      await gate.wait();
      return 'done';
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url,
      close: async () => {
        // A connection whose client left mid-request would hold close() for seconds otherwise.
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
  { seesClientLeave: true },
);

describe('Fastify route templates', () => {
  test('routes in prefixed, encapsulated plugins are measured with their full template', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = Fastify();
    await app.register(fastifyMetrics, { metrics });
    await app.register(
      async (api) => {
        api.get('/things/:id', async () => 'thing');
      },
      { prefix: '/api' },
    );
    await app.ready();
    for (const url of ['/api/things/3', '/api/nope']) await app.inject({ url });
    await eventually(async () => (await samples(metrics.http.requests)).length === 2, '2 series');
    const routes = (await samples(metrics.http.requests)).map((s) => `${s.labels.route} ${s.labels.status}`);
    assert.deepEqual(routes.sort(), ['/api/things/:id 200', '__unmatched__ 404']);
    await app.close();
  });
});
