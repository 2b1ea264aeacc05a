import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, postMessage, recordingSleep, sequence, startAgent } from './support/agent.js';

// The first random draw of each provider call decides its fault: below 0.03 a 429, below 0.05 a 5xx.

test('retries a rate-limited LLM call with backoff and still answers 200', async () => {
  const { sleep, waits } = recordingSleep();
  const agent = await startAgent({ random: sequence(0, 0.5), sleep });
  try {
    const res = await postMessage(agent.url, 'r1', { text: 'hi', delayMs: 5 }, { 'x-request-id': 'retry-1' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { llm_calls: number };
    assert.equal(body.llm_calls, 3, 'one 429, then the tool-choosing call, then the reply');

    const [limited] = agent.logs.events('llm.rate_limited');
    assert.equal(limited?.status, 429);
    const retried = agent.logs.events('llm.call.retried');
    assert.equal(retried.length, 1);
    assert.equal(retried[0]?.attempt, 2);
    assert.equal(retried[0]?.level, 'warning');
    const backoff = retried[0]?.backoff_ms as number;
    assert.ok(backoff >= 250, `backoff ${backoff} ms`);
    assert.ok(waits.includes(backoff), 'the agent waited the backoff it logged');
    assert.equal(agent.logs.events('agent.completed').length, 1);
    for (const line of agent.logs.lines) assert.equal(line.correlation_id, 'retry-1');
    const [refused] = agent.logs.events('llm.call.failed');
    assert.equal(refused?.error_type, 'rate_limited');
    assert.deepEqual(
      agent.invocations.rows.map((row) => row.status),
      ['error', 'ok', 'ok'],
      'one invocation row per provider call, the refused one included',
    );
  } finally {
    await agent.close();
  }
});

test('answers 502 LLM_UNAVAILABLE and logs agent.failed when rate limits outlast the retries', async () => {
  const { sleep, waits } = recordingSleep();
  const agent = await startAgent({ random: () => 0, sleep });
  try {
    const res = await postMessage(agent.url, 'r2', { text: 'hi', delayMs: 5 }, { 'x-request-id': 'fail-1' });
    assert.equal(res.status, 502);
    const answer = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(answer.error.code, 'LLM_UNAVAILABLE');
    assert.match(answer.error.message, /429/);
    assert.match(answer.error.message, /4 attempt/);

    assert.equal(agent.logs.events('llm.call.retried').length, 3);
    const backoffs = agent.logs.events('llm.call.retried').map((line) => line.backoff_ms as number);
    assert.deepEqual(
      backoffs,
      waits.filter((ms) => ms !== 5),
      'each retry waited its logged backoff',
    );
    const [failed] = agent.logs.events('agent.failed');
    assert.equal(failed?.level, 'error');
    assert.equal(failed?.error_type, 'rate_limited');
    assert.match(String(failed?.error), /kept rate-limiting \(HTTP 429\) after 4 attempts/);
    assert.equal(agent.logs.events('agent.failed').length, 1, 'logged once, by the recorder');
    await agent.logs.waitFor((line) => line.event === 'http.request.failed');
    for (const line of agent.logs.lines) assert.equal(line.correlation_id, 'fail-1');

    const sessions = (await (await fetch(`${agent.url}/admin/sessions`, { headers: ADMIN })).json()) as {
      sessions: Record<string, number>[];
    };
    assert.equal(sessions.sessions[0]?.turn, 0, 'a failed turn is not counted as a turn');
    assert.equal(sessions.sessions[0]?.llm_calls, 4);
    const rows = agent.invocations.rows;
    assert.deepEqual(
      rows.map((row) => row.status),
      ['error', 'error', 'error', 'error'],
    );
    assert.ok(rows.every((row) => row.correlation_id === 'fail-1' && row.cost_usd === null));
  } finally {
    await agent.close();
  }
});

test('answers 502 without retrying when the provider answers a server error', async () => {
  const { sleep } = recordingSleep();
  const agent = await startAgent({ random: sequence(0.04, 0.5), sleep });
  try {
    const res = await postMessage(agent.url, 'r3', { text: 'hi', delayMs: 5 });
    assert.equal(res.status, 502);
    const answer = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(answer.error.code, 'LLM_UNAVAILABLE');
    assert.match(answer.error.message, /HTTP 5\d\d after 1 attempt;/);
    assert.equal(agent.logs.events('llm.call.retried').length, 0);
    assert.equal(agent.logs.events('llm.call.failed')[0]?.error_type, 'server_error');
  } finally {
    await agent.close();
  }
});
