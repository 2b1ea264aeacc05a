import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VigilError } from '../src/index.js';
import { type SessionEventMap, SessionRegistry } from '../src/sessions/index.js';
import { fakeClock, testRegistry } from './support/sessions-clock.js';

/** The fields the per-session metrics documentation lists, in its order. */
const DOCUMENTED_FIELDS = [
  'app_id',
  'session_id',
  'agent_id',
  'user_id',
  'channel',
  'model',
  'provider',
  'status',
  'created_at',
  'last_active_at',
  'turn',
  'max_turns',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'llm_calls',
  'llm_total_ms',
  'llm_last_ms',
  'tool_calls_total',
  'tool_calls_success',
  'tool_calls_failed',
  'tool_metrics',
  'context',
  'memory_goal',
  'memory_facts_count',
  'memory_todos_count',
];

describe('session snapshot', () => {
  test('has every documented field, snake_case, as plain JSON', () => {
    const { registry, clock } = testRegistry({ maxTurns: 20 });
    const t0 = clock.now();
    registry.start('s-1', { appId: 'support', agentId: 'triage', userId: 'u-7', channel: 'web' });
    clock.advance(1500);
    registry.recordLlmCall('s-1', {
      promptTokens: 100,
      completionTokens: 20,
      durationMs: 300,
      model: 'gpt-4o',
      provider: 'openai',
    });
    registry.recordLlmCall('s-1', { promptTokens: 50, completionTokens: 5, durationMs: 100.5 });
    registry.recordToolCall('s-1', { tool: 'search', ok: true, durationMs: 40 });
    registry.recordToolCall('s-1', { tool: 'search', ok: false, durationMs: 60, error: new Error('upstream 502') });
    registry.completeTurn('s-1');
    registry.setContextBreakdown('s-1', { systemTokens: 800, toolsTokens: 300, messagesTokens: 1200 });
    registry.setMemory('s-1', { goal: 'refund order 42', factsCount: 3, todosCount: 2 });

    const snapshot = registry.get('s-1')!.snapshot();
    assert.deepEqual(Object.keys(snapshot), DOCUMENTED_FIELDS);
    assert.deepEqual(snapshot, {
      app_id: 'support',
      session_id: 's-1',
      agent_id: 'triage',
      user_id: 'u-7',
      channel: 'web',
      model: 'gpt-4o',
      provider: 'openai',
      status: 'active',
      created_at: t0 / 1000,
      last_active_at: (t0 + 1500) / 1000,
      turn: 1,
      max_turns: 20,
      prompt_tokens: 150,
      completion_tokens: 25,
      total_tokens: 175,
      llm_calls: 2,
      llm_total_ms: 400.5,
      llm_last_ms: 100.5,
      tool_calls_total: 2,
      tool_calls_success: 1,
      tool_calls_failed: 1,
      tool_metrics: {
        search: {
          calls: 2,
          successes: 1,
          failures: 1,
          avg_duration_ms: 50,
          last_duration_ms: 60,
          last_error: 'upstream 502',
        },
      },
      context: { system_tokens: 800, tools_tokens: 300, messages_tokens: 1200, total_tokens: 2300 },
      memory_goal: 'refund order 42',
      memory_facts_count: 3,
      memory_todos_count: 2,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot, 'survives a JSON round trip unchanged');
    registry.close();
  });

  test('a fresh session has zeros and nulls, never undefined', () => {
    const { registry } = testRegistry();
    const snapshot = registry.start('fresh')!.snapshot();
    assert.equal(snapshot.app_id, registry.appId);
    assert.equal(registry.appId, process.env.VIGIL_SERVICE || 'app', 'the same default as a recorder');
    assert.equal(snapshot.max_turns, null);
    assert.equal(snapshot.memory_goal, null);
    assert.deepEqual(snapshot.tool_metrics, {});
    for (const [key, value] of Object.entries(snapshot)) assert.notEqual(value, undefined, key);
  });

  test('starting an open session again keeps its figures and fills in missing identity', () => {
    const { registry } = testRegistry();
    registry.start('s', { appId: 'a' });
    registry.completeTurn('s');
    const again = registry.start('s', { userId: 'u-1' })!.snapshot();
    assert.equal(again.turn, 1);
    assert.equal(again.app_id, 'a', 'an id alone finds the only session of that id');
    assert.equal(again.user_id, 'u-1');
    assert.equal(registry.stats().started, 1);
  });

  test('a session is keyed by app and id: the same id in two apps is two sessions', () => {
    const { registry } = testRegistry({ appId: 'support' });
    registry.recordLlmCall(
      { appId: 'support', sessionId: 's' },
      { promptTokens: 10, completionTokens: 1, durationMs: 5 },
    );
    registry.recordLlmCall(
      { appId: 'billing', sessionId: 's' },
      { promptTokens: 20, completionTokens: 2, durationMs: 5 },
    );
    assert.equal(registry.get({ appId: 'support', sessionId: 's' })!.snapshot().prompt_tokens, 10);
    assert.equal(registry.get({ appId: 'billing', sessionId: 's' })!.snapshot().prompt_tokens, 20);
    assert.equal(registry.get('s')!.snapshot().app_id, 'support', "an id alone is the registry's app first");
    assert.deepEqual(
      registry.list().map((s) => [s.app_id, s.session_id]),
      [
        ['support', 's'],
        ['billing', 's'],
      ],
    );
    // Both apps have 's' and neither is the registry's: an id alone is refused, not guessed.
    const other = testRegistry({ appId: 'ops' }).registry;
    other.start({ appId: 'support', sessionId: 's' });
    other.start('s', { appId: 'billing' });
    const refused = other.completeTurn('s');
    assert.equal(refused.ok, false);
    assert.match(refused.problem!, /several apps have a session of this id/);
    assert.equal(other.get('s'), undefined);
    assert.equal(other.stats().tracked, 2);
    assert.equal(other.start({ appId: 'a', sessionId: 's' }, { appId: 'b' }), undefined, 'two apps named');
    assert.match(other.stats().last_problem!, /names two apps/);
    other.end({ appId: 'billing', sessionId: 's' });
    assert.equal(other.get({ appId: 'billing', sessionId: 's' })!.snapshot().status, 'closed');
    assert.equal(other.get({ appId: 'support', sessionId: 's' })!.snapshot().status, 'active');
  });

  test("preferAppId: that app's session, else the registry's app's, else a new one in that app", () => {
    const { registry } = testRegistry({ appId: 'support' });
    const call = { promptTokens: 1, completionTokens: 1, durationMs: 1 };
    registry.start('by-id');
    registry.recordLlmCall({ preferAppId: 'agent-a', sessionId: 'by-id' }, call);
    registry.recordLlmCall({ preferAppId: 'agent-a', sessionId: 'shared' }, call);
    registry.recordLlmCall({ preferAppId: 'agent-b', sessionId: 'shared' }, call);
    registry.recordLlmCall({ preferAppId: 'agent-b', sessionId: 'shared' }, call);
    assert.deepEqual(
      registry
        .list()
        .map((s) => [s.app_id, s.session_id, s.llm_calls])
        .sort(),
      [
        ['agent-a', 'shared', 1],
        ['agent-b', 'shared', 2],
        ['support', 'by-id', 1],
      ],
    );
    assert.equal(registry.start({ appId: 'a', preferAppId: 'b', sessionId: 'x' } as never), undefined);
    assert.match(registry.stats().last_problem!, /appId or preferAppId, not both/);
  });

  test('a session past its TTL does not make an id ambiguous', () => {
    const { registry, clock } = testRegistry({ appId: 'ops', closedTtlMs: 1000 });
    registry.start({ appId: 'a', sessionId: 's' });
    registry.start({ appId: 'b', sessionId: 's' });
    registry.end({ appId: 'a', sessionId: 's' });
    clock.advance(1000);
    assert.equal(registry.completeTurn('s').ok, true, "a's session expired: b's is the only one");
    assert.equal(registry.get({ appId: 'b', sessionId: 's' })!.snapshot().turn, 1);
    assert.equal(registry.stats().evicted_ttl, 1);
  });

  test('a bad VIGIL_SERVICE as the default app is refused at construction', () => {
    const before = process.env.VIGIL_SERVICE;
    process.env.VIGIL_SERVICE = 'x'.repeat(300);
    try {
      assert.throws(() => testRegistry(), /VIGIL_SERVICE\) must be at most 256 characters/);
    } finally {
      if (before === undefined) delete process.env.VIGIL_SERVICE;
      else process.env.VIGIL_SERVICE = before;
    }
  });
});

