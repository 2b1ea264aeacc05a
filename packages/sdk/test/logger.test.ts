import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { context, createLogger, levelOfEvent, registerEventTypes, VigilError } from '../src/index.js';
import { CapturedLines, captureLogger } from './support/capture.js';

const FIXED = Date.parse('2026-11-23T10:00:00.123Z');

describe('log lines', () => {
  test('every line has ISO time, the level name, service and msg', () => {
    const { log, out } = captureLogger({ now: () => FIXED });
    log.info('hello');
    assert.deepEqual(out.lines[0], {
      level: 'info',
      time: '2026-11-23T10:00:00.123Z',
      service: 'test',
      user_id: 'system',
      msg: 'hello',
    });
  });

  test('child loggers carry module, and base fields appear on every line', () => {
    const { log, out } = captureLogger({ base: { version: '1.2.3' } });
    log.module('llm').info('x');
    log.module('llm').module('llm.cache').info('y');
    assert.equal(out.lines[0]!.module, 'llm');
    assert.equal(out.lines[0]!.version, '1.2.3');
    assert.equal(out.lines[1]!.module, 'llm.cache');
    assert.equal(out.raw[1]!.match(/"module"/g)?.length, 1, 'a nested module replaces the outer one');
  });

  test('the five levels exist and critical is above error', () => {
    const { log, out } = captureLogger({ level: 'error' });
    log.debug('d');
    log.info('i');
    log.warning('w');
    log.error('e');
    log.critical('c');
    assert.deepEqual(
      out.lines.map((line) => line.level),
      ['error', 'critical'],
    );
    assert.equal(log.isLevelEnabled('critical'), true);
    assert.equal(log.isLevelEnabled('warning'), false);
  });

  test('VIGIL_LOG sets the default and per-module levels that children honour', () => {
    const { log, out } = captureLogger({ env: { VIGIL_LOG: 'warn,scrape=debug,llm=error' } });
    log.info('root info hidden');
    log.warning('root warning shown');
    log.module('scrape').debug('scrape debug shown');
    log.module('scrape.http').debug('sub-module debug shown');
    log.module('llm').warning('llm warning hidden');
    log.module('llm').error('llm error shown');
    log.child({ module: 'tools' }).info('tools info hidden');
    assert.deepEqual(
      out.lines.map((line) => line.msg),
      ['root warning shown', 'scrape debug shown', 'sub-module debug shown', 'llm error shown'],
    );
  });

  test('VIGIL_LOG wins over the level option, which is the default when the env is unset', () => {
    assert.equal(captureLogger({ level: 'debug', env: { VIGIL_LOG: 'error' } }).log.level, 'error');
    assert.equal(captureLogger({ level: 'debug' }).log.level, 'debug');
  });

  test('a bad VIGIL_LOG is a startup error naming the bad token', () => {
    assert.throws(
      () => createLogger({ service: 'x', env: { VIGIL_LOG: 'info,llm=chatty' }, destination: new CapturedLines() }),
      (err: unknown) =>
        err instanceof VigilError && err.code === 'VIGIL_BAD_LOG_FILTER' && /"llm=chatty"/.test(err.message),
    );
  });

  test('a missing service is refused', () => {
    assert.throws(
      () => createLogger({ service: '' }),
      (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_BAD_OPTION' && /service/.test(err.message),
    );
  });

  test('pretty output writes readable lines with the level names', () => {
    const out = new CapturedLines();
    const log = createLogger({ service: 'x', env: { VIGIL_LOG_FORMAT: 'pretty' }, destination: out });
    context.run({ correlation_id: 'pretty-1' }, () => log.warning('careful'));
    const text = out.raw.join('');
    assert.match(text, /WARNING/);
    assert.match(text, /careful/);
    assert.match(text, /"correlation_id":"pretty-1"/);
    assert.equal(text.trim().split('\n').length, 1, 'one line per record');
  });
});

describe('context in log lines', () => {
  test('non-empty context fields appear on every line in scope, across awaits and timers', async () => {
    const { log, out } = captureLogger();
    await context.run({ correlation_id: 'c-1', channel: 'discord', task_id: '' }, async () => {
      log.info('start');
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.info('after timer');
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          log.info('in immediate');
          resolve();
        }),
      );
    });
    log.info('outside');
    const [a, b, c, outside] = out.lines;
    for (const line of [a, b, c]) {
      assert.equal(line!.correlation_id, 'c-1');
      assert.equal(line!.channel, 'discord');
      assert.equal(line!.user_id, 'system');
      assert.ok(!('task_id' in line!), 'empty values are left out');
    }
    assert.ok(!('correlation_id' in outside!));
    assert.equal(outside!.user_id, 'system');
  });

  test('a field bound by a child is written once, the child winning', () => {
    const { log, out } = captureLogger();
    context.run({ correlation_id: 'from-context' }, () => log.child({ correlation_id: 'from-child' }).info('x'));
    assert.equal(out.raw[0]!.match(/"correlation_id"/g)?.length, 1);
    assert.equal(out.lines[0]!.correlation_id, 'from-child');
  });

  test('an extra context key bound by a child is written once too', () => {
    const { log, out } = captureLogger();
    context.run({ session_id: 's-ctx' }, () => log.child({ session_id: 's-child' }).info('x'));
    assert.equal(out.raw[0]!.match(/"session_id"/g)?.length, 1);
    assert.equal(out.lines[0]!.session_id, 's-child');
  });

  test('fields logged explicitly override context fields without duplicating them', () => {
    const { log, out } = captureLogger();
    context.run({ channel: 'sms' }, () => log.info({ channel: 'email' }, 'x'));
    assert.equal(out.raw[0]!.match(/"channel"/g)?.length, 1);
    assert.equal(out.lines[0]!.channel, 'email');
  });
});

