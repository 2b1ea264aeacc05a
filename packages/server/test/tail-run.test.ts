import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { ServerError } from '../src/errors.js';
import { runTail } from '../src/tail/run-tail.js';
import { startIngestApp } from './support/ingest-app.js';

function io(stdinText: string | null, env: Record<string, string | undefined> = {}) {
  const stdin = new PassThrough();
  if (stdinText !== null) stdin.end(stdinText);
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    stdin,
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    out,
    err,
    sleep: async () => {},
  };
}

describe('vigil tail', () => {
  test('`node app.js | vigil tail`: stdin lines are echoed to stdout and stored in the service', async () => {
    const { base, store } = await startIngestApp();
    const lines = [
      '{"level":"info","time":"2026-11-23T12:00:00.000Z","service":"app","msg":"started"}',
      'plain text line',
      '{"level":"error","msg":"boom","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at x"}}',
    ];
    const t = io(`${lines.join('\n')}\n`);
    assert.equal(await runTail({ files: [], url: base, service: 'app', batchSize: 2 }, t), 0);
    assert.equal(t.out.join(''), `${lines.join('\n')}\n`);
    const { records } = await store.logs.query({ order: 'asc' });
    assert.deepEqual(
      records.map((r) => [r.message, r.level, r.service]),
      [
        ['started', 'info', 'app'],
        ['plain text line', 'info', 'app'],
        ['boom', 'error', 'app'],
      ],
    );
    assert.deepEqual(t.err, []);
  });

  test('files are read in order; VIGIL_URL is the default service', async () => {
    const { base, store, dir } = await startIngestApp();
    writeFileSync(join(dir, 'a.log'), '{"msg":"a1"}\n{"msg":"a2"}\n');
    writeFileSync(join(dir, 'b.log'), '{"msg":"b1"}');
    const t = io(null, { VIGIL_URL: base });
    assert.equal(await runTail({ files: [join(dir, 'a.log'), join(dir, 'b.log')], echo: false }, t), 0);
    assert.deepEqual(t.out, []);
    assert.deepEqual(
      (await store.logs.query({ order: 'asc' })).records.map((r) => r.message),
      ['a1', 'a2', 'b1'],
    );
  });

  test('a missing file or a bad option is a ServerError (VIGIL_BAD_ARGUMENT)', async () => {
    const t = io(null);
    await assert.rejects(
      runTail({ files: ['/nonexistent/x.log'], url: 'http://127.0.0.1:9' }, t),
      (e: unknown) =>
        e instanceof ServerError &&
        e.code === 'VIGIL_BAD_ARGUMENT' &&
        /cannot read \/nonexistent\/x\.log/.test(e.message),
    );
    await assert.rejects(runTail({ files: [], batchSize: 0 }, t), /--batch-size must be a whole number/);
    await assert.rejects(runTail({ files: [], url: 'not a url' }, t), /--url must be an http\(s\) URL/);
  });

  test('while the service answers 503 the batch is retried under one Idempotency-Key and stored once', async () => {
    const { base, store } = await startIngestApp();
    const keys: string[] = [];
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
      if (calls === 1) return new Response('busy', { status: 503, headers: { 'retry-after': '1' } });
      if (calls === 2) {
        await fetch(input, init); // committed, but the answer is lost
        throw new TypeError('socket hang up');
      }
      return fetch(input, init);
    };
    const t = { ...io('{"msg":"once"}\n'), fetch: flaky };
    assert.equal(await runTail({ files: [], url: base }, t), 0);
    assert.equal(calls, 3);
    assert.equal(new Set(keys).size, 1);
    assert.deepEqual(
      (await store.logs.query()).records.map((r) => r.message),
      ['once'],
    );
  });

  test('a service that cannot be reached: lines still echo, the loss is reported, exit 1', async () => {
    const t = io('{"msg":"lost"}\n');
    assert.equal(await runTail({ files: [], url: 'http://127.0.0.1:9' }, t), 1);
    assert.equal(t.out.join(''), '{"msg":"lost"}\n');
    assert.match(t.err.join(''), /gave up on 1 lines after 8 tries/);
    assert.match(t.err.join(''), /1 lines were not stored/);
  });
});
