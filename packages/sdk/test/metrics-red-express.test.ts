import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import express from 'express';
import { createMetrics, expressMetrics } from '../src/metrics/index.js';
import { onLoopback } from './support/loopback.js';
import { eventually, samples } from './support/metrics-read.js';
import { redContract } from './support/metrics-red-contract.js';

redContract(
  'Express',
  async (options, gate) => {
    const app = express();
    app.use(expressMetrics(options));
    for (const probe of ['/healthz', '/readyz', '/health', '/metrics']) app.get(probe, (_req, res) => res.send('ok'));
    app.get('/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.post('/items', (_req, res) => {
      res.status(201).json({});
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/slow', async (_req, res) => {
      await gate.wait();
      res.send('done');
    });
    // Express logs unhandled errors to stderr by default: keep the test output clean.
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send('failed');
    });
    const server = app.listen(0, '127.0.0.1');
    return onLoopback(server);
  },
  { seesClientLeave: true },
);

describe('Express route templates', () => {
  test('a mounted router’s base path is part of the template; middleware-only answers are unmatched', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = express();
    app.use(expressMetrics({ metrics }));
    app.use('/assets', (_req, res) => {
      res.send('file');
    });
    const api = express.Router();
    api.get('/things/:id', (_req, res) => {
      res.send('thing');
    });
    app.use('/api', api);
    app.get('/items/:id', (_req, res) => {
      res.status(404).send('no such item');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/api/things/3', '/assets/app.js', '/items/9'])
        await (await fetch(`${url}${path}`)).arrayBuffer();
      await eventually(async () => (await samples(metrics.http.requests)).length === 3, '3 series');
      const routes = (await samples(metrics.http.requests)).map((s) => `${s.labels.route} ${s.labels.status}`);
      assert.deepEqual(routes.sort(), ['/api/things/:id 200', '/items/:id 404', '__unmatched__ 200']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
