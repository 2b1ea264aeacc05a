import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { context, createLogger } from '@vigil/sdk';
import { post, startIngestApp } from './support/ingest-app.js';

const NDJSON = { 'content-type': 'application/x-ndjson' };

/** Lines exactly as the SDK's logger writes them. */
function sdkLines(): string {
  const out: string[] = [];
  const logger = createLogger({ service: 'planner', env: {}, destination: { write: (s: string) => void out.push(s) } });
  const llm = logger.module('llm');
  context.run({ correlation_id: 'req-9', user_id: 'u1' }, () => {
    llm.info({ tokens: 12 }, 'turn started');
    llm.event('llm.call.failed', { err: new TypeError('provider answered 529') }, 'call failed');
  });
  logger.warning('disk almost full');
  return out.join('');
}

describe('NDJSON log lines over HTTP (the SDK pino format)', () => {
  test("the SDK logger's lines are stored with level, time, service, component, event, correlation id and error", async () => {
    const { base, store } = await startIngestApp();
    const answer = await post(`${base}/api/vigil/ingest/logs`, sdkLines(), NDJSON);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json(), { accepted: 3, duplicates: 0, rejected: 0, errors: [] });
    const { records } = await store.logs.query({ order: 'asc' });
    const [info, failed, warning] = records;
    assert.ok(info && failed && warning);
    assert.deepEqual(
      {
        level: info.level,
        service: info.service,
        component: info.component,
        correlation_id: info.correlation_id,
        message: info.message,
      },
      { level: 'info', service: 'planner', component: 'llm', correlation_id: 'req-9', message: 'turn started' },
    );
    assert.equal(info.attributes.tokens, 12);
    assert.equal(info.attributes.user_id, 'u1');
    assert.ok(Math.abs(info.ts - Date.now()) < 60_000);
    assert.equal(failed.level, 'error');
    assert.equal(failed.event, 'llm.call.failed');
    assert.match(failed.error ?? '', /^TypeError: provider answered 529\n\s+at /);
    assert.equal(warning.level, 'warning');
    assert.equal((await store.logs.query({ text: 'TypeError 529' })).records.length, 1);
  });

  test('plain text lines are stored as info lines of the X-Vigil-Service service; blank lines are skipped', async () => {
    const { base, store } = await startIngestApp();
    const answer = await post(`${base}/api/vigil/ingest/logs`, 'Server listening on :8000\r\n\n{not json\n', {
      ...NDJSON,
      'x-vigil-service': 'demo',
    });
    assert.equal(answer.status, 200);
    const { records } = await store.logs.query({ order: 'asc' });
    assert.deepEqual(
      records.map((r) => [r.message, r.level, r.service]),
      [
        ['Server listening on :8000', 'info', 'demo'],
        ['{not json', 'info', 'demo'],
      ],
    );
  });

  test('pino numeric levels, epoch-ms times and odd ids: levels mapped, a bad trace id kept as an attribute', async () => {
    const { base, store } = await startIngestApp();
    const lines = [
      { level: 60, time: 1795435200000, msg: 'fatal', trace_id: 'zz' },
      {
        level: 10,
        time: 1795435200001,
        msg: 'trace',
        trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736',
        span_id: '00f067aa0ba902b7',
      },
      { level: 'warn', time: 'yesterday', msg: 'warn' },
    ];
    await post(`${base}/api/vigil/ingest/logs`, lines.map((l) => JSON.stringify(l)).join('\n'), NDJSON);
    const { records } = await store.logs.query({ order: 'asc', limit: 10 });
    const byMessage = Object.fromEntries(records.map((r) => [r.message, r]));
    assert.equal(byMessage.fatal?.level, 'critical');
    assert.equal(byMessage.fatal?.attributes.trace_id, 'zz');
    assert.equal(byMessage.fatal?.trace_id, null);
    assert.equal(byMessage.trace?.level, 'trace');
    assert.equal(byMessage.trace?.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(byMessage.warn?.level, 'warning');
  });

  test('the same body under the same Idempotency-Key stores its lines once', async () => {
    const { base, store } = await startIngestApp();
    const body = '{"msg":"a"}\n{"msg":"b"}\n';
    const headers = { ...NDJSON, 'idempotency-key': 'batch-1' };
    assert.deepEqual((await post(`${base}/api/vigil/ingest/logs`, body, headers)).json(), {
      accepted: 2,
      duplicates: 0,
      rejected: 0,
      errors: [],
    });
    assert.deepEqual((await post(`${base}/api/vigil/ingest/logs`, body, headers)).json(), {
      accepted: 0,
      duplicates: 2,
      rejected: 0,
      errors: [],
    });
    assert.equal((await store.logs.query()).records.length, 2);
  });

  test('limits: long messages truncated, attributes beyond the limit dropped and counted, too many lines 413, bad type 415', async () => {
    const { base, store } = await startIngestApp({
      limits: { maxStringLength: 5, maxAttributes: 2, maxRecordsPerRequest: 3 },
    });
    await post(
      `${base}/api/vigil/ingest/logs`,
      JSON.stringify({ msg: 'abcdefgh', a: 1, b: 2, c: 3, d: 'long text' }),
      NDJSON,
    );
    const [line] = (await store.logs.query()).records;
    assert.equal(line?.message, 'abcde');
    assert.deepEqual(line?.attributes, { a: 1, b: 2, 'vigil.dropped_attributes_count': 2 });
    const many = await post(`${base}/api/vigil/ingest/logs`, 'a\nb\nc\nd\n', NDJSON);
    assert.equal(many.status, 413);
    assert.match((many.json() as { error: string }).error, /4 lines, more than the limit of 3/);
    assert.equal((await post(`${base}/api/vigil/ingest/logs`, 'a', { 'content-type': 'application/xml' })).status, 415);
    const badKey = await post(`${base}/api/vigil/ingest/logs`, 'a', { ...NDJSON, 'idempotency-key': 'x'.repeat(200) });
    assert.equal(badKey.status, 400);
    assert.match((badKey.json() as { error: string }).error, /idempotency-key must be 1\.\.128 printable characters/);
  });
});
