import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, type Logger } from '../../src/index.js';
import { captureLogger, type Line } from './capture.js';

/** A test app listening on loopback. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Starts one framework's app with the correlation middleware and `GET /items/:id` calling `handleItem`. */
export type StartApp = (log: Logger) => Promise<ServedApp>;

/**
 * What every test app's `GET /items/:id` does: waits a little (so requests interleave), logs
 * after a timer and from an emitter emitted elsewhere, and answers what its context holds.
 */
export async function handleItem(log: Logger, id: string): Promise<Record<string, unknown>> {
  log.info({ item: id }, 'item requested');
  await sleep(Math.floor(Math.random() * 4));
  const emitter = new EventEmitter();
  const seen = new Promise<void>((resolve) =>
    emitter.once(
      'ready',
      context.bind(() => {
        log.info({ item: id }, 'emitter fired');
        resolve();
      }),
    ),
  );
  // Emit from outside any request: without bind() the listener would see no context.
  setImmediate(() => context.run({ correlation_id: 'somebody-else' }, () => emitter.emit('ready')));
  await seen;
  return { id, context: context.get(), trace: context.trace() ?? null };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

/** The correlation behaviour every framework adapter must have. */
export function correlationContract(name: string, start: StartApp, routeTemplate: boolean): void {
  describe(`${name} correlation middleware`, () => {
    async function withApp(fn: (app: ServedApp, lines: () => Line[]) => Promise<void>): Promise<void> {
      const { log, out } = captureLogger();
      const app = await start(log);
      try {
        await fn(app, () => out.lines);
      } finally {
        await app.close();
      }
    }

    test('keeps a well-formed X-Request-ID, returns it, and tags every line of the request', () =>
      withApp(async (app, lines) => {
        const res = await fetch(`${app.url}/items/7?q=1`, { headers: { 'X-Request-ID': 'abc-1' } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-request-id'), 'abc-1');
        const body = (await res.json()) as { context: Record<string, unknown> };
        assert.equal(body.context.correlation_id, 'abc-1');
        await waitFor(() => lines().some((line) => line.event === 'http.request.completed'));
        const mine = lines();
        assert.equal(mine.length, 3, 'handler line, emitter line, request line');
        for (const line of mine) assert.equal(line.correlation_id, 'abc-1', JSON.stringify(line));
        const request = mine.find((line) => line.event === 'http.request.completed')!;
        assert.equal(request.status, 200);
        assert.equal(request.path, '/items/7', 'the query string is not logged');
        if (routeTemplate) assert.equal(request.route, '/items/:id');
      }));

    test('makes a new id when none comes in', () =>
      withApp(async (app, lines) => {
        const res = await fetch(`${app.url}/items/1`);
        const id = res.headers.get('x-request-id');
        assert.match(id ?? '', /^[0-9a-f-]{36}$/);
        await res.arrayBuffer();
        await waitFor(() => lines().length >= 3);
        for (const line of lines()) assert.equal(line.correlation_id, id);
      }));

    for (const [kind, value] of [
      ['malformed', 'abc def<script>'],
      ['oversized', 'x'.repeat(129)],
    ]) {
      test(`replaces a ${kind} X-Request-ID and warns, the warning carrying the new id`, () =>
        withApp(async (app, lines) => {
          const res = await fetch(`${app.url}/items/2`, { headers: { 'X-Request-ID': value! } });
          const id = res.headers.get('x-request-id');
          assert.ok(id !== null && id !== value);
          await res.arrayBuffer();
          await waitFor(() => lines().some((line) => line.event === 'http.request.completed'));
          const warning = lines().find((line) => line.event === 'http.request_id.rejected');
          assert.ok(warning, 'a warning line is written');
          assert.equal(warning.level, 'warning');
          assert.equal(warning.correlation_id, id);
          assert.ok(!JSON.stringify(lines()).includes(value!), 'the refused value is not echoed into logs');
        }));
    }

    test('reads a W3C traceparent and keeps its trace id', () =>
      withApp(async (app, lines) => {
        const res = await fetch(`${app.url}/items/3`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT}-01` } });
        const body = (await res.json()) as { trace: { traceId: string; parentSpanId: string; spanId: string } };
        assert.equal(body.trace.traceId, TRACE_ID);
        assert.equal(body.trace.parentSpanId, PARENT);
        assert.match(body.trace.spanId, /^[0-9a-f]{16}$/);
        assert.notEqual(body.trace.spanId, PARENT);
        await waitFor(() => lines().length >= 3);
        for (const line of lines()) assert.equal(line.trace_id, TRACE_ID);
      }));

    test('starts a new trace when the traceparent is invalid', () =>
      withApp(async (app) => {
        const res = await fetch(`${app.url}/items/4`, {
          headers: { traceparent: `00-${'0'.repeat(32)}-${PARENT}-01` },
        });
        const body = (await res.json()) as { trace: { traceId: string; parentSpanId?: string } };
        assert.match(body.trace.traceId, /^[0-9a-f]{32}$/);
        assert.notEqual(body.trace.traceId, '0'.repeat(32));
        assert.equal(body.trace.parentSpanId, undefined);
      }));

    test('1,000 interleaved requests never see each other’s context', () =>
      withApp(async (app, lines) => {
        const total = 1000;
        let next = 0;
        const worker = async () => {
          while (next < total) {
            const n = next++;
            const res = await fetch(`${app.url}/items/${n}`, { headers: { 'X-Request-ID': `req-${n}` } });
            const body = (await res.json()) as { id: string; context: Record<string, unknown> };
            assert.equal(res.headers.get('x-request-id'), `req-${n}`);
            assert.equal(body.context.correlation_id, `req-${n}`);
          }
        };
        await Promise.all(Array.from({ length: 50 }, worker));
        await waitFor(() => lines().filter((line) => line.event === 'http.request.completed').length === total);
        const handlerLines = lines().filter((line) => line.item !== undefined);
        assert.equal(handlerLines.length, 2 * total);
        for (const line of handlerLines) assert.equal(line.correlation_id, `req-${line.item}`);
        for (const line of lines().filter((l) => l.event === 'http.request.completed')) {
          assert.equal(line.correlation_id, `req-${String(line.path).slice('/items/'.length)}`);
        }
      }));
  });
}

/** Waits (bounded, 2 s) for lines written just after the response was sent. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10);
  assert.ok(condition(), 'timed out waiting for log lines');
}
