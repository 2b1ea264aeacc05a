import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, formatTraceparent, parseTraceparent, requestIdProblem } from '../src/index.js';

describe('request context', () => {
  test('outside any scope the context is user_id "system" only', () => {
    assert.deepEqual(context.get(), { user_id: 'system' });
    assert.equal(context.trace(), undefined);
    assert.equal(context.set('task_id', 't'), false);
  });

  test('run() scopes fields; nested runs inherit and override', () => {
    context.run({ correlation_id: 'outer', channel: 'sms' }, () => {
      context.run({ channel: 'email', task_id: 't1' }, () => {
        assert.deepEqual(context.get(), {
          user_id: 'system',
          correlation_id: 'outer',
          channel: 'email',
          task_id: 't1',
        });
      });
      assert.equal(context.get().channel, 'sms');
      assert.equal(context.get().task_id, undefined);
    });
  });

  test('set() adds a field for the rest of the scope, visible after awaits', async () => {
    await context.run({ correlation_id: 'c' }, async () => {
      assert.equal(context.set('task_id', 'task-9'), true);
      await sleep(1);
      assert.equal(context.get().task_id, 'task-9');
    });
    assert.equal(context.get().task_id, undefined);
  });

  test('get() returns a copy that cannot change the context', () => {
    context.run({ correlation_id: 'c' }, () => {
      const copy = context.get();
      copy.correlation_id = 'changed';
      assert.equal(context.get().correlation_id, 'c');
    });
  });

  test('concurrent scopes do not leak into each other across awaits', async () => {
    const seen: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        context.run({ correlation_id: id }, async () => {
          for (let step = 0; step < 5; step++) {
            await sleep((i * 3 + step) % 4);
            seen.push(`${id}=${context.get().correlation_id}`);
          }
        }),
      ),
    );
    assert.equal(seen.length, 15);
    for (const entry of seen) {
      const [want, got] = entry.split('=');
      assert.equal(got, want);
    }
  });

  test('bind() keeps an emitter listener in the scope that registered it', async () => {
    const emitter = new EventEmitter();
    const bound: unknown[] = [];
    const unbound: unknown[] = [];
    context.run({ correlation_id: 'listener' }, () => {
      emitter.on(
        'x',
        context.bind(() => bound.push(context.get().correlation_id)),
      );
      emitter.on('x', () => unbound.push(context.get().correlation_id));
    });
    context.run({ correlation_id: 'emitter' }, () => emitter.emit('x'));
    assert.deepEqual(bound, ['listener']);
    assert.deepEqual(unbound, ['emitter'], 'without bind the emitter’s context applies');
  });
});

describe('ids', () => {
  test('request ids: safe characters and bounded length', () => {
    assert.equal(requestIdProblem('abc-1'), undefined);
    assert.equal(requestIdProblem('2f1c:req/7@svc+x=y~z_.'), undefined);
    assert.match(requestIdProblem('') ?? '', /empty/);
    assert.match(requestIdProblem('x'.repeat(129)) ?? '', /longer than 128/);
    assert.match(requestIdProblem('a b') ?? '', /characters/);
    assert.match(requestIdProblem('a\u00e9') ?? '', /characters/);
    assert.equal(requestIdProblem('x'.repeat(20), 10)?.includes('longer than 10'), true);
  });

  test('traceparent: valid headers parse, invalid ones start a new trace', () => {
    const good = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'vendor=1');
    assert.equal(good?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(good?.parentSpanId, '00f067aa0ba902b7');
    assert.equal(good?.state, 'vendor=1');
    assert.match(formatTraceparent(good!), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    const future = parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra');
    assert.equal(future?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736', 'a later version may carry more fields');
    for (const bad of [
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      'garbage',
    ]) {
      assert.equal(parseTraceparent(bad), undefined, bad);
    }
  });
});
