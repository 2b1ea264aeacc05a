import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor } from '../src/index.js';
import { captureLogger } from './support/capture.js';

const R = '[REDACTED]';

describe('secret redaction', () => {
  test('secret keys are hidden at any depth and in arrays', () => {
    const { log, out } = captureLogger();
    log.info(
      {
        headers: { authorization: 'Basic dXNlcjpwYXNz', Cookie: 'sid=1', 'x-api-key': 'k1', accept: 'json' },
        config: {
          api_key: 'a',
          apiKey: 'b',
          OPENAI_API_KEY: 'c',
          github_token: 'd',
          password: 'e',
          client_secret: 'f',
        },
        list: [{ token: 't' }, { name: 'ok' }],
        prompt_tokens: 12,
      },
      'call',
    );
    const line = out.lines[0]!;
    assert.deepEqual(line.headers, { authorization: R, Cookie: R, 'x-api-key': R, accept: 'json' });
    assert.deepEqual(line.config, {
      api_key: R,
      apiKey: R,
      OPENAI_API_KEY: R,
      github_token: R,
      password: R,
      client_secret: R,
    });
    assert.deepEqual(line.list, [{ token: R }, { name: 'ok' }]);
    assert.equal(line.prompt_tokens, 12, 'token counts are not secrets');
  });

  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  // [kind, the secret, a text holding it, the text as logged]
  const values: Array<[string, string, string, string]> = [
    [
      'bearer token',
      'abcdefghijklmnopqrstuvwxyz',
      'sent Authorization: Bearer abcdefghijklmnopqrstuvwxyz',
      `sent Authorization: Bearer ${R}`,
    ],
    ['OpenAI key', 'sk-proj-aB3dEfGhIjKlMnOpQrStUv', 'key sk-proj-aB3dEfGhIjKlMnOpQrStUv', `key ${R}`],
    ['Anthropic key', 'sk-ant-api03-aB3dEfGhIjKlMnOpQrStUv', 'key sk-ant-api03-aB3dEfGhIjKlMnOpQrStUv', `key ${R}`],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE', 'id AKIAIOSFODNN7EXAMPLE here', `id ${R} here`],
    ['GitHub token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', R],
    ['Slack token', 'xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij', R],
    ['Google API key', 'AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890abcdefghijklmnopqrstuv', R],
    ['JWT', JWT, `jwt ${JWT}`, `jwt ${R}`],
  ];
  for (const [kind, secret, input, expected] of values) {
    test(`a ${kind} is hidden in messages and field values`, () => {
      const { log, out } = captureLogger();
      log.info({ detail: input, nested: [input] }, input);
      const line = out.lines[0]!;
      assert.equal(line.msg, expected);
      assert.equal(line.detail, expected);
      assert.deepEqual(line.nested, [expected]);
      assert.ok(!out.raw[0]!.includes(secret), 'the secret never reaches the output');
    });
  }

  test('errors, child bindings, context fields and request headers are redacted too', async () => {
    const { log, out } = captureLogger();
    log.error(new Error('upstream refused sk-abcdefghijklmnopqrstuvwx'));
    log.child({ module: 'llm', api_key: 'sk-abcdefghijklmnopqrstuvwx' }).info('child');
    const { context } = await import('../src/index.js');
    context.run({ correlation_id: 'c1', session_token: 'secret-value' }, () => log.info('ctx'));
    log.info({ req: { method: 'GET', url: '/', headers: { authorization: 'Bearer abcdefghijkl' } } }, 'req');
    assert.ok(!out.raw.join('').includes('sk-abcdefghijklmnopqrstuvwx'));
    assert.ok(!out.raw.join('').includes('secret-value'));
    assert.ok(!out.raw.join('').includes('abcdefghijkl"'));
    const [err, child, ctx] = out.lines;
    assert.equal(err!.msg, `upstream refused ${R}`);
    assert.equal((err!.err as Record<string, string>).message, `upstream refused ${R}`);
    assert.equal(child!.api_key, R);
    assert.equal(ctx!.session_token, R);
  });

  test('the logged object itself is never modified', () => {
    const { log } = captureLogger();
    const fields = { password: 'hunter2', nested: { token: 'abc' } };
    log.info(fields, 'x');
    assert.deepEqual(fields, { password: 'hunter2', nested: { token: 'abc' } });
  });

  test('the shortest built-in secret is caught, and a short pattern of yours still applies', () => {
    const defaults = new Redactor();
    assert.equal(defaults.redactString('Basic abcdefgh'), `Basic ${R}`, 'fourteen characters, the shortest match');
    assert.equal(defaults.redactString('Basic abcdefg'), 'Basic abcdefg', 'one short: no secret');
    const custom = new Redactor({ patterns: [/\bpin\d{2}\b/] });
    assert.equal(custom.redactString('pin42'), R);
  });

  test('keys, patterns and the censor are configurable, and redaction can be turned off', () => {
    const custom = captureLogger({ redact: { keys: ['ssn'], patterns: [/\bcase-\d{4}\b/], censor: '***' } });
    custom.log.info({ ssn: '123', password: 'p', note: 'see case-1234' }, 'x');
    assert.deepEqual(
      { ssn: custom.out.lines[0]!.ssn, password: custom.out.lines[0]!.password, note: custom.out.lines[0]!.note },
      { ssn: '***', password: '***', note: 'see ***' },
    );
    const only = captureLogger({ redact: { keys: ['ssn'], replaceDefaults: true } });
    only.log.info({ ssn: '1', password: 'p' }, 'x');
    assert.equal(only.out.lines[0]!.password, 'p');
    const off = captureLogger({ redact: false });
    off.log.info({ password: 'p' }, 'Bearer abcdefghijklmnop');
    assert.equal(off.out.lines[0]!.password, 'p');
    assert.equal(off.out.lines[0]!.msg, 'Bearer abcdefghijklmnop');
  });

  test('Redactor returns the same object when nothing is secret', () => {
    const redactor = new Redactor();
    const value = { a: 1, b: { c: 'plain' }, d: ['x'] };
    assert.equal(redactor.redact(value), value);
  });
});
