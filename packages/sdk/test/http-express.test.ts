import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { correlation, probes } from '../src/http/express.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';
import { probesContract } from './support/probes-contract.js';

correlationContract(
  'Express',
  async (log) => {
    const app = express();
    app.use(correlation({ logger: log }));
    app.get('/items/:id', async (req, res) => {
      res.json(await handleItem(log, req.params.id));
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      },
    };
  },
  true,
);

probesContract('Express', async (handle) => {
  const app = express();
  app.use(probes(handle));
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
});
