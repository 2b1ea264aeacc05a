import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postMessage, type RunningAgent, startAgent } from './support/agent.js';

describe('correlation of a message turn', () => {
  let agent: RunningAgent;
  before(async () => {
    agent = await startAgent();
  });
  after(() => agent.close());

  test('returns the incoming X-Request-ID and tags every log line with it', async () => {
    const res = await postMessage(agent.url, 's1', { text: 'hi', delayMs: 5 }, { 'x-request-id': 'abc-1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), 'abc-1');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.session_id, 's1');
    assert.equal(body.turn, 1);
    assert.equal(typeof body.reply, 'string');

    const { logs } = agent;
    await logs.waitFor((line) => line.event === 'http.request.completed' && line.correlation_id === 'abc-1');
    assert.ok(logs.lines.length >= 5, `expected several lines, got ${logs.lines.length}`);
    for (const line of logs.lines) assert.equal(line.correlation_id, 'abc-1', JSON.stringify(line));
    const modules = new Set(logs.lines.map((line) => line.module));
    for (const module of ['llm', 'tools', 'agent', 'sessions', 'recording', 'http']) {
      assert.ok(modules.has(module), module);
    }
    for (const event of ['llm.call.completed', 'tool.call.completed', 'agent.completed', 'http.request.completed']) {
      assert.ok(logs.events(event).length > 0, `no ${event} line`);
    }
    const requestLine = logs.events('http.request.completed')[0];
    assert.equal(requestLine?.channel, 'api');
    assert.equal(requestLine?.task_id, 's1#1');
    // The recorder writes the call events; nothing writes them twice.
    assert.equal(logs.events('llm.call.completed').length, body.llm_calls);
    assert.equal(logs.events('tool.call.completed').length, (body.tool_calls as unknown[]).length);
  });

  test('writes one invocation row per provider call, under the request id', async () => {
    const res = await postMessage(agent.url, 'inv-1', { text: 'hi', delayMs: 5 }, { 'x-request-id': 'inv-req' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      llm_calls: number;
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const rows = agent.invocations.rows.filter((row) => row.session_id === 'inv-1');
    assert.equal(rows.length, body.llm_calls);
    for (const row of rows) {
      assert.equal(row.correlation_id, 'inv-req');
      assert.equal(row.app_id, 'demo');
      assert.equal(row.task_id, 'inv-1#1');
      assert.equal(row.user_id, 'anonymous');
      assert.equal(row.model_actual, 'sim-chat-1');
      assert.equal(row.provider, 'simulated');
      assert.equal(row.status, 'ok');
      assert.match(row.input_hash ?? '', /^[0-9a-f]{64}$/);
      assert.ok(typeof row.cost_usd === 'number' && row.cost_usd > 0, `cost_usd ${row.cost_usd}`);
    }
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    assert.equal(
      sum((row) => row.tokens_in),
      body.usage.prompt_tokens,
    );
    assert.equal(
      sum((row) => row.tokens_out),
      body.usage.completion_tokens,
    );
  });

  test('accepts a JSON body that plain curl -d sends as a form', async () => {
    const res = await fetch(`${agent.url}/v1/sessions/form-1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'form-req' },
      body: '{"text":"hi","delayMs":1}',
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { session_id: string }).session_id, 'form-1');
  });

  test('makes up a request id when none comes in, and answers with it', async () => {
    const res = await postMessage(agent.url, 'no-id', { text: 'hi', delayMs: 1 });
    assert.equal(res.status, 200);
    const id = res.headers.get('x-request-id');
    assert.ok(id !== null && id.length > 0);
    const line = await agent.logs.waitFor((l) => l.event === 'agent.completed' && l.session_id === 'no-id');
    assert.equal(line.correlation_id, id);
  });

  test('puts the X-User-ID header on every line of the request as user_id', async () => {
    const res = await postMessage(
      agent.url,
      'u1',
      { text: 'hi', delayMs: 1 },
      { 'x-request-id': 'user-req', 'x-user-id': 'ada@example.org' },
    );
    assert.equal(res.status, 200);
    await agent.logs.waitFor((l) => l.event === 'http.request.completed' && l.correlation_id === 'user-req');
    const lines = agent.logs.lines.filter((l) => l.correlation_id === 'user-req');
    assert.ok(lines.length >= 5);
    for (const line of lines) assert.equal(line.user_id, 'ada@example.org');
  });
});

test('never mixes the correlation ids of concurrent requests to different sessions', async () => {
  const agent = await startAgent();
  try {
    const count = 8;
    // Different delays make the turns interleave: later requests finish first.
    const responses = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        postMessage(
          agent.url,
          `c${i}`,
          { text: 'weather in Paris?', delayMs: 2 * (count - i) },
          { 'x-request-id': `req-${i}` },
        ),
      ),
    );
    for (const [i, res] of responses.entries()) {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-request-id'), `req-${i}`);
      assert.equal(((await res.json()) as { session_id: string }).session_id, `c${i}`);
    }
    for (let i = 0; i < count; i++) {
      await agent.logs.waitFor((l) => l.event === 'http.request.completed' && l.correlation_id === `req-${i}`);
    }
    for (const line of agent.logs.lines) {
      const i = Number(String(line.correlation_id).replace('req-', ''));
      assert.ok(Number.isInteger(i), `line without a known id: ${JSON.stringify(line)}`);
      if (line.session_id !== undefined) assert.equal(line.session_id, `c${i}`, JSON.stringify(line));
      if (line.task_id !== undefined) assert.equal(line.task_id, `c${i}#1`, JSON.stringify(line));
    }
    for (let i = 0; i < count; i++) {
      const own = agent.logs.lines.filter((l) => l.correlation_id === `req-${i}`);
      assert.deepEqual(
        own.filter((l) => l.event === 'llm.call.completed').length,
        2,
        `request ${i} should have its own two LLM calls`,
      );
    }
  } finally {
    await agent.close();
  }
});
