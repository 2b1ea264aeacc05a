import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, postMessage, startAgent } from './support/agent.js';

test('answers 429 BUDGET_EXHAUSTED once the daily budget is spent, and calls no model', async () => {
  // One turn of sim-chat-1 costs a few hundredths of a cent: the first turn spends it all.
  const agent = await startAgent({ dailyBudgetUsd: 0.000001 });
  try {
    const first = await postMessage(agent.url, 'b1', { text: 'hi', delayMs: 1 });
    assert.equal(first.status, 200);
    const rowsBefore = agent.invocations.rows.length;

    const refused = await postMessage(agent.url, 'b2', { text: 'hi again', delayMs: 1 }, { 'x-request-id': 'broke' });
    assert.equal(refused.status, 429);
    const answer = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(answer.error.code, 'BUDGET_EXHAUSTED');
    assert.match(answer.error.message, /daily LLM budget of \$0\.000001 is spent/);
    assert.match(answer.error.message, /resume at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 86_400, `retry-after ${retryAfter}`);
    assert.equal(agent.invocations.rows.length, rowsBefore, 'no provider call was made');

    const [paused] = agent.logs.events('cost.agent_paused');
    assert.equal(paused?.budget, 'daily');
    const thresholds = agent.logs.events('cost.daily_threshold').map((line) => line.threshold_percent);
    assert.deepEqual(thresholds, [80, 95, 100]);
    const metrics = await (await fetch(`${agent.url}/metrics`)).text();
    assert.match(metrics, /^vigil_budget_threshold_crossed_total\{budget="daily",threshold="100"\} 1$/m);
    assert.match(metrics, /^vigil_budget_remaining_usd\{budget="daily",app=""\} 0$/m);

    const list = (await (await fetch(`${agent.url}/admin/sessions`, { headers: ADMIN })).json()) as {
      sessions: { session_id: string }[];
    };
    assert.deepEqual(
      list.sessions.map((s) => s.session_id),
      ['b1'],
      'a refused turn opens no session',
    );
  } finally {
    await agent.close();
  }
});

test('prices every call of sim-chat-1 with the demo price, so budgets count real spend', async () => {
  const agent = await startAgent();
  try {
    const res = await postMessage(agent.url, 'p1', { text: 'hi', delayMs: 1 });
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const cost = agent.invocations.rows.reduce((sum, row) => sum + (row.cost_usd ?? 0), 0);
    // $0.15 per 1M prompt tokens and $0.60 per 1M completion tokens.
    const expected = (body.usage.prompt_tokens * 0.15 + body.usage.completion_tokens * 0.6) / 1e6;
    assert.ok(Math.abs(cost - expected) < 1e-12, `${cost} != ${expected}`);
    const metrics = await (await fetch(`${agent.url}/metrics`)).text();
    const spent = /^vigil_budget_spend_usd\{budget="daily",app=""\} (\S+)$/m.exec(metrics)?.[1];
    assert.ok(spent !== undefined && Math.abs(Number(spent) - expected) < 1e-12, `spend gauge ${spent}`);
  } finally {
    await agent.close();
  }
});
