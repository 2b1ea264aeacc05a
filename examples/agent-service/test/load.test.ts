import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import type { SessionSnapshot } from '@vigil/sdk/sessions';
import { startLoad } from '../src/load.js';
import { ADMIN, LogCapture, recordingSleep, startAgent } from './support/agent.js';

test('the load generator sends a bounded number of requests to a real server and stops', async () => {
  const agent = await startAgent({ sleep: recordingSleep().sleep });
  const loadLogs = new LogCapture();
  try {
    const load = startLoad({
      target: agent.url,
      ratePerSecond: 50,
      sessions: 3,
      maxRequests: 6,
      delayMs: 0,
      logger: createLogger({ service: 'load', destination: loadLogs, env: {} }),
    });
    const stats = await load.finished;
    assert.deepEqual({ sent: stats.sent, ok: stats.ok, failed: stats.failed }, { sent: 6, ok: 6, failed: 0 });
    assert.deepEqual(await load.stop(), stats, 'stopping a finished run changes nothing');

    const list = (await (await fetch(`${agent.url}/admin/sessions`, { headers: ADMIN })).json()) as {
      sessions: SessionSnapshot[];
    };
    assert.ok(list.sessions.length <= 3);
    assert.equal(
      list.sessions.reduce((sum, s) => sum + s.turn, 0),
      6,
    );
    const turns = agent.logs.events('agent.completed');
    assert.equal(
      new Set(turns.map((line) => line.correlation_id)).size,
      6,
      'each request brought its own X-Request-ID',
    );
  } finally {
    await agent.close();
  }
});

test('stop() ends a run without a request limit once its requests in flight are answered', async () => {
  const agent = await startAgent({ sleep: recordingSleep().sleep });
  try {
    const load = startLoad({
      target: agent.url,
      ratePerSecond: 20,
      delayMs: 0,
      logger: createLogger({ service: 'load', destination: new LogCapture(), env: {} }),
    });
    await agent.logs.waitFor((line) => line.event === 'agent.completed');
    const stats = await load.stop();
    assert.ok(stats.sent >= 1);
    assert.equal(stats.ok + stats.failed, stats.sent, 'nothing is left in flight');
    assert.deepEqual(await load.finished, stats);
  } finally {
    await agent.close();
  }
});

test('the load generator refuses settings that would flood the agent or cannot work', () => {
  assert.throws(() => startLoad({ target: 'http://127.0.0.1:1', ratePerSecond: 1000 }), /ratePerSecond/);
  assert.throws(() => startLoad({ target: 'not a url' }), /target/);
  assert.throws(() => startLoad({ target: 'http://127.0.0.1:1', sessions: 0 }), /sessions/);
});
