import { createServer } from 'node:http';
import { probes, withCorrelation } from '../src/http/node.js';
import { correlationContract, handleItem } from './support/correlation-contract.js';
import { onLoopback } from './support/loopback.js';
import { probesContract } from './support/probes-contract.js';

correlationContract(
  'node:http',
  async (log) => {
    const server = createServer(
      withCorrelation(
        (req, res) => {
          const id = (req.url ?? '').split('?')[0]!.slice('/items/'.length);
          void handleItem(log, id).then((body) => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(body));
          });
        },
        { logger: log },
      ),
    );
    server.listen(0, '127.0.0.1');
    return onLoopback(server);
  },
  false,
);

probesContract('node:http', async (handle) => {
  const serveProbes = probes(handle);
  const server = createServer((req, res) =>
    serveProbes(req, res, () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: (req.url ?? '').slice('/items/'.length) }));
    }),
  );
  server.listen(0, '127.0.0.1');
  return onLoopback(server);
});