describe('session status', () => {
  test('active, idle after the quiet time, active again on activity', () => {
    const { registry, clock } = testRegistry({ idleAfterMs: 60_000 });
    const pushed: string[] = [];
    registry.on('metrics:session_updated', (s) => pushed.push(s.status));
    const session = registry.start('s')!;
    clock.advance(59_999);
    assert.equal(session.status, 'active');
    clock.advance(1);
    assert.equal(session.status, 'idle', 'read lazily from the clock');
    assert.deepEqual(registry.listActive()[0]?.status, 'idle');
    registry.sweep();
    registry.sweep();
    registry.completeTurn('s');
    assert.equal(session.status, 'active');
    assert.deepEqual(pushed, ['active', 'idle', 'active'], 'the idle change is pushed once');
  });

  test('the background sweep pushes idle changes, on an unref-ed timer', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const clock = fakeClock();
    const registry = new SessionRegistry({ now: clock.now, idleAfterMs: 1000, sweepIntervalMs: 500 });
    const pushed: string[] = [];
    registry.start('s');
    registry.on('metrics:session_updated', (s) => pushed.push(`${s.session_id}:${s.status}`));
    clock.advance(1000);
    t.mock.timers.tick(500);
    assert.deepEqual(pushed, ['s:idle']);
    registry.close();
    clock.advance(10_000);
    t.mock.timers.tick(5000);
    assert.equal(pushed.length, 1, 'close stops the sweep');
  });

  test('ended sessions are closed, kept for the TTL, then evicted', () => {
    const { registry, clock } = testRegistry({ closedTtlMs: 30_000 });
    const evicted: SessionEventMap['metrics:session_evicted'][] = [];
    registry.on('metrics:session_evicted', (e) => evicted.push(e));
    registry.start('s', { appId: 'a' });
    registry.recordLlmCall('s', { promptTokens: 10, durationMs: 5 });
    assert.equal(registry.end('s'), true);
    assert.equal(registry.end('s'), false, 'ending twice is a no-op');
    assert.equal(registry.get('s')?.status, 'closed');
    assert.equal(registry.listActive().length, 0, 'closed sessions are not listed as open');
    assert.equal(registry.list({ status: 'all' }).length, 1);

    const late = registry.recordLlmCall('s', { promptTokens: 999, durationMs: 5 });
    assert.deepEqual(late, { ok: false, problem: 'session has ended; recordLlmCall ignored' });
    assert.equal(registry.get('s')!.snapshot().prompt_tokens, 10, 'late records do not change a closed session');

    clock.advance(29_999);
    assert.ok(registry.get('s'));
    clock.advance(1);
    assert.equal(registry.get('s'), undefined, 'evicted on read, without a timer');
    assert.deepEqual(evicted, [{ app_id: 'a', session_id: 's', reason: 'ttl' }]);
    const stats = registry.stats();
    assert.equal(stats.evicted_ttl, 1);
    assert.equal(stats.ignored_closed, 1);
    assert.equal(stats.tracked, 0);
  });

  test('starting an ended session id begins a new session', () => {
    const { registry } = testRegistry();
    registry.start('s');
    registry.completeTurn('s');
    registry.end('s');
    const again = registry.start('s')!;
    assert.equal(again.status, 'active');
    assert.equal(again.snapshot().turn, 0);
  });
});

