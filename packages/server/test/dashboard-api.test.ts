// The dashboard's routes: a target's /health and the agents' sessions read from active scrape targets only,
// with the caller's token; the audit log and its chain check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryAuditStore } from '@vigil/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { dashboardApi } from '../src/dashboard-api/index.js';
import type { ScrapeTarget, TargetHealth } from '../src/scrape/target.js';

const TOKEN = 'Bearer fleet-token';

function target(url: string, job = 'agents'): ScrapeTarget {
  const instance = new URL(url).host;
  return {
    key: `${job}|${url}`,
    job,
    url,
    labels: [
      { name: 'instance', value: instance },
      { name: 'job', value: job },
    ],
    discoveredLabels: {},
    intervalMs: 15_000,
    timeoutMs: 10_000,
    honorLabels: false,
    honorTimestamps: true,
    limits: { sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0, bodySizeLimit: 0 },
  } as unknown as ScrapeTarget;
}

/** An agent: /health (down when told) and /admin/sessions, both needing the fleet token. */
async function startAgent(name: string, options: { down?: boolean; slow?: boolean } = {}) {
  const app = Fastify();
  const seen: (string | undefined)[] = [];
  app.addHook('onRequest', async (req, reply) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== TOKEN) return reply.code(401).send({ error: 'unauthorized' });
    if (options.slow) await new Promise((resolve) => setTimeout(resolve, 500));
  });
  app.get('/health', async (_req, reply) =>
    reply.code(options.down ? 503 : 200).send({ status: options.down ? 'down' : 'ok', service: name, components: [] }),
  );
  app.get('/admin/sessions', async (req) => {
    const status = (req.query as { status?: string }).status;
    return {
      count: 1,
      truncated: false,
      sessions: [{ session_id: `${name}-${status}`, status, last_active_at: name === 'a' ? 100 : 200 }],
    };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, seen };
}

