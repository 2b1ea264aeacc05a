import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { correlation, probes } from '../src/http/hono.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';
import { onLoopback } from './support/loopback.js';
import { probesContract } from './support/probes-contract.js';

correlationContract(
  'Hono',
  async (log) => {
    const app = new Hono();
    app.use(correlation({ logger: log }));
    app.get('/items/:id', async (c) => c.json(await handleItem(log, c.req.param('id'))));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    return onLoopback(server as Server);
  },
  true,
);

probesContract('Hono', async (handle) => {
  const app = new Hono();
  app.use(correlation({ logRequests: false }));
  app.use(probes(handle));
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  return onLoopback(server as Server);
});