describe('tool metrics', () => {
  test('per tool: calls, successes, failures, average and last duration', () => {
    const { registry } = testRegistry();
    for (const [ok, durationMs] of [
      [true, 10],
      [true, 20],
      [false, 60],
      [true, 30],
    ] as const) {
      registry.recordToolCall('s', { tool: 'fetch', ok, durationMs, error: ok ? undefined : 'timed out' });
    }
    registry.recordToolCall('s', { tool: 'calc', ok: true, durationMs: 1 });
    const {
      tool_metrics: tools,
      tool_calls_total,
      tool_calls_success,
      tool_calls_failed,
    } = registry.get('s')!.snapshot();
    assert.deepEqual(tools.fetch, {
      calls: 4,
      successes: 3,
      failures: 1,
      avg_duration_ms: 30,
      last_duration_ms: 30,
      last_error: 'timed out',
    });
    assert.equal(tools.calc?.calls, 1);
    assert.deepEqual([tool_calls_total, tool_calls_success, tool_calls_failed], [5, 4, 1]);
  });

  test('last_error is redacted, cut to 500 characters, and says something when no error is given', () => {
    const { registry } = testRegistry();
    const key = `sk-${'a'.repeat(40)}`;
    registry.recordToolCall('s', {
      tool: 'http',
      ok: false,
      durationMs: 1,
      error: new Error(`401 from api with Authorization: Bearer abcdefghijklmnop and key ${key}`),
    });
    const first = registry.get('s')!.snapshot().tool_metrics.http!.last_error!;
    assert.equal(first, '401 from api with Authorization: Bearer [REDACTED] and key [REDACTED]');
    registry.recordToolCall('s', { tool: 'http', ok: false, durationMs: 1, error: 'x'.repeat(2000) });
    assert.equal(registry.get('s')!.snapshot().tool_metrics.http!.last_error!.length, 500);
    registry.recordToolCall('s', { tool: 'http', ok: false, durationMs: 1 });
    assert.equal(registry.get('s')!.snapshot().tool_metrics.http!.last_error, 'failed (no error given)');
    registry.recordToolCall('s', { tool: 'http', ok: true, durationMs: 1 });
    assert.equal(
      registry.get('s')!.snapshot().tool_metrics.http!.last_error,
      'failed (no error given)',
      'a success keeps the last error',
    );
  });

  test('memory goals are redacted too', () => {
    const { registry } = testRegistry();
    registry.setMemory('s', { goal: 'use token ghp_abcdefghijklmnopqrstuvwxyz0123456789 to push' });
    assert.equal(registry.get('s')!.snapshot().memory_goal, 'use token [REDACTED] to push');
    registry.setMemory('s', { factsCount: 2 });
    assert.equal(registry.get('s')!.snapshot().memory_goal, 'use token [REDACTED] to push', 'absent fields stay');
    registry.setMemory('s', { goal: null });
    assert.equal(registry.get('s')!.snapshot().memory_goal, null);
  });

  test('tools past the per-session limit are summed under _other', () => {
    const { registry } = testRegistry({ maxToolsPerSession: 2 });
    for (const tool of ['a', 'b', 'c', 'd', 'a']) registry.recordToolCall('s', { tool, ok: true, durationMs: 1 });
    const { tool_metrics: tools, tool_calls_total } = registry.get('s')!.snapshot();
    assert.deepEqual(Object.keys(tools), ['a', 'b', '_other']);
    assert.equal(tools._other?.calls, 2);
    assert.equal(tools.a?.calls, 2);
    assert.equal(tool_calls_total, 5);
  });

  test('a tool named __proto__ is an ordinary key', () => {
    const { registry } = testRegistry();
    registry.recordToolCall('s', { tool: '__proto__', ok: true, durationMs: 1 });
    const tools = registry.get('s')!.snapshot().tool_metrics;
    assert.deepEqual(Object.keys(tools), ['__proto__']);
    assert.equal(Object.getPrototypeOf(tools), Object.prototype, 'the prototype is untouched');
    assert.match(JSON.stringify(tools), /^\{"__proto__":\{"calls":1,/);
  });
});

describe('rollups', () => {
  test('per app and global: sums, and averages over calls and sessions', () => {
    const { registry, clock } = testRegistry({ idleAfterMs: 10_000 });
    registry.start('a1', { appId: 'support' });
    registry.start('a2', { appId: 'support' });
    registry.start('b1', { appId: 'sales' });
    registry.recordLlmCall('a1', { promptTokens: 100, completionTokens: 50, durationMs: 200 });
    registry.recordLlmCall('a2', { promptTokens: 300, completionTokens: 50, durationMs: 400 });
    registry.recordLlmCall('a2', { promptTokens: 0, completionTokens: 0, durationMs: 300 });
    registry.recordToolCall('a1', { tool: 't', ok: true, durationMs: 1 });
    registry.recordToolCall('a1', { tool: 't', ok: true, durationMs: 1 });
    registry.recordToolCall('a2', { tool: 't', ok: false, durationMs: 1 });
    registry.completeTurn('a1');
    registry.completeTurn('a2');
    registry.completeTurn('a2');
    registry.recordLlmCall('b1', { promptTokens: 10, completionTokens: 10, durationMs: 100 });
    registry.end('b1');
    clock.advance(5_000);
    registry.completeTurn('a2');
    clock.advance(5_000);

    assert.deepEqual(registry.appSummary('support'), {
      app_id: 'support',
      sessions: 2,
      active: 1,
      idle: 1,
      closed: 0,
      turns: 4,
      prompt_tokens: 400,
      completion_tokens: 100,
      total_tokens: 500,
      llm_calls: 3,
      llm_total_ms: 900,
      avg_llm_ms: 300,
      tool_calls_total: 3,
      tool_calls_success: 2,
      tool_calls_failed: 1,
      tool_success_rate: 0.667,
      avg_tokens_per_session: 250,
      avg_turns_per_session: 2,
    });
    const global = registry.globalSummary();
    assert.equal(global.apps, 2);
    assert.equal(global.sessions, 3);
    assert.equal(global.closed, 1);
    assert.equal(global.total_tokens, 520);
    assert.equal(global.avg_llm_ms, 250);
    assert.deepEqual(registry.apps().sort(), ['sales', 'support']);
    const none = registry.appSummary('nobody');
    assert.equal(none.sessions, 0);
    assert.equal(none.avg_llm_ms, 0);
    assert.equal(none.tool_success_rate, null);
  });
});

describe('bounds', () => {
  test('when full, the oldest closed session goes first, then the oldest idle one, then new ones are refused', () => {
    const { registry, clock, out } = testRegistry({ maxSessions: 3, idleAfterMs: 1000, closedTtlMs: 3_600_000 });
    const evicted: string[] = [];
    registry.on('metrics:session_evicted', (e) => evicted.push(`${e.session_id}:${e.reason}`));
    registry.start('idle-old');
    clock.advance(10);
    registry.start('idle-new');
    clock.advance(10);
    registry.start('closed');
    registry.end('closed');
    clock.advance(2000);
    registry.completeTurn('idle-new'); // active again; idle-old stays idle

    registry.start('n1');
    assert.deepEqual(evicted, ['closed:capacity']);
    registry.start('n2');
    assert.deepEqual(evicted, ['closed:capacity', 'idle-old:capacity']);
    assert.equal(registry.start('n3'), undefined, 'every tracked session is active');
    assert.deepEqual(registry.recordLlmCall('n4', { durationMs: 1 }), {
      ok: false,
      problem: 'session limit reached with every session active',
    });
    const stats = registry.stats();
    assert.equal(stats.tracked, 3);
    assert.equal(stats.evicted_capacity, 2);
    assert.equal(stats.refused_capacity, 2);
    assert.match(String(out.lines.at(-1)?.msg), /session limit of 3 reached/);
    assert.deepEqual(
      registry
        .list()
        .map((s) => s.session_id)
        .sort(),
      ['idle-new', 'n1', 'n2'],
    );
  });
});

describe('events', () => {
  test('recording pushes tool_completed, turn_completed and session_updated, in that order', () => {
    const { registry } = testRegistry();
    registry.start('s', { appId: 'a' });
    const seen: string[] = [];
    let tool: SessionEventMap['metrics:tool_completed'] | undefined;
    let turn: SessionEventMap['metrics:turn_completed'] | undefined;
    registry.on('metrics:session_updated', (s, type) => seen.push(`${type}:${s.turn}`));
    registry.on('metrics:tool_completed', (e, type) => {
      tool = e;
      seen.push(type);
    });
    const off = registry.on('metrics:turn_completed', (e, type) => {
      turn = e;
      seen.push(type);
    });
    registry.recordToolCall('s', { tool: 'search', ok: false, durationMs: 12, error: 'boom' });
    registry.completeTurn('s');
    assert.deepEqual(seen, [
      'metrics:tool_completed',
      'metrics:session_updated:0',
      'metrics:turn_completed',
      'metrics:session_updated:1',
    ]);
    assert.deepEqual(tool, {
      app_id: 'a',
      session_id: 's',
      tool: 'search',
      ok: false,
      duration_ms: 12,
      error: 'boom',
      tool_metrics: {
        calls: 1,
        successes: 0,
        failures: 1,
        avg_duration_ms: 12,
        last_duration_ms: 12,
        last_error: 'boom',
      },
    });
    assert.equal(turn?.turn, 1);
    assert.equal(turn?.session.turn, 1);
    off();
    registry.completeTurn('s');
    assert.equal(registry.listenerCount('metrics:turn_completed'), 0);
    assert.equal(seen.filter((s) => s === 'metrics:turn_completed').length, 1, 'unsubscribed');
  });

  test('a listener that throws is logged and counted; the agent and other listeners carry on', () => {
    const { registry, out } = testRegistry();
    let called = 0;
    registry.on('metrics:session_updated', () => {
      throw new Error('dashboard bug');
    });
    registry.on('metrics:session_updated', () => called++);
    assert.deepEqual(registry.completeTurn('s'), { ok: true });
    assert.equal(called, 1);
    assert.equal(registry.get('s')!.snapshot().turn, 1);
    assert.equal(registry.stats().listener_errors, 1);
    const line = out.lines.find((l) => l.level === 'error');
    assert.match(String(line?.msg), /metrics:session_updated listener threw/);
  });
});

describe('bad input', () => {
  const cases: [string, (r: SessionRegistry) => unknown, RegExp][] = [
    [
      'negative tokens',
      (r) => r.recordLlmCall('s', { promptTokens: -5, durationMs: 1 }),
      /^promptTokens must be a whole number >= 0 \(got -5\)$/,
    ],
    [
      'fractional tokens',
      (r) => r.recordLlmCall('s', { completionTokens: 1.5, durationMs: 1 }),
      /completionTokens .* \(got 1\.5\)/,
    ],
    [
      'NaN duration',
      (r) => r.recordLlmCall('s', { durationMs: Number.NaN }),
      /^durationMs must be a finite number of milliseconds >= 0 \(got NaN\)$/,
    ],
    [
      'infinite duration',
      (r) => r.recordToolCall('s', { tool: 't', ok: true, durationMs: Infinity }),
      /durationMs .* \(got Infinity\)/,
    ],
    [
      'missing duration',
      (r) => r.recordToolCall('s', { tool: 't', ok: true } as never),
      /durationMs .* \(got undefined\)/,
    ],
    ['empty tool', (r) => r.recordToolCall('s', { tool: '', ok: true, durationMs: 1 }), /^tool must not be empty$/],
    [
      'ok not a boolean',
      (r) => r.recordToolCall('s', { tool: 't', ok: 'yes' as never, durationMs: 1 }),
      /^ok must be true or false$/,
    ],
    ['empty session id', (r) => r.completeTurn(''), /^sessionId must not be empty$/],
    ['session id not a string', (r) => r.completeTurn(42 as never), /^sessionId must be a string \(got number\)$/],
    ['control characters in id', (r) => r.completeTurn('a\nb'), /^sessionId must not contain control characters$/],
    ['overlong id', (r) => r.completeTurn('x'.repeat(257)), /^sessionId must be at most 256 characters \(got 257\)$/],
    ['negative context', (r) => r.setContextBreakdown('s', { systemTokens: -1 }), /^systemTokens must be/],
    ['goal not a string', (r) => r.setMemory('s', { goal: 7 as never }), /^goal must be a string or null$/],
    ['record not an object', (r) => r.recordLlmCall('s', null as never), /^the record must be an object$/],
  ];
  for (const [name, call, message] of cases) {
    test(`${name} is refused with a clear message, counted, and changes nothing`, () => {
      const { registry } = testRegistry();
      const result = call(registry) as { ok: boolean; problem?: string };
      assert.equal(result.ok, false);
      assert.match(result.problem ?? '', message);
      assert.equal(registry.stats().rejected, 1);
      assert.equal(registry.stats().tracked, 0, 'a refused record starts no session');
    });
  }

  test('a refused record leaves earlier totals intact', () => {
    const { registry } = testRegistry();
    registry.recordLlmCall('s', { promptTokens: 10, completionTokens: 5, durationMs: 100 });
    registry.recordLlmCall('s', { promptTokens: 10, completionTokens: -5, durationMs: 100 });
    registry.recordLlmCall('s', { promptTokens: 10, durationMs: Number.NaN });
    const s = registry.get('s')!.snapshot();
    assert.deepEqual([s.prompt_tokens, s.completion_tokens, s.llm_calls, s.llm_total_ms], [10, 5, 1, 100]);
    assert.equal(
      registry.stats().last_problem,
      'recordLlmCall: durationMs must be a finite number of milliseconds >= 0 (got NaN)',
    );
  });

  test('bad start and end calls are refused, and warnings are rate-limited without echoing the value', () => {
    const { registry, out, clock } = testRegistry();
    assert.equal(registry.start('Bearer abcdefghijklmnopqrstuvwxyz\n'), undefined);
    assert.equal(registry.start('s', { userId: '' }), undefined);
    assert.equal(registry.end(''), false);
    assert.equal(registry.stats().rejected, 3);
    const warnings = out.lines.filter((l) => l.level === 'warning');
    assert.equal(warnings.length, 1, 'one warning a minute');
    assert.doesNotMatch(out.raw.join(''), /abcdefghijklmnop/);
    clock.advance(60_000);
    registry.completeTurn('');
    const last = out.lines.at(-1)!;
    assert.equal(last.not_logged_since_last, 2);
  });

  test('with autoStart off, records for unknown sessions are ignored and counted', () => {
    const { registry } = testRegistry({ autoStart: false });
    assert.deepEqual(registry.completeTurn('ghost'), {
      ok: false,
      problem: 'session was never started; completeTurn ignored',
    });
    assert.equal(registry.stats().ignored_unknown, 1);
    assert.equal(registry.get('ghost'), undefined);
  });

  test('by default a record for an unknown session starts it, with the model of the call', () => {
    const { registry } = testRegistry({ appId: 'svc' });
    registry.recordLlmCall('new', { promptTokens: 1, durationMs: 2, model: 'claude', provider: 'anthropic' });
    const s = registry.get('new')!.snapshot();
    assert.deepEqual([s.app_id, s.model, s.provider, s.llm_calls], ['svc', 'claude', 'anthropic', 1]);
    assert.equal(registry.stats().auto_started, 1);
  });

  test('invalid options throw VIGIL_BAD_OPTION at construction', () => {
    for (const options of [{ maxSessions: 0 }, { idleAfterMs: Number.NaN }, { closedTtlMs: -1 }, { appId: '' }]) {
      assert.throws(
        () => new SessionRegistry({ sweepIntervalMs: 0, ...options }),
        (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_BAD_OPTION',
      );
    }
  });
});
