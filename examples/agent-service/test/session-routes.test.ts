import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionSnapshot } from '@vigil/sdk/sessions';
import { ADMIN, postMessage, startAgent } from './support/agent.js';

test('serves one session and the rollup from the SDK routes, to admins only', async () => {
  const agent = await startAgent();
  try {
    const res = await postMessage(agent.url, 'one', { text: 'weather in Oslo?', delayMs: 1 }, { 'x-user-id': 'ada' });
    assert.equal(res.status, 200);

    const one = await fetch(`${agent.url}/admin/sessions/one`, { headers: ADMIN });
    assert.equal(one.status, 200);
    const snapshot = (await one.json()) as SessionSnapshot;
    assert.equal(snapshot.user_id, 'ada');
    assert.equal(snapshot.turn, 1);
    assert.equal(snapshot.tool_metrics.get_weather?.calls, 1);
    assert.ok(snapshot.context.system_tokens > 0 && snapshot.context.messages_tokens > 0);
    assert.equal(snapshot.context.tools_tokens, 3 * 60);

    const unknown = await fetch(`${agent.url}/admin/sessions/nope`, { headers: ADMIN });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: string }).error, 'unknown session');

    const rollup = (await (await fetch(`${agent.url}/admin/sessions/rollup`, { headers: ADMIN })).json()) as {
      global: { sessions: number; turns: number };
      apps: { app_id: string }[];
    };
    assert.equal(rollup.global.sessions, 1);
    assert.deepEqual(
      rollup.apps.map((app) => app.app_id),
      ['demo'],
    );

    for (const path of ['/admin/sessions/one', '/admin/sessions/rollup', '/admin/sessions/stream']) {
      assert.equal((await fetch(`${agent.url}${path}`)).status, 401, path);
    }
  } finally {
    await agent.close();
  }
});

test('streams session events to an admin, and closing the app ends the stream', async () => {
  const agent = await startAgent();
  let closed = false;
  try {
    const res = await fetch(`${agent.url}/admin/sessions/stream`, { headers: ADMIN });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.body !== null);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}; got ${received}`);
        received += value;
      }
    };
    await readUntil(/: connected\n\n/);

    assert.equal((await postMessage(agent.url, 'live', { text: 'hi', delayMs: 1 })).status, 200);
    await readUntil(/event: metrics:turn_completed\ndata: .*"session_id":"live"/);
    assert.match(received, /event: metrics:session_updated\n/);

    // An open stream must not hold the server: closing the app ends it.
    await agent.close();
    closed = true;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {}
  } finally {
    if (!closed) await agent.close();
  }
});