describe('dashboard API', () => {
  let a: Awaited<ReturnType<typeof startAgent>>;
  let b: Awaited<ReturnType<typeof startAgent>>;
  let slow: Awaited<ReturnType<typeof startAgent>>;
  let bare: FastifyInstance;
  let bareUrl: string;
  let api: FastifyInstance;
  let targets: ScrapeTarget[];
  const audit = new MemoryAuditStore();
  const scrapes: TargetHealth = { health: 'up', lastError: '', lastScrape: 1000, lastScrapeDurationMs: 5 };

  before(async () => {
    a = await startAgent('a');
    b = await startAgent('b', { down: true });
    slow = await startAgent('slow', { slow: true });
    bare = Fastify();
    // A web app's catch-all: every path is its page.
    bare.get('/admin/*', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>app</title>'));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
    targets = [
      target(`${a.url}/metrics`),
      target(`${a.url}/metrics?format=x`, 'again'),
      target(`${b.url}/metrics`),
      target(`${bareUrl}/metrics`, 'node'),
    ];
    await audit.appendBatch([
      { event_type: 'auth.login', actor_user_id: 'u1', ts: 1000 },
      { event_type: 'token.revoked', actor_user_id: 'u2', target_app_id: 'support', ts: 2000 },
      { event_type: 'auth.login', actor_user_id: 'u2', ts: 3000 },
    ]);
    api = Fastify();
    await api.register(dashboardApi, {
      active: () => targets.map((t) => ({ target: t, health: scrapes })),
      audit,
      targetTimeoutMs: 200,
      eventsCheckMs: 20,
    });
  });

  after(async () => {
    await Promise.all([a.app.close(), b.app.close(), slow.app.close(), bare.close(), api.close()]);
  });

  const get = (url: string) => api.inject({ method: 'GET', url, headers: { authorization: TOKEN } });

  it('health answers an active target’s /health as it gave it, with the caller’s token', async () => {
    const res = await get(`/api/vigil/health?target=${encodeURIComponent(`${a.url}/metrics`)}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', service: 'a', components: [] });
    assert.equal(a.seen.at(-1), TOKEN);
    const down = await get(`/api/vigil/health?target=${encodeURIComponent(`${b.url}/metrics`)}`);
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().status, 'down');
  });

  it('health refuses a URL that is not an active target (no proxy to anywhere)', async () => {
    for (const url of [`${a.url}/health`, 'http://169.254.169.254/latest/meta-data', `${slow.url}/metrics`]) {
      const res = await get(`/api/vigil/health?target=${encodeURIComponent(url)}`);
      assert.equal(res.statusCode, 404, url);
    }
    assert.equal((await get('/api/vigil/health')).statusCode, 400);
  });

  it('health answers 504 when the target is slow and 502 when it has no /health or is gone', async () => {
    targets.push(target(`${slow.url}/metrics`));
    try {
      const res = await get(`/api/vigil/health?target=${encodeURIComponent(`${slow.url}/metrics`)}`);
      assert.equal(res.statusCode, 504);
      assert.match(res.json().error, /no answer within 200 ms/);
    } finally {
      targets.pop();
    }
    const missing = await get(`/api/vigil/health?target=${encodeURIComponent(`${bareUrl}/metrics`)}`);
    assert.equal(missing.statusCode, 502);
    assert.match(missing.json().error, /answered 404/);
  });

  it('sessions gathers every agent’s sessions once per origin, newest first, skipping targets that are no agents', async () => {
    const res = await get('/api/vigil/sessions?status=closed');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(
      body.sessions.map((s: { session_id: string }) => s.session_id),
      ['b-closed', 'a-closed'],
    );
    assert.equal(body.sessions[1].job, 'agents');
    assert.equal(body.count, 2);
    assert.equal(body.truncated, false);
    assert.deepEqual(body.errors, []);
    const limited = (await get('/api/vigil/sessions?limit=1')).json();
    assert.equal(limited.sessions.length, 1);
    assert.equal(limited.truncated, true);
    assert.equal((await get('/api/vigil/sessions?status=everything')).statusCode, 400);
  });

  it('sessions names the agents that refused the token and still answers the rest', async () => {
    const res = await api.inject({ method: 'GET', url: '/api/vigil/sessions', headers: { authorization: 'Bearer x' } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.count, 0);
    assert.equal(body.errors.length, 2);
    assert.match(body.errors[0].error, /answered 401/);
  });

  it('audit lists events with filters and the total, and verifies the chain', async () => {
    const res = await get('/api/vigil/audit?event_type=auth.login&order=desc&limit=1');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 2);
    assert.deepEqual(
      body.records.map((e: { actor_user_id: string }) => e.actor_user_id),
      ['u2'],
    );
    const since = (await get('/api/vigil/audit?since=1500&until=2500&target_app_id=support')).json();
    assert.deepEqual(
      since.records.map((e: { event_type: string }) => e.event_type),
      ['token.revoked'],
    );
    assert.equal((await get('/api/vigil/audit?limit=0')).statusCode, 400);
    const verify = (await get('/api/vigil/audit/verify')).json();
    assert.equal(verify.ok, true);
    assert.equal(verify.checked, 3);
    assert.equal(verify.broken, null);
  });

  it('events pushes a data event once a scrape round has finished, and the streams end when the app closes', async () => {
    const events = Fastify();
    await events.register(dashboardApi, {
      active: () => [{ target: target(`${a.url}/metrics`), health: scrapes }],
      eventsCheckMs: 20,
    });
    await events.listen({ port: 0, host: '127.0.0.1' });
    const port = (events.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/vigil/events`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? '';
    assert.doesNotMatch(text, /^data:/m, 'nothing changed yet');
    scrapes.lastScrape += 1000;
    while (!/^data: \{"reason":"scrape"\}$/m.test(text)) {
      const chunk = await reader.read();
      assert.equal(chunk.done, false, 'the stream ended before the event');
      text += chunk.value;
    }
    await events.close();
    assert.equal((await reader.read()).done, true);
  });
});
