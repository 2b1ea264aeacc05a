import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { correlation } from '../src/http/express.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';

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
