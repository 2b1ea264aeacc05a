import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { after, describe, test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { AdminAuth } from '../src/health/index.js';
import {
  type SessionRegistry,
  SessionStream,
  type SessionStreamOptions,
  sessionAdmin,
  sessionRoutes,
} from '../src/sessions/index.js';
import { onLoopback } from './support/loopback.js';
import { testRegistry } from './support/sessions-clock.js';
import { SseClient } from './support/sessions-sse.js';

const TOKEN = 'sessions-admin-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const auth = new AdminAuth({ tokens: [TOKEN], env: {} });

/** The session routes and stream on a real node:http server on loopback. */
async function serve(registry: SessionRegistry, options: Partial<SessionStreamOptions> = {}) {
  const admin = sessionAdmin({ registry, auth, ...options });
  const closed: Promise<unknown>[] = [];
  const server = createServer((req, res) => {
    closed.push(once(res, 'close'));
    admin(req, res);
  });
  server.listen(0, '127.0.0.1');
  const app = await onLoopback(server);
  after(() => app.close());
  return { ...app, stream: admin.stream, closed };
}

async function getJson(url: string, headers: Record<string, string> = AUTH) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('session routes', () => {
  test('GET /admin/sessions lists open sessions, latest activity first, with filters and a limit', async () => {
    const { registry, clock } = testRegistry();
    registry.start('s1', { appId: 'support' });
    clock.advance(10);
    registry.start('s2', { appId: 'sales' });
    clock.advance(10);
    registry.start('s3', { appId: 'support' });
    registry.end('s3');
    const { url } = await serve(registry);

    const open = await getJson(`${url}/admin/sessions`);
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('cache-control'), 'no-store');
    assert.deepEqual(
      (open.body.sessions as { session_id: string }[]).map((s) => s.session_id),
      ['s2', 's1'],
    );
    const all = await getJson(`${url}/admin/sessions?status=all&app_id=support`);
    assert.deepEqual(
      (all.body.sessions as { session_id: string }[]).map((s) => s.session_id),
      ['s3', 's1'],
    );
    const one = await getJson(`${url}/admin/sessions?status=all&limit=1`);
    assert.deepEqual([one.body.count, one.body.truncated, (one.body.sessions as unknown[]).length], [3, true, 1]);

    assert.deepEqual((await getJson(`${url}/admin/sessions?status=sleeping`)).body, {
      error: 'status must be one of active, idle, closed, open, all',
    });
    assert.equal((await getJson(`${url}/admin/sessions?limit=-3`)).status, 400);
    assert.equal((await getJson(`${url}/admin/sessions?limit=1e3`)).status, 400);
  });

  test('GET /admin/sessions/:id answers one snapshot, 404 JSON when unknown, 400 on a bad id', async () => {
    const { registry } = testRegistry();
    registry.start('team/alpha 1', { appId: 'a' });
    registry.completeTurn('team/alpha 1');
    const { url } = await serve(registry);

    const found = await getJson(`${url}/admin/sessions/${encodeURIComponent('team/alpha 1')}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.session_id, 'team/alpha 1');
    assert.equal(found.body.turn, 1);

    const missing = await getJson(`${url}/admin/sessions/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(missing.body, { error: 'unknown session', session_id: 'nope' });

    const bad = await getJson(`${url}/admin/sessions/%E0%A4%A`);
    assert.deepEqual([bad.status, bad.body.error], [400, 'bad path segment: is not valid URL encoding']);

    // The same id in a second app: the bare path cannot choose, `?app_id=` does.
    registry.start({ appId: 'b', sessionId: 'team/alpha 1' });
    const path = `${url}/admin/sessions/${encodeURIComponent('team/alpha 1')}`;
    const ambiguous = await getJson(path);
    assert.deepEqual([ambiguous.status, ambiguous.body.app_ids], [409, ['a', 'b']]);
    assert.match(ambiguous.body.error as string, /add \?app_id=/);
    const inB = await getJson(`${path}?app_id=b`);
    assert.deepEqual([inB.status, inB.body.app_id, inB.body.turn], [200, 'b', 0]);
    const inA = await getJson(`${path}?app_id=a`);
    assert.deepEqual([inA.status, inA.body.app_id, inA.body.turn], [200, 'a', 1]);
    const notInC = await getJson(`${path}?app_id=c`);
    assert.deepEqual([notInC.status, notInC.body.app_id], [404, 'c']);
    assert.equal((await getJson(`${path}?app_id=`)).status, 400);
    // Once the registry's own app has the id too, the bare path is that one, as registry.get(id).
    registry.start({ appId: registry.appId, sessionId: 'team/alpha 1' });
    const own = await getJson(path);
    assert.deepEqual([own.status, own.body.app_id], [200, registry.appId]);
  });

  test('GET /admin/sessions/rollup answers the global and per-app rollups', async () => {
    const { registry } = testRegistry({ appId: 'default' });
    registry.recordLlmCall('a1', { promptTokens: 10, completionTokens: 2, durationMs: 100 });
    registry.start('b1', { appId: 'sales' });
    registry.recordLlmCall('b1', { promptTokens: 5, completionTokens: 1, durationMs: 300 });
    const { url } = await serve(registry);

    const rollup = await getJson(`${url}/admin/sessions/rollup`);
    assert.equal(rollup.status, 200);
    const global = rollup.body.global as Record<string, number>;
    assert.deepEqual([global.apps, global.sessions, global.total_tokens, global.avg_llm_ms], [2, 2, 18, 200]);
    assert.deepEqual(
      (rollup.body.apps as { app_id: string; total_tokens: number }[]).map((a) => [a.app_id, a.total_tokens]),
      [
        ['default', 12],
        ['sales', 6],
      ],
    );
    const sales = await getJson(`${url}/admin/sessions/rollup/sales`);
    assert.deepEqual([sales.status, sales.body.app_id, sales.body.sessions], [200, 'sales', 1]);
    const unknown = await getJson(`${url}/admin/sessions/rollup/nobody`);
    assert.deepEqual([unknown.status, unknown.body], [404, { error: 'unknown app', app_id: 'nobody' }]);
  });

  test('every session route answers 401 with a challenge without a valid admin token', async () => {
    const { registry } = testRegistry();
    registry.start('s');
    const { url } = await serve(registry);
    for (const path of [
      '/admin/sessions',
      '/admin/sessions/s',
      '/admin/sessions/rollup',
      '/admin/sessions/rollup/default',
      '/admin/sessions/stream',
    ]) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
        const res = await fetch(`${url}${path}`, { headers });
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="vigil"');
        assert.deepEqual(await res.json(), { error: 'unauthorized' });
      }
    }
  });

  test('other requests are passed on untouched', async () => {
    const { registry } = testRegistry();
    const handle = sessionRoutes({ registry, auth });
    for (const path of ['/admin', '/admin/sessionsx', '/admin/sessions/a/b', '/admin/sessions/stream', '/healthz']) {
      assert.equal(await handle({ method: 'GET', path, headers: AUTH }), undefined, path);
    }
    assert.equal(await handle({ method: 'POST', path: '/admin/sessions', headers: AUTH }), undefined);
    const { url } = await serve(registry);
    const res = await fetch(`${url}/elsewhere`);
    assert.equal(res.status, 404);
  });
});

