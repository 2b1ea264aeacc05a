import express from 'express';
import { correlation, probes } from '../src/http/express.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';
import { onLoopback } from './support/loopback.js';
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
    return onLoopback(server);
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
  return onLoopback(server);
});
