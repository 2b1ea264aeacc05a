import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { API_ERROR_CODES } from '../src/errors.js';
import { ADMIN, postMessage, type RunningAgent, startAgent } from './support/agent.js';

interface ErrorAnswer {
  error: { code: string; message: string; field?: string };
}

describe('input validation of POST /v1/sessions/:sessionId/messages', () => {
  let agent: RunningAgent;
  before(async () => {
    agent = await startAgent();
  });
  after(() => agent.close());

  const cases: {
    name: string;
    session?: string;
    body: unknown;
    headers?: Record<string, string>;
    code: string;
    names: string;
  }[] = [
    {
      name: 'a sessionId longer than 128 characters',
      session: 'x'.repeat(129),
      body: { text: 'hi' },
      code: 'BAD_SESSION_ID',
      names: 'sessionId',
    },
    {
      name: 'a sessionId with a character outside the safe set',
      session: 'a%24b',
      body: { text: 'hi' },
      code: 'BAD_SESSION_ID',
      names: 'sessionId',
    },
    { name: 'a body that is not JSON', body: '{"text": "hi"', code: 'BAD_JSON', names: 'body' },
    { name: 'an empty body', body: '', code: 'BAD_BODY', names: 'body' },
    { name: 'a JSON array body', body: '[1, 2]', code: 'BAD_BODY', names: 'body' },
    { name: 'a missing text', body: { delayMs: 5 }, code: 'BAD_FIELD', names: '"text"' },
    { name: 'an empty text', body: { text: '   ' }, code: 'BAD_FIELD', names: '"text"' },
    { name: 'a text that is not a string', body: { text: 42 }, code: 'BAD_FIELD', names: '"text"' },
    { name: 'a text over 32 KiB', body: { text: 'a'.repeat(32 * 1024 + 1) }, code: 'BAD_FIELD', names: '"text"' },
    { name: 'a negative delayMs', body: { text: 'hi', delayMs: -1 }, code: 'BAD_FIELD', names: '"delayMs"' },
    { name: 'a fractional delayMs', body: { text: 'hi', delayMs: 1.5 }, code: 'BAD_FIELD', names: '"delayMs"' },
    { name: 'a delayMs over 60000', body: { text: 'hi', delayMs: 60_001 }, code: 'BAD_FIELD', names: '"delayMs"' },
    { name: 'a delayMs given as a string', body: { text: 'hi', delayMs: '5' }, code: 'BAD_FIELD', names: '"delayMs"' },
    { name: 'an unknown field', body: { text: 'hi', colour: 'red' }, code: 'UNKNOWN_FIELD', names: '"colour"' },
    { name: 'a bad userId', body: { text: 'hi', userId: 'a b' }, code: 'BAD_FIELD', names: '"userId"' },
    {
      name: 'a bad X-User-ID header',
      body: { text: 'hi' },
      headers: { 'x-user-id': 'x'.repeat(200) },
      code: 'BAD_HEADER',
      names: 'X-User-ID',
    },
  ];

  for (const c of cases) {
    test(`answers 400 naming the field for ${c.name}`, async () => {
      const res = await postMessage(agent.url, c.session ?? 'valid', c.body, c.headers);
      assert.equal(res.status, 400);
      const answer = (await res.json()) as ErrorAnswer;
      assert.equal(answer.error.code, c.code);
      assert.ok(answer.error.message.includes(c.names), `"${answer.error.message}" should name ${c.names}`);
    });
  }

  test('answers 413 for a body larger than the route reads', async () => {
    const res = await postMessage(agent.url, 'valid', { text: 'a'.repeat(300 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as ErrorAnswer).error.code, 'BODY_TOO_LARGE');
  });

  test('answers 404 in the same error shape for an unknown route', async () => {
    const res = await fetch(`${agent.url}/v1/nothing`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as ErrorAnswer).error.code, 'NOT_FOUND');
  });

  test('creates no session for a rejected message', async () => {
    const res = await fetch(`${agent.url}/admin/sessions`, { headers: ADMIN });
    const list = (await res.json()) as { sessions: { session_id: string }[] };
    assert.deepEqual(list.sessions, []);
    assert.equal(agent.logs.events('agent.dispatched').length, 0);
  });
});

test('the README documents every error code with its status', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  for (const [code, { status }] of Object.entries(API_ERROR_CODES)) {
    assert.match(readme, new RegExp(`^\\| \`${code}\` +\\| ${status} +\\|`, 'm'), code);
  }
});