describe('session event stream', () => {
  test('a client receives the metrics events in order, with increasing ids', async () => {
    const { registry } = testRegistry();
    const { url } = await serve(registry);
    const client = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    assert.equal(client.contentType, 'text/event-stream; charset=utf-8');
    assert.deepEqual(await client.waitFor((f) => f.comment === 'connected'), { comment: 'connected' });

    registry.start('s', { appId: 'a' });
    registry.recordToolCall('s', { tool: 'search', ok: true, durationMs: 5 });
    registry.completeTurn('s');
    registry.end('s');
    const events = await client.waitForEvents(6);
    assert.deepEqual(
      events.map((e) => e.event),
      [
        'metrics:session_updated',
        'metrics:tool_completed',
        'metrics:session_updated',
        'metrics:turn_completed',
        'metrics:session_updated',
        'metrics:session_updated',
      ],
    );
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
    );
    assert.equal(new Set(ids).size, ids.length);
    const last = JSON.parse(events.at(-1)!.data!);
    assert.deepEqual([last.session_id, last.status, last.turn, last.tool_calls_total], ['s', 'closed', 1, 1]);
    client.close();
  });

  test("?app_id= keeps only that app's events", async () => {
    const { registry } = testRegistry();
    const { url } = await serve(registry);
    const client = await SseClient.open(`${url}/admin/sessions/stream?app_id=sales`, AUTH);
    registry.start('x', { appId: 'support' });
    registry.start('y', { appId: 'sales' });
    const [first] = await client.waitForEvents(1);
    assert.equal(JSON.parse(first!.data!).session_id, 'y');
    assert.equal(client.events.length, 1);
    client.close();
    const bad = await SseClient.open(`${url}/admin/sessions/stream?app_id=`, AUTH).catch((e: { status: number }) => e);
    assert.equal((bad as { status: number }).status, 400);
  });

  test('heartbeats keep an idle stream alive', async () => {
    const { registry } = testRegistry();
    const { url } = await serve(registry, { heartbeatMs: 20 });
    const client = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    await client.waitFor((f) => f.comment === 'heartbeat');
    client.close();
  });

  test('closing the connection unsubscribes from the registry', async () => {
    const { registry } = testRegistry();
    const { url, stream, closed } = await serve(registry, { heartbeatMs: 10 });
    const a = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    const b = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    assert.equal(stream.clients, 2);
    assert.equal(registry.listenerCount(), 4, 'one subscription per event type, shared by every client');
    a.close();
    await closed[0];
    assert.equal(stream.clients, 1);
    registry.start('s');
    await b.waitForEvents(1);
    b.close();
    await closed[1];
    assert.equal(stream.clients, 0);
    assert.equal(registry.listenerCount(), 0);
    assert.equal(stream.stats().connected, 2);
  });

  test('a client that does not read is dropped once its buffer is full; the others carry on', async () => {
    const { registry } = testRegistry();
    const { url, stream, closed } = await serve(registry, { maxBufferBytes: 256 * 1024 });
    const fast = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    const port = new URL(url).port;
    const slow = connect(Number(port), '127.0.0.1');
    slow.on('error', () => {}); // the server resets it when it drops it
    await once(slow, 'connect');
    slow.write(`GET /admin/sessions/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    await once(slow, 'data');
    slow.pause(); // never reads again
    assert.equal(stream.clients, 2, 'the first bytes came after the client was added');

    registry.start('s');
    const goal = 'g'.repeat(1000);
    let sent = 0;
    while (stream.stats().dropped_slow === 0 && sent < 200_000) {
      for (let i = 0; i < 20; i++) registry.setMemory('s', { goal, factsCount: ++sent });
      await new Promise(setImmediate);
    }
    assert.equal(stream.stats().dropped_slow, 1);
    await closed[1];
    assert.equal(stream.clients, 1, 'only the slow client went');
    registry.setMemory('s', { factsCount: -1 }); // refused: no event
    registry.completeTurn('s');
    await fast.waitFor((f) => f.event === 'metrics:session_updated' && JSON.parse(f.data!).turn === 1);
    const updates = fast.events.filter((e) => e.event === 'metrics:session_updated');
    assert.equal(updates.length, 1 + sent + 1, 'the fast client missed nothing');
    fast.close();
    slow.destroy();
  });

  test('past maxClients a new client gets 503', async () => {
    const { registry } = testRegistry();
    const { url, stream } = await serve(registry, { maxClients: 1 });
    const first = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    const refused = await SseClient.open(`${url}/admin/sessions/stream`, AUTH).catch((e: { status: number }) => e);
    assert.equal((refused as { status: number }).status, 503);
    assert.equal(stream.stats().refused_full, 1);
    first.close();
  });

  test('close() ends every stream and refuses new clients', async () => {
    const { registry } = testRegistry();
    const { url, stream, closed } = await serve(registry);
    const client = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    stream.close();
    await closed[0];
    assert.equal(registry.listenerCount(), 0);
    const refused = await SseClient.open(`${url}/admin/sessions/stream`, AUTH).catch((e: { status: number }) => e);
    assert.equal((refused as { status: number }).status, 503);
    client.close();
  });

  test('mounts on Express as a middleware', async () => {
    const { registry } = testRegistry();
    const admin = sessionAdmin({ registry, auth });
    const app = express();
    app.use(admin);
    app.get('/other', (_req, res) => void res.json({ other: true }));
    const served = await onLoopback(app.listen(0, '127.0.0.1'));
    after(() => served.close());
    const client = await SseClient.open(`${served.url}/admin/sessions/stream`, AUTH);
    registry.start('e');
    const [event] = await client.waitForEvents(1);
    assert.equal(JSON.parse(event!.data!).session_id, 'e');
    assert.equal((await getJson(`${served.url}/admin/sessions/e`)).body.session_id, 'e');
    assert.deepEqual((await getJson(`${served.url}/other`)).body, { other: true });
    client.close();
    admin.stream.close();
  });

  test('mounts on Fastify with reply.hijack()', async () => {
    const { registry } = testRegistry();
    const stream = new SessionStream({ registry, auth });
    const routes = sessionRoutes({ registry, auth });
    const app = Fastify();
    app.get('/admin/sessions/stream', (req, reply) => {
      reply.hijack();
      void stream.handle(req.raw, reply.raw);
    });
    app.get('/admin/sessions/*', async (req, reply) => {
      const [path = '/', query] = req.url.split('?', 2);
      const response = await routes({ method: req.method, path, headers: req.headers, query });
      if (response === undefined) return reply.callNotFound();
      return reply.code(response.status).headers(response.headers).send(response.body);
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    after(() => app.close());
    const client = await SseClient.open(`${url}/admin/sessions/stream`, AUTH);
    registry.start('f');
    const [event] = await client.waitForEvents(1);
    assert.equal(JSON.parse(event!.data!).session_id, 'f');
    const one = await getJson(`${url}/admin/sessions/f`);
    assert.equal(one.body.session_id, 'f');
    client.close();
    stream.close();
  });
});
