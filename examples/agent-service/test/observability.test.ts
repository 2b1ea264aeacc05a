import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { ADMIN, postMessage, type RunningAgent, startAgent } from './support/agent.js';

/** `promtool check metrics` on `text` (Debian package `prometheus`). */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.PROMTOOL ?? 'promtool', ['check', 'metrics']);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', (err) =>
      reject(new Error(`promtool did not run (install the Debian package prometheus): ${err.message}`)),
    );
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('the demo agent is observable', () => {
  let agent: RunningAgent;
  before(async () => {
    agent = await startAgent();
    const res = await postMessage(agent.url, 'obs-1', { text: 'what is 2+2?', delayMs: 5 });
    assert.equal(res.status, 200);
  });
  after(() => agent.close());

  test('its /metrics has RED, agent and GenAI metrics and passes promtool check metrics', async () => {
    const res = await fetch(`${agent.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(
      text,
      /^http_requests_total\{method="POST",route="\/v1\/sessions\/:sessionId\/messages",status="200"\} 1$/m,
    );
    assert.match(text, /^vigil_agent_turns_total\{agent="demo-assistant"\} 1$/m);
    assert.match(text, /^vigil_agent_tool_calls_total\{agent="demo-assistant",tool="\w+",status="ok"\} 1$/m);
    assert.match(text, /^gen_ai_client_token_usage_count\{.*gen_ai_token_type="input".*\} 2$/m);
    assert.doesNotMatch(text, /obs-1/, 'no session id becomes a label');
    const { code, output } = await promtoolCheck(text);
    assert.equal(code, 0, `promtool check metrics:\n${output}`);
  });

  test('readyz is ready, and /health shows the components and the turn pool to admins only', async () => {
    assert.deepEqual(await (await fetch(`${agent.url}/readyz`)).json(), { status: 'ready' });
    const refused = await fetch(`${agent.url}/health`);
    assert.equal(refused.status, 401);
    const res = await fetch(`${agent.url}/health`, { headers: ADMIN });
    const health = (await res.json()) as {
      status: string;
      components: Array<{ name: string }>;
      workers: { max_workers: number };
    };
    assert.equal(health.status, 'ok');
    assert.deepEqual(health.components.map((c) => c.name).sort(), ['llm_provider', 'tools']);
    assert.equal(health.workers.max_workers, 16);
  });

  test('/admin/sessions refuses requests without the admin token', async () => {
    const res = await fetch(`${agent.url}/admin/sessions`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="vigil"');
    assert.deepEqual(await res.json(), { error: 'unauthorized' });
    const wrong = await fetch(`${agent.url}/admin/sessions`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
  });
});