describe('events', () => {
  test('the suffix of an event type sets its level', () => {
    const cases: Array<[Parameters<typeof levelOfEvent>[0], string]> = [
      ['api.call.failed', 'error'],
      ['api.call.retried', 'warning'],
      ['api.call.completed', 'debug'],
      ['llm.call.completed', 'debug'],
      ['agent.completed', 'info'],
      ['api.call.started', 'debug'],
      ['api.circuit_breaker.opened', 'critical'],
      ['api.circuit_breaker.closed', 'info'],
      ['api.degraded_mode.activated', 'warning'],
      ['agent.timeout', 'error'],
      ['task.overdue', 'warning'],
      ['system.backup.failed', 'error'],
      ['sync.keepalive.sent', 'debug'],
      ['audit.chain.broken', 'critical'],
      ['task.created', 'info'],
    ];
    for (const [type, level] of cases) assert.equal(levelOfEvent(type), level, type);
  });

  test('log.event writes the event field at that level', () => {
    const { log, out } = captureLogger({ level: 'debug' });
    log.event('api.call.retried', { attempt: 2 });
    log.event('api.call.failed', { status: 503 }, 'gave up');
    log.event('api.circuit_breaker.opened');
    assert.deepEqual(
      out.lines.map((line) => [line.level, line.event, line.msg]),
      [
        ['warning', 'api.call.retried', 'api.call.retried'],
        ['error', 'api.call.failed', 'gave up'],
        ['critical', 'api.circuit_breaker.opened', 'api.circuit_breaker.opened'],
      ],
    );
    assert.equal(out.lines[0]!.attempt, 2);
  });

  test('an unknown event type warns once at run time and is still written', () => {
    const { log, out } = captureLogger();
    const loose = log as unknown as { event(type: string): void };
    loose.event('billing.invoice.failed');
    loose.event('billing.invoice.failed');
    const warnings = out.lines.filter((line) => line.event_type === 'billing.invoice.failed');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 'warning');
    assert.equal(
      out.lines.filter((line) => line.event === 'billing.invoice.failed' && line.level === 'error').length,
      2,
    );
  });

  test('registered event types do not warn', () => {
    registerEventTypes(['billing.invoice.sent']);
    const { log, out } = captureLogger();
    (log as unknown as { event(type: string): void }).event('billing.invoice.sent');
    assert.deepEqual(
      out.lines.map((line) => line.event),
      ['billing.invoice.sent'],
    );
  });

  test('an unknown event type is a compile error', () => {
    const { log } = captureLogger({ level: 'off' });
    // @ts-expect-error 'no.such.event' is not in the catalog: tsc fails the build if this line compiles
    log.event('no.such.event');
  });
});
