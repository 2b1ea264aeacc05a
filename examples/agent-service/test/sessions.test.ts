import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionSnapshot } from '@vigil/sdk/sessions';
import type { TurnResult } from '../src/agent/agent.js';
import { ADMIN, postMessage, startAgent } from './support/agent.js';

async function turn(url: string, sessionId: string, text: string): Promise<TurnResult> {
  const res = await postMessage(url, sessionId, { text, delayMs: 1 });
  assert.equal(res.status, 200);
  return (await res.json()) as TurnResult;
}

test('GET /admin/sessions serves the SDK session metrics: turns, tokens and tool calls per session', async () => {
  const agent = await startAgent();
  try {
    const first = await turn(agent.url, 's1', 'hello there');
    const second = await turn(agent.url, 's1', 'and again');
    const other = await turn(agent.url, 's2', 'hi');
    assert.equal(second.turn, 2);
    assert.ok(
      second.usage.prompt_tokens > first.usage.prompt_tokens,
      'prompt tokens grow with the conversation history',
    );

    const res = await fetch(`${agent.url}/admin/sessions`, { headers: ADMIN });
    assert.equal(res.status, 200);
    const list = (await res.json()) as { count: number; sessions: SessionSnapshot[] };
    assert.equal(list.count, 2);
    const s1 = list.sessions.find((s) => s.session_id === 's1');
    const s2 = list.sessions.find((s) => s.session_id === 's2');
    assert.equal(s1?.app_id, 'demo');
    assert.equal(s1?.agent_id, 'demo-assistant');
    assert.equal(s1?.channel, 'api');
    assert.equal(s1?.model, 'sim-chat-1');
    assert.equal(s1?.status, 'active');
    assert.equal(s1?.turn, 2);
    assert.equal(s1?.llm_calls, first.llm_calls + second.llm_calls);
    assert.equal(s1?.tool_calls_total, first.tool_calls.length + second.tool_calls.length);
    assert.equal(s1?.tool_calls_success, s1?.tool_calls_total);
    assert.equal(s1?.prompt_tokens, first.usage.prompt_tokens + second.usage.prompt_tokens);
    assert.equal(s1?.total_tokens, first.usage.total_tokens + second.usage.total_tokens);
    assert.equal(s2?.turn, 1);
    assert.equal(s2?.total_tokens, other.usage.total_tokens);
    assert.equal(agent.logs.events('session.started').length, 2);
  } finally {
    await agent.close();
  }
});

test('refuses a second turn on a session while its first one runs', async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const agent = await startAgent({ sleep: () => gate });
  try {
    const running = postMessage(agent.url, 'busy', { text: 'hi' });
    await agent.logs.waitFor((line) => line.event === 'llm.call.started');
    const refused = await postMessage(agent.url, 'busy', { text: 'hi again' });
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'SESSION_BUSY');
    release();
    assert.equal((await running).status, 200);
  } finally {
    release();
    await agent.close();
  }
});

test('answers the liveness and readiness probes', async () => {
  const agent = await startAgent();
  try {
    const alive = await fetch(`${agent.url}/healthz`);
    assert.equal(alive.status, 200);
    assert.deepEqual(await alive.json(), { status: 'alive' });
    const ready = await fetch(`${agent.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  } finally {
    await agent.close();
  }
});

test('a session evicted from the conversations is closed in the session metrics too', async () => {
  const agent = await startAgent({ maxSessions: 1 });
  try {
    await turn(agent.url, 'old', 'hi');
    await turn(agent.url, 'new', 'hi');
    const [closed] = agent.logs.events('session.closed');
    assert.equal(closed?.session_id, 'old');
    const res = await fetch(`${agent.url}/admin/sessions?status=all`, { headers: ADMIN });
    const list = (await res.json()) as { sessions: SessionSnapshot[] };
    assert.deepEqual(
      list.sessions.map((s) => [s.session_id, s.status]),
      [['new', 'active']],
    );
  } finally {
    await agent.close();
  }
});
