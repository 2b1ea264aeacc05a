import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { withHttpMetrics } from '../src/metrics/index.js';
import { routeMatcher } from '../src/metrics/red/routes.js';
import { onLoopback } from './support/loopback.js';
import { redContract } from './support/metrics-red-contract.js';

redContract(
  'node:http',
  async (options, gate) => {
    const server = createServer(
      withHttpMetrics(
        (req, res) => {
          const path = (req.url ?? '/').split('?')[0]!;
          const send = (status: number, body: string) => {
            res.statusCode = status;
            res.end(body);
          };
          if (['/healthz', '/readyz', '/health', '/metrics'].includes(path)) return send(200, 'ok');
          if (req.method === 'GET' && /^\/items\/[^/]+$/.test(path)) return send(200, '{}');
          if (req.method === 'POST' && path === '/items') return send(201, '{}');
          if (path === '/boom') return send(500, 'failed');
          if (path === '/slow') {
            void gate.wait().then(() => send(200, 'done'));
            return;
          }
          send(404, 'not found');
        },
        {
          routes: ['/items/:id', '/items', '/boom', '/slow', '/healthz', '/readyz', '/health', '/metrics'],
          ...options,
        },
      ),
    );
    server.listen(0, '127.0.0.1');
    return onLoopback(server);
  },
  { seesClientLeave: true },
);

test('route templates: static ones win, then the first pattern in order; nothing else matches', () => {
  const match = routeMatcher(['/items/:id', '/items/new', '/files/*', '/v1/sessions/:sessionId/messages']);
  assert.equal(match('/items/42'), '/items/:id');
  assert.equal(match('/items/new'), '/items/new');
  assert.equal(match('/items/'), undefined, 'a parameter needs a value');
  assert.equal(match('/items/42/extra'), undefined);
  assert.equal(match('/files/a/b/c'), '/files/*');
  assert.equal(match('/files'), undefined);
  assert.equal(match('/v1/sessions/s-1/messages'), '/v1/sessions/:sessionId/messages');
  assert.equal(match('/wp-login.php'), undefined);
});

test('a route template that does not start with "/" is refused', () => {
  assert.throws(() => routeMatcher(['items/:id']), { code: 'VIGIL_BAD_OPTION' });
});
