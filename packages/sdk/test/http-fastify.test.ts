import Fastify from 'fastify';
import { correlation, probes } from '../src/http/fastify.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';
import { probesContract } from './support/probes-contract.js';

correlationContract(
  'Fastify',
  async (log) => {
    const app = Fastify();
    await app.register(correlation, { logger: log });
    app.get<{ Params: { id: string } }>('/items/:id', (req) => handleItem(log, req.params.id));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  true,
);

probesContract('Fastify', async (handle) => {
  const app = Fastify();
  await app.register(probes, { handle });
  app.get<{ Params: { id: string } }>('/items/:id', async (req) => ({ id: req.params.id }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
});
